import ExcelJS from 'exceljs';
import { DATE_RANGE_MESSAGE, isDayInRange, isRealDay, TASK_TRACKS } from '../common/filters';
import { TRACK_LABELS } from '../common/labels';

/**
 * The ledger (整改台账) workbook: its columns, the template offered for download, and the
 * reading of an uploaded sheet into rows. Pure: no database; what a row refers to
 * (inspection, category) is checked by the import service.
 */

export type Track = (typeof TASK_TRACKS)[number];

export const LEDGER_SHEET = '整改台账';
export const HELP_SHEET = '说明';
export const CATEGORY_SHEET = '问题类别代码';
/** Most data rows one upload may hold. */
export const MAX_LEDGER_ROWS = 10_000;
const TEMPLATE_ROWS = 1000;
/** The header row is looked for among the first rows. */
const HEADER_SEARCH_ROWS = 10;

export interface LedgerColumn {
  key: keyof Omit<LedgerRow, 'row'>;
  header: string;
  required: string;
  help: string;
  allowed: string;
  width: number;
  numFmt?: string;
}

export const LEDGER_COLUMNS: readonly LedgerColumn[] = [
  { key: 'inspectionId', header: '巡察ID', required: '必填', help: '已录入系统的巡察记录的 ID（数字）；问题的被巡察单位取自该巡察', allowed: '正整数', width: 10, numFmt: '0' },
  { key: 'categoryCode', header: '问题类别代码', required: '必填', help: '二级问题类别的代码，见“问题类别代码”工作表', allowed: '如 2.03（须为二级类别）', width: 14, numFmt: '@' },
  { key: 'description', header: '问题描述', required: '必填', help: '巡察发现的问题', allowed: '1 至 10000 字', width: 50 },
  { key: 'isImmediate', header: '立行立改(是/否)', required: '必填', help: '该问题是否立行立改', allowed: '是 / 否', width: 16 },
  { key: 'measure', header: '整改措施', required: '必填', help: '针对该问题的整改措施', allowed: '1 至 10000 字', width: 40 },
  { key: 'responsibleDept', header: '责任部门', required: '必填', help: '牵头整改的部门', allowed: '1 至 128 字', width: 20 },
  { key: 'responsiblePerson', header: '责任人', required: '必填', help: '整改责任人', allowed: '1 至 64 字', width: 12 },
  { key: 'track', header: '整改类型(立行立改/限期整改/长期坚持)', required: '必填', help: '整改任务的类型', allowed: '立行立改 / 限期整改 / 长期坚持', width: 22 },
  {
    key: 'dueDate',
    header: '整改时限',
    required: '长期坚持可不填，其余必填',
    help: '整改完成期限；限期整改、长期坚持的时限不得早于巡察反馈日期',
    allowed: '日期，如 2026-03-31（也可用 2026/3/31、2026年3月31日 或 Excel 日期单元格）',
    width: 14,
    numFmt: 'yyyy-mm-dd',
  },
  { key: 'foundDate', header: '发现日期', required: '必填', help: '发现问题的日期；不早于巡察进驻日期，不晚于今天', allowed: '日期，如 2026-01-15', width: 14, numFmt: 'yyyy-mm-dd' },
];

export interface LedgerRow {
  /** The Excel row number. */
  row: number;
  inspectionId: number;
  categoryCode: string;
  description: string;
  isImmediate: boolean;
  measure: string;
  responsibleDept: string;
  responsiblePerson: string;
  track: Track;
  dueDate: string | null;
  foundDate: string;
}

export interface RowProblem {
  /** The Excel row number. */
  row: number;
  problems: string[];
}

/** Something wrong with the workbook as a whole (not one row): a 400 with this message. */
export class LedgerRefused extends Error {
  constructor(
    message: string,
    readonly field = 'file',
  ) {
    super(message);
    this.name = 'LedgerRefused';
  }
}

// --- the template ------------------------------------------------------------------

export interface TemplateCategory {
  code: string;
  name: string;
  parent: { code: string; name: string } | null;
}

