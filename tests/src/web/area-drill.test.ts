import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { BAND_GRID, bandCenterY } from '@xuncha/frontend';
import { startTestApp, type TestApp } from '../support/app';
import { ensureDashboardBuilt, launchChromium, SCREENSHOT_DIR } from '../support/browser';
import { pinToday } from '../support/today';
import { describeInBrowser, expectEventually } from '../support/web';

/**
 * Issue 18, item 9 in a real browser: on 总览, a county's bar moves the 各地区 charts down to
 * its townships (and 县直单位, whose bar goes down to its units), a township's to its units, a unit's opens its 单位画像; the
 * breadcrumb goes back up, the URL and the filter bar following; a county user's charts show
 * their townships. Screenshots of each level at 1366×768 and 1920×1080 in Chinese and English.
 */
jest.setTimeout(300_000);

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describeInBrowser('the 各地区 charts drill below the county', () => {
  const today = pinToday();
  let t: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let options: Json;
  const errors: string[] = [];

  const api = async (url: string): Promise<Json> => {
    const response = await t.get<Json>(url);
    expect(response.status).toBe(200);
    return response.body;
  };
  const shot = (p: Page, name: string) => p.screenshot({ path: path.join(SCREENSHOT_DIR, `area-drill-${name}.png`), fullPage: true });
  const waitReady = (p: Page, testid: string) => p.waitForSelector(`[data-testid="${testid}"][data-state="ready"][aria-busy="false"]`, { timeout: 30_000 });
  const firstColumn = (p: Page, testid: string) =>
    p.$$eval(`[data-testid="${testid}"] tbody tr td:first-child`, (tds) => tds.map((td) => (td.textContent ?? '').trim()));
  const crumbs = (p: Page) => p.$$eval('[data-testid="area-breadcrumb"] [data-testid^="crumb-"]', (els) => els.map((el) => (el.textContent ?? '').trim()));
  const shownName = (r: Json, lang: 'zh' | 'en' = 'zh') => (r.level === 'countyUnits' ? (lang === 'zh' ? '县直单位' : 'County-level units') : r.name);
  /** Retries until the chart's table shows `expected` (it reloads after a navigation). */
  const tableShows = (p: Page, testid: string, expected: string[]) => expectEventually(() => firstColumn(p, testid), expected, 20_000);
  /** Clicks the bar of row `index` (of `count`) of the overview's closure chart. */
  const clickBar = async (p: Page, index: number, count: number) => {
    const chart = p.getByTestId('chart-closure-by-region-chart');
    await chart.scrollIntoViewIfNeeded();
    await p.waitForSelector('[data-testid="chart-closure-by-region-chart"][data-chart-state="finished"]');
    const box = (await chart.boundingBox())!;
    await p.mouse.click(box.x + BAND_GRID.left + 4, bandCenterY(box, index, count));
  };
  const regionOf = () => new URL(page.url()).searchParams.get('regionId');

  beforeAll(async () => {
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const dist = ensureDashboardBuilt();
    t = await startTestApp({ seed: { scale: 'tiny', today }, env: { STATIC_DIR: dist } });
    options = await api('/api/options');
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', baseURL: t.url, reducedMotion: 'reduce' });
    const [name, value] = t.cookie.split('=');
    await context.addCookies([{ name, value, url: t.url }]);
    page = await context.newPage();
    page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  // the levels visited, as URLs (a link reproduces the level), for the screenshots
  const visited: [string, string][] = [];

  it('city → county → township → unit profile, and back up by the breadcrumb', async () => {
    const city = options.regions[0];
    await page.goto('/');
    await waitReady(page, 'overview-kpis');
    const top = await api('/api/metrics/overview');
    await tableShows(
      page,
      'chart-closure-by-region-table',
      top.charts.closureByRegion.map((r: Json) => r.name),
    );
    expect(await crumbs(page)).toEqual([city.name]);
    expect(await page.getByTestId('chart-closure-by-region').innerText()).toContain('各地区问题整改情况');
    visited.push(['city', '/']);

    // the county with the most townships that have findings
    const counties = top.charts.closureByRegion.filter((r: Json) => r.level === 'county' && r.findings > 0);
    let county: Json | undefined;
    let countyRows: Json[] = [];
    for (const c of counties) {
      const rows = (await api(`/api/metrics/overview?regionId=${c.regionId}`)).charts.closureByRegion as Json[];
      if (rows.filter((r) => r.level === 'township' && r.findings > 0).length > countyRows.filter((r) => r.level === 'township' && r.findings > 0).length) {
        county = c;
        countyRows = rows;
      }
    }
    expect(county).toBeDefined();
    await clickBar(page, top.charts.closureByRegion.indexOf(county), top.charts.closureByRegion.length);
    await page.waitForURL(() => regionOf() === String(county!.regionId));
    await tableShows(
      page,
      'chart-closure-by-region-table',
      countyRows.map((r) => shownName(r)),
    );
    expect(await crumbs(page)).toEqual([city.name, county!.name]);
    expect(await page.getByTestId('chart-closure-by-region').innerText()).toContain('各乡镇（街道）问题整改情况');
    expect(await page.getByTestId('chart-coverage-by-region').innerText()).toContain('各乡镇（街道）巡察覆盖率与时间进度');
    // the filter bar follows: the region field names the county
    expect(await page.locator('[data-testid="filter-region-field"] input').first().inputValue()).toContain(county!.name);
    visited.push(['county', `/?regionId=${county!.regionId}`]);

    const township = countyRows.find((r) => r.level === 'township' && r.findings > 0)!;
    await clickBar(page, countyRows.indexOf(township), countyRows.length);
    await page.waitForURL(() => regionOf() === String(township.regionId));
    const unitRows = (await api(`/api/metrics/overview?regionId=${township.regionId}`)).charts.closureByRegion as Json[];
    expect(unitRows.length).toBeGreaterThan(0);
    expect(unitRows.every((r) => r.level === 'unit')).toBe(true);
    await tableShows(
      page,
      'chart-closure-by-region-table',
      unitRows.map((r) => r.name),
    );
    expect(await crumbs(page)).toEqual([city.name, county!.name, township.name]);
    expect(await page.getByTestId('chart-closure-by-region').innerText()).toContain('各单位问题整改情况');
    expect(await page.locator('[data-testid="filter-region-field"] input').first().inputValue()).toContain(township.name);
    visited.push(['township', `/?regionId=${township.regionId}`]);

    // a unit's bar opens its 单位画像
    const unit = unitRows.find((r) => r.findings > 0)!;
    await clickBar(page, unitRows.indexOf(unit), unitRows.length);
    await page.waitForURL(new RegExp(`/units/${unit.unitId}(\\?|$)`), { waitUntil: 'commit' });
    await waitReady(page, 'unit-profile-head');
    expect(await page.getByTestId('unit-profile-head').locator('.card__title').innerText()).toBe(unit.name);
    visited.push(['unit-profile', `/units/${unit.unitId}`]);

    // back to the township, then up by the breadcrumb: the county, then the city
    await page.goBack();
    await page.waitForURL(() => regionOf() === String(township.regionId));
    await tableShows(
      page,
      'chart-closure-by-region-table',
      unitRows.map((r) => r.name),
    );
    await page.getByTestId(`crumb-region:${county!.regionId}`).click();
    await page.waitForURL(() => regionOf() === String(county!.regionId));
    await tableShows(
      page,
      'chart-closure-by-region-table',
      countyRows.map((r) => shownName(r)),
    );
    await page.getByTestId(`crumb-region:${city.id}`).click();
    await page.waitForURL(() => regionOf() === null);
    await tableShows(
      page,
      'chart-closure-by-region-table',
      top.charts.closureByRegion.map((r: Json) => r.name),
    );
    expect(await crumbs(page)).toEqual([city.name]);
  });

  it("a county's 县直单位 bar goes down to its units, and the breadcrumb and the URL follow", async () => {
    const city = options.regions[0];
    const county = options.regions[0].children.find((r: Json) => String(r.id) === visited.find(([level]) => level === 'county')![1].split('=')[1]);
    const countyRows = (await api(`/api/metrics/overview?regionId=${county.id}`)).charts.closureByRegion as Json[];
    const row = countyRows.find((r) => r.level === 'countyUnits')!;
    expect(row).toBeDefined();
    await page.goto(`/?regionId=${county.id}`);
    await waitReady(page, 'overview-kpis');
    await tableShows(
      page,
      'chart-closure-by-region-table',
      countyRows.map((r) => shownName(r)),
    );
    await clickBar(page, countyRows.indexOf(row), countyRows.length);
    await page.waitForURL(() => new URL(page.url()).searchParams.get('countyUnits') === 'true' && regionOf() === String(county.id));
    const units = (await api(`/api/metrics/overview?regionId=${county.id}&countyUnits=true`)).charts.closureByRegion as Json[];
    expect(units.length).toBeGreaterThan(0);
    expect(units.every((r) => r.level === 'unit')).toBe(true);
    await tableShows(
      page,
      'chart-closure-by-region-table',
      units.map((r) => r.name),
    );
    expect(await crumbs(page)).toEqual([city.name, county.name, '县直单位']);
    expect(await page.getByTestId('chart-closure-by-region').innerText()).toContain('各单位问题整改情况');
    await page.getByTestId('filter-county-units').waitFor();
    visited.push(['county-units', `/?regionId=${county.id}&countyUnits=true`]);
    // the URL alone reproduces the level
    await page.goto(`/?regionId=${county.id}&countyUnits=true`);
    await waitReady(page, 'overview-kpis');
    await tableShows(
      page,
      'chart-closure-by-region-table',
      units.map((r) => r.name),
    );
    // up to the county: 县直单位 is left
    await page.getByTestId(`crumb-region:${county.id}`).click();
    await page.waitForURL(() => new URL(page.url()).searchParams.get('countyUnits') === null && regionOf() === String(county.id));
    await tableShows(
      page,
      'chart-closure-by-region-table',
      countyRows.map((r) => shownName(r)),
    );
  });

  it("a unit's heatmap cell lists the unit's findings of the category, as many as the cell shows", async () => {
    const county = visited.find(([level]) => level === 'county-units')![1];
    const query = new URLSearchParams(county.slice(2));
    const data = await api(`/api/metrics/categories?${query.toString()}`);
    expect(data.byRegion.every((r: Json) => r.level === 'unit')).toBe(true);
    await page.goto(`/categories?${query.toString()}`);
    const chart = page.getByTestId('chart-region-category-chart');
    await chart.scrollIntoViewIfNeeded();
    await page.waitForSelector('[data-testid="chart-region-category-chart"][data-chart-state="finished"]');
    const box = (await chart.boundingBox())!;
    // the grid's top and right edges are fixed (8 and 16 px, charts/categories.ts): the top-right cell is the first unit × the last category
    await page.mouse.click(box.x + box.width - 16 - 4, box.y + 8 + 4);
    const unit = data.byRegion[0];
    const category = data.level1[data.level1.length - 1];
    const cell = data.regionCategory.find((c: Json) => c.unitId === unit.unitId && c.categoryId === category.categoryId);
    await page.getByTestId('drill-drawer').waitFor({ state: 'visible' });
    // a cell of no findings opens an empty list (no total shown)
    const list = await page.waitForSelector('[data-testid="drill-list"]:is([data-state="ready"], [data-state="empty"])[aria-busy="false"]');
    const title = (await page.locator('.el-drawer__title:visible, .el-drawer__header:visible').first().innerText()).trim();
    expect(title).toContain(`${unit.name} · ${category.name}`);
    const total = (await list.getAttribute('data-state')) === 'empty' ? 0 : Number((await page.getByTestId('drill-total').innerText()).replace(/[^\d]/g, ''));
    expect(total).toBe(cell?.count ?? 0);
    // the page stays where it is: the cell opened a list, not the unit's profile
    expect(new URL(page.url()).pathname).toBe('/categories');
    await page.keyboard.press('Escape');
    await page.getByTestId('drill-drawer').waitFor({ state: 'hidden' });
  });

  it('市本级 goes down to its unit categories, and one of them to its units', async () => {
    const municipal = options.regions[0].children.find((r: Json) => r.level === 'MUNICIPAL');
    await page.goto(`/?regionId=${municipal.id}`);
    await waitReady(page, 'overview-kpis');
    const rows = (await api(`/api/metrics/overview?regionId=${municipal.id}`)).charts.closureByRegion as Json[];
    expect(rows.every((r) => r.level === 'unitCategory')).toBe(true);
    const zh: Record<string, string> = {
      PARTY_GOV: '党政机关',
      INSTITUTION: '事业单位',
      SOE: '国有企业',
      TOWNSHIP: '乡镇(街道)',
      VILLAGE: '村(社区)',
      OTHER: '其他',
    };
    await tableShows(
      page,
      'chart-closure-by-region-table',
      rows.map((r) => zh[r.unitCategory]),
    );
    expect(await page.getByTestId('chart-closure-by-region').innerText()).toContain('各市直单位类别问题整改情况');
    visited.push(['municipal', `/?regionId=${municipal.id}`]);
    const category = rows.find((r) => r.findings > 0)!;
    await clickBar(page, rows.indexOf(category), rows.length);
    await page.waitForURL(() => new URL(page.url()).searchParams.get('unitCategory') === category.unitCategory);
    const units = (await api(`/api/metrics/overview?regionId=${municipal.id}&unitCategory=${category.unitCategory}`)).charts.closureByRegion as Json[];
    await tableShows(
      page,
      'chart-closure-by-region-table',
      units.map((r) => r.name),
    );
    expect(await crumbs(page)).toEqual([options.regions[0].name, municipal.name, zh[category.unitCategory]]);
    visited.push(['municipal-category', `/?regionId=${municipal.id}&unitCategory=${category.unitCategory}`]);
    // up to 市本级: the unit category, a level here, is cleared
    await page.getByTestId(`crumb-region:${municipal.id}`).click();
    await page.waitForURL(() => new URL(page.url()).searchParams.get('unitCategory') === null && regionOf() === String(municipal.id));
    await tableShows(
      page,
      'chart-closure-by-region-table',
      rows.map((r) => zh[r.unitCategory]),
    );
  });

  it('a county user’s 各地区 charts show their townships', async () => {
    const county = visited.find(([level]) => level === 'county')![1].split('=')[1];
    const code = options.regions[0].children.find((r: Json) => r.id === Number(county)).code;
    const client = await t.as(`county-${code}`);
    const mine = (await client.get<Json>('/api/metrics/overview')).body;
    expect(mine.charts.closureByRegion.some((r: Json) => r.level === 'township')).toBe(true);
    const own = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', baseURL: t.url, reducedMotion: 'reduce' });
    const [name, value] = client.cookie.split('=');
    await own.addCookies([{ name, value, url: t.url }]);
    const p = await own.newPage();
    p.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
    await p.goto('/');
    await waitReady(p, 'overview-kpis');
    await tableShows(
      p,
      'chart-closure-by-region-table',
      mine.charts.closureByRegion.map((r: Json) => shownName(r)),
    );
    const countyName = options.regions[0].children.find((r: Json) => r.id === Number(county)).name;
    expect(await crumbs(p)).toEqual([countyName]);
    expect(await p.getByTestId('chart-closure-by-region').innerText()).toContain('各乡镇（街道）问题整改情况');
    await shot(p, 'county-user-1366-zh');
    await own.close();
  });

  it('screenshots of each level at 1366 and 1920 px, in Chinese and English', async () => {
    for (const lang of ['zh', 'en'] as const) {
      if (lang === 'en') {
        await page.goto('/');
        await waitReady(page, 'overview-kpis');
        await page.getByTestId('lang-switch').click();
        await page.getByTestId('chart-closure-by-region').locator('.card__title', { hasText: 'Rectification by region' }).waitFor();
      }
      for (const [level, url] of visited) {
        await page.goto(url);
        await waitReady(page, level === 'unit-profile' ? 'unit-profile-head' : 'overview-kpis');
        if (level !== 'unit-profile') await page.waitForSelector('[data-testid="chart-closure-by-region-chart"][data-chart-state="finished"]');
        if (lang === 'en' && level === 'county') expect(await page.getByTestId('chart-closure-by-region').innerText()).toContain('Rectification by township');
        if (lang === 'en' && level === 'township') expect(await page.getByTestId('chart-closure-by-region').innerText()).toContain('Rectification by unit');
        for (const [width, height] of [
          [1366, 768],
          [1920, 1080],
        ]) {
          await page.setViewportSize({ width, height });
          await page.waitForSelector('[data-testid="app-main"], main', { timeout: 10_000 });
          await shot(page, `${level}-${width}-${lang}`);
        }
        await page.setViewportSize({ width: 1366, height: 768 });
      }
    }
    await page.getByTestId('lang-switch').click();
    expect(errors).toEqual([]);
  });
});
