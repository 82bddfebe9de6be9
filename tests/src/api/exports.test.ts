import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { StreamableFile } from '@nestjs/common';
import {
  UNIT_CATEGORY_LABELS,
  type OptionsResponse,
  type CategoriesResponse,
  type CoverageResponse,
  type RecurrenceResponse,
  type RectificationResponse,
  ExportsService,
  SIGNATURE_LINE,
  textWidth,
} from '@xuncha/backend';
import { startTestApp, type TestApp } from '../support/app';
import { query } from '../support/pg';
import { pinToday } from '../support/today';
import { parseCsv } from '../support/csv';

/**
 * The quarterly statistics workbook and the CSV lists, end to end: the workbook read back
 * with exceljs (sheets, typed cells, formats, merges, frozen header, widths) and every figure
 * against the API as of the quarter's last day (and an independent plain-SQL count for the
 * quarter/year coverage columns, which no endpoint shows); LibreOffice as a second reader; a
 * past quarter's workbook unchanged by later work; a county-restricted workbook through the
 * service; validation; the CSV downloads.
 */
jest.setTimeout(600_000);

const SHEETS = ['巡察覆盖情况', '发现问题分类统计', '整改情况汇总', '问题复发情况', '附表1 整改情况明细', '附表2 超期整改清单'];
const FIRST_DATA_ROW = 7;
type Cell = string | number | null;

function previousQuarter(day: string) {
  const [y, m] = day.split('-').map(Number);
  const current = Math.floor((m - 1) / 3) + 1;
  const year = current === 1 ? y - 1 : y;
  const quarter = current === 1 ? 4 : current - 1;
  const firstMonth = (quarter - 1) * 3;
  const start = new Date(Date.UTC(year, firstMonth, 1)).toISOString().slice(0, 10);
  const end = new Date(Date.UTC(year, firstMonth + 3, 1) - 86_400_000).toISOString().slice(0, 10);
  return { year, quarter, start, end, current };
}

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/** A cell's value as a plain value (a merged cell shows its master's); dates as YYYY-MM-DD. */
function plain(cell: ExcelJS.Cell): Cell {
  const value = cell.isMerged ? cell.master.value : cell.value;
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return isoDay(value);
  if (typeof value === 'number' || typeof value === 'string') return value;
  throw new Error(`unexpected cell value at ${cell.address}: ${JSON.stringify(value)}`);
}

/** The cells of a row that hold a value of their own (merged ranges by their first cell). */
function masters(row: ExcelJS.Row): ExcelJS.Cell[] {
  const out: ExcelJS.Cell[] = [];
  row.eachCell((cell) => {
    if (!cell.isMerged || cell.master === cell) out.push(cell);
  });
  return out;
}

/** The table's rows: from the first data row to the signature block under the table. */
function dataRows(sheet: ExcelJS.Worksheet): Cell[][] {
  const rows: Cell[][] = [];
  for (let r = FIRST_DATA_ROW; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    if (!row.hasValues) continue;
    if (row.getCell(1).value === SIGNATURE_LINE) break;
    rows.push(Array.from({ length: sheet.columnCount }, (_, c) => plain(row.getCell(c + 1))));
  }
  return rows;
}

function sofficeVersion(): string | undefined {
  try {
    return execFileSync('soffice', ['--version'], { encoding: 'utf8', timeout: 60_000 }).trim();
  } catch {
    return undefined;
  }
}

interface TaskPage {
  total: number;
  rows: { id: number; daysOverdue: number; dueDate: string | null; unitName: string; responsibleDept: string; findingId: number; countyId: number }[];
}

