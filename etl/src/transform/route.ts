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
  /** The key of the batch's last record (keyset cursor); null for an empty batch. */
  lastKey: bigint | null;
}

/** Splits one COPY text-format line into its fields; `\N` is SQL NULL. */
export function parseCopyLine(line: string, names: readonly string[]): Row {
  const fields = line.split('\t');
  if (fields.length !== names.length) throw new Error(`expected ${names.length} fields, got ${fields.length}`);
  const row: Record<string, string | null> = {};
  for (let i = 0; i < names.length; i += 1) row[names[i]] = fields[i] === '\\N' ? null : fields[i];
  return row;
}

/**
 * Validates a batch of extracted lines and routes each: valid records go on, trimmed to
 * the warehouse's columns; invalid ones become rejects with their reasons. Pure.
 */
export function routeBatch(spec: TableSpec, lines: readonly string[]): RoutedBatch {
  const names = [...spec.columns, ...spec.checks].map((c) => c.name);
  const warehouseColumns = spec.columns.length;
  const accepted: string[] = [];
  const rejects: Reject[] = [];
  let lastKey: bigint | null = null;
  for (const line of lines) {
    const row = parseCopyLine(line, names);
    const id = row.id as string;
    lastKey = BigInt(id);
    const reasons = validate(spec.target, row);
    if (reasons.length > 0) {
      rejects.push({ table: spec.source, recordId: id, reason: reasons.join('; ') });
      continue;
    }
    accepted.push(spec.checks.length === 0 ? line : line.split('\t', warehouseColumns).join('\t'));
  }
  return { accepted, rejects, lastKey };
}
