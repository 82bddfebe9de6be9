import type ExcelJS from 'exceljs';
import { INSPECTION_MODES, TASK_STATUSES, TASK_TRACKS, type InspectionMode, type TaskStatus } from '../common/filters';
import { MODE_LABELS, TASK_STATUS_LABELS, TRACK_LABELS } from '../common/labels';
import { CellFault, clip, folded, isBlank, normalizeHeader, ok, plainOf, plainText, problem, readDay, readText, textOf, type Plain, type Read } from './cells';
import { openXlsx } from './xlsx-reader';
import { loadExcel } from '../files/excel';

/**
 * The ledger (整改台账) workbook: its two sheets, the template offered for download, and the
 * reading of an upload into rows. Pure: no database; what a row names (round, unit,
 * category, inspection) is resolved by the import service.
 *
 * - 整改台账: one row per finding and its one task. The inspection is named by its round
 *   and unit; a row whose inspection does not exist yet creates it (巡察组, 进驻日期 then
 *   required). 建立日期 dates the task's creation (default today).
 * - 历史 (optional): the task's later events, each with its day: status changes (销号
 *   included), extensions with their reasons and progress notes; a row names its task by
 *   the 任务编号 of the ledger row.
 */

export type Track = (typeof TASK_TRACKS)[number];
export type HistoryKind = 'STATUS_CHANGE' | 'EXTENSION' | 'PROGRESS_NOTE';

export const LEDGER_SHEET = '整改台账';
export const HISTORY_SHEET = '历史';
export const HELP_SHEET = '说明';
export const CATEGORY_SHEET = '问题类别代码';
/** The hidden sheet the dropdowns take their lists from. */
export const LOOKUP_SHEET = '选项';
/** Most data rows one upload may hold (ledger rows; history rows may be five times as many). */
export const MAX_LEDGER_ROWS = 10_000;
export const MAX_HISTORY_ROWS = 5 * MAX_LEDGER_ROWS;
const TEMPLATE_ROWS = 1000;
/** The header row is looked for among the first rows. */
const HEADER_SEARCH_ROWS = 10;

export const HISTORY_KIND_LABELS: Record<HistoryKind, string> = { STATUS_CHANGE: '状态变更', EXTENSION: '延期', PROGRESS_NOTE: '进展记录' };

interface Column<K extends string> {
  key: K;
  header: string;
  /** Other headers read as this column (older templates). */
  aliases?: string[];
  required: string;
  help: string;
  allowed: string;
  width: number;
  numFmt?: string;
  /** Not needed in an upload: a missing column reads as blank. */
  optional?: boolean;
}

export type LedgerKey =
  | 'taskKey'
  | 'round'
  | 'unit'
  | 'team'
  | 'mode'
  | 'stationedFrom'
  | 'feedbackDate'
  | 'category'
  | 'description'
  | 'isImmediate'
  | 'measure'
  | 'responsibleDept'
  | 'responsiblePerson'
  | 'track'
  | 'dueDate'
  | 'foundDate'
  | 'createdDate';

const DATE_HELP = '日期，如 2026-03-31（也可用 2026/3/31、2026年3月31日 或 Excel 日期单元格）';

