import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { quarterPeriod } from './quarters';
import { figureCorrections, SHEET_NAMES, workbookFigures, writeQuarterlyWorkbook, type OverdueTask, type QuarterlyData } from './quarterly-workbook';
import { columnLetter, fitWidths, textWidth } from '../files/sheet-writer';

const task = (id: number, daysOverdue: number): OverdueTask => ({
  id,
  countyName: '东城区',
  unitName: '东城区财政局',
  description: `问题${id}`,
  categoryName: '财务管理不规范',
  measure: '整改',
  responsibleDept: '办公室',
  responsiblePerson: '张三',
  status: 'IN_PROGRESS',
  originalDueDate: '2025-05-01',
  dueDate: '2025-06-01',
  daysOverdue,
  agingBucket: '91-180',
});

function fixture(): QuarterlyData {
  const pages = [[task(9, 121), task(7, 121)], [task(3, 100)]];
  return {
    period: quarterPeriod(2025, 3),
    reportingUnit: '示例市',
    asOfIsToday: false,
    counties: [
      { id: 2, name: '市本级' },
      { id: 3, name: '东城区' },
    ],
    coverageModes: ['常规巡察'],
    coverage: [
      { countyId: 2, unitCategory: 'PARTY_GOV', inScope: 4, quarter: 1, year: 2, term: 3 },
      { countyId: 3, unitCategory: 'PARTY_GOV', inScope: 2, quarter: 0, year: 1, term: 1 },
      { countyId: 3, unitCategory: 'VILLAGE', inScope: 5, quarter: 1, year: 1, term: 2 },
    ],
    categories1: [{ id: 1, name: '一类' }],
    categories2: [
      { id: 11, name: '甲', parentId: 1 },
      { id: 12, name: '乙', parentId: 1 },
    ],
    categoryCounts: [
      { countyId: 2, categoryId: 11, count: 3 },
      { countyId: 3, categoryId: 12, count: 1 },
    ],
    rounds: [
      { id: 5, name: '市委第一轮' },
      { id: 6, name: '东城区委第一轮' },
    ],
    units: [
      { roundId: 6, countyId: 3, unitName: '东城区财政局', findings: 4, closed: 1, immediate: 2, immediateClosed: 1, overdue: 1 },
      { roundId: 5, countyId: 2, unitName: '市财政局', findings: 2, closed: 2, immediate: 0, immediateClosed: 0, overdue: 0 },
      { roundId: 5, countyId: 2, unitName: '市教育局', findings: 3, closed: 0, immediate: 1, immediateClosed: 0, overdue: 2 },
    ],
    overdueTotal: 3,
    overdueSample: pages[0],
    overdue: (async function* () {
      yield* pages;
    })(),
    recurrenceByRegion: [{ regionId: 3, reinspectionFindings: 4, repeats: 1, closedReinspected: 2, rebounds: 0 }],
    recurrenceByCategory: [{ categoryId: 1, reinspectionFindings: 4, repeats: 1, closedReinspected: 2, rebounds: 0 }],
  };
}

async function written(data: QuarterlyData): Promise<ExcelJS.Workbook> {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  await writeQuarterlyWorkbook(stream, data);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
  return workbook;
}

/** The rows of the table: from `from` to the row before the blank row above the signature block. */
const values = (sheet: ExcelJS.Worksheet, from = 7) =>
  Array.from({ length: sheet.rowCount - 2 - from + 1 }, (_, i) =>
    Array.from({ length: sheet.columnCount }, (_, c) => {
      const cell = sheet.getCell(from + i, c + 1);
      const v = cell.isMerged && cell.master !== cell ? null : cell.value;
      return v instanceof Date ? v.toISOString().slice(0, 10) : (v ?? null);
    }),
  );
const merges = (sheet: ExcelJS.Worksheet) => (sheet.model as unknown as { merges: string[] }).merges;

