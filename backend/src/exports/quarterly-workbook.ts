import type { Writable } from 'node:stream';
import { AGING_BUCKETS, UNIT_CATEGORIES, type AgingBucket, type TaskStatus, type UnitCategory } from '../common/filters';
import { TASK_STATUS_LABELS, UNIT_CATEGORY_LABELS } from '../common/labels';
import type { QuarterPeriod } from './quarters';
import { textWidth, writeTable, type CellValue, type TableColumn, type TableRow, type TableSpec } from '../files/sheet-writer';
import { loadExcel } from '../files/excel';

/**
 * The quarterly statistics workbook (docs/ARCHITECTURE.md, "The quarterly workbook"): the
 * summaries by county and by round first (coverage, categories, rectification, recurrence),
 * then the details as annexes (附表): rectification unit by unit, and the overdue tasks.
 * Built from figures already computed as of the quarter's last day. Pure: the service
 * gathers the figures, this lays them out.
 */

export const SHEET_NAMES = ['巡察覆盖情况', '发现问题分类统计', '整改情况汇总', '问题复发情况', '附表1 整改情况明细', '附表2 超期整改清单'] as const;

export interface Named {
  id: number;
  name: string;
}

export interface CoverageCell {
  countyId: number;
  unitCategory: UnitCategory;
  inScope: number;
  /** in scope, with a counting inspection stationed this quarter / this year / this term */
  quarter: number;
  year: number;
  term: number;
}

export interface UnitRectification {
  roundId: number;
  countyId: number;
  unitName: string;
  findings: number;
  closed: number;
  immediate: number;
  immediateClosed: number;
  overdue: number;
}

export interface OverdueTask {
  id: number;
  countyName: string;
  unitName: string;
  description: string;
  categoryName: string;
  measure: string;
  responsibleDept: string;
  responsiblePerson: string;
  status: TaskStatus;
  originalDueDate: string | null;
  dueDate: string | null;
  daysOverdue: number;
  agingBucket: AgingBucket | null;
}

export interface RecurrenceGroup {
  reinspectionFindings: number;
  repeats: number;
  closedReinspected: number;
  rebounds: number;
}

export interface QuarterlyData {
  period: QuarterPeriod;
  /** 填报单位 */
  reportingUnit: string;
  /** The as-of day is today: the figures may still change before the day ends. */
  asOfIsToday: boolean;
  /** Said in every title, e.g. that a reported quarter's workbook is as currently computed, not as reported. */
  edition?: string;
  /** County-level regions (市本级 and counties), in display order. */
  counties: Named[];
  /** Modes whose inspections count for coverage, as Chinese labels. */
  coverageModes: string[];
  coverage: CoverageCell[];
  categories1: Named[];
  categories2: (Named & { parentId: number })[];
  /** findings found by as-of, by county and level-2 category */
  categoryCounts: { countyId: number; categoryId: number; count: number }[];
  /** Rounds in display order. */
  rounds: Named[];
  units: UnitRectification[];
  /** How many overdue tasks the list holds (for the note), and the list in pages. */
  overdueTotal: number;
  overdue: AsyncIterable<readonly OverdueTask[]>;
  /** The first page (the column widths are fitted to it; 任务编号's header fits ids up to 10 digits). */
  overdueSample: readonly OverdueTask[];
  recurrenceByRegion: (RecurrenceGroup & { regionId: number })[];
  recurrenceByCategory: (RecurrenceGroup & { categoryId: number })[];
}

const rate = (numerator: number, denominator: number) => (denominator === 0 ? null : numerator / denominator);

function head(data: QuarterlyData, sheetName: string, title: string, note: string, columns: TableColumn[], extra: Partial<TableSpec> = {}): TableSpec {
  const today = data.asOfIsToday ? '（统计截止日为今日，数据可能仍有变动）' : '';
  const edition = data.edition ? `（${data.edition}）` : '';
  return {
    sheetName,
    title: `${data.reportingUnit}${title}（${data.period.label}）${today}${edition}`,
    reportingUnit: data.reportingUnit,
    asOf: data.period.end,
    note,
    columns,
    signature: true,
    ...extra,
  };
}

// --- 1. 巡察覆盖情况 ---------------------------------------------------------------------