export const LEDGER_COLUMNS: readonly Column<LedgerKey>[] = [
  {
    key: 'taskKey',
    header: '任务编号',
    required: '有历史记录时必填',
    help: '本文件内唯一的编号（如 T001），“历史”工作表用它指明任务；没有历史记录可不填',
    allowed: '文本，文件内不重复',
    width: 10,
    numFmt: '@',
    optional: true,
  },
  { key: 'round', header: '轮次', required: '必填', help: '巡察轮次的名称，从下拉列表选择', allowed: '本单位已建立的轮次', width: 30 },
  {
    key: 'unit',
    header: '被巡察单位',
    required: '必填',
    help: '被巡察单位，从下拉列表选择，或填写单位名称或单位代码；同名单位须填代码',
    allowed: '单位名录中的单位',
    width: 36,
  },
  {
    key: 'team',
    header: '巡察组',
    required: '新建巡察时必填',
    help: '该轮次尚无该单位的巡察时，导入将新建巡察（须在预览中确认）',
    allowed: '1 至 64 字',
    width: 16,
    optional: true,
  },
  {
    key: 'mode',
    header: '巡察方式',
    required: '选填，默认常规巡察',
    help: '新建巡察时使用',
    allowed: INSPECTION_MODES.map((m) => MODE_LABELS[m]).join(' / '),
    width: 12,
    optional: true,
  },
  {
    key: 'stationedFrom',
    header: '进驻日期',
    required: '新建巡察时必填',
    help: '新建巡察的进驻日期',
    allowed: DATE_HELP,
    width: 14,
    numFmt: 'yyyy-mm-dd',
    optional: true,
  },
  {
    key: 'feedbackDate',
    header: '反馈日期',
    required: '选填',
    help: '新建巡察的反馈日期',
    allowed: DATE_HELP,
    width: 14,
    numFmt: 'yyyy-mm-dd',
    optional: true,
  },
  {
    key: 'category',
    header: '问题类别',
    aliases: ['问题类别代码'],
    required: '必填',
    help: '二级问题类别，从下拉列表选择，或填写其代码（见“问题类别代码”工作表）',
    allowed: '如 2.03 或 “2.03 惠民惠农…”（须为二级类别）',
    width: 30,
    numFmt: '@',
  },
  { key: 'description', header: '问题描述', required: '必填', help: '巡察发现的问题', allowed: '1 至 10000 字', width: 50 },
  { key: 'isImmediate', header: '立行立改(是/否)', required: '必填', help: '该问题是否立行立改', allowed: '是 / 否', width: 16 },
  { key: 'measure', header: '整改措施', required: '必填', help: '针对该问题的整改措施', allowed: '1 至 10000 字', width: 40 },
  { key: 'responsibleDept', header: '责任部门', required: '必填', help: '牵头整改的部门', allowed: '1 至 128 字', width: 20 },
  { key: 'responsiblePerson', header: '责任人', required: '必填', help: '整改责任人', allowed: '1 至 64 字', width: 12 },
  {
    key: 'track',
    header: '整改类型(立行立改/限期整改/长期坚持)',
    required: '必填',
    help: '整改任务的类型',
    allowed: '立行立改 / 限期整改 / 长期坚持',
    width: 22,
  },
  {
    key: 'dueDate',
    header: '整改时限',
    required: '长期坚持可不填，其余必填',
    help: '整改完成期限；限期整改、长期坚持的时限不得早于巡察反馈日期',
    allowed: DATE_HELP,
    width: 14,
    numFmt: 'yyyy-mm-dd',
  },
  {
    key: 'foundDate',
    header: '发现日期',
    required: '必填',
    help: '发现问题的日期；不早于巡察进驻日期，不晚于今天',
    allowed: DATE_HELP,
    width: 14,
    numFmt: 'yyyy-mm-dd',
  },
  {
    key: 'createdDate',
    header: '建立日期',
    required: '选填，默认今天',
    help: '整改任务建立的日期（历史台账填写当时的日期，记为补录）；不早于发现日期，不晚于今天',
    allowed: DATE_HELP,
    width: 14,
    numFmt: 'yyyy-mm-dd',
    optional: true,
  },
];

export type HistoryKey = 'taskKey' | 'date' | 'kind' | 'status' | 'newDueDate' | 'note';

