import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { OptionsResponse, RecurrenceResponse, RectificationResponse, ReportedState } from '@xuncha/backend';
import { startTestApp, type TestApp, type TestClient } from '../support/app';
import { referenceRecurrence, referenceRectification } from '../support/metrics-reference';
import { query } from '../support/pg';
import { pinToday } from '../support/today';
import { parseCsv } from '../support/csv';

/**
 * 已报送 (issue 16 item 5), end to end over the real engines: a quarter marked reported keeps
 * its workbook (the file, in PostgreSQL) and figures; a backdated 销号 inside the quarter,
 * loaded by the ETL, leaves the reported workbook's cells as they were (read back by
 * LibreOffice) and shows as a correction whose differences equal the plain-SQL reference
 * (tests/src/support/metrics-reference.ts) before and after; the current workbook is labelled.
 */
jest.setTimeout(600_000);

const SHEETS = ['巡察覆盖情况', '发现问题分类统计', '整改情况汇总', '问题复发情况', '附表1 整改情况明细', '附表2 超期整改清单'];
type Correction = ReportedState['corrections'][number];

function previousQuarter(day: string) {
  const [y, m] = day.split('-').map(Number);
  const current = Math.floor((m - 1) / 3) + 1;
  const year = current === 1 ? y - 1 : y;
  const quarter = current === 1 ? 4 : current - 1;
  const firstMonth = (quarter - 1) * 3;
  const start = new Date(Date.UTC(year, firstMonth, 1)).toISOString().slice(0, 10);
  const end = new Date(Date.UTC(year, firstMonth + 3, 1) - 86_400_000).toISOString().slice(0, 10);
  return { year, quarter, start, end };
}

