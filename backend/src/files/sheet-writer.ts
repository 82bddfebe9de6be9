import type ExcelJS from 'exceljs';

/**
 * Statistical tables in a streamed workbook (exceljs WorkbookWriter): a title row, 填报单位
 * and 统计截止日期 rows, two merged header rows, data rows with numbers and dates stored as
 * such (formats `0`, `0.0%`, `yyyy-mm-dd`), subtotal and total rows, runs of equal values in
 * the leading columns merged, column widths that fit the text (a CJK character counts as
 * two), and the header frozen. Rows are committed as they come, so a long list never sits
 * in memory. Pure: no database.
 */

export type CellValue = string | number | null;
/** count: whole number; rate: a fraction shown as a percentage; date: a YYYY-MM-DD day stored as an Excel date; wrap: long text. */
export type ColumnFormat = 'text' | 'wrap' | 'count' | 'rate' | 'date';

export interface TableColumn {
  header: string;
  /** Header of a group of adjacent columns (the first header row, merged across the group). */
  group?: string;
  format: ColumnFormat;
  /** Width in characters; when absent, fitted to the header and the rows (rows given at once only). */
  width?: number;
}

export type RowKind = 'data' | 'subtotal' | 'total';

export interface TableRow {
  cells: CellValue[];
  kind?: RowKind;
  /** Merge these cells of the row, 0-based and inclusive (a total's label across the name columns); the first holds the value. */
  merge?: [number, number];
}

export interface TableSpec {
  sheetName: string;
  title: string;
  /** 填报单位 */
  reportingUnit: string;
  /** 统计截止日期 (YYYY-MM-DD) */
  asOf: string;
  /** A line under the title (e.g. how a figure is counted); optional. */
  note?: string;
  columns: TableColumn[];
  /** Leading columns whose runs of equal values are merged downwards (group labels). */
  groupColumns?: number;
  /** Leading columns kept in view when scrolling right. */
  freezeColumns?: number;
  /** A filter button on every header cell (long lists). */
  autoFilter?: boolean;
  /**
   * Data rows per sheet before the list goes on in a next sheet, `<name>（续1）`… with the same
   * header (default: as many as Excel's 1,048,576 rows allow).
   */
  maxDataRows?: number;
  /** A signature block under the table (填报人, 审核人, 单位负责人, 填报日期), on the last sheet of the list. */
  signature?: boolean;
}

/** The signature block of a reported table. */
export const SIGNATURE_LINE = '填报人：              审核人：              单位负责人：              填报日期：        年    月    日';

/** Excel's last row: a sheet holds no more. */
export const EXCEL_MAX_ROWS = 1_048_576;

export const NUMBER_FORMATS: Record<ColumnFormat, string | undefined> = {
  text: undefined,
  wrap: undefined,
  count: '0',
  rate: '0.0%',
  date: 'yyyy-mm-dd',
};

const MAX_WIDTH = 60;
const WRAP_WIDTH = 48;
const FONT = { name: '宋体', size: 11 };
const THIN = { style: 'thin' as const };
const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN };
const HEADER_FILL = { type: 'pattern' as const, pattern: 'solid' as const, fgColor: { argb: 'FFD9E1F2' } };
const SUBTOTAL_FILL = { type: 'pattern' as const, pattern: 'solid' as const, fgColor: { argb: 'FFF2F2F2' } };
const TOTAL_FILL = { type: 'pattern' as const, pattern: 'solid' as const, fgColor: { argb: 'FFE2EFDA' } };
/** Rows above the first data row: title, 填报单位, 统计截止日期, note (or blank), two header rows. */
export const HEADER_ROWS = 6;
export const FIRST_DATA_ROW = HEADER_ROWS + 1;