export async function buildLedgerTemplate(categories: readonly TemplateCategory[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Xuncha Insight';
  workbook.created = new Date(0);

  const sheet = workbook.addWorksheet(LEDGER_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = LEDGER_COLUMNS.map((c) => ({ header: c.header, key: c.key, width: c.width, style: c.numFmt ? { numFmt: c.numFmt } : {} }));
  const header = sheet.getRow(1);
  header.font = { bold: true };
  header.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
  header.height = 32;
  header.eachCell((cell) => {
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
    cell.numFmt = 'General';
  });
  const yesNo = columnLetter('isImmediate');
  const track = columnLetter('track');
  for (let r = 2; r <= TEMPLATE_ROWS + 1; r++) {
    sheet.getCell(`${yesNo}${r}`).dataValidation = { type: 'list', allowBlank: true, formulae: ['"是,否"'], showErrorMessage: true, error: '请填写 是 或 否' };
    sheet.getCell(`${track}${r}`).dataValidation = {
      type: 'list',
      allowBlank: true,
      formulae: [`"${TASK_TRACKS.map((t) => TRACK_LABELS[t]).join(',')}"`],
      showErrorMessage: true,
      error: '请选择 立行立改、限期整改 或 长期坚持',
    };
  }

  const help = workbook.addWorksheet(HELP_SHEET);
  help.columns = [
    { header: '列名', key: 'header', width: 36 },
    { header: '是否必填', key: 'required', width: 24 },
    { header: '说明', key: 'help', width: 60 },
    { header: '允许的值', key: 'allowed', width: 56 },
  ];
  help.getRow(1).font = { bold: true };
  for (const c of LEDGER_COLUMNS) help.addRow({ header: c.header, required: c.required, help: c.help, allowed: c.allowed });
  help.addRow({});
  for (const line of [
    '每一行建立一个问题及其一项整改任务（状态为“未开始”），并记录任务建立事件。',
    `一次最多导入 ${MAX_LEDGER_ROWS} 行；第 1 行为表头，请勿修改；空行会被忽略。`,
    '只要有一行有误，整个文件都不会导入；错误信息会列出每一个有误的行号（Excel 行号）及原因。',
    '巡察记录须先在系统中建立；巡察ID 可在巡察列表中查到。',
  ]) {
    help.addRow({ header: line });
  }

  const codes = workbook.addWorksheet(CATEGORY_SHEET);
  codes.columns = [
    { header: '问题类别代码', key: 'code', width: 14, style: { numFmt: '@' } },
    { header: '二级类别', key: 'name', width: 36 },
    { header: '一级类别代码', key: 'parentCode', width: 14, style: { numFmt: '@' } },
    { header: '一级类别', key: 'parentName', width: 48 },
  ];
  codes.getRow(1).font = { bold: true };
  for (const c of categories) codes.addRow({ code: c.code, name: c.name, parentCode: c.parent?.code ?? '', parentName: c.parent?.name ?? '' });

  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function columnLetter(key: LedgerColumn['key']): string {
  return String.fromCharCode('A'.charCodeAt(0) + LEDGER_COLUMNS.findIndex((c) => c.key === key));
}

// --- reading an upload -------------------------------------------------------------

/** Loads the workbook; anything exceljs cannot read is refused with a clear message. */
export async function loadWorkbook(buffer: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  try {
    // a copy as a plain ArrayBuffer, the type exceljs declares (JSZip reads either)
    await workbook.xlsx.load(new Uint8Array(buffer).buffer);
  } catch {
    throw new LedgerRefused('文件已损坏或不是 .xlsx 工作簿 the file could not be read as an .xlsx workbook (corrupt, or another format)');
  }
  return workbook;
}

/**
 * Reads the ledger sheet (named 整改台账, else the first sheet): the header row must name
 * every column; every non-empty row after it is parsed. Rows with problems are reported,
 * not thrown; the workbook as a whole is refused (LedgerRefused) when it has no ledger
 * sheet, lacks columns, has no data rows or more than MAX_LEDGER_ROWS.
 */
export function readLedger(workbook: ExcelJS.Workbook, maxRows = MAX_LEDGER_ROWS): { rows: LedgerRow[]; problems: RowProblem[] } {
  const sheet = workbook.getWorksheet(LEDGER_SHEET) ?? workbook.worksheets[0];
  if (!sheet) throw new LedgerRefused('工作簿中没有工作表 the workbook has no worksheet');

  // the header is the first row naming every column, among the first few (a title may stand above it)
  let headerRow = 0;
  let positions = new Map<LedgerColumn['key'], number>();
  let best: { row: number; found: Map<LedgerColumn['key'], number> } | undefined;
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    if (headerRow !== 0 || rowNumber > HEADER_SEARCH_ROWS) return;
    const found = new Map<LedgerColumn['key'], number>();
    row.eachCell({ includeEmpty: false }, (cell, col) => {
      const name = normalizeHeader(textOf(plain(cell.value)));
      const column = LEDGER_COLUMNS.find((c) => normalizeHeader(c.header) === name);
      if (column && !found.has(column.key)) found.set(column.key, col);
    });
    if (found.size === LEDGER_COLUMNS.length) {
      headerRow = rowNumber;
      positions = found;
    } else if (!best || found.size > best.found.size) {
      best = { row: rowNumber, found };
    }
  });
  if (headerRow === 0 && !best) throw new LedgerRefused('台账为空，没有表头和数据行 the ledger is empty: no header and no data rows');
  if (headerRow === 0 && best) {
    const found = best.found;
    const missing = LEDGER_COLUMNS.filter((c) => !found.has(c.key)).map((c) => c.header);
    throw new LedgerRefused(`表头缺少列：${missing.join('、')} the header row (row ${best.row}) lacks the columns ${missing.join(', ')}; use the template`, `row ${best.row}`);
  }

  const rows: LedgerRow[] = [];
  const problems: RowProblem[] = [];
  let count = 0;
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    if (rowNumber <= headerRow) return;
    const values = new Map<LedgerColumn['key'], Plain>();
    let empty = true;
    for (const column of LEDGER_COLUMNS) {
      const value = plain(row.getCell(positions.get(column.key) ?? 0).value);
      values.set(column.key, value);
      if (!isBlank(value)) empty = false;
    }
    if (empty) return;
    count += 1;
    if (count > maxRows) return;
    const parsed = parseRow(rowNumber, values);
    if ('problems' in parsed) problems.push(parsed);
    else rows.push(parsed);
  });
  if (count === 0) throw new LedgerRefused('台账没有数据行 the ledger has no data rows (only a header)');
  if (count > maxRows) throw new LedgerRefused(`台账行数过多（${count} 行），一次最多导入 ${maxRows} 行 the ledger has ${count} data rows; at most ${maxRows} can be imported at once`);
  return { rows, problems };
}