/** Every sheet of a workbook as LibreOffice reads it (the cells as shown), by sheet name. */
function readWithLibreOffice(bytes: Buffer, names: readonly string[]): Map<string, string[][]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xuncha-reported-'));
  try {
    fs.writeFileSync(path.join(dir, 'book.xlsx'), bytes);
    execFileSync(
      'soffice',
      [
        `-env:UserInstallation=file://${path.join(dir, 'profile')}`,
        '--headless',
        '--convert-to',
        'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1',
        '--outdir',
        path.join(dir, 'out'),
        path.join(dir, 'book.xlsx'),
      ],
      { stdio: 'pipe', timeout: 180_000 },
    );
    return new Map(names.map((name) => [name, parseCsv(fs.readFileSync(path.join(dir, 'out', `book-${name}.csv`), 'utf8'))]));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The corrections a change of figures makes: every (row, column) whose value differs, current − reported. */
function expectedCorrections(
  sheet: string,
  before: Map<string, number | null>,
  after: Map<string, number | null>,
  format: (column: string) => 'count' | 'rate',
): Correction[] {
  const out: Correction[] = [];
  for (const [key, reported] of before) {
    const current = after.get(key) ?? null;
    const same = reported === null || current === null ? reported === current : Math.abs(reported - current) < 1e-12;
    if (same) continue;
    const [row, column] = key.split('|');
    out.push({ sheet, row, column, format: format(column), reported, current, difference: reported === null || current === null ? null : current - reported });
  }
  return out;
}

const rate = (n: number, d: number) => (d === 0 ? null : n / d);
const sortCorrections = (list: Correction[]) => [...list].sort((a, b) => `${a.sheet}|${a.row}|${a.column}`.localeCompare(`${b.sheet}|${b.row}|${b.column}`));
/** Rates compared to 12 places (a ratio computed twice may differ in the last bit). */
const rounded = (list: Correction[]) =>
  list.map((c) => ({
    ...c,
    reported: c.reported === null ? null : Number(c.reported.toFixed(12)),
    current: c.current === null ? null : Number(c.current.toFixed(12)),
    difference: c.difference === null ? null : Number(c.difference.toFixed(12)),
  }));

describe('reported quarters (已报送)', () => {
  const today = pinToday();
  const q = previousQuarter(today);
  const params = `year=${q.year}&quarter=${q.quarter}`;
  let t: TestApp;
  let options: OptionsResponse;
  let computedBefore: Buffer;
  let stateReported: ReportedState;

  const download = async (urlPath: string, client: { cookie: string } = { cookie: t.cookie }) => {
    const response = await fetch(t.url + urlPath, { headers: { cookie: client.cookie } });
    return { status: response.status, headers: response.headers, body: Buffer.from(await response.arrayBuffer()) };
  };
  const state = async (client: TestClient | TestApp = t, extra = '') => {
    const response = await client.get<ReportedState>(`/api/exports/quarterly/report?${params}${extra}`);
    expect(response.status).toBe(200);
    return response.body;
  };

  beforeAll(async () => {
    t = await startTestApp({ seed: { scale: 'tiny', today } });
    options = (await t.get<OptionsResponse>('/api/options')).body;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('starts 未报送, then marks the quarter 已报送 once (audited) and serves the workbook as reported', async () => {
    const before = await state();
    expect(before).toMatchObject({
      year: q.year,
      quarter: q.quarter,
      region: { id: options.regions[0].id, name: options.regions[0].name },
      state: 'unreported',
      reported: null,
      corrections: [],
    });
    const computed = await download(`/api/exports/quarterly?${params}`);
    expect(computed.status).toBe(200);
    expect(computed.headers.get('x-xuncha-workbook')).toBe('made');
    computedBefore = computed.body;

    const marked = await t.send<ReportedState>('POST', '/api/exports/quarterly/report', { year: q.year, quarter: q.quarter });
    expect(marked.status).toBe(201);
    expect(marked.body).toMatchObject({ state: 'reported', reported: { by: 'staff' }, corrections: [] });
    expect(marked.body.reported!.figures).toBeGreaterThan(50);
    stateReported = marked.body;
    const again = await t.send<{ message: string }>('POST', '/api/exports/quarterly/report', { year: q.year, quarter: q.quarter });
    expect([again.status, again.body.message.split(':')[0]]).toEqual([409, 'quarter']);
    const audit = await query<{ action: string; success: boolean }>(
      t.db.url,
      "SELECT action, success FROM audit_logs WHERE action = 'export.quarterly-report' ORDER BY id",
    );
    expect(audit).toEqual([
      { action: 'export.quarterly-report', success: true },
      { action: 'export.quarterly-report', success: false },
    ]);
    // the file kept in PostgreSQL is what is served
    const [kept] = await query<{ sha256: string; size: number; content: Buffer }>(
      t.db.url,
      'SELECT sha256, size, content FROM reported_quarters WHERE year = $1 AND quarter = $2 AND region_id = $3',
      [q.year, q.quarter, options.regions[0].id],
    );
    expect(createHash('sha256').update(kept.content).digest('hex')).toBe(kept.sha256);
    const served = await download(`/api/exports/quarterly?${params}`);
    expect(served.headers.get('x-xuncha-workbook')).toBe('reported');
    expect(decodeURIComponent(/filename\*=UTF-8''([^;]+)/.exec(served.headers.get('content-disposition') ?? '')![1])).toBe(
      `${options.regions[0].name}巡察工作统计-${q.year}年第${q.quarter}季度-已报送.xlsx`,
    );
    expect(served.body.equals(kept.content)).toBe(true);
    expect(stateReported.reported!.sha256).toBe(kept.sha256);
    // the same cells as the workbook computed before it was marked
    const reported = readWithLibreOffice(served.body, SHEETS);
    const computedCells = readWithLibreOffice(computedBefore, SHEETS);
    for (const sheet of SHEETS) expect({ sheet, cells: reported.get(sheet) }).toEqual({ sheet, cells: computedCells.get(sheet) });
  });

  it('keeps the reported workbook and figures through a backdated 销号, and lists the correction with the reference’s differences', async () => {
    const filters = { asOf: q.end };
    const rect0 = await referenceRectification(t.db.url, filters);
    const rec0 = await referenceRecurrence(t.db.url, filters);
    // a task overdue at the quarter end (the API's list), still open, not 立行立改, whose status and
    // due day have not changed since the day before the quarter's end
    const effective = new Date(Date.parse(`${q.end}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const overdueIds: number[] = [];
    for (let page = 1; ; page++) {
      const body = (await t.get<{ total: number; rows: { id: number }[] }>(`/api/tasks?asOf=${q.end}&overdue=true&pageSize=200&page=${page}`)).body;
      overdueIds.push(...body.rows.map((r) => r.id));
      if (overdueIds.length >= body.total || body.rows.length === 0) break;
    }
    const [task] = await query<{ id: string; county_id: number; round_id: number }>(
      t.db.url,
      `SELECT k.id::text, i.round_id,
              (SELECT CASE WHEN g.level = 'TOWNSHIP' THEN g.parent_id ELSE g.id END FROM regions g WHERE g.id = u.region_id) AS county_id
         FROM rectification_tasks k JOIN findings f ON f.id = k.finding_id JOIN inspections i ON i.id = f.inspection_id JOIN org_units u ON u.id = f.unit_id
        WHERE k.id = ANY($2::bigint[]) AND NOT f.is_immediate AND k.status NOT IN ('CLOSED', 'CLOSE_REQUESTED') AND k.current_due_date < $1::date
          AND NOT EXISTS (SELECT 1 FROM task_events e WHERE e.task_id = k.id AND (e.to_status IS NOT NULL OR e.type = 'EXTENSION') AND e.event_date >= $1::date)
        ORDER BY k.id LIMIT 1`,
      [effective, overdueIds],
    );
    expect(task).toBeDefined();
    // closed with an effective day inside the quarter, after its due day: not overdue at the quarter end any more
    await query(
      t.db.url,
      `WITH old AS (SELECT id, status FROM rectification_tasks WHERE id = $1::bigint),
       changed AS (UPDATE rectification_tasks SET status = 'CLOSED', closed_date = $2::date WHERE id = $1::bigint)
       INSERT INTO task_events (task_id, type, event_date, from_status, to_status, actor, note)
       SELECT old.id, 'STATUS_CHANGE', $2::date, old.status, 'CLOSED', 'test', '补录销号（倒签）' FROM old`,
      [task.id, effective],
    );
    await t.etl();
    const rect1 = await referenceRectification(t.db.url, filters);
    const rec1 = await referenceRecurrence(t.db.url, filters);
    // by hand: the task was overdue at the quarter end and is closed inside it
    expect(rect1.overdue.count).toBe(rect0.overdue.count - 1);

    // the reported workbook keeps every reported cell, and gains the 更正说明 sheet
    const served = await download(`/api/exports/quarterly?${params}`);
    expect(served.headers.get('x-xuncha-workbook')).toBe('reported');
    const reported = readWithLibreOffice(served.body, [...SHEETS, '更正说明']);
    const computedCells = readWithLibreOffice(computedBefore, SHEETS);
    for (const sheet of SHEETS) expect({ sheet, cells: reported.get(sheet) }).toEqual({ sheet, cells: computedCells.get(sheet) });

    const after = await state();
    expect(after.state).toBe('corrected');
    expect(after.reported).toEqual(stateReported.reported);
    const corrections = after.corrections;

    // 整改情况汇总: by county, by round and in total, from the reference before and after
    const countyName = new Map(options.regions[0].children.map((r) => [r.id, r.name]));
    const roundName = new Map(options.rounds.map((r) => [r.id, r.name]));
    const summary = (rect: RectificationResponse) => {
      const m = new Map<string, number | null>();
      const put = (row: string, g: { findings: number; findingsClosed: number; overdue: number }) => {
        m.set(`${row}|反馈问题整改 反馈问题数`, g.findings);
        m.set(`${row}|反馈问题整改 已整改销号`, g.findingsClosed);
        m.set(`${row}|反馈问题整改 整改完成率`, rate(g.findingsClosed, g.findings));
        m.set(`${row}|超期未完成整改任务数`, g.overdue);
      };
      for (const r of rect.byRegion) put(`按地区 / ${countyName.get(r.regionId)}`, r);
      for (const r of rect.byRound) if (r.findings > 0) put(`按巡察轮次 / ${roundName.get(r.roundId)}`, r);
      put('合计', { findings: rect.findingClosure.denominator, findingsClosed: rect.findingClosure.numerator, overdue: rect.overdue.count });
      return m;
    };
    const rectificationFormat = (column: string) => (column.endsWith('率') ? 'rate' : 'count');
    const expectedSummary = expectedCorrections('整改情况汇总', summary(rect0), summary(rect1), rectificationFormat);
    expect(rounded(sortCorrections(corrections.filter((c) => c.sheet === '整改情况汇总')))).toEqual(rounded(sortCorrections(expectedSummary)));
    // the task's county, round and the total each lose one overdue task
    for (const row of [`按地区 / ${countyName.get(task.county_id)}`, `按巡察轮次 / ${roundName.get(task.round_id)}`, '合计']) {
      expect(corrections.find((c) => c.sheet === '整改情况汇总' && c.row === row && c.column === '超期未完成整改任务数')).toMatchObject({ difference: -1 });
    }
    expect(corrections.find((c) => c.sheet === '附表2 超期整改清单')).toEqual({
      sheet: '附表2 超期整改清单',
      row: '合计',
      column: '超期整改任务数',
      format: 'count',
      reported: rect0.overdue.count,
      current: rect1.overdue.count,
      difference: -1,
    });

    // 问题复发情况: by county, by level-1 category and in total
    const recurrence = (rec: RecurrenceResponse) => {
      const m = new Map<string, number | null>();
      const put = (row: string, g: { reinspectionFindings: number; repeats: number; closedReinspected: number; rebounds: number }) => {
        m.set(`${row}|同类问题重复发生 再次巡察发现问题数`, g.reinspectionFindings);
        m.set(`${row}|同类问题重复发生 其中同类问题重复`, g.repeats);
        m.set(`${row}|同类问题重复发生 重复率`, rate(g.repeats, g.reinspectionFindings));
        m.set(`${row}|整改后反弹 已销号且单位再次被巡察问题数`, g.closedReinspected);
        m.set(`${row}|整改后反弹 其中反弹`, g.rebounds);
        m.set(`${row}|整改后反弹 反弹率`, rate(g.rebounds, g.closedReinspected));
      };
      for (const r of rec.byRegion) put(`按地区 / ${countyName.get(r.regionId)}`, r);
      const level1 = new Map(options.categories.map((c) => [c.id, c.name]));
      for (const c of rec.byCategory) put(`按问题类别 / ${level1.get(c.categoryId)}`, c);
      put('合计', {
        reinspectionFindings: rec.repeat.denominator,
        repeats: rec.repeat.numerator,
        closedReinspected: rec.rebound.denominator,
        rebounds: rec.rebound.numerator,
      });
      return m;
    };
    const expectedRecurrence = expectedCorrections('问题复发情况', recurrence(rec0), recurrence(rec1), rectificationFormat);
    expect(rounded(sortCorrections(corrections.filter((c) => c.sheet === '问题复发情况')))).toEqual(rounded(sortCorrections(expectedRecurrence)));
    // coverage and the categories of findings do not move with a closure
    expect(corrections.filter((c) => c.sheet === '巡察覆盖情况' || c.sheet === '发现问题分类统计')).toEqual([]);
    expect(corrections.length).toBe(expectedSummary.length + expectedRecurrence.length + 1);

    // the workbook's 更正说明 lists the same, as LibreOffice reads it
    const sheet = reported.get('更正说明')!;
    const header = sheet.findIndex((r) => r[0] === '序号');
    expect(sheet[header]).toEqual(['序号', '报表', '行', '列', '报送数', '现行数', '差额']);
    const listed = sheet.slice(header + 1).filter((r) => /^\d+$/.test(r[0]));
    const shown = (v: number | null, format: 'count' | 'rate', signed = false) => {
      if (v === null) return '';
      const text = format === 'rate' ? `${(v * 100).toFixed(1)}%` : String(v);
      return signed && v > 0 ? `+${text}` : text;
    };
    expect(listed.map((r) => r.slice(1, 5))).toEqual(corrections.map((c) => [c.sheet, c.row, c.column, shown(c.reported, c.format)]));
    expect(listed.find((r) => r[1] === '附表2 超期整改清单')!.slice(4, 7)).toEqual([String(rect0.overdue.count), String(rect1.overdue.count), '-1']);

    // as currently computed: labelled, and with the current figures
    const current = await download(`/api/exports/quarterly?${params}&version=current`);
    expect(current.status).toBe(200);
    expect(current.headers.get('x-xuncha-workbook')).toBe('made');
    expect(decodeURIComponent(/filename\*=UTF-8''([^;]+)/.exec(current.headers.get('content-disposition') ?? '')![1])).toBe(
      `${options.regions[0].name}巡察工作统计-${q.year}年第${q.quarter}季度-当前计算.xlsx`,
    );
    const now = readWithLibreOffice(current.body, SHEETS);
    for (const name of SHEETS) expect(now.get(name)![0][0]).toContain('当前计算数，非已报送数');
    const total = now.get('整改情况汇总')!.find((r) => r[0] === '合计')!;
    expect(total[8]).toBe(String(rect1.overdue.count));
  });

  it('lets county staff mark their own county’s workbook only, and the administrator any; a leader reads the state only', async () => {
    const county = options.regions[0].children.find((r) => r.level === 'COUNTY')!;
    const other = options.regions[0].children.find((r) => r.level === 'COUNTY' && r.id !== county.id)!;
    const [{ code }] = await query<{ code: string }>(t.db.url, 'SELECT code FROM regions WHERE id = $1', [county.id]);
    const countyStaff = await t.as(`county-${code}`);
    const leader = await t.as('leader');
    const admin = await t.as('admin');
    expect((await countyStaff.send('POST', '/api/exports/quarterly/report', { year: q.year, quarter: q.quarter, regionId: other.id })).status).toBe(403);
    expect((await leader.send('POST', '/api/exports/quarterly/report', { year: q.year, quarter: q.quarter })).status).toBe(403);
    expect((await state(countyStaff)).state).toBe('unreported'); // their county's workbook, not the city's
    const marked = await countyStaff.send<ReportedState>('POST', '/api/exports/quarterly/report', { year: q.year, quarter: q.quarter });
    expect(marked.status).toBe(201);
    expect(marked.body).toMatchObject({ region: { id: county.id, name: county.name }, state: 'reported', reported: { by: `county-${code}` } });
    expect((await state(leader, `&regionId=${county.id}`)).state).toBe('reported');
    expect((await state(leader)).state).toBe('corrected'); // the city's, reported by staff above
    const byAdmin = await admin.send<ReportedState>('POST', '/api/exports/quarterly/report', { year: q.year, quarter: q.quarter, regionId: other.id });
    expect([byAdmin.status, byAdmin.body.reported?.by]).toEqual([201, 'admin']);
    // a bad quarter or body is a 400 naming the field
    for (const [body, field] of [
      [{ year: q.year, quarter: 5 }, 'quarter'],
      [{ year: q.year + 2, quarter: 1 }, 'year'],
      [{ year: q.year, quarter: q.quarter, regionId: options.regions[0].id }, 'regionId'],
      [{ quarter: 1 }, 'year'],
    ] as const) {
      const refused = await t.send<{ message: string }>('POST', '/api/exports/quarterly/report', body);
      expect([JSON.stringify(body), refused.status, refused.body.message.split(':')[0]]).toEqual([JSON.stringify(body), 400, field]);
    }
  });

  // --- 撤回已报送 (exports3): withdrawn by the administrator, kept with its file, reported again
  it('lets the administrator alone withdraw a report with a reason (audited), keeps its file, and the quarter is reported again with the new figures', async () => {
    const city = options.regions[0];
    const county = city.children.find((r) => r.level === 'COUNTY')!;
    const [{ code }] = await query<{ code: string }>(t.db.url, 'SELECT code FROM regions WHERE id = $1', [county.id]);
    const countyStaff = await t.as(`county-${code}`);
    const leader = await t.as('leader');
    const admin = await t.as('admin');
    const body = { year: q.year, quarter: q.quarter, reason: '报送时漏录补录销号，需更正后重报' };
    const [kept] = await query<{ id: number; sha256: string; size: number; content: Buffer }>(
      t.db.url,
      'SELECT id, sha256, size, content FROM reported_quarters WHERE year = $1 AND quarter = $2 AND region_id = $3 AND withdrawn_at IS NULL',
      [q.year, q.quarter, city.id],
    );
    expect(kept).toBeDefined();

    // only the administrator; a reason is required
    for (const client of [t, leader, countyStaff]) expect((await client.send('POST', '/api/exports/quarterly/report/withdraw', body)).status).toBe(403);
    for (const reason of [undefined, '   ']) {
      const refused = await admin.send<{ message: string }>('POST', '/api/exports/quarterly/report/withdraw', { year: q.year, quarter: q.quarter, reason });
      expect([refused.status, refused.body.message.split(':')[0]]).toEqual([400, 'reason']);
    }
    expect((await state()).state).toBe('corrected');

    const withdrawn = await admin.send<ReportedState>('POST', '/api/exports/quarterly/report/withdraw', body);
    expect(withdrawn.status).toBe(201);
    expect(withdrawn.body).toMatchObject({ region: { id: city.id }, state: 'unreported', reported: null, corrections: [] });
    expect(withdrawn.body.withdrawn).toEqual([
      {
        id: kept.id,
        reportedAt: stateReported.reported!.at,
        reportedBy: 'staff',
        withdrawnAt: expect.any(String),
        withdrawnBy: 'admin',
        reason: body.reason,
        fileName: stateReported.reported!.fileName,
        size: kept.size,
        sha256: kept.sha256,
      },
    ]);
    const again = await admin.send<{ message: string }>('POST', '/api/exports/quarterly/report/withdraw', body);
    expect([again.status, again.body.message.split(':')[0]]).toEqual([409, 'quarter']);
    // the county workbooks are untouched
    expect((await state(leader, `&regionId=${county.id}`)).state).toBe('reported');
    // audited, with the reason; the refusals recorded as failures
    const audit = await query<{ username: string; success: boolean; reason: string | null }>(
      t.db.url,
      "SELECT username, success, detail->'body'->>'reason' AS reason FROM audit_logs WHERE action = 'export.quarterly-withdraw' AND success ORDER BY id",
    );
    expect(audit).toEqual([{ username: 'admin', success: true, reason: body.reason }]);

    // the withdrawn file downloads byte for byte, for the readers of the city's workbook
    const file = await download(`/api/exports/quarterly/report/withdrawn/${kept.id}`);
    expect(file.status).toBe(200);
    expect(file.body.equals(kept.content)).toBe(true);
    expect(createHash('sha256').update(file.body).digest('hex')).toBe(kept.sha256);
    expect(decodeURIComponent(/filename\*=UTF-8''([^;]+)/.exec(file.headers.get('content-disposition') ?? '')![1])).toBe(
      `${city.name}巡察工作统计-${q.year}年第${q.quarter}季度-已撤回.xlsx`,
    );
    expect((await download(`/api/exports/quarterly/report/withdrawn/${kept.id}`, leader)).status).toBe(200);
    expect((await download(`/api/exports/quarterly/report/withdrawn/${kept.id}`, countyStaff)).status).toBe(404); // the city's, not their county's
    expect((await download('/api/exports/quarterly/report/withdrawn/987654')).status).toBe(404);

    // no longer served as reported: computed now
    const computed = await download(`/api/exports/quarterly?${params}`);
    expect(computed.headers.get('x-xuncha-workbook')).not.toBe('reported');

    // reported again: the figures as they are now (the backdated 销号 counted), no correction
    const rect = await referenceRectification(t.db.url, { asOf: q.end });
    const reReported = await t.send<ReportedState>('POST', '/api/exports/quarterly/report', { year: q.year, quarter: q.quarter });
    expect(reReported.status).toBe(201);
    expect(reReported.body).toMatchObject({ state: 'reported', reported: { by: 'staff' }, corrections: [] });
    expect(reReported.body.reported!.sha256).not.toBe(kept.sha256);
    expect(reReported.body.withdrawn.map((w) => w.id)).toEqual([kept.id]);
    const served = await download(`/api/exports/quarterly?${params}`);
    expect(served.headers.get('x-xuncha-workbook')).toBe('reported');
    const overdueTotal = (bytes: Buffer) =>
      readWithLibreOffice(bytes, ['整改情况汇总'])
        .get('整改情况汇总')!
        .find((r) => r[0] === '合计')![8];
    expect(overdueTotal(served.body)).toBe(String(rect.overdue.count));
    // the withdrawn report kept the figures it was reported with: one overdue task more
    expect(overdueTotal(kept.content)).toBe(String(rect.overdue.count + 1));
    expect((await download(`/api/exports/quarterly/report/withdrawn/${kept.id}`)).body.equals(kept.content)).toBe(true);
  });
});