/** Display width of text in Excel's character units: CJK and full-width characters count two. */
export function textWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    width +=
      code >= 0x1100 &&
      (code <= 0x115f ||
        (code >= 0x2e80 && code <= 0xa4cf) ||
        (code >= 0xac00 && code <= 0xd7a3) ||
        (code >= 0xf900 && code <= 0xfaff) ||
        (code >= 0xfe30 && code <= 0xfe4f) ||
        (code >= 0xff00 && code <= 0xff60) ||
        (code >= 0xffe0 && code <= 0xffe6) ||
        code >= 0x20000)
        ? 2
        : 1;
  }
  return width;
}

/** How a value is shown, for fitting the width. */
function shown(value: CellValue, format: ColumnFormat): string {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  if (format === 'rate') return `${(value * 100).toFixed(1)}%`;
  return String(value);
}

/** Column widths: the widest header or cell, plus padding; long text wraps at a fixed width. */
export function fitWidths(columns: readonly TableColumn[], rows: readonly TableRow[]): number[] {
  return columns.map((column, i) => {
    if (column.width !== undefined) return column.width;
    let widest = Math.max(...column.header.split('\n').map(textWidth));
    for (const row of rows) {
      if (row.merge && i >= row.merge[0] && i <= row.merge[1] && row.merge[1] > row.merge[0]) continue;
      widest = Math.max(widest, textWidth(shown(row.cells[i] ?? null, column.format)));
    }
    if (column.format === 'date') widest = Math.max(widest, 10);
    const width = widest + 2;
    return column.format === 'wrap' ? Math.min(width, WRAP_WIDTH) : Math.min(width, MAX_WIDTH);
  });
}

/** A YYYY-MM-DD day as the Date exceljs stores as that Excel day (UTC midnight). */
export function excelDate(day: string): Date {
  return new Date(`${day}T00:00:00Z`);
}

/** Rows as they come: an array, or pages from an async source. */
export type RowSource = readonly TableRow[] | AsyncIterable<readonly TableRow[]>;

/**
 * Writes one table as a worksheet of `workbook` and commits it. With an async source, rows
 * are written before all are seen: the widths are fitted to `sample` (say, the first page
 * and every value a column can take), and a column whose text is unbounded should wrap.
 */