export const HISTORY_COLUMNS: readonly Column<HistoryKey>[] = [
  { key: 'taskKey', header: '任务编号', required: '必填', help: '“整改台账”工作表中该任务的任务编号', allowed: '文本', width: 10, numFmt: '@' },
  {
    key: 'date',
    header: '日期',
    required: '必填',
    help: '事件发生的日期；不早于任务建立日期，不晚于今天；同一任务的事件按日期先后排列',
    allowed: DATE_HELP,
    width: 14,
    numFmt: 'yyyy-mm-dd',
  },
  { key: 'kind', header: '事件', required: '必填', help: '状态变更、延期或进展记录', allowed: Object.values(HISTORY_KIND_LABELS).join(' / '), width: 12 },
  {
    key: 'status',
    header: '新状态',
    required: '状态变更时必填',
    help: '变更后的状态；历史台账可由整改中直接销号',
    allowed: TASK_STATUSES.map((s) => TASK_STATUS_LABELS[s]).join(' / '),
    width: 18,
    optional: true,
  },
  {
    key: 'newDueDate',
    header: '新整改时限',
    required: '延期时必填',
    help: '延期后的整改时限，须晚于当时的时限',
    allowed: DATE_HELP,
    width: 14,
    numFmt: 'yyyy-mm-dd',
    optional: true,
  },
  {
    key: 'note',
    header: '说明',
    required: '延期、进展记录时必填',
    help: '延期理由，或进展情况，或状态变更的说明',
    allowed: '1 至 1000 字（进展记录至 10000 字）',
    width: 40,
    optional: true,
  },
];

/** A ledger row as read: a field is absent when its cell has a problem (or is blank and optional). */
export interface LedgerRow {
  /** The Excel row number. */
  row: number;
  taskKey?: string;
  round?: string;
  unit?: string;
  team?: string;
  mode?: InspectionMode;
  stationedFrom?: string;
  feedbackDate?: string;
  category?: string;
  description?: string;
  isImmediate?: boolean;
  measure?: string;
  responsibleDept?: string;
  responsiblePerson?: string;
  track?: Track;
  /** null: none (长期坚持). */
  dueDate?: string | null;
  foundDate?: string;
  createdDate?: string;
}

export interface HistoryRow {
  row: number;
  taskKey?: string;
  date?: string;
  kind?: HistoryKind;
  status?: TaskStatus;
  newDueDate?: string;
  note?: string;
}