describe('the quarterly workbook', () => {
  let book: ExcelJS.Workbook;
  beforeAll(async () => {
    book = await written(fixture());
  });

  it('has the sheets in order (summaries first, the details as annexes), each with its title, 填报单位 and 统计截止日期 (a date)', () => {
    expect(book.worksheets.map((s) => s.name)).toEqual([...SHEET_NAMES]);
    for (const sheet of book.worksheets) {
      expect(sheet.getCell('A1').value).toMatch(/^示例市.+（2025年第3季度）$/);
      expect(sheet.getCell('A2').value).toBe('填报单位：');
      expect(sheet.getCell('A3').value).toBe('统计截止日期：');
      const date = sheet.getRow(3).values as unknown[];
      expect(date.find((v) => v instanceof Date)).toEqual(new Date('2025-09-30T00:00:00Z'));
      expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 6 });
    }
  });

  it('prints: landscape A4 fit to width, the two header rows repeated, page numbers, and a signature block under every table', () => {
    for (const name of SHEET_NAMES) {
      const sheet = book.getWorksheet(name)!;
      expect({ name, ...sheet.pageSetup }).toMatchObject({
        name,
        orientation: 'landscape',
        paperSize: 9,
        fitToPage: true,
        fitToWidth: 1,
        fitToHeight: 0,
        printTitlesRow: '5:6',
      });
      expect(sheet.headerFooter.oddFooter).toContain('&P');
      expect(sheet.headerFooter.oddFooter).toContain('&N');
      expect(sheet.getCell(sheet.rowCount, 1).value).toBe(
        '填报人：              审核人：              单位负责人：              填报日期：        年    月    日',
      );
      expect(sheet.getRow(sheet.rowCount - 1).values).toEqual([]);
    }
  });

  it('巡察覆盖情况: a county per block with its subtotal, the unit categories over all counties, the total; county labels merged down', () => {
    const sheet = book.getWorksheet('巡察覆盖情况')!;
    expect(values(sheet)).toEqual([
      ['市本级', '党政机关', 4, 1, 2, 3, 0.75],
      [null, '小计', 4, 1, 2, 3, 0.75],
      ['东城区', '党政机关', 2, 0, 1, 1, 0.5],
      [null, '村(社区)', 5, 1, 1, 2, 0.4],
      [null, '小计', 7, 1, 2, 3, 3 / 7],
      ['各地区合计', '党政机关', 6, 1, 3, 4, 4 / 6],
      [null, '村(社区)', 5, 1, 1, 2, 0.4],
      ['合计', null, 11, 2, 4, 6, 6 / 11],
    ]);
    expect(merges(sheet)).toEqual(expect.arrayContaining(['A5:A6', 'D5:F5', 'G5:G6', 'A7:A8', 'A9:A11', 'A12:A13', 'A14:B14']));
    expect(sheet.getCell('G7').numFmt).toBe('0.0%');
    expect(sheet.getCell('C7').numFmt).toBe('0');
    expect(sheet.getCell('C7').type).toBe(ExcelJS.ValueType.Number);
  });

  it('发现问题分类统计: level-2 rows and a level-1 subtotal, counties across, total and share', () => {
    const sheet = book.getWorksheet('发现问题分类统计')!;
    expect(values(sheet)).toEqual([
      ['一类', '甲', 3, 0, 3, 0.75],
      [null, '乙', 0, 1, 1, 0.25],
      [null, '小计', 3, 1, 4, 1],
      ['合计', null, 3, 1, 4, 1],
    ]);
    expect(sheet.getCell('C6').value).toBe('市本级');
    expect(sheet.getCell('C5').value).toBe('地区');
  });

  it('整改情况汇总: the units summed by county and by round (rounds with findings), the total', () => {
    const sheet = book.getWorksheet('整改情况汇总')!;
    expect(values(sheet)).toEqual([
      ['按地区', '市本级', 5, 2, 0.4, 1, 0, 0, 2],
      [null, '东城区', 4, 1, 0.25, 2, 1, 0.5, 1],
      ['按巡察轮次', '市委第一轮', 5, 2, 0.4, 1, 0, 0, 2],
      [null, '东城区委第一轮', 4, 1, 0.25, 2, 1, 0.5, 1],
      ['合计', null, 9, 3, 3 / 9, 3, 1, 1 / 3, 3],
    ]);
    expect(merges(sheet)).toEqual(expect.arrayContaining(['A7:A8', 'A9:A10', 'A11:B11']));
    expect(book.worksheets.slice(0, 4).map((s) => s.name)).toEqual(['巡察覆盖情况', '发现问题分类统计', '整改情况汇总', '问题复发情况']);
  });

  it('附表1 整改情况明细: units under their round (in the given round order), a subtotal per round, the total', () => {
    const sheet = book.getWorksheet('附表1 整改情况明细')!;
    expect(values(sheet)).toEqual([
      ['市委第一轮', '市本级', '市财政局', 2, 2, 1, 0, 0, null, 0],
      [null, '市本级', '市教育局', 3, 0, 0, 1, 0, 0, 2],
      [null, '本轮小计', null, 5, 2, 0.4, 1, 0, 0, 2],
      ['东城区委第一轮', '东城区', '东城区财政局', 4, 1, 0.25, 2, 1, 0.5, 1],
      [null, '本轮小计', null, 4, 1, 0.25, 2, 1, 0.5, 1],
      ['合计', null, null, 9, 3, 3 / 9, 3, 1, 1 / 3, 3],
    ]);
    expect(merges(sheet)).toEqual(expect.arrayContaining(['A7:A9', 'B9:C9', 'A10:A11', 'A12:C12']));
  });

  it('附表2 超期整改清单: every page of the list in order, numbered, due dates as dates', () => {
    const sheet = book.getWorksheet('附表2 超期整改清单')!;
    const rows = values(sheet);
    expect(rows.map((r) => [r[0], r[1], r[11], r[12]])).toEqual([
      [1, 9, '2025-06-01', 121],
      [2, 7, '2025-06-01', 121],
      [3, 3, '2025-06-01', 100],
    ]);
    expect(sheet.getCell('L7').type).toBe(ExcelJS.ValueType.Date);
    expect(sheet.getCell('L7').numFmt).toBe('yyyy-mm-dd');
    expect(sheet.getCell('A4').value).toMatch(/^共 3 项/);
  });

  it('问题复发情况: by region and by category (zeros included), rates empty without a denominator, the total', () => {
    const sheet = book.getWorksheet('问题复发情况')!;
    expect(values(sheet)).toEqual([
      ['按地区', '市本级', 0, 0, null, 0, 0, null],
      [null, '东城区', 4, 1, 0.25, 2, 0, 0],
      ['按问题类别', '一类', 4, 1, 0.25, 2, 0, 0],
      ['合计', null, 4, 1, 0.25, 2, 0, 0],
    ]);
  });

  it('notes the as-of day being today in every title', async () => {
    const today = await written({ ...fixture(), asOfIsToday: true });
    for (const sheet of today.worksheets) expect(sheet.getCell('A1').value).toContain('统计截止日为今日');
  });
});

