/**
 * What downloads need, pure: the Content-Disposition header with a Chinese file name, and
 * CSV text (RFC 4180) that spreadsheets open safely.
 */

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const CSV_TYPE = 'text/csv; charset=utf-8';

/** RFC 5987 `value-chars`: UTF-8 percent-encoded, only attr-chars left bare. */
function rfc5987(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * `attachment; filename="<ascii>"; filename*=UTF-8''<name>`: the UTF-8 name for every
 * current browser, the ASCII one for clients that do not read `filename*`.
 */
export function contentDisposition(asciiName: string, name: string): string {
  if (!/^[\x20-\x7e]+$/.test(asciiName) || /["\\]/.test(asciiName)) throw new Error(`not a plain ASCII file name: ${asciiName}`);
  return `attachment; filename="${asciiName}"; filename*=UTF-8''${rfc5987(name)}`;
}

/** Excel and LibreOffice open a UTF-8 CSV as UTF-8 only when it starts with a byte-order mark. */
export const CSV_BOM = '\ufeff';

/**
 * One CSV field: text that a spreadsheet would take for a formula (starting with = + - @,
 * or a tab or carriage return that hides such a start) gets a leading single quote; fields
 * holding a comma, a quote or a line break are quoted, quotes doubled (RFC 4180). null is an
 * empty field; numbers and booleans are written as they are.
 */
export function csvField(value: string | number | boolean | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? '是' : '否';
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV record with its CRLF line end. */
export function csvLine(values: readonly (string | number | boolean | null)[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

export interface CsvColumn<T> {
  header: string;
  /** How the .xlsx version stores it (default text). */
  format?: 'text' | 'wrap' | 'count' | 'date';
  value: (row: T) => string | number | boolean | null;
}

/** The records of a page of rows. */
export function csvRows<T>(columns: readonly CsvColumn<T>[], rows: readonly T[]): string {
  let out = '';
  for (const row of rows) out += csvLine(columns.map((c) => c.value(row)));
  return out;
}

/** BOM and the header record. */
export function csvHead<T>(columns: readonly CsvColumn<T>[]): string {
  return CSV_BOM + csvLine(columns.map((c) => c.header));
}