/** One problem of one cell (or of a row, when column is ''). */
export interface Problem {
  sheet: string;
  /** The Excel row number. */
  row: number;
  column: string;
  message: string;
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

/** What the template's dropdowns offer: the office's own rounds, units and categories. */
export interface TemplateLists {
  rounds: readonly string[];
  units: readonly { code: string; name: string }[];
  categories: readonly TemplateCategory[];
}

/** A unit as the dropdown offers it: its name with its code, which the reader takes. */
export const unitLabel = (u: { code: string; name: string }) => `${u.name}（${u.code}）`;
/** A category as the dropdown offers it: its code, then its name. */
export const categoryLabel = (c: { code: string; name: string }) => `${c.code} ${c.name}`;

export async function buildLedgerTemplate(lists: TemplateLists): Promise<Buffer> {
  const workbook = new (await loadExcel()).Workbook();
  workbook.creator = 'Xuncha Insight';
  workbook.created = new Date(0);

  const ledger = addDataSheet(workbook, LEDGER_SHEET, LEDGER_COLUMNS);
  const history = addDataSheet(workbook, HISTORY_SHEET, HISTORY_COLUMNS);

  const help = workbook.addWorksheet(HELP_SHEET);
  help.columns = [
    { header: '列名', key: 'header', width: 36 },
    { header: '是否必填', key: 'required', width: 24 },
    { header: '说明', key: 'help', width: 60 },
    { header: '允许的值', key: 'allowed', width: 56 },
  ];
  help.getRow(1).font = { bold: true };
  help.addRow({ header: `【${LEDGER_SHEET}】每行一个问题及其一项整改任务` });
  for (const c of LEDGER_COLUMNS) help.addRow({ header: c.header, required: c.required, help: c.help, allowed: c.allowed });
  help.addRow({});
  help.addRow({ header: `【${HISTORY_SHEET}】历史台账迁移（选填）：每行一个事件` });
  for (const c of HISTORY_COLUMNS) help.addRow({ header: c.header, required: c.required, help: c.help, allowed: c.allowed });
  help.addRow({});
  for (const line of [
    '巡察以“轮次 + 被巡察单位”指明；该轮次尚无该单位的巡察时，导入会新建巡察（须填巡察组、进驻日期，并在预览中确认）。',
    '每个任务建立时状态为“未开始”；“历史”工作表按日期依次记录其状态变更、延期（含延期理由）与进展记录，最终状态与销号日期由最后的事件决定。',
    '状态变更须按规定的流程：未开始 → 整改中 → 申请销号 → 已销号（亦可 基本完成、未完成）；历史台账另允许 整改中（或基本完成） → 已销号 直接销号。',
    '早于今天的建立日期和事件日期记为补录，在任务时间线和审计日志中标明。',
    `一次最多导入 ${MAX_LEDGER_ROWS} 行台账、${MAX_HISTORY_ROWS} 行历史；第 1 行为表头，请勿修改；空行会被忽略。`,
    '上传后先预览：列出每一行的每一个问题（行号为 Excel 行号）；只要有一处有误，整个文件都不会导入。同一文件 10 分钟内不能重复导入。',
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
  for (const c of lists.categories) codes.addRow({ code: c.code, name: c.name, parentCode: c.parent?.code ?? '', parentName: c.parent?.name ?? '' });

  // the dropdowns' lists, one column each, on a hidden sheet
  const lookup = workbook.addWorksheet(LOOKUP_SHEET, { state: 'hidden' });
  const listColumns: [string, string[]][] = [
    ['轮次', [...lists.rounds]],
    ['被巡察单位', lists.units.map(unitLabel)],
    ['问题类别', lists.categories.map(categoryLabel)],
    ['巡察方式', INSPECTION_MODES.map((m) => MODE_LABELS[m])],
    ['是否', ['是', '否']],
    ['整改类型', TASK_TRACKS.map((t) => TRACK_LABELS[t])],
    ['事件', Object.values(HISTORY_KIND_LABELS)],
    ['新状态', TASK_STATUSES.map((s) => TASK_STATUS_LABELS[s])],
  ];
  const ranges = new Map<string, string>();
  listColumns.forEach(([name, values], i) => {
    const letter = letterOf(i + 1);
    lookup.getCell(`${letter}1`).value = name;
    values.forEach((v, r) => {
      lookup.getCell(`${letter}${r + 2}`).value = v;
    });
    // an empty list still gets a range (one blank cell): the dropdown is then empty, not broken
    ranges.set(name, `'${LOOKUP_SHEET}'!$${letter}$2:$${letter}$${Math.max(2, values.length + 1)}`);
  });

  const dropdowns: [ExcelJS.Worksheet, readonly Column<string>[], string, string, string][] = [
    [ledger, LEDGER_COLUMNS, 'round', '轮次', '请从列表中选择轮次'],
    [ledger, LEDGER_COLUMNS, 'unit', '被巡察单位', '请从列表中选择被巡察单位'],
    [ledger, LEDGER_COLUMNS, 'category', '问题类别', '请从列表中选择二级问题类别'],
    [ledger, LEDGER_COLUMNS, 'mode', '巡察方式', '请选择巡察方式'],
    [ledger, LEDGER_COLUMNS, 'isImmediate', '是否', '请填写 是 或 否'],
    [ledger, LEDGER_COLUMNS, 'track', '整改类型', '请选择 立行立改、限期整改 或 长期坚持'],
    [history, HISTORY_COLUMNS, 'kind', '事件', '请选择 状态变更、延期 或 进展记录'],
    [history, HISTORY_COLUMNS, 'status', '新状态', '请选择状态'],
  ];
  for (const [sheet, columns, key, list, error] of dropdowns) {
    const letter = letterOf(columns.findIndex((c) => c.key === key) + 1);
    // units and rounds may be typed (a name or a code): a warning, not a refusal
    const strict = key !== 'unit' && key !== 'category';
    for (let r = 2; r <= TEMPLATE_ROWS + 1; r++) {
      sheet.getCell(`${letter}${r}`).dataValidation = {
        type: 'list',
        allowBlank: true,
        formulae: [ranges.get(list) as string],
        showErrorMessage: true,
        errorStyle: strict ? 'stop' : 'warning',
        error,
      };
    }
  }

  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function addDataSheet(workbook: ExcelJS.Workbook, name: string, columns: readonly Column<string>[]): ExcelJS.Worksheet {
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c) => ({ header: c.header, key: c.key, width: c.width, style: c.numFmt ? { numFmt: c.numFmt } : {} }));
  const header = sheet.getRow(1);
  header.font = { bold: true };
  header.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
  header.height = 32;
  header.eachCell((cell) => {
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
    cell.numFmt = 'General';
  });
  return sheet;
}

function letterOf(n: number): string {
  let s = '';
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) s = String.fromCharCode(65 + ((k - 1) % 26)) + s;
  return s;
}

// --- reading an upload -------------------------------------------------------------

export interface ReadLedger {
  rows: LedgerRow[];
  history: HistoryRow[];
  problems: Problem[];
}

/** A sheet's rows that hold anything, as plain values by column (1-based), in order. */
interface PlainSheet {
  name: string;
  rows: { row: number; cells: Plain[] }[];
  /** Rows holding something that were counted but not kept (beyond what can be imported). */
  notKept: number;
}

/** The rows of a loaded worksheet. */
function plainSheet(sheet: ExcelJS.Worksheet): PlainSheet {
  const rows: PlainSheet['rows'] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: Plain[] = [];
    row.eachCell({ includeEmpty: false }, (cell, col) => {
      cells[col] = plain(cell.value);
    });
    rows.push({ row: rowNumber, cells });
  });
  return { name: sheet.name, rows, notKept: 0 };
}