export async function writeTable(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  spec: TableSpec,
  rows: RowSource,
  sample: readonly TableRow[] = [],
): Promise<void> {
  const columns = spec.columns;
  const n = columns.length;
  const widths = fitWidths(columns, Array.isArray(rows) ? (rows as readonly TableRow[]) : sample);
  const freezeColumns = spec.freezeColumns ?? 0;
  const startSheet = (name: string, note: string | undefined): ExcelJS.Worksheet => {
    const sheet = workbook.addWorksheet(name, {
      views: [
        {
          state: 'frozen',
          xSplit: freezeColumns,
          ySplit: HEADER_ROWS,
          topLeftCell: `${columnLetter(freezeColumns + 1)}${FIRST_DATA_ROW}`,
          activeCell: `A${FIRST_DATA_ROW}`,
        },
      ],
      // printed: A4 landscape, fit to the page's width, the two header rows on every page, page numbers at the foot
      pageSetup: { orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '5:6', horizontalCentered: true },
      headerFooter: { oddFooter: '&C第 &P 页，共 &N 页', evenFooter: '&C第 &P 页，共 &N 页' },
    });
    sheet.columns = widths.map((width, i) => ({ width, style: { numFmt: NUMBER_FORMATS[columns[i].format] } }));
    const last = columnLetter(n);

    // title, 填报单位, 统计截止日期, note
    const title = sheet.getRow(1);
    title.getCell(1).value = spec.title;
    title.getCell(1).style = { font: { ...FONT, size: 16, bold: true }, alignment: { horizontal: 'center', vertical: 'middle' } };
    title.height = 30;
    sheet.mergeCells(`A1:${last}1`);
    title.commit();
    labelledRow(sheet, 2, '填报单位：', spec.reportingUnit, widths);
    labelledRow(sheet, 3, '统计截止日期：', excelDate(spec.asOf), widths);
    const noteRow = sheet.getRow(4);
    if (note) {
      noteRow.getCell(1).value = note;
      noteRow.getCell(1).style = { font: { ...FONT, size: 10, color: { argb: 'FF595959' } }, alignment: { wrapText: true, vertical: 'top' } };
      sheet.mergeCells(`A4:${last}4`);
      noteRow.height =
        15 *
        Math.max(
          1,
          Math.ceil(
            textWidth(note) /
              Math.max(
                1,
                widths.reduce((s, w) => s + w, 0),
              ),
          ),
        );
    }
    noteRow.commit();

    // two header rows: a group's header across its columns, a lone header down both rows
    const top = sheet.getRow(5);
    const bottom = sheet.getRow(6);
    const headerStyle: Partial<ExcelJS.Style> = {
      font: { ...FONT, bold: true },
      alignment: { horizontal: 'center', vertical: 'middle', wrapText: true },
      border: BORDER,
      fill: HEADER_FILL,
    };
    for (let i = 0; i < n;) {
      const group = columns[i].group;
      let j = i;
      while (group !== undefined && j + 1 < n && columns[j + 1].group === group) j++;
      if (group === undefined) {
        top.getCell(i + 1).value = columns[i].header;
        sheet.mergeCells(5, i + 1, 6, i + 1);
      } else {
        top.getCell(i + 1).value = group;
        if (j > i) sheet.mergeCells(5, i + 1, 5, j + 1);
        for (let k = i; k <= j; k++) bottom.getCell(k + 1).value = columns[k].header;
      }
      i = j + 1;
    }
    for (let c = 1; c <= n; c++) {
      top.getCell(c).style = headerStyle;
      bottom.getCell(c).style = headerStyle;
    }
    const headerLines = Math.max(1, ...columns.map((c, i) => Math.ceil(textWidth(c.header) / Math.max(1, widths[i] - 1))));
    top.height = 20;
    bottom.height = Math.max(20, 15 * headerLines);
    top.commit();
    bottom.commit();
    if (spec.autoFilter) sheet.autoFilter = { from: { row: 6, column: 1 }, to: { row: 6, column: n } };
    return sheet;
  };
  let sheet = startSheet(spec.sheetName, spec.note);
  const maxDataRows = spec.maxDataRows ?? EXCEL_MAX_ROWS - HEADER_ROWS;
  let part = 0;

  // data rows; one style object per column and kind, shared by every cell that has it
  const groupColumns = spec.groupColumns ?? 0;
  const styles = new Map<string, Partial<ExcelJS.Style>>();
  const styleOf = (c: number, kind: RowKind, label: boolean): Partial<ExcelJS.Style> => {
    const key = `${c}:${kind}:${label}`;
    let style = styles.get(key);
    if (!style) {
      const format = columns[c].format;
      const numeric = format === 'count' || format === 'rate';
      style = {
        font: { ...FONT, bold: kind !== 'data' },
        numFmt: NUMBER_FORMATS[format],
        border: BORDER,
        alignment: {
          vertical: 'middle',
          horizontal: numeric && !label ? 'right' : label || c < groupColumns || format === 'date' ? 'center' : 'left',
          wrapText: format === 'wrap' || c < groupColumns,
        },
        ...(kind === 'subtotal' ? { fill: SUBTOTAL_FILL } : kind === 'total' ? { fill: TOTAL_FILL } : {}),
      };
      styles.set(key, style);
    }
    return style;
  };
  const runs = Array.from({ length: groupColumns }, () => ({ value: null as CellValue, from: 0 }));
  let rowNumber = FIRST_DATA_ROW;
  const closeRun = (c: number, end: number) => {
    const run = runs[c];
    if (run.value !== null && end > run.from) sheet.mergeCells(run.from, c + 1, end, c + 1);
    run.value = null;
  };
  const writeRow = (row: TableRow) => {
    if (rowNumber - FIRST_DATA_ROW >= maxDataRows) {
      // the sheet is full: the list goes on in the next one, under the same header
      for (let c = 0; c < groupColumns; c++) closeRun(c, rowNumber - 1);
      sheet.commit();
      part++;
      sheet = startSheet(`${spec.sheetName}（续${part}）`, `（续表${part}）${spec.note ?? ''}`);
      rowNumber = FIRST_DATA_ROW;
    }
    const r = sheet.getRow(rowNumber);
    const kind = row.kind ?? 'data';
    const [mergeFrom, mergeTo] = row.merge ?? [-1, -1];
    const merged = (c: number) => mergeTo > mergeFrom && c >= mergeFrom && c <= mergeTo;
    // a group label's run goes on while its value repeats, no merge cuts through it, and
    // the labels before it go on too
    let restarted = groupColumns === 0;
    for (let c = 0; c < groupColumns; c++) {
      const value = row.cells[c] ?? null;
      if (restarted || merged(c) || value === null || value !== runs[c].value) {
        closeRun(c, rowNumber - 1);
        if (!merged(c) && value !== null) runs[c] = { value, from: rowNumber };
        restarted = true;
      }
    }
    // rows are committed (written out) once no open run may still merge them: the streamed
    // writer cannot merge a committed row
    if (restarted && rowNumber > FIRST_DATA_ROW) sheet.getRow(rowNumber - 1).commit();
    for (let c = 0; c < n; c++) {
      const cell = r.getCell(c + 1);
      const value = row.cells[c] ?? null;
      const format = columns[c].format;
      if (!merged(c) || c === mergeFrom) cell.value = value === null ? null : format === 'date' && typeof value === 'string' ? excelDate(value) : value;
      cell.style = styleOf(c, kind, merged(c));
    }
    if (mergeTo > mergeFrom) sheet.mergeCells(rowNumber, mergeFrom + 1, rowNumber, mergeTo + 1);
    rowNumber++;
  };

  if (Array.isArray(rows)) {
    let written = 0;
    for (const row of rows as readonly TableRow[]) {
      writeRow(row);
      if (++written % 2000 === 0) await breathe();
    }
  } else {
    for await (const page of rows as AsyncIterable<readonly TableRow[]>) {
      for (const row of page) writeRow(row);
      await breathe();
    }
  }
  for (let c = 0; c < groupColumns; c++) closeRun(c, rowNumber - 1);
  if (spec.signature) {
    const line = sheet.getRow(rowNumber + 1);
    line.getCell(1).value = SIGNATURE_LINE;
    line.getCell(1).style = { font: FONT, alignment: { horizontal: 'left', vertical: 'middle' } };
    line.height = 30;
    sheet.mergeCells(rowNumber + 1, 1, rowNumber + 1, n);
  }
  sheet.commit();
}

