import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ensureDefaultCategories } from '@xuncha/backend';
import { startTestApp, type TestApp } from '../support/app';
import { clickNav, ensureDashboardBuilt, launchChromium, SCREENSHOT_DIR } from '../support/browser';
import { regionFile, unitFile } from '../support/directory-files';
import { query } from '../support/pg';
import { addSessionCookie, collectErrors, describeInBrowser } from '../support/web';

/**
 * A new office's first start in a real browser: an empty database as a server-mode start
 * leaves it (no demo data; the default issue categories and the accounts only), set up
 * through the 基础数据 pages and their imports alone — regions, a term, a round, the unit
 * directory, a category — while the setup checklist empties. Also: the grouped navigation
 * fits 1366 px in Chinese and English. Screenshots: test-output/screenshots/setup-*.png.
 */
jest.setTimeout(240_000);

describeInBrowser('setting up an office from an empty database', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  const sql = <T extends Record<string, unknown>>(text: string, params: unknown[] = []) => query<T>(t.db.url, text, params);
  const shot = (name: string) => page.screenshot({ path: path.join(SCREENSHOT_DIR, `setup-${name}.png`), fullPage: true });
  const waitReady = (testid: string) => page.waitForSelector(`[data-testid="${testid}"][data-state="ready"][aria-busy="false"]`, { timeout: 30_000 });
  const input = (testid: string) => page.locator(`input[data-testid="${testid}"], [data-testid="${testid}"] input`).first();
  const fill = (testid: string, value: string) => input(testid).fill(value);
  const fillDate = async (testid: string, value: string) => {
    await input(testid).fill(value);
    await input(testid).press('Enter');
  };
  const done = async () =>
    Object.fromEntries(
      await page.$$eval('[data-testid^="setup-item-"]', (items) =>
        items.map((i) => [i.getAttribute('data-testid')!.replace('setup-item-', ''), i.getAttribute('data-done')]),
      ),
    );
  const upload = async (kind: 'regions' | 'units', file: Buffer, name: string) => {
    const where = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'xuncha-setup-')), name);
    fs.writeFileSync(where, file);
    await page.getByTestId(`${kind}-import-file`).setInputFiles(where);
  };
  const closeProblems = async (kind: string) => {
    await page.locator('.el-dialog__headerbtn:visible').click();
    await page.getByTestId(`${kind}-import-problem-table`).waitFor({ state: 'hidden' });
  };
  const problemRows = (kind: string) =>
    page.$$eval(`[data-testid="${kind}-import-problem-table"] .el-table__body-wrapper tbody tr`, (rows) =>
      rows.map((r) => (r.querySelector('td')?.textContent ?? '').trim()),
    );

  beforeAll(async () => {
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const dist = ensureDashboardBuilt();
    // as a server-mode first start leaves the database: migrated, the default categories, accounts
    t = await startTestApp({ prepare: async (url) => void (await ensureDefaultCategories(url)), env: { STATIC_DIR: dist } });
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', baseURL: t.url });
    await addSessionCookie(context, t.url, t.cookie);
    page = await context.newPage();
    collectErrors(page, errors);
    page.on('console', (message) => {
      // the import's refusals (400) are the test's own doing
      if (message.type() === 'error' && !/400 \(Bad Request\)/.test(message.text())) errors.push(`console: ${message.text()}`);
    });
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows the setup checklist instead of empty charts', async () => {
    await page.goto('/');
    await page.waitForURL((url) => url.pathname === '/setup');
    await waitReady('setup');
    const [{ n }] = await sql<{ n: string }>('SELECT count(*) AS n FROM issue_categories WHERE level = 2');
    expect(Number(n)).toBeGreaterThan(20);
    expect(await done()).toEqual({ regions: 'false', terms: 'false', rounds: 'false', units: 'false', categories: 'true', users: 'true' });
    expect((await page.getByTestId('setup-count-categories').innerText()).trim()).toBe(`已有 ${n} 项`);
    await shot('01-checklist');
  });

  it('imports the regions (a file with problems first, nothing imported) and adds a township on the page', async () => {
    await page.getByTestId('setup-go-regions').click();
    await waitReady('md-regions');
    await upload(
      'regions',
      await regionFile([
        ['SC', '小城市', '市', null],
        ['SC', '重复', '县', 'SC'],
        ['SC-T', '某镇', '镇', 'SC'],
      ]),
      'regions-bad.xlsx',
    );
    await page.getByTestId('regions-import-problem-table').waitFor();
    expect(await problemRows('regions')).toEqual(['3', '4']);
    await shot('02-region-problems');
    await closeProblems('regions');
    expect(await sql('SELECT id FROM regions')).toEqual([]);
    await upload(
      'regions',
      await regionFile([
        ['SC', '小城市 ', '市', null],
        ['SC-0', '市本级', '市本级', 'SC'],
        ['SC-A', '甲县', '县', 'SC'],
        ['SC-B', '乙区', '区', 'SC'],
        ['SC-A1', '甲镇', '镇', 'SC-A'],
      ]),
      'regions.xlsx',
    );
    await page.locator('[data-testid="regions-table"] tbody tr').nth(4).waitFor();
    await page.getByTestId('region-add-child-SC-B').click();
    await fill('region-form-code', 'SC-B1');
    await fill('region-form-name', '乙街道');
    await page.getByTestId('region-form-save').click();
    await page.locator('[data-testid="regions-table"] tbody tr', { hasText: '乙街道' }).waitFor();
    const rows = await sql<{ code: string; name: string; level: string; parent: string | null }>(
      'SELECT g.code, g.name, g.level::text AS level, p.code AS parent FROM regions g LEFT JOIN regions p ON p.id = g.parent_id ORDER BY g.code',
    );
    expect(rows).toEqual([
      { code: 'SC', name: '小城市', level: 'CITY', parent: null },
      { code: 'SC-0', name: '市本级', level: 'MUNICIPAL', parent: 'SC' },
      { code: 'SC-A', name: '甲县', level: 'COUNTY', parent: 'SC' },
      { code: 'SC-A1', name: '甲镇', level: 'TOWNSHIP', parent: 'SC-A' },
      { code: 'SC-B', name: '乙区', level: 'COUNTY', parent: 'SC' },
      { code: 'SC-B1', name: '乙街道', level: 'TOWNSHIP', parent: 'SC-B' },
    ]);
    await shot('03-regions');
  });

  it("adds the city committee's term and its first round", async () => {
    await clickNav(page, 'md-terms');
    await waitReady('md-terms');
    const [city] = await sql<{ id: number }>("SELECT id FROM regions WHERE code = 'SC'");
    await page.getByTestId(`term-create-${city.id}`).click();
    await fill('term-form-name', '第十二届');
    await fillDate('term-form-start', '2022-01-01');
    await fillDate('term-form-end', '2026-12-31');
    await page.getByTestId('term-form-save').click();
    await page.getByTestId('term-dialog').waitFor({ state: 'hidden' });
    const [term] = await sql<{ id: number; name: string; start: string; end: string }>(
      "SELECT id, name, to_char(start_date, 'YYYY-MM-DD') AS start, to_char(end_date, 'YYYY-MM-DD') AS end FROM terms",
    );
    expect(term).toMatchObject({ name: '第十二届', start: '2022-01-01', end: '2026-12-31' });
    await page.getByTestId(`round-create-${term.id}`).click();
    await fill('round-form-name', '十二届市委第一轮巡察');
    await fill('round-form-year', '2022');
    await fillDate('round-form-start', '2022-03-01');
    await fillDate('round-form-end', '2027-06-30');
    await page.getByTestId('round-form-save').click();
    // a round outside its term is refused at its field, in Chinese
    await page.locator('.el-form-item__error', { hasText: '结束日期晚于届期结束' }).waitFor();
    await fillDate('round-form-end', '2022-06-30');
    await page.getByTestId('round-form-save').click();
    await page.getByTestId('round-dialog').waitFor({ state: 'hidden' });
    expect(await sql("SELECT name, year, to_char(start_date, 'YYYY-MM-DD') AS start, to_char(end_date, 'YYYY-MM-DD') AS end FROM rounds")).toEqual([
      { name: '十二届市委第一轮巡察', year: 2022, start: '2022-03-01', end: '2022-06-30' },
    ]);
  });

  it('imports the unit directory: every problem of every row first, then all of it', async () => {
    await clickNav(page, 'md-units');
    await waitReady('md-units');
    await upload(
      'units',
      await unitFile([
        ['U01', '市财政局党组', '党政机关', '市本级', null, null, '2010-01-01', null],
        ['U02', '', '学校', 'SC-X', null, null, '2010-13-01', null],
        ['U03', '甲镇党委', '乡镇(街道)', '甲镇', null, 'U99', null, null],
      ]),
      'units-bad.xlsx',
    );
    await page.getByTestId('units-import-problem-table').waitFor();
    expect(await problemRows('units')).toEqual(['3', '4']);
    const messages = await page.getByTestId('units-import-problem-table').innerText();
    for (const expected of ['单位名称: 必填', '单位类别: 须为', '所在区划: 未知的区划', '设立日期: 须为有效日期', '上级单位代码: 未知的单位代码 U99'])
      expect(messages).toContain(expected);
    await closeProblems('units');
    expect(await sql('SELECT id FROM org_units')).toEqual([]);
    await upload(
      'units',
      await unitFile([
        ['U01', '市财政局党组', '党政机关', '市本级', null, null, new Date(Date.UTC(2010, 0, 1)), null],
        ['U02', '市第一中学党委', '事业单位', 'SC-0', null, null, '2010/1/1', null],
        ['Ｕ０３', '甲镇党委 ', '乡镇（街道）', '甲镇', null, null, '2010年1月1日', null],
        ['U04', '甲镇某村党支部', '村(社区)', 'SC-A1', null, 'U03', null, null],
        ['U05', '乙区国资公司党委', '国有企业', '乙区', null, null, '2015-06-01', null],
      ]),
      'units.xlsx',
    );
    await page.locator('[data-testid="units-total"]', { hasText: '共 5 条' }).waitFor();
    const rows = await sql<{ code: string; name: string; committee: string; parent: string | null; valid_from: string }>(
      "SELECT u.code, u.name, c.code AS committee, p.code AS parent, to_char(u.valid_from, 'YYYY-MM-DD') AS valid_from FROM org_units u JOIN regions c ON c.id = u.committee_region_id LEFT JOIN org_units p ON p.id = u.parent_unit_id ORDER BY u.code",
    );
    expect(rows).toEqual([
      { code: 'U01', name: '市财政局党组', committee: 'SC', parent: null, valid_from: '2010-01-01' },
      { code: 'U02', name: '市第一中学党委', committee: 'SC', parent: null, valid_from: '2010-01-01' },
      { code: 'U03', name: '甲镇党委', committee: 'SC-A', parent: null, valid_from: '2010-01-01' },
      { code: 'U04', name: '甲镇某村党支部', committee: 'SC-A', parent: 'U03', valid_from: '2000-01-01' },
      { code: 'U05', name: '乙区国资公司党委', committee: 'SC-B', parent: null, valid_from: '2015-06-01' },
    ]);
    await shot('04-units');
  });

  it('adds an issue category, and the checklist is empty', async () => {
    await clickNav(page, 'md-categories');
    await waitReady('md-categories');
    await page.getByTestId('category-create').click();
    await fill('category-form-code', '6');
    await fill('category-form-name', '本地特色问题');
    await page.getByTestId('category-form-save').click();
    await page.getByTestId('category-dialog').waitFor({ state: 'hidden' });
    await page.getByTestId('category-add-6').click();
    expect(await input('category-form-code').inputValue()).toBe('6.01');
    await fill('category-form-name', '某类本地问题');
    await page.getByTestId('category-form-save').click();
    await page.getByTestId('category-dialog').waitFor({ state: 'hidden' });
    expect(await sql("SELECT code, name, level FROM issue_categories WHERE code LIKE '6%' ORDER BY code")).toEqual([
      { code: '6', name: '本地特色问题', level: 1 },
      { code: '6.01', name: '某类本地问题', level: 2 },
    ]);

    await clickNav(page, 'setup');
    await waitReady('setup');
    expect(await done()).toEqual({ regions: 'true', terms: 'true', rounds: 'true', units: 'true', categories: 'true', users: 'true' });
    await page.getByTestId('setup-complete').waitFor();
    await shot('05-complete');
    // the overview is no longer replaced by the checklist
    await page.goto('/');
    await waitReady('overview-kpis');
    expect(new URL(page.url()).pathname).toBe('/');
  });

  it('fits the grouped navigation into 1366 px, in Chinese and in English', async () => {
    for (const language of ['zh', 'en']) {
      type Box = { right: number; left: number };
      type El = {
        scrollWidth: number;
        clientWidth: number;
        getBoundingClientRect(): Box;
        querySelector(s: string): El | null;
        querySelectorAll(s: string): ArrayLike<El>;
      };
      const fits = await page.locator('.app-header').evaluate((header: El) => {
        const groups = Array.from(header.querySelectorAll('.app-nav__group'), (g) => g.getBoundingClientRect());
        const user = header.querySelector('.user-menu')?.getBoundingClientRect();
        return {
          overflow: header.scrollWidth - header.clientWidth,
          groups: groups.length,
          clear: user ? Math.max(...groups.map((g) => g.right)) <= user.left : false,
        };
      });
      // 分析, 业务记录, 督办, 基础数据, 系统
      expect([language, fits]).toEqual([language, { overflow: 0, groups: 5, clear: true }]);
      // every page of a group is one click away
      await page.getByTestId('navgroup-masterdata').click();
      await expect(page.getByTestId('nav-md-units').isVisible()).resolves.toBe(true);
      await page.getByTestId('navgroup-masterdata').click();
      await shot(`06-nav-${language}`);
      if (language === 'zh') await page.getByTestId('lang-switch').click();
    }
    await page.getByTestId('lang-switch').click();
    expect(errors).toEqual([]);
  });
});
