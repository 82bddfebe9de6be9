import { formatQueryParams } from '@clickhouse/client-common';
import { WarehouseError } from './errors';
import { tokenize } from './sql-text';

/**
 * Query parameters for chDB as session settings: `SET param_<name> = '<text>'` on the
 * connection that runs the statement next, which the engine then binds to the statement's
 * `{name:Type}` placeholders exactly as a server binds the `param_<name>` of an HTTP
 * request (its own parser, its own errors: 457 for a value the type does not accept).
 *
 * Why not chDB's queryBind: the library runs every parameterized query of the process one
 * at a time (its parameter state is not isolated per connection), so one slow query held up
 * every user. Settings are per connection, so queries on different connections run at once.
 *
 * The value text is what @clickhouse/client sends to a server for the same value
 * (formatQueryParams), and the SET literal around it is made by the same formatter: no
 * escaping here. Only names that occur as placeholders are set (so a name is always a
 * plain identifier, from the statement), and a placeholder without a value is refused
 * here, since the connection may still hold an earlier statement's value under that name.
 */

const PLACEHOLDER = /\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*:\s*([^{}]+?)\s*\}/g;

/** The names of the statement's `{name:Type}` placeholders, outside comments and string literals. */
export function placeholderNames(sql: string): Set<string> {
  const names = new Set<string>();
  let skipped: { start: number; end: number }[];
  try {
    skipped = tokenize(sql).filter((token) => token.kind === 'comment' || token.kind === 'string' || token.kind === 'quoted');
  } catch {
    // text the lexer cannot read: the engine will refuse it with its own message
    skipped = [];
  }
  for (const match of sql.matchAll(PLACEHOLDER)) {
    const at = match.index ?? 0;
    if (!skipped.some((token) => at >= token.start && at < token.end)) names.add(match[1]);
  }
  return names;
}

/** One SQL string literal holding `value` as a server receives it in `param_<name>`. */
function settingLiteral(name: string, value: unknown): string {
  try {
    return formatQueryParams({ value: formatQueryParams({ value }), wrapStringInQuotes: true });
  } catch (error) {
    throw new WarehouseError(`parameter ${name}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

/**
 * The `SET param_… = …` statement that binds `params` (already prepared by
 * `prepareParams`) for `sql`, or undefined when the statement has no placeholders.
 */
export function parameterSettings(sql: string, params: Record<string, unknown>): string | undefined {
  const names = placeholderNames(sql);
  if (names.size === 0) return undefined;
  const settings: string[] = [];
  for (const name of names) {
    if (!Object.prototype.hasOwnProperty.call(params, name)) {
      throw new WarehouseError(`Code: 456. query parameter ${name} is not set (UNKNOWN_QUERY_PARAMETER)`, {
        code: 456,
        type: 'UNKNOWN_QUERY_PARAMETER',
        sql,
      });
    }
    settings.push(`param_${name} = ${settingLiteral(name, params[name])}`);
  }
  return `SET ${settings.join(', ')}`;
}