/** Header text without spaces, a required-mark or a parenthesised hint: 立行立改(是/否) → 立行立改. */
function normalizeHeader(text: string): string {
  return text.replace(/[（(][^）)]*[）)]/g, '').replace(/[\s*＊]/g, '');
}

function parseRow(row: number, values: Map<LedgerColumn['key'], Plain>): LedgerRow | RowProblem {
  const problems: string[] = [];
  const get = (key: LedgerColumn['key']) => values.get(key) ?? null;
  const need = <T>(key: LedgerColumn['key'], read: (value: Plain) => Read<T>): T | undefined => {
    const value = get(key);
    const name = normalizeHeader(LEDGER_COLUMNS.find((c) => c.key === key)?.header ?? key);
    if (isBlank(value)) {
      problems.push(`${name}: 必填 is required`);
      return undefined;
    }
    if (value instanceof CellFault) {
      problems.push(`${name}: 单元格为错误值 ${value.text} the cell holds an error value`);
      return undefined;
    }
    const result = read(value);
    if ('problem' in result) {
      problems.push(`${name}: ${result.problem}`);
      return undefined;
    }
    return result.value;
  };

  const inspectionId = need('inspectionId', readId);
  const categoryCode = need('categoryCode', readCode);
  const description = need('description', readText(10_000));
  const isImmediate = need('isImmediate', readYesNo);
  const measure = need('measure', readText(10_000));
  const responsibleDept = need('responsibleDept', readText(128));
  const responsiblePerson = need('responsiblePerson', readText(64));
  const track = need('track', readTrack);
  // 长期坚持 may go without a due date; with an unreadable track, the track's problem is reported
  const dueDate = isBlank(get('dueDate')) && (track === 'LONG_TERM' || track === undefined) ? null : need('dueDate', readDate);
  const foundDate = need('foundDate', readDate);
  if (
    inspectionId === undefined ||
    categoryCode === undefined ||
    description === undefined ||
    isImmediate === undefined ||
    measure === undefined ||
    responsibleDept === undefined ||
    responsiblePerson === undefined ||
    track === undefined ||
    dueDate === undefined ||
    foundDate === undefined
  ) {
    return { row, problems };
  }
  return { row, inspectionId, categoryCode, description, isImmediate, measure, responsibleDept, responsiblePerson, track, dueDate, foundDate };
}

