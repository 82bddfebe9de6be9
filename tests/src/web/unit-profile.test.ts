import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { shanghaiToday } from '@xuncha/shared';
import { startTestApp, type TestApp } from '../support/app';
import { ensureDashboardBuilt, launchChromium, SCREENSHOT_DIR } from '../support/browser';
import { query } from '../support/pg';
import { collectErrors, describeInBrowser, signedInContext } from '../support/web';

/**
 * 单位画像 in a real browser: found from the header's unit search by keyboard, its figures as
 * PostgreSQL counts them, the leaders entered in the unit directory; screenshots at 1366 and
 * 1920 px in Chinese and English; a unit name in the 问题 list opens it too.
 */
jest.setTimeout(240_000);

describeInBrowser('单位画像 in a browser', () => {
  const today = shanghaiToday();
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  const sql = <T extends Record<string, unknown>>(text: string, params: unknown[] = []) => query<T>(t.db.url, text, params);
  const waitReady = (testid: string) => page.waitForSelector(`[data-testid="${testid}"][data-state="ready"][aria-busy="false"]`, { timeout: 30_000 });
  const shot = (name: string) => page.screenshot({ path: path.join(SCREENSHOT_DIR, `unit-profile-${name}.png`), fullPage: true });
  const figure = async (testid: string) => Number((await page.getByTestId(testid).innerText()).replace(/[^\d]/g, ''));

  beforeAll(async () => {
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const dist = ensureDashboardBuilt();
    t = await startTestApp({ seed: { scale: 'tiny', today }, env: { STATIC_DIR: dist } });
    await t.etl();
    browser = await launchChromium();
    const context = await signedInContext(browser, { baseURL: t.url, cookie: t.cookie });
    page = await context.newPage();
    collectErrors(page, errors);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('opens a unit from the header search, shows its figures and leaders, in both languages at both sizes', async () => {
    const [unit] = await sql<{ id: number; code: string; name: string }>(
      `SELECT u.id, u.code, u.name FROM org_units u JOIN inspections i ON i.unit_id = u.id AND i.deleted_at IS NULL
        WHERE u.deleted_at IS NULL GROUP BY u.id ORDER BY count(*) DESC, u.id LIMIT 1`,
    );
    expect((await t.send('PATCH', `/api/masterdata/units/${unit.id}`, { principalLeader: '浏览器主任', leaderInCharge: '浏览器副主任' })).status).toBe(200);
    const [counts] = await sql<{ inspections: number; findings: number; open: number }>(
      `SELECT (SELECT count(*) FROM inspections WHERE unit_id = $1 AND deleted_at IS NULL)::int AS inspections,
              (SELECT count(*) FROM findings f JOIN inspections i ON i.id = f.inspection_id AND i.deleted_at IS NULL WHERE f.unit_id = $1 AND f.deleted_at IS NULL AND f.found_date <= $2::date)::int AS findings,
              (SELECT count(*) FROM rectification_tasks k JOIN findings f ON f.id = k.finding_id AND f.deleted_at IS NULL JOIN inspections i ON i.id = f.inspection_id AND i.deleted_at IS NULL
                WHERE f.unit_id = $1 AND k.deleted_at IS NULL AND k.status <> 'CLOSED')::int AS open`,
      [unit.id, today],
    );

    await page.goto('/');
    const search = page.locator('[data-testid="unit-search"] input');
    await search.waitFor({ timeout: 30_000 });
    // by keyboard: focus, type the code, the first match highlighted, Enter opens it
    await search.focus();
    await search.pressSequentially(unit.code, { delay: 20 });
    await page.getByTestId(`unit-search-item-${unit.id}`).waitFor({ timeout: 15_000 });
    await search.press('Enter');
    await page.waitForURL(new RegExp(`/units/${unit.id}$`), { timeout: 15_000, waitUntil: 'commit' });
    await waitReady('unit-profile-head');

    expect(await page.getByTestId('unit-profile-head').locator('.card__title').innerText()).toBe(unit.name);
    expect(await page.getByTestId('unit-profile-principal').innerText()).toBe('浏览器主任');
    expect(await page.getByTestId('unit-profile-in-charge').innerText()).toBe('浏览器副主任');
    expect(await figure('kpi-inspections')).toBe(counts.inspections);
    expect(await figure('kpi-findings')).toBe(counts.findings);
    expect(await figure('kpi-open')).toBe(counts.open);
    expect(await page.getByTestId('unit-profile-inspection-table').locator('tbody tr').count()).toBe(counts.inspections);
    await shot('1366-zh');
    await page.setViewportSize({ width: 1920, height: 1080 });
    await shot('1920-zh');

    await page.getByTestId('lang-switch').click();
    await page.getByTestId('unit-profile-facts').getByText('Principal leader', { exact: true }).waitFor();
    expect(await page.getByTestId('unit-profile-persons').locator('.card__title').innerText()).toBe('Responsible persons');
    await shot('1920-en');
    await page.setViewportSize({ width: 1366, height: 768 });
    await shot('1366-en');
    // the search box sits in the header at 1366 px in English: nothing overflows, the navigation and the user menu stay clear of it
    type Box = { right: number; left: number; width: number };
    type El = {
      scrollWidth: number;
      clientWidth: number;
      getBoundingClientRect(): Box;
      querySelector(s: string): El | null;
      querySelectorAll(s: string): ArrayLike<El>;
    };
    const fits = await page.locator('.app-header').evaluate((header: El) => {
      const groups = Array.from(header.querySelectorAll('.app-nav__group'), (g) => g.getBoundingClientRect());
      const search = header.querySelector('.unit-search')!.getBoundingClientRect();
      const user = header.querySelector('.user-menu')?.getBoundingClientRect();
      return {
        overflow: header.scrollWidth - header.clientWidth,
        navClear: Math.max(...groups.map((g) => g.right)) <= search.left,
        userClear: user ? search.right <= user.left : false,
        wide: search.width >= 120,
      };
    });
    expect(fits).toEqual({ overflow: 0, navClear: true, userClear: true, wide: true });
    await page.getByTestId('lang-switch').click();
    expect(errors).toEqual([]);
  });

  it('opens a unit from its name in the 问题 list', async () => {
    await page.goto('/records/findings');
    const link = page.locator('[data-testid="finding-record-table"] a.unit-link').first();
    await link.waitFor({ timeout: 30_000 });
    const id = Number((await link.getAttribute('data-testid'))!.replace('unit-link-', ''));
    const name = await link.innerText();
    await link.click();
    await page.waitForURL(new RegExp(`/units/${id}$`), { waitUntil: 'commit' });
    await waitReady('unit-profile-head');
    expect(await page.getByTestId('unit-profile-head').locator('.card__title').innerText()).toBe(name);
    expect(errors).toEqual([]);
  });
});
