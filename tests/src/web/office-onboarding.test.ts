import ExcelJS from 'exceljs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ensureDefaultCategories, HISTORY_COLUMNS, LEDGER_COLUMNS, HISTORY_SHEET } from '@xuncha/backend';
import { formatFraction, formatPercent } from '@xuncha/frontend';
import { startTestApp, type TestApp } from '../support/app';
import { clickNav, ensureDashboardBuilt, launchChromium, SCREENSHOT_DIR } from '../support/browser';
import { regionFile, unitFile } from '../support/directory-files';
import { query } from '../support/pg';
import { pinToday } from '../support/today';
import { addSessionCookie, collectErrors, describeInBrowser, expectUntil } from '../support/web';

/**
 * An office's whole first day in a real browser, from an empty server-mode database (no
 * demo data; the default issue categories and the accounts only): the city set up through
 * the 基础数据 pages and imports alone, an inspection with two findings and three tasks
 * entered on the 巡察 pages, a ledger of three more rows (one closed through its 历史, one
 * creating a new inspection after confirming) imported on the 台账导入 page; then the next
 * ETL run, and the 总览 and 整改 pages show figures computed by hand below — and the API's.
 * Screenshots: test-output/screenshots/onboarding-*.png.
 */
jest.setTimeout(300_000);

type LedgerKey = (typeof LEDGER_COLUMNS)[number]['key'];
type HistoryKey = (typeof HISTORY_COLUMNS)[number]['key'];
interface Ratio {
  numerator: number;
  denominator: number;
  rate: number | null;
}
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