/** Lets the zip stream take what was written before more is added. */
const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A label in the first columns (as many as it needs) and its value after it, to the end of the row. */
function labelledRow(sheet: ExcelJS.Worksheet, rowNumber: number, label: string, value: string | Date, widths: readonly number[]): void {
  const row = sheet.getRow(rowNumber);
  let span = 1;
  for (let total = widths[0]; total < textWidth(label) + 1 && span < widths.length - 1; span++) total += widths[span];
  row.getCell(1).value = label;
  row.getCell(1).style = { font: { ...FONT, bold: true }, alignment: { horizontal: 'left', vertical: 'middle' } };
  if (span > 1) sheet.mergeCells(rowNumber, 1, rowNumber, span);
  const cell = row.getCell(span + 1);
  cell.value = value;
  cell.style = { font: FONT, alignment: { horizontal: 'left', vertical: 'middle' }, ...(value instanceof Date ? { numFmt: 'yyyy"年"m"月"d"日"' } : {}) };
  const end = value instanceof Date ? Math.min(widths.length, span + 2) : widths.length;
  if (end > span + 1) sheet.mergeCells(rowNumber, span + 1, rowNumber, end);
  row.commit();
}

/** 1 → A, 27 → AA */
export function columnLetter(n: number): string {
  let s = '';
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) s = String.fromCharCode(65 + ((k - 1) % 26)) + s;
  return s;
}