/**
 * Reads the ledger sheet (named 整改台账, else the first sheet) and the optional 历史 sheet:
 * each header row must name every required column; every non-empty row after it is read,
 * every problem of every cell reported (not thrown). The workbook as a whole is refused
 * (LedgerRefused) when it has no ledger sheet, lacks columns, has no data rows or too many.
 */
export function readLedger(workbook: ExcelJS.Workbook, maxRows = MAX_LEDGER_ROWS): ReadLedger {
  const ledger = workbook.getWorksheet(LEDGER_SHEET) ?? workbook.worksheets[0];
  if (!ledger) throw new LedgerRefused('工作簿中没有工作表 the workbook has no worksheet');
  const historySheet = workbook.getWorksheet(HISTORY_SHEET);
  return readPlainLedger(plainSheet(ledger), historySheet && historySheet !== ledger ? plainSheet(historySheet) : undefined, maxRows);
}

/**
 * readLedger over the file itself, streamed (xlsx-reader.ts): only the ledger and 历史
 * sheets are read, their values kept as plain values, never a workbook's cell model; rows
 * beyond what can be imported are counted, not kept. A file that cannot be read as a
 * workbook is refused.
 */
export async function readLedgerFile(buffer: Buffer, maxRows = MAX_LEDGER_ROWS): Promise<ReadLedger> {
  const kept = new Map<string, PlainSheet>();
  let names: string[];
  try {
    const workbook = await openXlsx(buffer);
    names = workbook.sheets;
    const wanted = names.filter((name, i) => name === LEDGER_SHEET || name === HISTORY_SHEET || (i === 0 && !names.includes(LEDGER_SHEET)));
    for (const name of wanted) {
      const plainRows: PlainSheet = { name, rows: [], notKept: 0 };
      const cap = (name === HISTORY_SHEET ? MAX_HISTORY_ROWS : maxRows) + HEADER_SEARCH_ROWS + 1;
      await workbook.readSheet(name, (row, values) => {
        const cells: Plain[] = [];
        let blank = true;
        values.forEach((value, col) => {
          const cell = plainOf(value);
          cells[col] = cell;
          if (!isBlank(cell)) blank = false;
        });
        if (plainRows.rows.length < cap) plainRows.rows.push({ row, cells });
        else if (!blank) plainRows.notKept += 1;
      });
      kept.set(name, plainRows);
    }
  } catch {
    throw new LedgerRefused('文件已损坏或不是 .xlsx 工作簿 the file could not be read as an .xlsx workbook (corrupt, or another format)');
  }
  const ledger = kept.get(LEDGER_SHEET) ?? kept.get(names[0]);
  if (!ledger) throw new LedgerRefused('工作簿中没有工作表 the workbook has no worksheet');
  const history = kept.get(HISTORY_SHEET);
  return readPlainLedger(ledger, history && history !== ledger ? history : undefined, maxRows);
}