export function coverageSheet(data: QuarterlyData): { spec: TableSpec; rows: TableRow[] } {
  const columns: TableColumn[] = [
    { header: '地区', format: 'text' },
    { header: '单位类别', format: 'text' },
    { header: '应覆盖单位数', format: 'count' },
    { group: '已巡察单位数', header: '本季度', format: 'count' },
    { group: '已巡察单位数', header: '本年度', format: 'count' },
    { group: '已巡察单位数', header: '本届以来', format: 'count' },
    { header: '本届覆盖率', format: 'rate' },
  ];
  const line = (a: string, b: string | null, cells: CoverageCell[], kind: TableRow['kind'], merge?: [number, number]): TableRow => {
    const sum = (k: 'inScope' | 'quarter' | 'year' | 'term') => cells.reduce((s, c) => s + c[k], 0);
    return { cells: [a, b, sum('inScope'), sum('quarter'), sum('year'), sum('term'), rate(sum('term'), sum('inScope'))], kind, merge };
  };
  const rows: TableRow[] = [];
  const present = (cells: CoverageCell[]) => UNIT_CATEGORIES.filter((u) => cells.some((c) => c.unitCategory === u && c.inScope > 0));
  for (const county of data.counties) {
    const cells = data.coverage.filter((c) => c.countyId === county.id);
    if (!cells.some((c) => c.inScope > 0)) continue;
    for (const u of present(cells))
      rows.push(
        line(
          county.name,
          UNIT_CATEGORY_LABELS[u],
          cells.filter((c) => c.unitCategory === u),
          'data',
        ),
      );
    rows.push(line(county.name, '小计', cells, 'subtotal'));
  }
  for (const u of present(data.coverage))
    rows.push(
      line(
        '各地区合计',
        UNIT_CATEGORY_LABELS[u],
        data.coverage.filter((c) => c.unitCategory === u),
        'subtotal',
      ),
    );
  rows.push(line('合计', null, data.coverage, 'total', [0, 1]));
  const note =
    `应覆盖单位：各党委本届届期内应巡察的被巡察党组织（统计截止日在册的，及届内撤并但届内已巡察的）。` +
    `已巡察：届内有${data.coverageModes.join('、')}进驻（不含回头看），按进驻日期计入本季度、本年度；本届以来即届期首日至统计截止日。覆盖率 = 本届以来已巡察单位数 ÷ 应覆盖单位数。`;
  return { spec: head(data, SHEET_NAMES[0], '巡察覆盖情况统计表', note, columns, { groupColumns: 1, freezeColumns: 2 }), rows };
}

// --- 2. 发现问题分类统计 -----------------------------------------------------------------

export function categoriesSheet(data: QuarterlyData): { spec: TableSpec; rows: TableRow[] } {
  const columns: TableColumn[] = [
    { header: '一级类别', format: 'text', width: 24 },
    { header: '二级类别', format: 'text' },
    ...data.counties.map((c): TableColumn => ({ group: '地区', header: c.name, format: 'count' })),
    { header: '合计', format: 'count' },
    { header: '占比', format: 'rate' },
  ];
  const counts = new Map<string, number>();
  for (const c of data.categoryCounts) counts.set(`${c.countyId}:${c.categoryId}`, (counts.get(`${c.countyId}:${c.categoryId}`) ?? 0) + c.count);
  const grand = data.categoryCounts.filter((c) => data.counties.some((k) => k.id === c.countyId)).reduce((s, c) => s + c.count, 0);
  const line = (a: string, b: string | null, level2: number[], kind: TableRow['kind'], merge?: [number, number]): TableRow => {
    const byCounty = data.counties.map((county) => level2.reduce((s, id) => s + (counts.get(`${county.id}:${id}`) ?? 0), 0));
    const total = byCounty.reduce((s, n) => s + n, 0);
    return { cells: [a, b, ...byCounty, total, rate(total, grand)], kind, merge };
  };
  const rows: TableRow[] = [];
  for (const level1 of data.categories1) {
    const children = data.categories2.filter((c) => c.parentId === level1.id);
    for (const level2 of children) rows.push(line(level1.name, level2.name, [level2.id], 'data'));
    rows.push(
      line(
        level1.name,
        '小计',
        children.map((c) => c.id),
        'subtotal',
      ),
    );
  }
  rows.push(
    line(
      '合计',
      null,
      data.categories2.map((c) => c.id),
      'total',
      [0, 1],
    ),
  );
  const note =
    '巡察发现问题：发现日期在统计截止日及以前的全部问题（累计），按问题所在被巡察单位的地区和问题类别统计；“小计”为一级类别合计。占比 = 本行合计 ÷ 问题总数。';
  return { spec: head(data, SHEET_NAMES[1], '巡察发现问题分类统计表', note, columns, { groupColumns: 1, freezeColumns: 2 }), rows };
}