// --- cell values -----------------------------------------------------------------

/** A cell holding an Excel error (#N/A, #REF!…). */
class CellFault {
  constructor(readonly text: string) {}
}

type Plain = string | number | boolean | Date | null | CellFault;

/** A cell's value with rich text, hyperlinks and formulas reduced to what they show. */
function plain(value: ExcelJS.CellValue): Plain {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value instanceof Date) return value;
  if ('error' in value) return new CellFault(String(value.error));
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('hyperlink' in value) return typeof value.text === 'string' ? value.text : plain(value.text as ExcelJS.CellValue);
  if ('formula' in value || 'sharedFormula' in value) return value.result === undefined ? null : plain(value.result as ExcelJS.CellValue);
  return null;
}

function isBlank(value: Plain): boolean {
  return value === null || (typeof value === 'string' && value.trim() === '');
}

function textOf(value: Plain): string {
  if (value === null) return '';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10);
  if (value instanceof CellFault) return value.text;
  return String(value).trim();
}

/** What a reader makes of a non-blank cell: its value, or the problem with it. */
type Read<T> = { value: T } | { problem: string };
const ok = <T>(value: T): Read<T> => ({ value });
const problem = (message: string): { problem: string } => ({ problem: message });

function readId(value: Plain): Read<number> {
  const text = textOf(value);
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 2 ** 31 - 1) return problem(`须为正整数 must be a positive whole number (got "${clip(text)}")`);
  return ok(Number(text));
}

function readCode(value: Plain): Read<string> {
  // a code typed into a number cell: 2.1 was 2.10
  if (typeof value === 'number') return ok(Number.isInteger(value) ? String(value) : value.toFixed(2));
  return ok(textOf(value));
}

const readText = (max: number) => (value: Plain): Read<string> => {
  const text = textOf(value);
  const length = [...text].length;
  return length > max ? problem(`不能超过 ${max} 个字 must be at most ${max} characters (got ${length})`) : ok(text);
};

function readYesNo(value: Plain): Read<boolean> {
  if (typeof value === 'boolean') return ok(value);
  const text = textOf(value);
  if (text === '是') return ok(true);
  if (text === '否') return ok(false);
  return problem(`须填写 是 或 否 must be 是 or 否 (got "${clip(text)}")`);
}

function readTrack(value: Plain): Read<Track> {
  const text = textOf(value);
  const track = TASK_TRACKS.find((t) => TRACK_LABELS[t] === text || t === text.toUpperCase());
  return track ? ok(track) : problem(`须为 立行立改、限期整改 或 长期坚持 must be one of 立行立改, 限期整改, 长期坚持 (got "${clip(text)}")`);
}

const EXCEL_EPOCH = Date.UTC(1899, 11, 30);
const MS_PER_DAY = 86_400_000;

/** A calendar day from a date cell, an Excel serial number or text like 2026-03-31, 2026/3/31, 2026年3月31日. */
function readDate(value: Plain): Read<string> {
  let day: string | undefined;
  if (value instanceof Date) {
    if (!Number.isNaN(value.getTime())) day = value.toISOString().slice(0, 10);
  } else if (typeof value === 'number') {
    if (Number.isFinite(value) && value >= 1 && value < 2_958_466) day = new Date(EXCEL_EPOCH + Math.floor(value) * MS_PER_DAY).toISOString().slice(0, 10);
  } else {
    const match = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(textOf(value));
    if (match) day = `${match[1]}-${match[2].padStart(2, '0')}-${match[3].padStart(2, '0')}`;
  }
  if (day === undefined || !isRealDay(day)) return problem(`须为有效日期，如 2026-03-31 must be a real date such as 2026-03-31 (got "${clip(textOf(value))}")`);
  if (!isDayInRange(day)) return problem(`${DATE_RANGE_MESSAGE} (got "${day}")`);
  return ok(day);
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