describeInBrowser('an office onboarding from an empty database, in a browser', () => {
  const today = pinToday();
  // every date is relative to today, so the figures below hold on any day the test runs
  const term = { name: '第十二届', start: addDays(today, -400), end: addDays(today, 1400) };
  const round = { name: '十二届市委第三轮巡察', start: addDays(today, -120), end: addDays(today, 60) };
  const inspection = { team: '市委第一巡察组', stationed: addDays(today, -90), feedback: addDays(today, -30) };
  let t: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let dir: string;
  const errors: string[] = [];
  const sql = <T extends Record<string, unknown>>(text: string, params: unknown[] = []) => query<T>(t.db.url, text, params);
  const shot = (name: string) => page.screenshot({ path: path.join(SCREENSHOT_DIR, `onboarding-${name}.png`), fullPage: true });
  const waitReady = (testid: string) => page.waitForSelector(`[data-testid="${testid}"][data-state="ready"][aria-busy="false"]`, { timeout: 30_000 });
  const input = (testid: string) =>
    page
      .locator(`input[data-testid="${testid}"], textarea[data-testid="${testid}"], [data-testid="${testid}"] input, [data-testid="${testid}"] textarea`)
      .first();
  const fill = (testid: string, value: string) => input(testid).fill(value);
  const fillDate = async (testid: string, value: string) => {
    await input(testid).fill(value);
    await input(testid).press('Enter');
  };
  const pickOption = async (selectTestid: string, label: string) => {
    await page.getByTestId(selectTestid).click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: label }).first().click();
  };
  const text = async (testid: string) => (await page.getByTestId(testid).innerText()).trim();
  const upload = async (kind: 'regions' | 'units', file: Buffer, name: string) => {
    const where = path.join(dir, name);
    fs.writeFileSync(where, file);
    await page.getByTestId(`${kind}-import-file`).setInputFiles(where);
  };
  /** Waits until `read` gives a value `accept` takes (a write lands when its dialog closes). */
  const until = expectUntil;
  const api = async (url: string): Promise<Json> => {
    const response = await t.get<Json>(url);
    expect(response.status).toBe(200);
    return response.body;
  };
  /** A KPI as the page shows it equals the hand-computed fraction, and the API's. */
  const expectRatio = async (testid: string, numerator: number, denominator: number, fromApi: Ratio) => {
    expect([testid, fromApi.numerator, fromApi.denominator]).toEqual([testid, numerator, denominator]);
    const fraction = await text(`${testid}-fraction`);
    expect([testid, fraction.split('/').map((part) => Number(part.replace(/[^\d]/g, '')))]).toEqual([testid, [numerator, denominator]]);
    expect(fraction).toBe(formatFraction(fromApi));
    expect(await text(`${testid}-value`)).toBe(formatPercent(numerator / denominator));
  };
  const expectCount = async (testid: string, count: number, fromApi: number) => {
    expect([testid, fromApi]).toEqual([testid, count]);
    expect([testid, Number((await text(`${testid}-value`)).replace(/[^\d]/g, ''))]).toEqual([testid, count]);
  };

  beforeAll(async () => {
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xuncha-onboarding-'));
    const dist = ensureDashboardBuilt();
    // as a server-mode first start leaves the database: migrated, the default categories, accounts
    t = await startTestApp({ prepare: async (url) => void (await ensureDefaultCategories(url)), env: { STATIC_DIR: dist } });
    browser = await launchChromium();
    context = await browser.newContext({
      viewport: { width: 1366, height: 900 },
      locale: 'zh-CN',
      baseURL: t.url,
      acceptDownloads: true,
      reducedMotion: 'reduce',
    });
    await addSessionCookie(context, t.url, t.cookie);
    page = await context.newPage();
    collectErrors(page, errors, { console: true });
  });

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close();
    await t?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('starts empty: the overview is replaced by the setup checklist', async () => {
    expect(await sql('SELECT id FROM regions UNION ALL SELECT id FROM org_units UNION ALL SELECT id FROM rounds')).toEqual([]);
    await page.goto('/');
    await page.waitForURL((url) => url.pathname === '/setup');
    await waitReady('setup');
    await shot('01-checklist');
  });

  it('sets up the city through the 基础数据 pages and imports alone', async () => {
    // regions: imported, and a street added on the page
    await page.getByTestId('setup-go-regions').click();
    await waitReady('md-regions');
    await upload(
      'regions',
      await regionFile([
        ['XC', '新城市', '市', null],
        ['XC-0', '市本级', '市本级', 'XC'],
        ['XC-A', '东县', '县', 'XC'],
        ['XC-B', '西区', '区', 'XC'],
        ['XC-A1', '东镇', '镇', 'XC-A'],
      ]),
      'regions.xlsx',
    );
    await page.locator('[data-testid="regions-table"] tbody tr').nth(4).waitFor();
    await page.getByTestId('region-add-child-XC-B').click();
    await fill('region-form-code', 'XC-B1');
    await fill('region-form-name', '西街道');
    await page.getByTestId('region-form-save').click();
    await page.locator('[data-testid="regions-table"] tbody tr', { hasText: '西街道' }).waitFor();

    // the city committee's term (containing today) and a round (containing the stationing days)
    await clickNav(page, 'md-terms');
    await waitReady('md-terms');
    const [city] = await sql<{ id: number }>("SELECT id FROM regions WHERE code = 'XC'");
    await page.getByTestId(`term-create-${city.id}`).click();
    await fill('term-form-name', term.name);
    await fillDate('term-form-start', term.start);
    await fillDate('term-form-end', term.end);
    await page.getByTestId('term-form-save').click();
    await page.getByTestId('term-dialog').waitFor({ state: 'hidden' });
    const [termRow] = await until(
      () => sql<{ id: number }>('SELECT id FROM terms'),
      (rows) => rows.length === 1,
    );
    await page.getByTestId(`round-create-${termRow.id}`).click();
    await fill('round-form-name', round.name);
    await fill('round-form-year', round.start.slice(0, 4));
    await fillDate('round-form-start', round.start);
    await fillDate('round-form-end', round.end);
    await page.getByTestId('round-form-save').click();
    await page.getByTestId('round-dialog').waitFor({ state: 'hidden' });

    // the unit directory: four units of the city committee (市本级), one of 东县's
    await clickNav(page, 'md-units');
    await waitReady('md-units');
    await upload(
      'units',
      await unitFile([
        ['X01', '市财政局党组', '党政机关', '市本级', null, null, '2010-01-01', null],
        ['X02', '市第一中学党委', '事业单位', 'XC-0', null, null, '2010-01-01', null],
        ['X03', '市城投集团党委', '国有企业', '市本级', null, null, '2012-05-01', null],
        ['X04', '市卫生健康委党组', '党政机关', '市本级', null, null, '2010-01-01', null],
        ['X05', '东镇党委', '乡镇(街道)', '东镇', null, null, '2010-01-01', null],
      ]),
      'units.xlsx',
    );
    await page.locator('[data-testid="units-total"]', { hasText: '共 5 条' }).waitFor();

    // a local issue category of the office's own, next to the default ones
    await clickNav(page, 'md-categories');
    await waitReady('md-categories');
    await page.getByTestId('category-create').click();
    await fill('category-form-code', '6');
    await fill('category-form-name', '本地特色问题');
    await page.getByTestId('category-form-save').click();
    await page.getByTestId('category-dialog').waitFor({ state: 'hidden' });
    await page.getByTestId('category-add-6').click();
    await fill('category-form-name', '某类本地问题');
    await page.getByTestId('category-form-save').click();
    await page.getByTestId('category-dialog').waitFor({ state: 'hidden' });

    expect(
      await sql(
        "SELECT u.code, c.code AS committee, to_char(u.valid_from, 'YYYY-MM-DD') AS valid_from FROM org_units u JOIN regions c ON c.id = u.committee_region_id ORDER BY u.code",
      ),
    ).toEqual([
      { code: 'X01', committee: 'XC', valid_from: '2010-01-01' },
      { code: 'X02', committee: 'XC', valid_from: '2010-01-01' },
      { code: 'X03', committee: 'XC', valid_from: '2012-05-01' },
      { code: 'X04', committee: 'XC', valid_from: '2010-01-01' },
      { code: 'X05', committee: 'XC-A', valid_from: '2010-01-01' },
    ]);
    expect(await sql("SELECT code, name FROM issue_categories WHERE code LIKE '6%' ORDER BY code")).toEqual([
      { code: '6', name: '本地特色问题' },
      { code: '6.01', name: '某类本地问题' },
    ]);
    await clickNav(page, 'setup');
    await waitReady('setup');
    await page.getByTestId('setup-complete').waitFor();
    await shot('02-setup-complete');
  });

  it('enters an inspection with two findings and three tasks on the 巡察 pages', async () => {
    // the filter bar's rounds and categories come from the warehouse: the scheduled ETL run
    // (here called by the test) brings the new master data there
    await t.etl();
    await page.goto('/records/inspections');
    await waitReady('inspection-list');
    await page.getByTestId('inspection-create').click();
    await pickOption('inspection-form-round', round.name);
    await page.getByTestId('inspection-form-unit').click();
    await input('inspection-form-unit').fill('X01');
    await page.locator('.el-select-dropdown__item:visible', { hasText: 'X01' }).first().click();
    await fill('inspection-form-team', inspection.team);
    await fillDate('inspection-form-stationed-from', inspection.stationed);
    await fillDate('inspection-form-feedback', inspection.feedback);
    await page.getByTestId('inspection-form-submit').click();
    await page.waitForURL(/\/records\/inspections\/\d+$/);
    const inspectionId = Number(new URL(page.url()).pathname.split('/').pop());
    await waitReady('inspection-detail');

    const findingsOf = () =>
      sql<{ id: string; description: string }>('SELECT id::text, description FROM findings WHERE inspection_id = $1 AND deleted_at IS NULL ORDER BY id', [
        inspectionId,
      ]);
    const addFinding = async (category: string, description: string, found: string, immediate: boolean) => {
      const before = (await findingsOf()).length;
      await page.getByTestId('finding-create').click();
      await pickOption('finding-form-category', category);
      await fill('finding-form-description', description);
      if (immediate) await page.getByTestId('finding-form-immediate').click();
      await fillDate('finding-form-found', found);
      await page.getByTestId('finding-form-submit').click();
      const rows = await until(findingsOf, (r) => r.length === before + 1);
      const id = rows[rows.length - 1].id;
      await page.getByTestId(`task-create-${id}`).waitFor();
      return id;
    };
    const tasksOf = () =>
      sql<{ id: string }>(
        'SELECT t.id::text FROM rectification_tasks t JOIN findings f ON f.id = t.finding_id WHERE f.inspection_id = $1 AND t.deleted_at IS NULL',
        [inspectionId],
      );
    const addTask = async (findingId: string, measure: string, person: string, due: string) => {
      const before = (await tasksOf()).length;
      await page.getByTestId(`task-create-${findingId}`).click();
      await fill('task-form-measure', measure);
      await fill('task-form-dept', '办公室');
      await fill('task-form-person', person);
      await fillDate('task-form-due', due);
      await page.getByTestId('task-form-submit').click();
      await until(tasksOf, (r) => r.length === before + 1);
      await page.locator(`[data-testid="tasks-of-${findingId}"] tr`, { hasText: person }).waitFor();
    };
    const f1 = await addFinding('6.01 某类本地问题', '财政资金拨付不及时', addDays(today, -80), false);
    await addTask(f1, '清理滞留资金', '张一', addDays(today, -10)); // overdue by 10 days
    await addTask(f1, '建立拨付台账', '张二', addDays(today, 7)); // due within 10 days
    const f2 = await addFinding('1.01', '民主生活会质量不高', addDays(today, -75), true);
    await addTask(f2, '重新召开专题民主生活会', '张三', addDays(today, 200)); // far
    await shot('03-inspection');

    expect(
      await sql(
        `SELECT f.description, f.is_immediate, to_char(t.original_due_date, 'YYYY-MM-DD') AS due, t.status::text
           FROM rectification_tasks t JOIN findings f ON f.id = t.finding_id WHERE f.inspection_id = $1 ORDER BY t.id`,
        [inspectionId],
      ),
    ).toEqual([
      { description: '财政资金拨付不及时', is_immediate: false, due: addDays(today, -10), status: 'NOT_STARTED' },
      { description: '财政资金拨付不及时', is_immediate: false, due: addDays(today, 7), status: 'NOT_STARTED' },
      { description: '民主生活会质量不高', is_immediate: true, due: addDays(today, 200), status: 'NOT_STARTED' },
    ]);
  });

  it('imports a ledger of three more rows on the 台账导入 page, one creating a new inspection', async () => {
    await clickNav(page, 'ledger-import');
    await page.getByTestId('page-ledger-import').waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('ledger-template').click()]);
    const template = path.join(dir, 'template.xlsx');
    await download.saveAs(template);

    const common = { isImmediate: '否', responsibleDept: '综合科', track: '限期整改' };
    const rows: Partial<Record<LedgerKey, unknown>>[] = [
      // L1: the page-entered inspection; entered 25 days ago, closed 5 days ago (its 历史)
      {
        ...common,
        taskKey: 'T001',
        round: round.name,
        unit: 'X01',
        category: '2.01',
        description: '台账问题一',
        measure: '追回违规资金',
        responsiblePerson: '李一',
        dueDate: addDays(today, -3),
        foundDate: addDays(today, -70),
        createdDate: addDays(today, -25),
      },
      // L2: the same inspection, due in 15 days
      {
        ...common,
        round: round.name,
        unit: '市财政局党组',
        category: '3.01',
        description: '台账问题二',
        measure: '完善内控制度',
        responsiblePerson: '李二',
        dueDate: addDays(today, 15),
        foundDate: addDays(today, -65),
      },
      // L3: no inspection of X02 in this round yet: created on import, not fed back yet
      {
        ...common,
        round: round.name,
        unit: 'X02',
        team: '市委第二巡察组',
        stationedFrom: addDays(today, -60),
        category: '2.01',
        description: '台账问题三',
        measure: '规范收费',
        responsiblePerson: '李三',
        dueDate: addDays(today, -2),
        foundDate: addDays(today, -50),
      },
    ];
    const history: Partial<Record<HistoryKey, unknown>>[] = [
      { taskKey: 'T001', date: addDays(today, -24), kind: '状态变更', status: '整改中' },
      { taskKey: 'T001', date: addDays(today, -5), kind: '状态变更', status: '已销号', note: '验收合格' },
    ];
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(template);
    const fillSheet = <K extends string>(name: string, columns: readonly { key: K }[], cells: Partial<Record<K, unknown>>[]) => {
      const sheet = book.getWorksheet(name) as ExcelJS.Worksheet;
      cells.forEach((row, i) =>
        columns.forEach((column, c) => row[column.key] !== undefined && (sheet.getCell(i + 2, c + 1).value = row[column.key] as ExcelJS.CellValue)),
      );
    };
    fillSheet('整改台账', LEDGER_COLUMNS, rows);
    fillSheet(HISTORY_SHEET, HISTORY_COLUMNS, history);
    const file = path.join(dir, '台账.xlsx');
    await book.xlsx.writeFile(file);

    await page.getByTestId('ledger-file').setInputFiles(file);
    await page.getByTestId('ledger-no-problems').waitFor();
    const newInspections = await page.$$eval('[data-testid="ledger-new-inspections"] .el-table__body-wrapper tbody tr.el-table__row', (trs) =>
      trs.map((row) => Array.from((row as unknown as { cells: ArrayLike<{ textContent: string | null }> }).cells, (cell) => (cell.textContent ?? '').trim())),
    );
    expect(newInspections).toEqual([
      [round.name, expect.stringContaining('X02'), '市委第二巡察组', addDays(today, -60), '4'], // its Excel row
    ]);
    expect(await page.getByTestId('ledger-import').isDisabled()).toBe(true);
    await page.getByTestId('ledger-confirm').click();
    await shot('04-ledger-preview');
    await page.getByTestId('ledger-import').click();
    await page.locator('.el-message-box').waitFor();
    await page.locator('.el-message-box__btns .el-button--primary').click();
    await page.locator('[data-testid="ledger-message"].form-message--ok', { hasText: '导入完成' }).waitFor({ timeout: 60_000 });
    expect(await text('ledger-message')).toContain('导入完成：3 个问题及整改任务，新建 1 个巡察');
    await shot('05-ledger-imported');

    expect(
      await sql(
        `SELECT f.description, u.code, i.team, to_char(i.feedback_date, 'YYYY-MM-DD') AS feedback, t.status::text, to_char(t.closed_date, 'YYYY-MM-DD') AS closed
           FROM findings f JOIN inspections i ON i.id = f.inspection_id JOIN org_units u ON u.id = i.unit_id JOIN rectification_tasks t ON t.finding_id = f.id
          WHERE f.description LIKE '台账问题%' ORDER BY f.description`,
      ),
    ).toEqual([
      { description: '台账问题一', code: 'X01', team: inspection.team, feedback: inspection.feedback, status: 'CLOSED', closed: addDays(today, -5) },
      { description: '台账问题三', code: 'X02', team: '市委第二巡察组', feedback: null, status: 'NOT_STARTED', closed: null },
      { description: '台账问题二', code: 'X01', team: inspection.team, feedback: inspection.feedback, status: 'NOT_STARTED', closed: null },
    ]);
  });

  it('after the next ETL run, 总览 and 整改 show the figures computed by hand', async () => {
    await t.etl();
    // By hand, as of today (D), from what was entered above:
    //   findings found by D: F1, F2 (page) + 台账问题一, 二, 三 = 5
    //   fed back by D: the page inspection (feedback D−30) → F1, F2, 台账问题一, 二 = 4;
    //     台账问题三's inspection has no feedback date yet, so it is not in the 整改 figures
    //   tasks of those: 3 (page) + 1 + 1 = 5; CLOSED: 台账问题一's task = 1
    //   closed findings (every task CLOSED): 台账问题一 = 1 → finding closure 1 / 4
    //   task closure 1 / 5; on time: closed D−5 ≤ due D−3 → 1 / 1
    //   overdue (open, due < D): 清理滞留资金 (D−10) = 1; 台账问题一 (D−3) is closed, and
    //     台账问题三 (D−2) is not fed back
    //   due within 10 days (D ≤ due ≤ D+10): 建立拨付台账 (D+7) = 1
    //   due within 20 days: D+7 and 台账问题二 (D+15) = 2; D+200 is far
    //   coverage: in scope = the city committee's 4 units X01–X04 (X05 belongs to 东县's
    //     committee, which has no term); covered = X01 (D−90) and X02 (D−60) = 2 → 2 / 4
    const hand = {
      findings: 5,
      fedBack: 4,
      closedFindings: 1,
      tasks: 5,
      closedTasks: 1,
      onTime: [1, 1],
      overdue: 1,
      within10: 1,
      within20: 2,
      inScope: 4,
      covered: 2,
    };

    await page.goto('/');
    await waitReady('overview-kpis');
    expect(new URL(page.url()).pathname).toBe('/');
    const { cards } = await api('/api/metrics/overview');
    await expectCount('kpi-findings', hand.findings, cards.findings);
    await expectRatio('kpi-finding-closure', hand.closedFindings, hand.fedBack, cards.findingClosure);
    await expectRatio('kpi-task-closure', hand.closedTasks, hand.tasks, cards.taskClosure);
    await expectRatio('kpi-on-time', hand.onTime[0], hand.onTime[1], cards.onTime);
    await expectCount('kpi-overdue', hand.overdue, cards.overdue);
    await expectCount('kpi-due-soon', hand.within20, cards.dueSoon20);
    await expectRatio('kpi-coverage', hand.covered, hand.inScope, cards.coverage);
    await shot('06-overview');

    await clickNav(page, 'rectification');
    await waitReady('rectification-kpis');
    const r = await api('/api/metrics/rectification');
    await expectRatio('kpi-finding-closure', hand.closedFindings, hand.fedBack, r.findingClosure);
    await expectRatio('kpi-task-closure', hand.closedTasks, hand.tasks, r.taskClosure);
    await expectCount('kpi-overdue', hand.overdue, r.overdue.count);
    await expectCount('kpi-due-soon-20', hand.within20, r.dueSoon.within20);
    await expectCount('kpi-due-soon-10', hand.within10, r.dueSoon.within10);
    await shot('07-rectification');

    // the coverage page agrees, and names the two units not yet inspected
    await clickNav(page, 'coverage');
    await waitReady('coverage-kpis');
    const coverage = await api('/api/metrics/coverage');
    await expectRatio('kpi-coverage', hand.covered, hand.inScope, coverage.coverage);
    expect(coverage.uncovered.rows.map((row: Json) => row.code).sort()).toEqual(['X03', 'X04']);
    await shot('08-coverage');
    expect(errors).toEqual([]);
  });
});