// --- 3. 整改情况汇总 --------------------------------------------------------------------

const RECTIFICATION_FIGURES: TableColumn[] = [
  { group: '反馈问题整改', header: '反馈问题数', format: 'count' },
  { group: '反馈问题整改', header: '已整改销号', format: 'count' },
  { group: '反馈问题整改', header: '整改完成率', format: 'rate' },
  { group: '立行立改', header: '应立行立改', format: 'count' },
  { group: '立行立改', header: '已完成', format: 'count' },
  { group: '立行立改', header: '完成率', format: 'rate' },
  { header: '超期未完成\n整改任务数', format: 'count' },
];

/** The rectification figures of some units' rows, summed: the columns of RECTIFICATION_FIGURES. */
function rectificationFigures(rows: readonly UnitRectification[]): CellValue[] {
  const sum = (k: 'findings' | 'closed' | 'immediate' | 'immediateClosed' | 'overdue') => rows.reduce((s, r) => s + r[k], 0);
  return [
    sum('findings'),
    sum('closed'),
    rate(sum('closed'), sum('findings')),
    sum('immediate'),
    sum('immediateClosed'),
    rate(sum('immediateClosed'), sum('immediate')),
    sum('overdue'),
  ];
}

/** 整改情况汇总: the rectification figures by county and by round (the sums of the annex's units), and the total. */
export function rectificationSummarySheet(data: QuarterlyData): { spec: TableSpec; rows: TableRow[] } {
  const columns: TableColumn[] = [{ header: '统计口径', format: 'text' }, { header: '地区 / 巡察轮次', format: 'text' }, ...RECTIFICATION_FIGURES];
  const byCounty = new Map<number, UnitRectification[]>();
  const byRound = new Map<number, UnitRectification[]>();
  const add = (map: Map<number, UnitRectification[]>, id: number, unit: UnitRectification) => {
    const list = map.get(id);
    if (list) list.push(unit);
    else map.set(id, [unit]);
  };
  for (const unit of data.units) {
    add(byCounty, unit.countyId, unit);
    add(byRound, unit.roundId, unit);
  }
  const rows: TableRow[] = [];
  for (const county of data.counties) rows.push({ cells: ['按地区', county.name, ...rectificationFigures(byCounty.get(county.id) ?? [])] });
  for (const round of data.rounds) {
    const units = byRound.get(round.id);
    if (units) rows.push({ cells: ['按巡察轮次', round.name, ...rectificationFigures(units)] });
  }
  rows.push({ cells: ['合计', null, ...rectificationFigures(data.units)], kind: 'total', merge: [0, 1] });
  const note =
    '按地区：问题所在被巡察单位的县（市、区）；按巡察轮次：作出反馈的巡察轮次（有反馈问题的轮次）。两种口径的合计相同，逐单位明细见附表1。' +
    '反馈问题：巡察反馈日期在统计截止日及以前的问题；已整改销号：其全部整改任务截至统计截止日均已销号（基本完成不计）。超期未完成：截至统计截止日未销号、现行整改时限早于统计截止日的整改任务。';
  return { spec: head(data, SHEET_NAMES[2], '巡察整改情况汇总表', note, columns, { groupColumns: 1, freezeColumns: 2 }), rows };
}

// --- 附表1. 整改情况明细 ----------------------------------------------------------------

/** Rows handed to the writer at a time when a sheet's rows are made as they are written. */
const ROWS_PER_PAGE = 2000;