function readPlainLedger(ledger: PlainSheet, historySheet: PlainSheet | undefined, maxRows: number): ReadLedger {
  const problems: Problem[] = [];
  const read = readSheet(ledger, LEDGER_COLUMNS, maxRows);
  if (read.rows.length === 0) throw new LedgerRefused('台账没有数据行 the ledger has no data rows (only a header)');
  const rows = read.rows.map(({ row, values }) => parseLedgerRow(ledger.name, row, values, problems));

  const history: HistoryRow[] = [];
  if (historySheet && historySheet.rows.length > 0) {
    const readHistory = readSheet(historySheet, HISTORY_COLUMNS, MAX_HISTORY_ROWS, true);
    for (const { row, values } of readHistory.rows) history.push(parseHistoryRow(historySheet.name, row, values, problems));
  }
  const order = new Map([...LEDGER_COLUMNS, ...HISTORY_COLUMNS].map((c, i) => [normalizeHeader(c.header), i]));
  const sheetOrder = (p: Problem) => (p.sheet === ledger.name ? 0 : 1);
  problems.sort((a, b) => sheetOrder(a) - sheetOrder(b) || a.row - b.row || (order.get(a.column) ?? 0) - (order.get(b.column) ?? 0));
  return { rows, history, problems };
}

function readSheet<K extends string>(
  sheet: PlainSheet,
  columns: readonly Column<K>[],
  maxRows: number,
  mayBeEmpty = false,
): { rows: { row: number; values: Map<K, Plain> }[] } {
  // the header is the first row naming every required column, among the first few (a title may stand above it)
  const required = columns.filter((c) => !c.optional);
  let headerRow = 0;
  let positions = new Map<K, number>();
  let best: { row: number; found: Map<K, number> } | undefined;
  for (const { row: rowNumber, cells } of sheet.rows) {
    if (headerRow !== 0 || rowNumber > HEADER_SEARCH_ROWS) break;
    const found = new Map<K, number>();
    cells.forEach((value, col) => {
      const name = normalizeHeader(textOf(value));
      const column = columns.find((c) => [c.header, ...(c.aliases ?? [])].some((h) => normalizeHeader(h) === name));
      if (column && !found.has(column.key)) found.set(column.key, col);
    });
    if (required.every((c) => found.has(c.key))) {
      headerRow = rowNumber;
      positions = found;
    } else if (!best || found.size > best.found.size) {
      best = { row: rowNumber, found };
    }
  }
  if (headerRow === 0 && !best) {
    if (mayBeEmpty) return { rows: [] };
    throw new LedgerRefused(`${sheet.name}为空，没有表头和数据行 the sheet ${sheet.name} is empty: no header and no data rows`);
  }
  if (headerRow === 0 && best) {
    const found = best.found;
    const missing = required.filter((c) => !found.has(c.key)).map((c) => c.header);
    throw new LedgerRefused(
      `${sheet.name}表头缺少列：${missing.join('、')} the header row (row ${best.row}) of ${sheet.name} lacks the columns ${missing.join(', ')}; use the template`,
      `row ${best.row}`,
    );
  }

  const rows: { row: number; values: Map<K, Plain> }[] = [];
  let count = sheet.notKept;
  for (const { row: rowNumber, cells } of sheet.rows) {
    if (rowNumber <= headerRow) continue;
    const values = new Map<K, Plain>();
    let empty = true;
    for (const column of columns) {
      const at = positions.get(column.key);
      const value = at === undefined ? null : (cells[at] ?? null);
      values.set(column.key, value);
      if (!isBlank(value)) empty = false;
    }
    if (empty) continue;
    count += 1;
    if (count <= maxRows) rows.push({ row: rowNumber, values });
  }
  if (count > maxRows) {
    throw new LedgerRefused(
      `${sheet.name}行数过多（${count} 行），一次最多导入 ${maxRows} 行 ${sheet.name} has ${count} data rows; at most ${maxRows} can be imported at once`,
    );
  }
  return { rows };
}

