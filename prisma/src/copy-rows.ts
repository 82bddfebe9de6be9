import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ClientBase } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/** A value of a row written by copyRows: text, a number, a boolean, or null (SQL NULL). */
export type CopyValue = string | number | bigint | boolean | null;

/** Rows handed to the connection at a time (about a megabyte of text for a ledger). */
const ROWS_PER_CHUNK = 2000;

/**
 * Writes `rows` into `table` with one COPY … FROM STDIN (text format) on `client`, in
 * whatever transaction the caller has open there: the bulk write of an import, instead of
 * an INSERT per row or arrays as parameters. Row triggers (change capture) and foreign
 * keys apply as for an INSERT; a serial column left out takes its ids in the rows' order.
 * `table` and `columns` are the caller's own names, never user input. Returns the rows written.
 */
export async function copyRows(client: ClientBase, table: string, columns: readonly string[], rows: Iterable<readonly CopyValue[]>): Promise<number> {
  let count = 0;
  function* lines(): Generator<string> {
    let chunk = '';
    let inChunk = 0;
    for (const row of rows) {
      if (row.length !== columns.length) throw new Error(`copyRows ${table}: a row of ${row.length} values for ${columns.length} columns`);
      chunk += row.map(copyText).join('\t') + '\n';
      count += 1;
      if (++inChunk === ROWS_PER_CHUNK) {
        yield chunk;
        chunk = '';
        inChunk = 0;
      }
    }
    if (chunk) yield chunk;
  }
  const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;
  await pipeline(Readable.from(lines()), client.query(copyFrom(`COPY ${quoted(table)} (${columns.map(quoted).join(', ')}) FROM STDIN`)));
  return count;
}

/** A value in COPY's text format: \N for NULL, backslash, tab and line breaks escaped. */
function copyText(value: CopyValue): string {
  if (value === null) return '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value !== 'string') return String(value);
  return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')) : value;
}
