import { WarehouseError } from './errors';

/** A plain ClickHouse identifier, optionally qualified once (`database.table`). */
const PLAIN_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/;

export function isPlainIdentifier(name: string): boolean {
  return PLAIN_IDENTIFIER.test(name);
}

/**
 * Returns `name` for splicing into SQL only when it is on the allow-list (and the list
 * entry is a plain identifier, not an expression); anything else throws. Values never go
 * through here: they travel as `{name:Type}` parameters.
 *
 *   const column = identifier(filters.groupBy, ['region_code', 'unit_category']);
 */
export function identifier<const T extends string>(name: string, allowList: readonly T[] | ReadonlySet<T>): T {
  const allowed = allowList instanceof Set ? allowList.has(name) : (allowList as readonly string[]).includes(name);
  if (!allowed) {
    throw new WarehouseError(`identifier ${JSON.stringify(name)} is not allowed here`);
  }
  if (!isPlainIdentifier(name)) {
    throw new WarehouseError(`allow-listed identifier ${JSON.stringify(name)} is not a plain identifier`);
  }
  return name as T;
}

/** Checks a name that the code itself spliced (database, table); throws when it is not a plain identifier. */
export function plainIdentifier(name: string, what: string): string {
  if (!isPlainIdentifier(name)) {
    throw new WarehouseError(`invalid ${what} name ${JSON.stringify(name)}: expected letters, digits and _ (not starting with a digit)`);
  }
  return name;
}

/** `INSERT INTO <table> [(<columns>)] FORMAT <format>`, every name checked. */
export function insertStatement(table: string, columns: readonly string[] | undefined, format: string): string {
  plainIdentifier(table, 'table');
  const list = columns === undefined ? '' : ` (${columns.map((column) => plainIdentifier(column, 'column')).join(', ')})`;
  if (columns !== undefined && columns.length === 0) throw new WarehouseError(`insert into ${table}: empty column list`);
  return `INSERT INTO ${table}${list} FORMAT ${format}`;
}