export function rectificationSheet(data: QuarterlyData): { spec: TableSpec; rows: AsyncIterable<TableRow[]>; sample: TableRow[] } {
  const columns: TableColumn[] = [
    { header: '巡察轮次', format: 'text', width: 26 },
    { header: '所属地区', format: 'text' },
    { header: '被巡察单位', format: 'text' },
    ...RECTIFICATION_FIGURES,
  ];
  const countyName = new Map(data.counties.map((c) => [c.id, c.name]));
  const figures = rectificationFigures;
  const byRound = new Map<number, UnitRectification[]>();
  for (const unit of data.units) {
    const list = byRound.get(unit.roundId);
    if (list) list.push(unit);
    else byRound.set(unit.roundId, [unit]);
  }
  const unitRow = (roundName: string, unit: UnitRectification): TableRow => ({
    cells: [roundName, countyName.get(unit.countyId) ?? '', unit.unitName, ...figures([unit])],
  });
  const total: TableRow = { cells: ['合计', null, null, ...figures(data.units)], kind: 'total', merge: [0, 2] };
  const subtotals = new Map<number, TableRow>();
  for (const round of data.rounds) {
    const units = byRound.get(round.id);
    if (units) subtotals.set(round.id, { cells: [round.name, '本轮小计', null, ...figures(units)], kind: 'subtotal', merge: [1, 2] });
  }
  // made as they are written, a page at a time: a city at 10M findings has a million units × rounds
  // eslint-disable-next-line @typescript-eslint/require-await -- the sheet writer takes an async iterable; these rows are at hand
  async function* rows() {
    let page: TableRow[] = [];
    for (const round of data.rounds) {
      const units = byRound.get(round.id);
      if (!units) continue;
      for (const unit of units) {
        page.push(unitRow(round.name, unit));
        if (page.length === ROWS_PER_PAGE) {
          yield page;
          page = [];
        }
      }
      page.push(subtotals.get(round.id)!);
    }
    page.push(total);
    yield page;
  }
  // widths: each figure is at most its round's subtotal; the widest unit name; every county
  let widest: UnitRectification | undefined;
  for (const unit of data.units) if (!widest || textWidth(unit.unitName) > textWidth(widest.unitName)) widest = unit;
  const sample = [...subtotals.values(), total, ...(widest ? [unitRow('', widest)] : []), ...data.counties.map((c) => ({ cells: ['', c.name, ''] }))];
  const note =
    '反馈问题：巡察反馈日期在统计截止日及以前的问题；已整改销号：其全部整改任务截至统计截止日均已销号（基本完成不计）。' +
    '立行立改：其中立行立改的问题。超期未完成：截至统计截止日未销号、现行整改时限早于统计截止日的整改任务。';
  return { spec: head(data, SHEET_NAMES[4], '巡察整改情况明细表', note, columns, { groupColumns: 1, freezeColumns: 3 }), rows: rows(), sample };
}

// --- 附表2. 超期整改清单 ----------------------------------------------------------------

export const OVERDUE_COLUMNS: TableColumn[] = [
  { header: '序号', format: 'count' },
  { header: '任务编号', format: 'count' },
  { header: '县(市、区)', format: 'text' },
  { header: '被巡察单位', format: 'wrap' },
  { header: '问题描述', format: 'wrap', width: 48 },
  { header: '问题类别', format: 'text' },
  { header: '整改措施', format: 'wrap', width: 40 },
  { header: '责任部门', format: 'wrap' },
  { header: '责任人', format: 'wrap' },
  { header: '整改状态', format: 'text' },
  { group: '整改时限', header: '原定', format: 'date' },
  { group: '整改时限', header: '现行', format: 'date' },
  { header: '超期天数', format: 'count' },
  { header: '超期区间(天)', format: 'text' },
];

const agingLabel = (bucket: AgingBucket | null) => (bucket === AGING_BUCKETS[3] ? '180天以上' : bucket);

function overdueRow(t: OverdueTask, n: number): TableRow {
  return {
    cells: [
      n,
      t.id,
      t.countyName,
      t.unitName,
      t.description,
      t.categoryName,
      t.measure,
      t.responsibleDept,
      t.responsiblePerson,
      TASK_STATUS_LABELS[t.status],
      t.originalDueDate,
      t.dueDate,
      t.daysOverdue,
      agingLabel(t.agingBucket),
    ],
  };
}

