import { WarehouseError } from './errors';
import { splitStatements, SqlTextError } from './sql-text';

/**
 * Refuses text holding more than one statement. chDB would run them all, and when a later
 * one fails, the output of the earlier ones leaks into the next query's result; a server
 * refuses them anyway. Several statements go through `splitStatements` and one call each.
 */
export function singleStatement(sql: string): string {
  let statements: string[];
  try {
    statements = splitStatements(sql);
  } catch (error) {
    if (error instanceof SqlTextError) throw new WarehouseError(`cannot read the statement: ${error.message}`, { sql });
    throw error;
  }
  if (statements.length !== 1) {
    throw new WarehouseError(statements.length === 0 ? 'empty statement' : `${statements.length} statements in one call: run one statement per call`, { sql });
  }
  return statements[0];
}