describe('the figures a reported quarter keeps', () => {
  it('are every count and rate of the summaries, labelled by sheet, row and column, and the overdue count', () => {
    const figures = workbookFigures(fixture());
    expect(figures.find((f) => f.sheet === '整改情况汇总' && f.row === '按地区 / 东城区' && f.column === '反馈问题整改 整改完成率')).toEqual({
      sheet: '整改情况汇总',
      row: '按地区 / 东城区',
      column: '反馈问题整改 整改完成率',
      format: 'rate',
      value: 0.25,
    });
    expect(figures.find((f) => f.sheet === '巡察覆盖情况' && f.row === '东城区 / 小计' && f.column === '已巡察单位数 本届以来')).toMatchObject({
      format: 'count',
      value: 3,
    });
    expect(figures.find((f) => f.sheet === '问题复发情况' && f.row === '按地区 / 市本级' && f.column === '同类问题重复发生 重复率')).toMatchObject({
      value: null,
    });
    expect(figures[figures.length - 1]).toEqual({ sheet: '附表2 超期整改清单', row: '合计', column: '超期整改任务数', format: 'count', value: 3 });
    expect(new Set(figures.map((f) => f.sheet))).toEqual(new Set(['巡察覆盖情况', '发现问题分类统计', '整改情况汇总', '问题复发情况', '附表2 超期整改清单']));
  });

  it('list as corrections exactly the figures that differ, current − reported', () => {
    const reported = workbookFigures(fixture());
    const data = fixture();
    // a unit's finding closed and its overdue task gone since
    data.units = data.units.map((u) => (u.unitName === '市教育局' ? { ...u, closed: 1, overdue: 1 } : u));
    data.overdueTotal = 2;
    const corrections = figureCorrections(reported, workbookFigures(data));
    expect(corrections.filter((c) => c.sheet === '整改情况汇总').map((c) => [c.row, c.column, c.reported, c.current, c.difference])).toEqual([
      ['按地区 / 市本级', '反馈问题整改 已整改销号', 2, 3, 1],
      ['按地区 / 市本级', '反馈问题整改 整改完成率', 0.4, 0.6, 0.6 - 0.4],
      ['按地区 / 市本级', '超期未完成整改任务数', 2, 1, -1],
      ['按巡察轮次 / 市委第一轮', '反馈问题整改 已整改销号', 2, 3, 1],
      ['按巡察轮次 / 市委第一轮', '反馈问题整改 整改完成率', 0.4, 0.6, 0.6 - 0.4],
      ['按巡察轮次 / 市委第一轮', '超期未完成整改任务数', 2, 1, -1],
      ['合计', '反馈问题整改 已整改销号', 3, 4, 1],
      ['合计', '反馈问题整改 整改完成率', 3 / 9, 4 / 9, 4 / 9 - 3 / 9],
      ['合计', '超期未完成整改任务数', 3, 2, -1],
    ]);
    expect(corrections.filter((c) => c.sheet !== '整改情况汇总').map((c) => [c.sheet, c.difference])).toEqual([['附表2 超期整改清单', -1]]);
    expect(figureCorrections(reported, workbookFigures(fixture()))).toEqual([]);
  });
});

describe('column widths', () => {
  it('count a CJK character as two and fit the widest header or cell', () => {
    expect(textWidth('abc')).toBe(3);
    expect(textWidth('巡察（一）')).toBe(10);
    const widths = fitWidths(
      [
        { header: '地区', format: 'text' },
        { header: 'n', format: 'count' },
        { header: '率', format: 'rate' },
        { header: '描述', format: 'wrap' },
      ],
      [{ cells: ['东城区人民政府', 123456, 0.5, 'x'.repeat(500)] }, { cells: ['合计合计合计合计合计', null, null, null], merge: [0, 1] }],
    );
    expect(widths).toEqual([16, 8, 7, 48]);
  });

  it('names columns as Excel does', () => {
    expect([1, 26, 27, 52, 53].map(columnLetter)).toEqual(['A', 'Z', 'AA', 'AZ', 'BA']);
  });
});
