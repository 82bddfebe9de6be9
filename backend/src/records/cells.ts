import { DATE_RANGE_MESSAGE, isDayInRange, isRealDay } from '../common/filters';
import type { XlsxValue } from './xlsx-reader';

/**
 * The cells of an uploaded workbook (整改台账, 区划表, 被巡察单位名录) as a clerk typed them,
 * one reading for every import: text or number cells, Excel date cells or dates as text
 * (2026-03-31, 2026/3/31, 2026年3月31日), full-width digits, letters and brackets, and blanks
 * around the value. A cell no import may take (an Excel error, a control character) is a
 * CellFault, reported at its row and column.
 */

/** A cell holding an Excel error (#N/A, #REF!…), or text with control characters (a NUL from _x0000_). */
export class CellFault {
  constructor(
    readonly text: string,
    readonly control = false,
  ) {}

  /** What the clerk is told: the cell, not the upload, is refused. */
  get message(): string {
    return this.control
      ? '含有不允许的控制字符（如 _x0000_） contains a control character such as NUL (_x0000_); retype the cell'
      : `单元格为错误值 ${this.text} the cell holds an error value`;
  }
}

export type Plain = string | number | boolean | Date | null | CellFault;

/** C0 control characters other than tab and line breaks: PostgreSQL refuses NUL in text, and none belongs in a list. */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const EVERY_CONTROL = new RegExp(CONTROL.source, 'g');

/** Text with control characters as a CellFault (shown with `?` in their place), other text as it is. */
export function plainText(text: string): string | CellFault {
  return CONTROL.test(text) ? new CellFault(text.replace(EVERY_CONTROL, '?'), true) : text;
}

/** A value of the streaming reader (xlsx-reader.ts) as a plain value: an error or control characters a CellFault. */
export function plainOf(value: XlsxValue): Plain {
  if (typeof value === 'string') return plainText(value);
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) return new CellFault(value.error);
  return value;
}

export function isBlank(value: Plain): boolean {
  return value === null || (typeof value === 'string' && value.trim() === '');
}

/** The cell as text: trimmed (full-width blanks too), a date cell as YYYY-MM-DD. */
export function textOf(value: Plain): string {
  if (value === null) return '';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10);
  if (value instanceof CellFault) return value.text;
  return String(value).trim();
}

/** Full-width forms to their plain forms (ＡＢ１２（） → AB12()), blanks around removed. */
export function normalize(text: string): string {
  return text.normalize('NFKC').trim();
}

/** The cell's text with full-width letters, digits and punctuation made half-width (for codes, dates, choices). */
export function folded(value: Plain): string {
  return normalize(textOf(value));
}

/** Header text without blanks, a required mark or a parenthesised hint: 立行立改(是/否), 单位类别（必填）* → 立行立改, 单位类别. */
export function normalizeHeader(text: string): string {
  return normalize(text)
    .replace(/\([^)]*\)/g, '')
    .replace(/[\s*]/g, '');
}

/** What a reader makes of a non-blank cell: its value, or the problem with it. */
export type Read<T> = { value: T } | { problem: string };
export const ok = <T>(value: T): Read<T> => ({ value });
export const problem = (message: string): { problem: string } => ({ problem: message });

export function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** Text of at most `max` characters; a number cell as its digits. */
export const readText =
  (max: number) =>
  (value: Plain): Read<string> => {
    const text = textOf(value);
    const length = [...text].length;
    return length > max ? problem(`不能超过 ${max} 个字 must be at most ${max} characters (got ${length})`) : ok(text);
  };

const EXCEL_EPOCH = Date.UTC(1899, 11, 30);
const MS_PER_DAY = 86_400_000;

/** Texts read as dates lately and what they read as: a list's dates repeat (the reading is pure). */
const readDays = new Map<string, Read<string>>();

/**
 * A calendar day from a date cell, an Excel serial number or text like 2026-03-31, 2026/3/31,
 * 2026年3月31日 (full-width digits too), within the days both stores hold.
 */
export function readDay(value: Plain): Read<string> {
  if (typeof value !== 'string') return readDayOf(value);
  let read = readDays.get(value);
  if (read === undefined) {
    if (readDays.size >= 10_000) readDays.clear();
    readDays.set(value, (read = readDayOf(value)));
  }
  return read;
}

function readDayOf(value: Plain): Read<string> {
  let day: string | undefined;
  if (value instanceof Date) {
    if (!Number.isNaN(value.getTime())) day = value.toISOString().slice(0, 10);
  } else if (typeof value === 'number') {
    if (Number.isFinite(value) && value >= 1 && value < 2_958_466) day = new Date(EXCEL_EPOCH + Math.floor(value) * MS_PER_DAY).toISOString().slice(0, 10);
  } else {
    const match = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(folded(value));
    if (match) day = `${match[1]}-${match[2].padStart(2, '0')}-${match[3].padStart(2, '0')}`;
  }
  if (day === undefined || !isRealDay(day)) return problem(`须为有效日期，如 2026-03-31 must be a real date such as 2026-03-31 (got "${clip(textOf(value))}")`);
  if (!isDayInRange(day)) return problem(`${DATE_RANGE_MESSAGE} (got "${day}")`);
  return ok(day);
}
