import type { TableSpec } from '../extract/tables';
import { validate, type Row } from './validate';

/** A rejected record: which, and why. */
export interface Reject {
  table: string;
  recordId: string;
  reason: string;
}

export interface RoutedBatch {
  /** TabSeparated lines holding exactly the warehouse table's columns. */
  accepted: string[];
  rejects: Reject[];
}

type RowFactory = (fields: readonly string[]) => Row;
const factories = new WeakMap<TableSpec, RowFactory>();

/**
 * A row constructor for one spec's columns: every row gets the same shape (one hidden
 * class), which is several times faster than filling an object key by key. The names
 * are the spec's own column names, checked to be plain identifiers.
 */
function rowFactory(spec: TableSpec): RowFactory {
  let factory = factories.get(spec);
  if (!factory) {
    const names = [...spec.columns, ...spec.checks].map((c) => c.name);
    for (const name of names) if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad column name ${name}`);
    const body = `return { ${names.map((name, i) => `${name}: f[${i}] === '\\\\N' ? null : f[${i}]`).join(', ')} };`;
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- a row builder compiled once per column list from known column names
    factory = new Function('f', body) as RowFactory;
    factories.set(spec, factory);
  }
  return factory;
}

/** The line without its last `count` fields (the columns read only for validation). */
function dropLastFields(line: string, count: number): string {
  let end = line.length;
  for (let i = 0; i < count; i += 1) end = line.lastIndexOf('\t', end - 1);
  return line.slice(0, end);
}

/**
 * Validates a batch of extracted lines and routes each: valid records go on, trimmed to
 * the warehouse's columns; invalid ones become rejects with their reasons. Pure.
 */
export function routeBatch(spec: TableSpec, lines: readonly string[]): RoutedBatch {
  const width = spec.columns.length + spec.checks.length;
  const makeRow = rowFactory(spec);
  const accepted: string[] = [];
  const rejects: Reject[] = [];
  for (const line of lines) {
    const fields = line.split('\t');
    if (fields.length !== width) throw new Error(`${spec.target}: expected ${width} fields, got ${fields.length}`);
    const id = fields[0];
    const reasons = validate(spec.target, makeRow(fields));
    if (reasons.length > 0) {
      rejects.push({ table: spec.source, recordId: id, reason: reasons.join('; ') });
      continue;
    }
    accepted.push(spec.checks.length === 0 ? line : dropLastFields(line, spec.checks.length));
  }
  return { accepted, rejects };
}