export function overdueSheet(data: QuarterlyData): { spec: TableSpec; rows: AsyncIterable<TableRow[]>; sample: TableRow[] } {
  async function* rows() {
    let n = 0;
    for await (const page of data.overdue) yield page.map((t) => overdueRow(t, ++n));
  }
  // widths: the first page, and every value the bounded columns can take
  const blank = () => Array<CellValue>(OVERDUE_COLUMNS.length).fill(null);
  const sample = [
    ...data.overdueSample.map((t, i) => overdueRow(t, i + 1)),
    { cells: Object.assign(blank(), { 0: data.overdueTotal }) },
    ...data.counties.map((c) => ({ cells: Object.assign(blank(), { 2: c.name }) })),
    ...data.categories2.map((c) => ({ cells: Object.assign(blank(), { 5: c.name }) })),
    ...Object.values(TASK_STATUS_LABELS).map((label) => ({ cells: Object.assign(blank(), { 9: label }) })),
    ...AGING_BUCKETS.map((b) => ({ cells: Object.assign(blank(), { 13: agingLabel(b) }) })),
  ];
  const note =
    `共 ${data.overdueTotal} 项：截至统计截止日未销号（基本完成不计为销号）、现行整改时限早于统计截止日的整改任务（已反馈问题的），按超期天数从多到少排列。` +
    '超期天数 = 统计截止日 − 现行整改时限。';
  return { spec: head(data, SHEET_NAMES[5], '超期整改任务清单', note, OVERDUE_COLUMNS, { freezeColumns: 2, autoFilter: true }), rows: rows(), sample };
}

// --- 4. 问题复发情况 --------------------------------------------------------------------

export function recurrenceSheet(data: QuarterlyData): { spec: TableSpec; rows: TableRow[] } {
  const columns: TableColumn[] = [
    { header: '统计口径', format: 'text' },
    { header: '地区 / 问题类别', format: 'text' },
    { group: '同类问题重复发生', header: '再次巡察\n发现问题数', format: 'count' },
    { group: '同类问题重复发生', header: '其中同类\n问题重复', format: 'count' },
    { group: '同类问题重复发生', header: '重复率', format: 'rate' },
    { group: '整改后反弹', header: '已销号且单位\n再次被巡察问题数', format: 'count' },
    { group: '整改后反弹', header: '其中反弹', format: 'count' },
    { group: '整改后反弹', header: '反弹率', format: 'rate' },
  ];
  const empty: RecurrenceGroup = { reinspectionFindings: 0, repeats: 0, closedReinspected: 0, rebounds: 0 };
  const figures = (g: RecurrenceGroup) => [
    g.reinspectionFindings,
    g.repeats,
    rate(g.repeats, g.reinspectionFindings),
    g.closedReinspected,
    g.rebounds,
    rate(g.rebounds, g.closedReinspected),
  ];
  const rows: TableRow[] = [];
  for (const county of data.counties)
    rows.push({ cells: ['按地区', county.name, ...figures(data.recurrenceByRegion.find((r) => r.regionId === county.id) ?? empty)] });
  for (const category of data.categories1)
    rows.push({ cells: ['按问题类别', category.name, ...figures(data.recurrenceByCategory.find((r) => r.categoryId === category.id) ?? empty)] });
  const total = data.recurrenceByRegion
    .filter((r) => data.counties.some((c) => c.id === r.regionId))
    .reduce(
      (t, r) => ({
        reinspectionFindings: t.reinspectionFindings + r.reinspectionFindings,
        repeats: t.repeats + r.repeats,
        closedReinspected: t.closedReinspected + r.closedReinspected,
        rebounds: t.rebounds + r.rebounds,
      }),
      empty,
    );
  rows.push({ cells: ['合计', null, ...figures(total)], kind: 'total', merge: [0, 1] });
  const note =
    '再次巡察发现问题：对此前巡察过的单位再次巡察所发现的问题；同类问题重复：该单位此前巡察已发现过同一二级类别的问题。' +
    '整改后反弹：已销号的问题，其单位在销号后再次被巡察，且销号后发现的问题被认定为其复发。重复率、反弹率分别为两组的比率；均截至统计截止日。';
  return { spec: head(data, SHEET_NAMES[3], '问题复发情况统计表', note, columns, { groupColumns: 1, freezeColumns: 2 }), rows };
}