describe('exports', () => {
  const today = pinToday();
  const q = previousQuarter(today);
  let t: TestApp;
  let options: OptionsResponse;
  let workbookBytes: Buffer;
  let book: ExcelJS.Workbook;
  const outDir = path.resolve(__dirname, '../../../test-output/exports');

  const download = async (urlPath: string) => {
    const response = await fetch(t.url + urlPath, { headers: { cookie: t.cookie } });
    return { status: response.status, headers: response.headers, body: Buffer.from(await response.arrayBuffer()) };
  };
  const read = async (bytes: Buffer) => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
    return workbook;
  };
  const api = async <T>(urlPath: string): Promise<T> => {
    const response = await t.get<T>(urlPath);
    expect(response.status).toBe(200);
    return response.body;
  };
  /** Every row of a drill-down list, 200 at a time. */
  const allTasks = async (params: string) => {
    const rows: TaskPage['rows'] = [];
    for (let page = 1; ; page++) {
      const body = await api<TaskPage>(`/api/tasks?${params}&pageSize=200&page=${page}`);
      rows.push(...body.rows);
      if (rows.length >= body.total || body.rows.length === 0) return { total: body.total, rows };
    }
  };

  beforeAll(async () => {
    t = await startTestApp({ seed: { scale: 'tiny', today } });
    options = await api<OptionsResponse>('/api/options');
    fs.mkdirSync(outDir, { recursive: true });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers the workbook as an .xlsx download with a Chinese file name', async () => {
    const response = await download(`/api/exports/quarterly?year=${q.year}&quarter=${q.quarter}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const disposition = response.headers.get('content-disposition') ?? '';
    expect(disposition).toContain(`filename="xuncha-quarterly-${q.year}Q${q.quarter}.xlsx"`);
    const star = /filename\*=UTF-8''([^;]+)/.exec(disposition);
    expect(star).not.toBeNull();
    expect(star![1]).toMatch(/^[A-Za-z0-9%._~!$&+^`|-]+$/); // RFC 5987 attr-chars and escapes only
    expect(decodeURIComponent(star![1])).toBe(`${options.regions[0].name}巡察工作统计-${q.year}年第${q.quarter}季度.xlsx`);
    expect(Number(response.headers.get('content-length'))).toBe(response.body.length);
    expect(response.body.subarray(0, 2).toString()).toBe('PK');
    workbookBytes = response.body;
    fs.writeFileSync(path.join(outDir, 'quarterly.xlsx'), workbookBytes);
    book = await read(workbookBytes);
  });

  it('has the six sheets (summaries first, the annexes last), each with title, 填报单位, 统计截止日期, merged two-row header, frozen panes and fitting widths', () => {
    expect(book.worksheets.map((s) => s.name)).toEqual(SHEETS);
    for (const sheet of book.worksheets) {
      expect(String(sheet.getCell('A1').value)).toContain(`${q.year}年第${q.quarter}季度`);
      expect(sheet.getCell('A2').value).toBe('填报单位：');
      expect(masters(sheet.getRow(2)).map((c) => c.value)).toEqual(['填报单位：', options.regions[0].name]);
      const [label, asOf] = masters(sheet.getRow(3));
      expect(label.value).toBe('统计截止日期：');
      expect(asOf.type).toBe(ExcelJS.ValueType.Date);
      expect(isoDay(asOf.value as Date)).toBe(q.end);
      const merges = (sheet.model as unknown as { merges: string[] }).merges;
      expect(merges).toContain(`A1:${sheet.getColumn(sheet.columnCount).letter}1`);
      expect(merges.some((m) => /^[A-Z]+5:[A-Z]+5$/.test(m))).toBe(true); // a group header across columns
      expect(merges.some((m) => /^[A-Z]+5:[A-Z]+6$/.test(m))).toBe(true); // a lone header down both rows
      expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 6 });
      // widths fit the text (a CJK character is two units), long texts wrap instead
      for (let c = 1; c <= sheet.columnCount; c++) {
        const column = sheet.getColumn(c);
        for (let r = 5; r <= Math.min(sheet.rowCount, 400); r++) {
          const cell = sheet.getCell(r, c);
          if (cell.isMerged || typeof cell.value !== 'string' || cell.alignment?.wrapText) continue;
          expect({ sheet: sheet.name, cell: cell.address, fits: textWidth(cell.value) <= (column.width ?? 0) }).toEqual({
            sheet: sheet.name,
            cell: cell.address,
            fits: true,
          });
        }
      }
    }
  });

  it('stores numbers as numbers (formats 0 and 0.0%) and dates as dates', () => {
    let counts = 0;
    let rates = 0;
    let dates = 0;
    for (const sheet of book.worksheets) {
      for (let r = FIRST_DATA_ROW; r <= sheet.rowCount; r++) {
        sheet.getRow(r).eachCell((cell) => {
          if (cell.isMerged && cell.master !== cell) return;
          if (typeof cell.value === 'string') expect(cell.value).not.toMatch(/^\d+(\.\d+)?%?$/); // no number stored as text
          if (cell.type === ExcelJS.ValueType.Number) {
            expect(['0', '0.0%']).toContain(cell.numFmt);
            if (cell.numFmt === '0') {
              expect(Number.isInteger(cell.value)).toBe(true);
              counts++;
            } else {
              expect(cell.value as number).toBeGreaterThanOrEqual(0);
              expect(cell.value as number).toBeLessThanOrEqual(1);
              rates++;
            }
          }
          if (cell.type === ExcelJS.ValueType.Date) {
            expect(cell.numFmt).toBe('yyyy-mm-dd');
            dates++;
          }
        });
      }
    }
    expect(counts).toBeGreaterThan(100);
    expect(rates).toBeGreaterThan(20);
    expect(dates).toBeGreaterThan(10);
  });

  it('巡察覆盖情况 equals GET /api/metrics/coverage as of the quarter end, and a plain-SQL count for this quarter / this year', async () => {
    const coverage = await api<CoverageResponse>(`/api/metrics/coverage?asOf=${q.end}&uncoveredLimit=0`);
    const rows = dataRows(book.getWorksheet('巡察覆盖情况')!);
    const regionName = new Map(options.regions[0].children.map((r) => [r.id, r.name]));
    const subtotals = rows.filter((r) => r[1] === '小计');
    expect(subtotals.map((r) => r[0])).toEqual(coverage.byRegion.map((r) => regionName.get(r.regionId)));
    for (const [i, region] of coverage.byRegion.entries()) {
      expect(subtotals[i].slice(2)).toEqual([region.inScope, expect.any(Number), expect.any(Number), region.covered, region.rate]);
    }
    const labels = Object.entries(UNIT_CATEGORY_LABELS);
    const byCategory = rows.filter((r) => r[0] === '各地区合计');
    expect(byCategory.map((r) => [labels.find(([, l]) => l === r[1])![0], r[2], r[5], r[6]]).sort()).toEqual(
      coverage.byUnitCategory.map((c) => [c.unitCategory, c.inScope, c.covered, c.rate]).sort(),
    );
    const total = rows[rows.length - 1];
    expect([total[0], total[2], total[5], total[6]]).toEqual(['合计', coverage.coverage.denominator, coverage.coverage.numerator, coverage.coverage.rate]);
    // each county's rows add up to its subtotal
    for (const sub of subtotals) {
      const detail = rows.filter((r) => r[0] === sub[0] && r[1] !== '小计');
      for (let c = 2; c <= 5; c++) expect(detail.reduce((s, r) => s + (r[c] as number), 0)).toBe(sub[c]);
    }

    // inspected this quarter / this year: counted independently in PostgreSQL
    const sql = await query<{ county: string; category: string; in_scope: number; quarter: number; year: number; term: number }>(
      t.db.url,
      `WITH p AS (SELECT $1::date AS d, $2::date AS qs, $3::date AS ys),
       term AS (SELECT tm.* FROM terms tm, p WHERE tm.deleted_at IS NULL AND tm.start_date <= p.d AND p.d <= tm.end_date),
       unit AS (
         SELECT u.id, u.category::text AS category, CASE WHEN r.level = 'TOWNSHIP' THEN pr.name ELSE r.name END AS county,
                tm.start_date, LEAST(p.d, tm.end_date) AS e, u.valid_from, u.valid_to
         FROM org_units u JOIN regions r ON r.id = u.region_id LEFT JOIN regions pr ON pr.id = r.parent_id
         JOIN term tm ON tm.committee_region_id = u.committee_region_id CROSS JOIN p
         WHERE u.deleted_at IS NULL
       ),
       last AS (
         SELECT u.id, max(i.stationed_from) AS last_day FROM unit u
         JOIN inspections i ON i.unit_id = u.id AND i.deleted_at IS NULL AND i.mode::text IN ('ROUTINE', 'SPECIAL', 'MOBILE')
                            AND i.stationed_from BETWEEN u.start_date AND u.e
         GROUP BY u.id
       )
       SELECT u.county, u.category, count(*)::int AS in_scope,
              count(*) FILTER (WHERE l.last_day >= p.qs)::int AS quarter,
              count(*) FILTER (WHERE l.last_day >= p.ys)::int AS year,
              count(l.id)::int AS term
       FROM unit u LEFT JOIN last l ON l.id = u.id CROSS JOIN p
       WHERE (u.valid_from <= u.e AND (u.valid_to IS NULL OR u.valid_to >= u.e))
          OR (u.valid_to >= u.start_date AND u.valid_to < u.e AND l.id IS NOT NULL)
       GROUP BY u.county, u.category`,
      [q.end, q.start, `${q.year}-01-01`],
    );
    const detail = rows.filter((r) => r[1] !== '小计' && r[0] !== '各地区合计' && r[0] !== '合计');
    const expected = sql
      .map((s) => [s.county, UNIT_CATEGORY_LABELS[s.category as keyof typeof UNIT_CATEGORY_LABELS], s.in_scope, s.quarter, s.year, s.term])
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    const got = detail.map((r) => r.slice(0, 6)).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    expect(got).toEqual(expected);
    expect(sql.some((s) => s.quarter > 0)).toBe(true);
    expect(sql.some((s) => s.year > s.quarter)).toBe(true);
  });

  it('发现问题分类统计 equals GET /api/metrics/categories (level 1 × county, level 2, and level 2 × county through the category filter)', async () => {
    const categories = await api<CategoriesResponse>(`/api/metrics/categories?asOf=${q.end}`);
    const sheet = book.getWorksheet('发现问题分类统计')!;
    const counties = options.regions[0].children;
    const header = (sheet.getRow(6).values as unknown[]).slice(3, 3 + counties.length);
    expect(header).toEqual(counties.map((c) => c.name));
    const rows = dataRows(sheet);
    const countyColumn = (regionId: number) => 2 + counties.findIndex((c) => c.id === regionId);
    for (const level1 of categories.level1) {
      const sub = rows.find((r) => r[0] === level1.name && r[1] === '小计')!;
      expect(sub[2 + counties.length]).toBe(level1.count);
      for (const county of counties) {
        const expected = categories.regionCategory.find((c) => c.regionId === county.id && c.categoryId === level1.categoryId)?.count ?? 0;
        expect([level1.name, county.name, sub[countyColumn(county.id)]]).toEqual([level1.name, county.name, expected]);
      }
    }
    for (const level2 of categories.level2) {
      const row = rows.find((r) => r[1] === level2.name && r[0] === categories.level1.find((l) => l.categoryId === level2.parentId)!.name)!;
      expect(row[2 + counties.length]).toBe(level2.count);
      const byRegion = (await api<CategoriesResponse>(`/api/metrics/categories?asOf=${q.end}&categoryId=${level2.categoryId}`)).byRegion;
      expect(counties.map((c) => row[countyColumn(c.id)])).toEqual(counties.map((c) => byRegion.find((r) => r.regionId === c.id)?.count ?? 0));
    }
    const total = rows[rows.length - 1];
    expect(total[0]).toBe('合计');
    expect(total[2 + counties.length]).toBe(categories.total);
    expect(counties.map((c) => total[countyColumn(c.id)])).toEqual(counties.map((c) => categories.byRegion.find((r) => r.regionId === c.id)?.count ?? 0));
    expect(total[3 + counties.length]).toBe(1);
  });

  it('整改情况 equals GET /api/metrics/rectification by round and in total, and the finding and task lists unit by unit', async () => {
    const rectification = await api<RectificationResponse>(`/api/metrics/rectification?asOf=${q.end}`);
    const rows = dataRows(book.getWorksheet('附表1 整改情况明细')!);
    const roundName = new Map(options.rounds.map((r) => [r.id, r.name]));
    const subtotals = rows.filter((r) => r[1] === '本轮小计');
    expect(subtotals.map((r) => r[0]).sort()).toEqual(rectification.byRound.map((r) => roundName.get(r.roundId)).sort());
    for (const round of rectification.byRound) {
      const sub = subtotals.find((r) => r[0] === roundName.get(round.roundId))!;
      expect([sub[3], sub[4], sub[9]]).toEqual([round.findings, round.findingsClosed, round.overdue]);
    }
    const total = rows[rows.length - 1];
    expect(total[0]).toBe('合计');
    expect(total.slice(3)).toEqual([
      rectification.findingClosure.denominator,
      rectification.findingClosure.numerator,
      rectification.findingClosure.rate,
      rectification.immediateClosure.denominator,
      rectification.immediateClosure.numerator,
      rectification.immediateClosure.rate,
      rectification.overdue.count,
    ]);

    // unit by unit, from the drill-down lists
    interface FindingRow {
      roundId: number;
      unitName: string;
      countyName: string;
      isImmediate: boolean;
      closed: boolean;
    }
    const findings: FindingRow[] = [];
    for (let page = 1; ; page++) {
      const body = await api<{ total: number; rows: FindingRow[] }>(`/api/findings?asOf=${q.end}&fedBack=true&pageSize=200&page=${page}`);
      findings.push(...body.rows);
      if (findings.length >= body.total) break;
    }
    const overdue = await allTasks(`asOf=${q.end}&overdue=true`);
    const units = new Map<string, number[]>();
    const key = (round: string, county: string, unit: string) => `${round}|${county}|${unit}`;
    for (const f of findings) {
      const k = key(roundName.get(f.roundId)!, f.countyName, f.unitName);
      const v = units.get(k) ?? [0, 0, 0, 0, 0];
      v[0]++;
      if (f.closed) v[1]++;
      if (f.isImmediate) v[2]++;
      if (f.isImmediate && f.closed) v[3]++;
      units.set(k, v);
    }
    const detailed = await Promise.all(overdue.rows.map((task) => api<{ inspection: { roundName: string } }>(`/api/tasks/${task.id}`)));
    const countyName = new Map(options.regions[0].children.map((r) => [r.id, r.name]));
    overdue.rows.forEach((task, i) => {
      const k = key(detailed[i].inspection.roundName, countyName.get(task.countyId)!, task.unitName);
      units.get(k)![4]++;
    });
    const sheetUnits = rows.filter((r) => r[1] !== '本轮小计' && r[0] !== '合计');
    expect(new Map(sheetUnits.map((r) => [key(r[0] as string, r[1] as string, r[2] as string), [r[3], r[4], r[6], r[7], r[9]]]))).toEqual(units);
  });

  it('整改情况汇总 equals GET /api/metrics/rectification by county, by round and in total', async () => {
    const rectification = await api<RectificationResponse>(`/api/metrics/rectification?asOf=${q.end}`);
    const rows = dataRows(book.getWorksheet('整改情况汇总')!);
    const roundName = new Map(options.rounds.map((r) => [r.id, r.name]));
    // the scope column is merged down its block: a row without it belongs to the one above
    let scope: Cell = null;
    const scoped = rows.map((r) => [(scope = r[0] ?? scope), ...r.slice(1)]);
    const byCounty = scoped.filter((r) => r[0] === '按地区');
    const byRound = scoped.filter((r) => r[0] === '按巡察轮次');
    const countyName = new Map(options.regions[0].children.map((r) => [r.id, r.name]));
    expect(byCounty.map((r) => r[1])).toEqual(options.regions[0].children.map((c) => c.name));
    for (const region of rectification.byRegion) {
      const row = byCounty.find((r) => r[1] === countyName.get(region.regionId))!;
      expect([row[1], row[2], row[3], row[8]]).toEqual([countyName.get(region.regionId), region.findings, region.findingsClosed, region.overdue]);
    }
    expect(byRound.map((r) => r[1]).sort()).toEqual(
      rectification.byRound
        .filter((r) => r.findings > 0)
        .map((r) => roundName.get(r.roundId))
        .sort(),
    );
    for (const round of rectification.byRound.filter((r) => r.findings > 0)) {
      const row = byRound.find((r) => r[1] === roundName.get(round.roundId))!;
      expect([row[2], row[3], row[8]]).toEqual([round.findings, round.findingsClosed, round.overdue]);
    }
    const total = rows[rows.length - 1];
    expect(total[0]).toBe('合计');
    expect(total.slice(2)).toEqual([
      rectification.findingClosure.denominator,
      rectification.findingClosure.numerator,
      rectification.findingClosure.rate,
      rectification.immediateClosure.denominator,
      rectification.immediateClosure.numerator,
      rectification.immediateClosure.rate,
      rectification.overdue.count,
    ]);
  });

  it('超期整改清单 holds exactly GET /api/tasks?overdue=true as of the quarter end, with descriptions from PostgreSQL', async () => {
    const expected = await allTasks(`asOf=${q.end}&overdue=true&sort=-daysOverdue`);
    expect(expected.total).toBeGreaterThan(5);
    const sheet = book.getWorksheet('附表2 超期整改清单')!;
    const rows = dataRows(sheet);
    expect(rows).toHaveLength(expected.total);
    expect(rows.map((r) => r[0])).toEqual(rows.map((_, i) => i + 1));
    expect(rows.map((r) => r[1])).toEqual(expected.rows.map((r) => r.id));
    expect(rows.map((r) => [r[3], r[7], r[11], r[12]])).toEqual(expected.rows.map((r) => [r.unitName, r.responsibleDept, r.dueDate, r.daysOverdue]));
    const descriptions = await query<{ id: string; description: string }>(t.db.url, 'SELECT id::text, description FROM findings WHERE id = ANY($1::bigint[])', [
      expected.rows.map((r) => r.findingId),
    ]);
    const byId = new Map(descriptions.map((d) => [Number(d.id), d.description]));
    expect(rows.map((r) => r[4])).toEqual(expected.rows.map((r) => byId.get(r.findingId)));
    // due dates are Excel dates
    expect(sheet.getCell(FIRST_DATA_ROW, 12).type).toBe(ExcelJS.ValueType.Date);
    expect(sheet.getCell(FIRST_DATA_ROW, 13).type).toBe(ExcelJS.ValueType.Number);
    expect(String(sheet.getCell('A4').value)).toContain(`共 ${expected.total} 项`);
    expect(sheet.autoFilter).toBeTruthy();
  });

  it('问题复发情况 equals GET /api/metrics/recurrence by region, by category and in total', async () => {
    const recurrence = await api<RecurrenceResponse>(`/api/metrics/recurrence?asOf=${q.end}`);
    const categories = await api<CategoriesResponse>(`/api/metrics/categories?asOf=${q.end}`);
    const rows = dataRows(book.getWorksheet('问题复发情况')!);
    const zero = { reinspectionFindings: 0, repeats: 0, closedReinspected: 0, rebounds: 0 };
    const figures = (g: typeof zero) => [
      g.reinspectionFindings,
      g.repeats,
      g.reinspectionFindings ? g.repeats / g.reinspectionFindings : null,
      g.closedReinspected,
      g.rebounds,
      g.closedReinspected ? g.rebounds / g.closedReinspected : null,
    ];
    for (const county of options.regions[0].children) {
      const row = rows.find((r) => r[0] === '按地区' && r[1] === county.name)!;
      expect(row.slice(2)).toEqual(figures(recurrence.byRegion.find((r) => r.regionId === county.id) ?? zero));
    }
    for (const level1 of categories.level1) {
      const row = rows.find((r) => r[0] === '按问题类别' && r[1] === level1.name)!;
      expect(row.slice(2)).toEqual(figures(recurrence.byCategory.find((r) => r.categoryId === level1.categoryId) ?? zero));
    }
    const total = rows[rows.length - 1];
    expect(total.slice(2)).toEqual([
      recurrence.repeat.denominator,
      recurrence.repeat.numerator,
      recurrence.repeat.rate,
      recurrence.rebound.denominator,
      recurrence.rebound.numerator,
      recurrence.rebound.rate,
    ]);
    expect(recurrence.repeat.numerator).toBeGreaterThan(0);
  });

  it('reads the same in LibreOffice (a second, independent reader), sheet by sheet', () => {
    const version = sofficeVersion();
    if (!version) {
      if (process.env.XUNCHA_REQUIRE_SYSTEM_PACKAGES === '1') throw new Error('soffice (LibreOffice) is not installed, and XUNCHA_REQUIRE_SYSTEM_PACKAGES=1');
      console.log('exports: skipped the LibreOffice check: soffice is not installed (apt-get install libreoffice-calc-nogui)');
      return;
    }
    const [major, minor] = (/(\d+)\.(\d+)/.exec(version) ?? ['', '0', '0']).slice(1).map(Number);
    expect(major > 7 || (major === 7 && minor >= 2)).toBe(true); // every sheet to its own CSV needs 7.2+
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xuncha-lo-'));
    /** Every sheet as CSV: values (token 9 false: full precision) or as shown in the cells (true). */
    const convert = (asShown: boolean) => {
      const out = path.join(dir, asShown ? 'shown' : 'values');
      execFileSync(
        'soffice',
        [
          `-env:UserInstallation=file://${path.join(dir, 'profile')}`,
          '--headless',
          '--convert-to',
          `csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,${asShown},false,false,-1`,
          '--outdir',
          out,
          path.join(dir, 'quarterly.xlsx'),
        ],
        { stdio: 'pipe', timeout: 180_000 },
      );
      return (sheet: string) => {
        const file = path.join(out, `quarterly-${sheet}.csv`);
        expect(fs.existsSync(file)).toBe(true);
        return parseCsv(fs.readFileSync(file, 'utf8'));
      };
    };
    /** 09/30/2026 (LibreOffice's default date display) or 2026-09-30 as YYYY-MM-DD. */
    const day = (text: string | undefined) => {
      const us = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(text ?? '');
      return us ? `${us[3]}-${us[1]}-${us[2]}` : text;
    };
    try {
      fs.writeFileSync(path.join(dir, 'quarterly.xlsx'), workbookBytes);
      const values = convert(false);
      const shown = convert(true);
      for (const sheet of book.worksheets) {
        const raw = values(sheet.name);
        const display = shown(sheet.name);
        expect(display[2]?.filter(Boolean)).toEqual([
          '统计截止日期：',
          `${Number(q.end.slice(0, 4))}年${Number(q.end.slice(5, 7))}月${Number(q.end.slice(8))}日`,
        ]);
        let compared = 0;
        for (let r = FIRST_DATA_ROW; r <= sheet.rowCount; r++) {
          for (const cell of masters(sheet.getRow(r))) {
            const c = Number(cell.col);
            const where = `${sheet.name}!${cell.address}`;
            const value = raw[r - 1]?.[c - 1];
            const text = display[r - 1]?.[c - 1];
            if (cell.type === ExcelJS.ValueType.Number) {
              compared++;
              const v = cell.value as number;
              if (cell.numFmt === '0.0%') {
                // full precision as values; one decimal as shown (either rounding of a tie)
                expect({ where, close: Math.abs(Number(value.replace(/%$/, '')) / 100 - v) < 1e-12 }).toEqual({ where, close: true });
                expect({ where, close: /^\d+\.\d%$/.test(text ?? '') && Math.abs(Number(text.slice(0, -1)) - v * 100) <= 0.05 + 1e-9 }).toEqual({
                  where,
                  close: true,
                });
              } else {
                expect({ where, value, text }).toEqual({ where, value: String(v), text: String(v) });
              }
            } else if (cell.type === ExcelJS.ValueType.Date) {
              compared++;
              expect({ where, value: day(value), text }).toEqual({ where, value: isoDay(cell.value as Date), text: isoDay(cell.value as Date) });
            } else if (typeof cell.value === 'string') {
              expect({ where, value }).toEqual({ where, value: cell.value });
            } else {
              expect({ where, value }).toEqual({ where, value: '' });
            }
          }
        }
        expect(compared).toBeGreaterThan(0);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps a past quarter’s workbook the same after later work is recorded and loaded', async () => {
    const overdue = await allTasks(`asOf=${q.end}&overdue=true`);
    const open = await query<{ id: string; status: string }>(
      t.db.url,
      `SELECT id::text, status::text FROM rectification_tasks
        WHERE id = ANY($1::bigint[]) AND deleted_at IS NULL AND status <> 'CLOSED' AND current_due_date IS NOT NULL ORDER BY id LIMIT 10`,
      [overdue.rows.map((r) => r.id)],
    );
    expect(open.length).toBeGreaterThanOrEqual(4); // tasks overdue at the quarter end, still open today
    const closing = open.slice(0, Math.ceil(open.length / 2)).map((r) => r.id);
    const extending = open.slice(Math.ceil(open.length / 2)).map((r) => r.id);
    await query(
      t.db.url,
      `WITH old AS (SELECT id, status FROM rectification_tasks WHERE id = ANY($1::bigint[])),
       changed AS (UPDATE rectification_tasks SET status = 'CLOSED', closed_date = $2::date WHERE id = ANY($1::bigint[]))
       INSERT INTO task_events (task_id, type, event_date, from_status, to_status, actor, note)
       SELECT old.id, 'STATUS_CHANGE', $2::date, old.status, 'CLOSED', 'test', '销号' FROM old`,
      [closing, today],
    );
    await query(
      t.db.url,
      `WITH moved AS (
         UPDATE rectification_tasks SET current_due_date = current_due_date + 365 WHERE id = ANY($1::bigint[]) RETURNING id, current_due_date
       )
       INSERT INTO task_events (task_id, type, event_date, new_due_date, actor, note)
       SELECT id, 'EXTENSION', $2::date, current_due_date, 'test', '延期一年' FROM moved`,
      [extending, today],
    );
    await t.etl();
    // today's list moved: the closed tasks are gone from it
    const todayOverdue = await allTasks(`asOf=${today}&overdue=true`);
    expect(todayOverdue.rows.filter((r) => closing.includes(String(r.id)))).toEqual([]);

    // computed again from the warehouse, not served as kept (workbook-store.test.ts tests keeping)
    await t.app.get(ExportsService).store.clear();
    const again = await download(`/api/exports/quarterly?year=${q.year}&quarter=${q.quarter}`);
    expect(again.status).toBe(200);
    expect(again.headers.get('x-xuncha-workbook')).toBe('made');
    const after = await read(again.body);
    expect(after.worksheets.map((s) => s.name)).toEqual(SHEETS);
    for (const sheet of book.worksheets) {
      const other = after.getWorksheet(sheet.name)!;
      expect(other.rowCount).toBe(sheet.rowCount);
      const cells = (s: ExcelJS.Worksheet) => {
        const out: Cell[][] = [];
        for (let r = 1; r <= s.rowCount; r++) out.push(Array.from({ length: s.columnCount }, (_, c) => plain(s.getRow(r).getCell(c + 1))));
        return out;
      };
      expect(cells(other)).toEqual(cells(sheet));
    }
  });

  it('limits a county user’s workbook to the county (through the service)', async () => {
    const county = options.regions[0].children.find((r) => r.level === 'COUNTY')!;
    const service = t.app.get(ExportsService);
    const { file }: { file: StreamableFile } = await service.quarterly(q.year, q.quarter, { countyId: county.id });
    const chunks: Buffer[] = [];
    for await (const chunk of file.getStream()) chunks.push(Buffer.from(chunk));
    const restricted = await read(Buffer.concat(chunks));
    expect(file.getHeaders().disposition).toContain(encodeURIComponent(county.name));
    for (const sheet of restricted.worksheets) expect((sheet.getRow(2).values as unknown[]).includes(county.name)).toBe(true);

    const coverage = await api<CoverageResponse>(`/api/metrics/coverage?asOf=${q.end}&regionId=${county.id}&uncoveredLimit=0`);
    const rows = dataRows(restricted.getWorksheet('巡察覆盖情况')!);
    expect([...new Set(rows.filter((r) => r[1] === '小计').map((r) => r[0]))]).toEqual([county.name]);
    const total = rows[rows.length - 1];
    expect([total[2], total[5]]).toEqual([coverage.coverage.denominator, coverage.coverage.numerator]);

    const categories = await api<CategoriesResponse>(`/api/metrics/categories?asOf=${q.end}&regionId=${county.id}`);
    const categoryRows = dataRows(restricted.getWorksheet('发现问题分类统计')!);
    expect(categoryRows[categoryRows.length - 1][2]).toBe(categories.total);

    const rectification = await api<RectificationResponse>(`/api/metrics/rectification?asOf=${q.end}&regionId=${county.id}`);
    const unitRows = dataRows(restricted.getWorksheet('附表1 整改情况明细')!);
    expect(unitRows[unitRows.length - 1].slice(3, 5)).toEqual([rectification.findingClosure.denominator, rectification.findingClosure.numerator]);
    expect(unitRows.filter((r) => r[0] !== '合计' && r[1] !== '本轮小计').every((r) => r[1] === county.name)).toBe(true);

    const overdue = await allTasks(`asOf=${q.end}&overdue=true&sort=-daysOverdue&regionId=${county.id}`);
    expect(dataRows(restricted.getWorksheet('附表2 超期整改清单')!).map((r) => r[1])).toEqual(overdue.rows.map((r) => r.id));

    const recurrence = await api<RecurrenceResponse>(`/api/metrics/recurrence?asOf=${q.end}&regionId=${county.id}`);
    const recurrenceRows = dataRows(restricted.getWorksheet('问题复发情况')!);
    expect(recurrenceRows.filter((r) => r[0] === '按地区').map((r) => r[1])).toEqual([county.name]);
    expect(recurrenceRows[recurrenceRows.length - 1].slice(2, 4)).toEqual([recurrence.repeat.denominator, recurrence.repeat.numerator]);
  });

  it('pages through long lists without losing or repeating a row', async () => {
    const service = t.app.get(ExportsService);
    const saved = service.chunkSize;
    service.chunkSize = 7;
    try {
      await service.store.clear();
      const response = await download(`/api/exports/quarterly?year=${q.year}&quarter=${q.quarter}`);
      const paged = await read(response.body);
      const expected = await allTasks(`asOf=${q.end}&overdue=true&sort=-daysOverdue`);
      expect(dataRows(paged.getWorksheet('附表2 超期整改清单')!).map((r) => r[1])).toEqual(expected.rows.map((r) => r.id));
      const csv = await download(`/api/tasks.csv?asOf=${q.end}&overdue=true&sort=-daysOverdue`);
      expect(
        parseCsv(csv.body.toString('utf8').slice(1))
          .slice(1)
          .map((r) => Number(r[0])),
      ).toEqual(expected.rows.map((r) => r.id));
    } finally {
      service.chunkSize = saved;
    }
  });

  it('refuses a bad year or quarter with a 400 naming it', async () => {
    const thisYear = Number(today.slice(0, 4));
    const cases: [string, string][] = [
      [`year=1999&quarter=1`, 'year'],
      [`year=${thisYear + 1}&quarter=1`, 'year'],
      [`year=abc&quarter=1`, 'year'],
      [`quarter=1`, 'year'],
      [`year=${thisYear}&quarter=5`, 'quarter'],
      [`year=${thisYear}&quarter=0`, 'quarter'],
      [`year=${thisYear}`, 'quarter'],
      [`year=${thisYear}&quarter=${q.current}`, 'quarter'], // the current quarter has not ended
      [`year=${q.year}&quarter=${q.quarter}&regionId=1`, 'regionId'],
    ];
    if (q.current < 4) cases.push([`year=${thisYear}&quarter=4`, 'quarter']); // in the future
    for (const [params, field] of cases) {
      const response = await t.get<{ statusCode: number; message: string }>(`/api/exports/quarterly?${params}`);
      expect({ params, status: response.status, message: response.body.message }).toEqual({
        params,
        status: 400,
        message: expect.stringMatching(new RegExp(`^${field}: `)),
      });
    }
  });

  it('downloads the task list as CSV: BOM, Chinese header, every row of the list', async () => {
    const expected = await allTasks(`asOf=${q.end}&closed=false`);
    const response = await download(`/api/tasks.csv?asOf=${q.end}&closed=false`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent(`未销号任务_${q.end}.csv`)}`);
    expect([...response.body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = response.body.toString('utf8').slice(1);
    expect(text.endsWith('\r\n')).toBe(true);
    const records = parseCsv(text);
    expect(records[0].slice(0, 4)).toEqual(['任务编号', '问题编号', '县(市、区)', '被巡察单位']);
    expect(records.length - 1).toBe(expected.total);
    expect(
      records
        .slice(1)
        .map((r) => Number(r[0]))
        .sort((a, b) => a - b),
    ).toEqual(expected.rows.map((r) => r.id).sort((a, b) => a - b));
    expect(new Set(records.map((r) => r.length)).size).toBe(1);
    const bad = await t.get<{ message: string }>(`/api/tasks.csv?page=2`);
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/^page: /);
    // the list's own routes still answer
    expect((await t.get(`/api/tasks/${expected.rows[0].id}`)).status).toBe(200);
  });

  it('downloads the finding list as CSV with formulas defused and text quoted', async () => {
    const [target] = await query<{ id: string }>(t.db.url, 'SELECT id::text FROM findings WHERE deleted_at IS NULL ORDER BY id LIMIT 1');
    const description = '=HYPERLINK("http://example.invalid","点击"),再加一行\n第二行';
    await query(t.db.url, 'UPDATE findings SET description = $2 WHERE id = $1::bigint', [target.id, description]);
    const total = (await api<{ total: number }>(`/api/findings?pageSize=1`)).total;
    const response = await download(`/api/findings.csv`);
    expect(response.status).toBe(200);
    expect(response.body.subarray(0, 3).toString('hex')).toBe('efbbbf');
    const records = parseCsv(response.body.toString('utf8').slice(1));
    expect(records[0]).toContain('问题描述');
    expect(records.length - 1).toBe(total);
    const column = records[0].indexOf('问题描述');
    const row = records.find((r) => r[0] === target.id)!;
    expect(row[column]).toBe(`'${description}`);
    for (const r of records.slice(1)) expect(r[column]).not.toMatch(/^[=+\-@]/);
  });
});
