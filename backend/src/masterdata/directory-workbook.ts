import { CellFault, clip, isBlank, normalize, normalizeHeader, ok, plainOf, problem, textOf, type Plain, type Read } from '../records/cells';
import { openXlsx, XlsxUnreadable } from '../records/xlsx-reader';
import { ZipRefused } from '../records/zip-guard';
import { loadExcel } from '../files/excel';

/**
 * Reading the office's own lists (区划表, 被巡察单位名录) from Excel, and writing their
 * templates. Pure: no database. Every cell is read the way a clerk typed it: text or number
 * cells, Excel date cells or dates as text (2024-03-01, 2024/3/1, 2024年3月1日), full-width
 * digits, letters and brackets, and blanks around the value.
 */

export interface SheetColumn<K extends string> {
  key: K;
  header: string;
  /** Other headers offices use for the same column. */
  aliases?: readonly string[];
  required: boolean;
  help: string;
  width: number;
  numFmt?: string;
}

/** One data row: its Excel row number and its cells by column. */
export interface SheetRow<K extends string> {
  row: number;
  cells: Record<K, Plain>;
}

/** Something wrong with the workbook as a whole: a 400 naming `field`. */
export class SheetRefused extends Error {
  constructor(
    message: string,
    readonly field = 'file',
  ) {
    super(message);
    this.name = 'SheetRefused';
  }
}

const HEADER_SEARCH_ROWS = 10;

/**
 * The rows of the sheet named `sheetName` (else the first sheet) below its header row, the
 * first of the first ten rows naming every required column. Empty rows are skipped. The
 * file is streamed (xlsx-reader.ts): only the columns' values of each row are kept, never
 * a workbook's cell model; rows beyond `maxRows` are counted, not kept.
 */
export async function readSheetFile<K extends string>(
  buffer: Buffer,
  sheetName: string,
  columns: readonly SheetColumn<K>[],
  maxRows: number,
): Promise<SheetRow<K>[]> {
  const required = columns.filter((c) => c.required);
  let headerRow = 0;
  let positions = new Map<K, number>();
  let best: { row: number; found: Map<K, number> } | undefined;
  const rows: SheetRow<K>[] = [];
  let count = 0;
  try {
    const workbook = await openXlsx(buffer);
    const sheet = workbook.sheets.includes(sheetName) ? sheetName : workbook.sheets[0];
    await workbook.readSheet(sheet, (rowNumber, values) => {
      if (headerRow === 0) {
        if (rowNumber > HEADER_SEARCH_ROWS) return;
        const found = new Map<K, number>();
        values.forEach((value, col) => {
          const name = normalizeHeader(textOf(plainOf(value)));
          const column = columns.find((c) => [c.header, ...(c.aliases ?? [])].some((h) => normalizeHeader(h) === name));
          if (column && !found.has(column.key)) found.set(column.key, col);
        });
        if (required.every((c) => found.has(c.key))) {
          headerRow = rowNumber;
          positions = found;
        } else if (!best || found.size > best.found.size) {
          best = { row: rowNumber, found };
        }
        return;
      }
      const cells = {} as Record<K, Plain>;
      let empty = true;
      for (const column of columns) {
        const position = positions.get(column.key);
        const value = position === undefined ? null : plainOf(values[position] ?? null);
        cells[column.key] = value;
        if (!isBlank(value)) empty = false;
      }
      if (empty) return;
      count += 1;
      if (count <= maxRows) rows.push({ row: rowNumber, cells });
    });
  } catch (error) {
    if (error instanceof XlsxUnreadable || error instanceof ZipRefused)
      throw new SheetRefused('文件已损坏或不是 .xlsx 工作簿 the file could not be read as an .xlsx workbook (corrupt, or another format)');
    throw error;
  }
  if (headerRow === 0) {
    if (!best) throw new SheetRefused('表格为空，没有表头和数据行 the sheet is empty: no header and no data rows');
    const found = best.found;
    const missing = required.filter((c) => !found.has(c.key)).map((c) => c.header);
    throw new SheetRefused(
      `表头缺少列：${missing.join('、')} the header row (row ${best.row}) lacks the columns ${missing.join(', ')}; use the template`,
      `row ${best.row}`,
    );
  }
  if (count === 0) throw new SheetRefused('表格没有数据行 the sheet has no data rows (only a header)');
  if (count > maxRows)
    throw new SheetRefused(`行数过多（${count} 行），一次最多导入 ${maxRows} 行 the sheet has ${count} data rows; at most ${maxRows} can be imported at once`);
  return rows;
}

/**
 * Reads one row's cells, collecting every problem as `列名: 问题`. `need` reads a required
 * cell, `may` an optional one (null when blank).
 */