/** Writes the sheets (SHEET_NAMES, in order) to `output` (an .xlsx stream) and waits until the file is complete. */
export async function writeQuarterlyWorkbook(output: Writable, data: QuarterlyData): Promise<void> {
  const workbook = new (await loadExcel()).stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
  workbook.creator = 'Xuncha Insight 巡察整改监督分析平台';
  workbook.title = `${data.reportingUnit}巡察工作统计（${data.period.label}）`;
  const coverage = coverageSheet(data);
  await writeTable(workbook, coverage.spec, coverage.rows);
  const categories = categoriesSheet(data);
  await writeTable(workbook, categories.spec, categories.rows);
  const summary = rectificationSummarySheet(data);
  await writeTable(workbook, summary.spec, summary.rows);
  const recurrence = recurrenceSheet(data);
  await writeTable(workbook, recurrence.spec, recurrence.rows);
  const rectification = rectificationSheet(data);
  await writeTable(workbook, rectification.spec, rectification.rows, rectification.sample);
  const overdue = overdueSheet(data);
  await writeTable(workbook, overdue.spec, overdue.rows, overdue.sample);
  await workbook.commit();
}

// --- the figures, for keeping what was reported --------------------------------------

/** One figure of the workbook's summaries: where it stands (sheet, row, column) and its value. */
export interface WorkbookFigure {
  sheet: string;
  /** The row's labels, e.g. `东城区 / 党政机关`, `合计`. */
  row: string;
  /** The column's header under its group, e.g. `已巡察单位数 本届以来`. */
  column: string;
  format: 'count' | 'rate';
  /** null: a rate without a denominator */
  value: number | null;
}

/**
 * Every figure of the summary sheets (coverage, categories, rectification, recurrence) and the
 * number of overdue tasks, as laid out in the workbook: what a reported quarter keeps and
 * compares against the figures as currently computed.
 */
export function workbookFigures(data: QuarterlyData): WorkbookFigure[] {
  const figures: WorkbookFigure[] = [];
  for (const { spec, rows } of [coverageSheet(data), categoriesSheet(data), rectificationSummarySheet(data), recurrenceSheet(data)]) {
    const columns = spec.columns.map((c) => (c.group ? `${c.group} ${c.header}` : c.header).replace(/\n/g, ''));
    for (const row of rows) {
      const label = row.cells.filter((cell, i) => typeof cell === 'string' && spec.columns[i].format === 'text').join(' / ');
      spec.columns.forEach((column, i) => {
        if (column.format !== 'count' && column.format !== 'rate') return;
        const value = row.cells[i];
        figures.push({ sheet: spec.sheetName, row: label, column: columns[i], format: column.format, value: typeof value === 'number' ? value : null });
      });
    }
  }
  figures.push({ sheet: SHEET_NAMES[5], row: '合计', column: '超期整改任务数', format: 'count', value: data.overdueTotal });
  return figures;
}

/** A figure that differs now from what was reported: the correction (更正) lists these. */
export interface FigureCorrection extends Omit<WorkbookFigure, 'value'> {
  reported: number | null;
  current: number | null;
  /** current − reported; null when either is null */
  difference: number | null;
}

/**
 * The figures whose current value differs from the reported one, in the reported order (a
 * figure only one side has, e.g. a county's row that appeared, counts its missing side as null).
 */
export function figureCorrections(reported: readonly WorkbookFigure[], current: readonly WorkbookFigure[]): FigureCorrection[] {
  const key = (f: WorkbookFigure) => `${f.sheet}\u0000${f.row}\u0000${f.column}`;
  const now = new Map(current.map((f) => [key(f), f]));
  const then = new Set(reported.map(key));
  const same = (a: number | null, b: number | null) => (a === null || b === null ? a === b : Math.abs(a - b) < 1e-12);
  const out: FigureCorrection[] = [];
  const add = (f: WorkbookFigure, before: number | null, after: number | null) => {
    if (!same(before, after))
      out.push({
        sheet: f.sheet,
        row: f.row,
        column: f.column,
        format: f.format,
        reported: before,
        current: after,
        difference: before === null || after === null ? null : after - before,
      });
  };
  for (const f of reported) add(f, f.value, now.get(key(f))?.value ?? null);
  for (const f of current) if (!then.has(key(f))) add(f, null, f.value);
  return out;
}
