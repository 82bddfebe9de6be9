import { WarehouseError } from './errors';

/**
 * What both engines accept as values, made the same on both: query parameters for
 * `{name:Type}` placeholders and rows for JSONEachRow inserts.
 *
 * - 64-bit integers travel as decimal strings (or bigint). In an `Array(UInt64)`-like
 *   parameter, decimal strings are turned into bigint, since ClickHouse does not parse
 *   a quoted element as a number.
 * - Booleans become 1/0 (the two clients disagree on how to spell them).
 * - `Date` objects are refused: one engine sends them as UTC text, the other as a Unix
 *   timestamp, and a calendar day in Asia/Shanghai is neither. Pass 'YYYY-MM-DD' or
 *   'YYYY-MM-DD hh:mm:ss' strings.
 * - `undefined` is refused (a missing field is a bug; pass null for NULL).
 */

const PLACEHOLDER = /\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*:\s*([^{}]+?)\s*\}/g;
const WIDE_INT_ARRAY = /^Array\((?:Nullable\()?U?Int(?:64|128|256)\)?\)$/;
const DECIMAL = /^-?\d+$/;

/** The `{name:Type}` placeholders of a statement, by name. */
export function placeholderTypes(sql: string): Map<string, string> {
  const types = new Map<string, string>();
  for (const match of sql.matchAll(PLACEHOLDER)) types.set(match[1], match[2].replace(/\s+/g, ''));
  return types;
}

function refuse(where: string, value: unknown): never {
  if (value instanceof Date) {
    throw new WarehouseError(`${where} is a Date object: pass dates as 'YYYY-MM-DD' or 'YYYY-MM-DD hh:mm:ss' strings`);
  }
  throw new WarehouseError(`${where} is undefined: pass null for NULL`);
}

function normalizeValue(value: unknown, where: string, wideInts: boolean): unknown {
  if (value === undefined || value instanceof Date) refuse(where, value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (wideInts && typeof value === 'string' && DECIMAL.test(value)) return BigInt(value);
  if (Array.isArray(value)) return value.map((item, i) => normalizeValue(item, `${where}[${i}]`, wideInts));
  return value;
}

/** Query parameters in the form both engines bind the same way. */
export function prepareParams(sql: string, params: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!params) return {};
  const types = placeholderTypes(sql);
  const prepared: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(params)) {
    prepared[name] = normalizeValue(value, `parameter ${name}`, WIDE_INT_ARRAY.test(types.get(name) ?? ''));
  }
  return prepared;
}

function jsonValue(this: unknown, key: string, value: unknown): unknown {
  switch (typeof value) {
    case 'bigint':
      return value.toString();
    case 'undefined':
      return refuse(`column ${key}`, value);
    case 'boolean':
      return value ? 1 : 0;
    case 'string':
      // JSON.stringify has already turned a Date into a string; look at the original.
      if ((this as Record<string, unknown>)[key] instanceof Date) refuse(`column ${key}`, (this as Record<string, unknown>)[key]);
      return value;
    default:
      return value;
  }
}

const ROWS_PER_SLICE = 5_000;

/**
 * Serializes rows as JSONEachRow: one JSON object per line. Works in slices and lets the
 * event loop run between them, so a large batch does not stall the app's other requests
 * (a million rows take seconds of JavaScript on this machine).
 */
export async function toJsonEachRow(rows: readonly Record<string, unknown>[]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for (let from = 0; from < rows.length; from += ROWS_PER_SLICE) {
    if (from > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    const lines: string[] = [];
    const to = Math.min(rows.length, from + ROWS_PER_SLICE);
    for (let i = from; i < to; i++) lines.push(JSON.stringify(rows[i], jsonValue));
    chunks.push(Buffer.from(`${lines.join('\n')}\n`, 'utf8'));
  }
  return Buffer.concat(chunks);
}

/** Parses a JSONEachRow result. */
export function parseJsonEachRow<T>(text: string): T[] {
  const rows: T[] = [];
  for (const line of text.split('\n')) if (line) rows.push(JSON.parse(line) as T);
  return rows;
}