/** Reads cells of one row, collecting each cell's problem under the column's header. */
function cellReader<K extends string>(sheet: string, row: number, columns: readonly Column<K>[], values: Map<K, Plain>, problems: Problem[]) {
  const name = (key: K) => normalizeHeader(columns.find((c) => c.key === key)?.header ?? key);
  const report = (key: K, message: string) => problems.push({ sheet, row, column: name(key), message });
  /** The cell's value read by `read`; undefined when blank (reported when `required`) or bad (reported). */
  const cell = <T>(key: K, read: (value: Plain) => Read<T>, required: boolean): T | undefined => {
    const value = values.get(key) ?? null;
    if (value instanceof CellFault) {
      report(key, value.message);
      return undefined;
    }
    if (isBlank(value)) {
      if (required) report(key, '必填 is required');
      return undefined;
    }
    const result = read(value);
    if ('problem' in result) {
      report(key, result.problem);
      return undefined;
    }
    return result.value;
  };
  return { cell, report, blank: (key: K) => isBlank(values.get(key) ?? null) && !((values.get(key) ?? null) instanceof CellFault) };
}

function parseLedgerRow(sheet: string, row: number, values: Map<LedgerKey, Plain>, problems: Problem[]): LedgerRow {
  const { cell, blank } = cellReader(sheet, row, LEDGER_COLUMNS, values, problems);
  const track = cell('track', readTrack, true);
  // 长期坚持 may go without a due date; with an unreadable track, the track's problem is reported
  const dueDate = blank('dueDate') && (track === 'LONG_TERM' || track === undefined) ? null : cell('dueDate', readDay, true);
  return {
    row,
    taskKey: cell('taskKey', readText(32), false),
    round: cell('round', readText(64), true),
    unit: cell('unit', readText(160), true),
    team: cell('team', readText(64), false),
    mode: cell('mode', readMode, false),
    stationedFrom: cell('stationedFrom', readDay, false),
    feedbackDate: cell('feedbackDate', readDay, false),
    category: cell('category', readCode, true),
    description: cell('description', readText(10_000), true),
    isImmediate: cell('isImmediate', readYesNo, true),
    measure: cell('measure', readText(10_000), true),
    responsibleDept: cell('responsibleDept', readText(128), true),
    responsiblePerson: cell('responsiblePerson', readText(64), true),
    track,
    dueDate: track === undefined && dueDate === null ? undefined : dueDate,
    foundDate: cell('foundDate', readDay, true),
    createdDate: cell('createdDate', readDay, false),
  };
}