export function rowReader<K extends string>(columns: readonly SheetColumn<K>[], cells: Record<K, Plain>) {
  const problems: string[] = [];
  const label = (key: K) => normalizeHeader(columns.find((c) => c.key === key)?.header ?? key);
  const read = <T>(key: K, reader: (value: Plain) => Read<T>, required: boolean): T | null | undefined => {
    const value = cells[key];
    if (isBlank(value)) {
      if (required) problems.push(`${label(key)}: 必填 is required`);
      return required ? undefined : null;
    }
    if (value instanceof CellFault) {
      problems.push(`${label(key)}: ${value.message}`);
      return undefined;
    }
    const result = reader(value);
    if ('problem' in result) {
      problems.push(`${label(key)}: ${result.problem}`);
      return undefined;
    }
    return result.value;
  };
  return {
    problems,
    need: <T>(key: K, reader: (value: Plain) => Read<T>) => read(key, reader, true) as T | undefined,
    may: <T>(key: K, reader: (value: Plain) => Read<T>) => read(key, reader, false),
    add: (key: K, message: string) => problems.push(`${label(key)}: ${message}`),
  };
}

/** A code: a number cell as its digits, text normalized (full-width to plain). */
export const readCode =
  (max: number) =>
  (value: Plain): Read<string> => {
    const text = typeof value === 'number' ? (Number.isInteger(value) ? String(value) : String(value)) : normalize(textOf(value));
    if (!/^[0-9A-Za-z._-]+$/.test(text)) return problem(`只能包含字母、数字、点和短横线 may hold only letters, digits, '.', '-' and '_' (got "${clip(text)}")`);
    if (text.length > max) return problem(`不能超过 ${max} 个字符 must be at most ${max} characters (got ${text.length})`);
    return ok(text);
  };

/** One of the given labels (or the enum value itself), compared without full-width forms and blanks. */
export const readChoice =
  <T extends string>(labels: Record<T, readonly string[]>, what: string) =>
  (value: Plain): Read<T> => {
    const text = normalize(textOf(value)).replace(/\s/g, '');
    for (const [key, names] of Object.entries(labels) as [T, readonly string[]][]) {
      if (key === text.toUpperCase() || names.some((n) => normalize(n).replace(/\s/g, '') === text)) return ok(key);
    }
    const allowed = (Object.values(labels) as readonly string[][]).map((n) => n[0]).join('、');
    return problem(`须为 ${allowed} 之一 ${what} must be one of ${allowed} (got "${clip(textOf(value))}")`);
  };

// --- templates -------------------------------------------------------------------

export interface TemplateSpec<K extends string> {
  sheet: string;
  columns: readonly SheetColumn<K>[];
  /** Lines of the 说明 sheet under the column descriptions. */
  notes: readonly string[];
  /** Drop-down lists (data validation) by column. */
  choices?: Partial<Record<K, readonly string[]>>;
  /** Example rows. */
  examples?: readonly Partial<Record<K, string>>[];
  /** A reference sheet (e.g. the regions with their codes). */
  reference?: { sheet: string; headers: readonly string[]; rows: readonly (readonly string[])[] };
  rows: number;
}

export async function buildTemplate<K extends string>(spec: TemplateSpec<K>): Promise<Buffer> {
  const workbook = new (await loadExcel()).Workbook();
  workbook.creator = 'Xuncha Insight';
  workbook.created = new Date(0);
  const sheet = workbook.addWorksheet(spec.sheet, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = spec.columns.map((c) => ({ header: c.header, key: c.key, width: c.width, style: c.numFmt ? { numFmt: c.numFmt } : {} }));
  const header = sheet.getRow(1);
  header.font = { bold: true };
  header.eachCell((cell) => {
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
    cell.numFmt = 'General';
  });
  for (const example of spec.examples ?? []) sheet.addRow(example);
  spec.columns.forEach((column, index) => {
    const choices = spec.choices?.[column.key];
    if (!choices) return;
    const letter = sheet.getColumn(index + 1).letter;
    for (let r = 2; r <= spec.rows + 1; r++) {
      sheet.getCell(`${letter}${r}`).dataValidation = {
        type: 'list',
        allowBlank: true,
        formulae: [`"${choices.join(',')}"`],
        showErrorMessage: true,
        error: `请选择：${choices.join('、')}`,
      };
    }
  });
  const help = workbook.addWorksheet('说明');
  help.columns = [
    { header: '列名', key: 'header', width: 20 },
    { header: '是否必填', key: 'required', width: 10 },
    { header: '说明', key: 'help', width: 90 },
  ];
  help.getRow(1).font = { bold: true };
  for (const c of spec.columns) help.addRow({ header: c.header, required: c.required ? '必填' : '选填', help: c.help });
  help.addRow({});
  for (const line of spec.notes) help.addRow({ header: line });
  if (spec.reference) {
    const ref = workbook.addWorksheet(spec.reference.sheet);
    ref.addRow([...spec.reference.headers]).font = { bold: true };
    for (const row of spec.reference.rows) ref.addRow([...row]);
    ref.columns.forEach((c) => (c.width = 24));
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