function parseHistoryRow(sheet: string, row: number, values: Map<HistoryKey, Plain>, problems: Problem[]): HistoryRow {
  const { cell, report, blank } = cellReader(sheet, row, HISTORY_COLUMNS, values, problems);
  const kind = cell('kind', readKind, true);
  const result: HistoryRow = {
    row,
    taskKey: cell('taskKey', readText(32), true),
    date: cell('date', readDay, true),
    kind,
    status: cell('status', readStatus, kind === 'STATUS_CHANGE'),
    newDueDate: cell('newDueDate', readDay, kind === 'EXTENSION'),
    note: cell('note', readText(kind === 'PROGRESS_NOTE' ? 10_000 : 1000), kind === 'EXTENSION' || kind === 'PROGRESS_NOTE'),
  };
  if (kind !== undefined && kind !== 'STATUS_CHANGE' && !blank('status')) report('status', `只用于状态变更 only for a 状态变更 (status change) row`);
  if (kind !== undefined && kind !== 'EXTENSION' && !blank('newDueDate')) report('newDueDate', `只用于延期 only for a 延期 (extension) row`);
  return result;
}

// --- cell values -----------------------------------------------------------------

/** A cell's value with rich text, hyperlinks and formulas reduced to what they show. */
function plain(value: ExcelJS.CellValue): Plain {
  const result = plainValue(value);
  return typeof result === 'string' ? plainText(result) : result;
}

function plainValue(value: ExcelJS.CellValue): Plain {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value instanceof Date) return value;
  if ('error' in value) return new CellFault(String(value.error));
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('hyperlink' in value) return typeof value.text === 'string' ? value.text : plainValue(value.text);
  if ('formula' in value || 'sharedFormula' in value) return value.result === undefined ? null : plainValue(value.result);
  return null;
}

function readCode(value: Plain): Read<string> {
  // a code typed into a number cell: 2.1 was 2.10
  if (typeof value === 'number') return ok(Number.isInteger(value) ? String(value) : value.toFixed(2));
  return ok(folded(value));
}

function readYesNo(value: Plain): Read<boolean> {
  if (typeof value === 'boolean') return ok(value);
  const text = folded(value);
  if (text === '是') return ok(true);
  if (text === '否') return ok(false);
  return problem(`须填写 是 或 否 must be 是 or 否 (got "${clip(text)}")`);
}

function readTrack(value: Plain): Read<Track> {
  const text = folded(value);
  const track = TASK_TRACKS.find((t) => TRACK_LABELS[t] === text || t === text.toUpperCase());
  return track ? ok(track) : problem(`须为 立行立改、限期整改 或 长期坚持 must be one of 立行立改, 限期整改, 长期坚持 (got "${clip(text)}")`);
}

function readMode(value: Plain): Read<InspectionMode> {
  const text = folded(value);
  const mode = INSPECTION_MODES.find((m) => MODE_LABELS[m] === text || MODE_LABELS[m].replace(/巡察$/, '') === text || m === text.toUpperCase());
  return mode
    ? ok(mode)
    : problem(
        `须为 ${INSPECTION_MODES.map((m) => MODE_LABELS[m]).join('、')} 之一 must be one of ${INSPECTION_MODES.map((m) => MODE_LABELS[m]).join(', ')} (got "${clip(text)}")`,
      );
}

function readStatus(value: Plain): Read<TaskStatus> {
  const text = folded(value);
  const status = TASK_STATUSES.find(
    (s) => TASK_STATUS_LABELS[s].normalize('NFKC') === text || TASK_STATUS_LABELS[s].replace(/\(.*\)$/, '') === text || s === text.toUpperCase(),
  );
  return status
    ? ok(status)
    : problem(`须为 ${TASK_STATUSES.map((s) => TASK_STATUS_LABELS[s]).join('、')} 之一 must be one of ${TASK_STATUSES.join(', ')} (got "${clip(text)}")`);
}

function readKind(value: Plain): Read<HistoryKind> {
  const text = folded(value);
  const kind = (Object.keys(HISTORY_KIND_LABELS) as HistoryKind[]).find((k) => HISTORY_KIND_LABELS[k] === text || k === text.toUpperCase());
  return kind ? ok(kind) : problem(`须为 状态变更、延期 或 进展记录 must be one of 状态变更, 延期, 进展记录 (got "${clip(text)}")`);
}
