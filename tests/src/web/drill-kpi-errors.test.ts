import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { formatCount, BAND_GRID, COLUMN_GRID, bandCenterY, columnCenterX } from '@xuncha/frontend';
import { METRIC_DEFINITIONS } from '@xuncha/shared';
import { startTestApp, type TestApp } from '../support/app';
import { query } from '../support/pg';
import { ensureDashboardBuilt, launchChromium, SCREENSHOT_DIR } from '../support/browser';
import { pinToday } from '../support/today';
import { addSessionCookie, collectErrors, describeInBrowser, signedInContext, expectEventually } from '../support/web';

/**
 * In a real browser: a bar clicked on two pages opens a drawer whose total is the bar's
 * value; the KPI cards open what they count (超期任务, 20天内到期 the worklist with the scope
 * in the URL; a rate its list) and show their 口径 from definitions.ts; a server refusal
 * shows at its field in the chosen language alone; the extension picker offers no day the
 * server refuses; a county user's link to another county lands on their own county.
 */
jest.setTimeout(240_000);

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

describeInBrowser('drills, KPI cards and refusals in a browser', () => {
  let t: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const today = pinToday();
  const errors: string[] = [];
  /** Failed calls a test provoked on purpose (the browser logs them as errors). */
  const expectedFailures: RegExp[] = [];

  const api = async (url: string): Promise<Json> => {
    const response = await t.get<Json>(url);
    expect(response.status).toBe(200);
    return response.body;
  };
  const shot = (p: Page, name: string, fullPage = false) => p.screenshot({ path: path.join(SCREENSHOT_DIR, `drill-${name}.png`), fullPage });
  const text = async (p: Page, testid: string) => (await p.getByTestId(testid).innerText()).trim();
  const numberIn = (s: string) => Number(s.replace(/[^\d]/g, ''));
  /** Retries `read` until it gives `expected` (a list reloads after a navigation). */
  const eventually = expectEventually;
  const waitReady = (p: Page, testid: string) => p.waitForSelector(`[data-testid="${testid}"][data-state="ready"][aria-busy="false"]`, { timeout: 30_000 });
  const chartBox = async (p: Page, testid: string) => {
    const chart = p.getByTestId(`${testid}-chart`);
    await chart.scrollIntoViewIfNeeded();
    await p.waitForSelector(`[data-testid="${testid}-chart"][data-chart-state="finished"]`);
    return (await chart.boundingBox())!;
  };
  const drawerTotal = async (p: Page) => {
    await p.waitForSelector('[data-testid="drill-list"][data-state="ready"][aria-busy="false"]');
    return numberIn(await text(p, 'drill-total'));
  };
  const closeDrawer = async (p: Page) => {
    await p.keyboard.press('Escape');
    await p.getByTestId('drill-drawer').waitFor({ state: 'hidden' });
  };

  async function newPage(cookie: string): Promise<Page> {
    await addSessionCookie(context, t.url, cookie);
    const p = await context.newPage();
    collectErrors(p, errors, { console: true });
    return p;
  }

  beforeAll(async () => {
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const dist = ensureDashboardBuilt();
    t = await startTestApp({ seed: { scale: 'tiny', today }, env: { STATIC_DIR: dist } });
    browser = await launchChromium();
    // reduced motion: the charts are drawn without animation; the tests wait for their `finished` event
    context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', baseURL: t.url, reducedMotion: 'reduce' });
    page = await newPage(t.cookie);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('总览: an aging bar opens a drawer whose total is the bar’s value', async () => {
    await page.goto('/?mode=ROUTINE');
    await waitReady(page, 'overview-kpis');
    const buckets: Json[] = (await api('/api/metrics/overview?mode=ROUTINE')).charts.overdueBuckets;
    const index = buckets.reduce((best: number, b: Json, i: number) => (b.count > buckets[best].count ? i : best), 0);
    expect(buckets[index].count).toBeGreaterThan(0);
    const box = await chartBox(page, 'chart-overdue-buckets');
    await page.mouse.click(columnCenterX(box, index, buckets.length), box.y + box.height - COLUMN_GRID.bottom - 3);
    expect(await drawerTotal(page)).toBe(buckets[index].count);
    await shot(page, '01-overview-aging-bar');
    await closeDrawer(page);
  });

  it('复发: a category’s repeat or rebound bar opens exactly what it counts (not every finding of the category)', async () => {
    await page.goto('/recurrence');
    await waitReady(page, 'recurrence-kpis');
    const body = await api('/api/metrics/recurrence');
    const categories = (await api('/api/options')).categories as Json[];
    const rows: Json[] = body.byCategory;
    // the level-1 category with the most repeats (the chart lists the API's rows in order)
    const index = rows.reduce((best: number, r: Json, i: number) => (r.repeats > rows[best].repeats ? i : best), 0);
    const row = rows[index];
    expect(row.repeats).toBeGreaterThan(0);
    const all = (await api(`/api/findings?categoryId=${row.categoryId}&pageSize=1`)).total;
    expect(all).toBeGreaterThan(row.repeats);
    const box = await chartBox(page, 'chart-recurrence-by-category');
    const center = bandCenterY(box, index, rows.length);
    // the band holds the repeat and the rebound bar: click each half; the drawer's title names the figure
    const seen: Record<string, number> = {};
    for (const dy of [-5, 5]) {
      await page.mouse.click(box.x + BAND_GRID.left + 2, center + dy);
      const drawer = page.getByTestId('drill-drawer');
      const opened = await drawer.waitFor({ state: 'visible', timeout: 3_000 }).then(
        () => true,
        () => false,
      );
      if (!opened) continue; // a bar of rate 0 draws nothing to click
      const total = await drawerTotal(page);
      const title = (await page.locator('.el-drawer__title:visible, .el-drawer__header:visible').first().innerText()).trim();
      seen[title.includes('反弹') ? 'rebound' : 'repeat'] = total;
      await closeDrawer(page);
    }
    const name = categories.find((c) => c.id === row.categoryId)?.name;
    expect(name).toBeDefined();
    expect(seen.repeat).toBe(row.repeats);
    if (seen.rebound !== undefined) expect(seen.rebound).toBe(row.rebounds);
    await shot(page, '02-recurrence-bar', true);
  });

  it('KPI cards open what they count and show their 口径 from definitions.ts', async () => {
    await page.goto('/rectification');
    await waitReady(page, 'rectification-kpis');
    const r = await api('/api/metrics/rectification');
    expect(r.dueSoon.within20).toBeGreaterThan(0);

    // 口径: the tooltip is the sentence of definitions.ts (the source of DEFINITIONS.md's table)
    await page.getByTestId('kpi-on-time-definition').hover();
    const tip = page.locator('.el-popper:visible', { hasText: METRIC_DEFINITIONS.onTime.zh });
    await tip.waitFor();
    await shot(page, '03-kpi-definition');
    for (const [testid, key] of [
      ['kpi-finding-closure', 'findingClosure'],
      ['kpi-overdue', 'overdue'],
      ['kpi-due-soon-10', 'dueSoon10'],
      ['kpi-extended', 'extended'],
    ] as const) {
      expect(await page.getByTestId(`${testid}-definition`).getAttribute('data-definition')).toBe(METRIC_DEFINITIONS[key].zh);
    }

    // a rate: the list it is taken over
    await page.getByTestId('kpi-finding-closure-open').click();
    expect(await drawerTotal(page)).toBe(r.findingClosure.denominator);
    await closeDrawer(page);

    // 20天内到期 and 10天内到期: the worklist with the scope in the URL
    for (const [testid, scope, count] of [
      ['kpi-due-soon-20', 'dueSoon20', r.dueSoon.within20],
      ['kpi-due-soon-10', 'dueSoon10', r.dueSoon.within10],
      ['kpi-overdue', 'overdue', r.overdue.count],
    ] as const) {
      await page.goto('/rectification');
      await waitReady(page, 'rectification-kpis');
      await page.getByTestId(`${testid}-open`).click();
      await page.waitForURL((url) => url.pathname === '/overdue' && url.searchParams.get('scope') === scope);
      await waitReady(page, 'overdue-list');
      await eventually(async () => numberIn(await text(page, 'overdue-total')), count);
    }
    await shot(page, '04-kpi-worklist-due-soon');

    // 总览's 超期任务 card, under a filter: the worklist keeps the filter
    await page.goto('/?mode=ROUTINE');
    await waitReady(page, 'overview-kpis');
    const overview = await api('/api/metrics/overview?mode=ROUTINE');
    await page.getByTestId('kpi-overdue-open').click();
    await page.waitForURL((url) => url.pathname === '/overdue' && url.searchParams.get('mode') === 'ROUTINE' && url.searchParams.get('scope') === 'overdue');
    await eventually(async () => numberIn(await text(page, 'overdue-total')), overview.cards.overdue);
  });

  it('a refused extension shows the Chinese message alone at the date, the English part in English; the picker offers no earlier day', async () => {
    // an open task with a due date a few days ahead
    const [task] = await query<{ id: number; due: string }>(
      t.db.url,
      `SELECT k.id, to_char(k.current_due_date, 'YYYY-MM-DD') AS due FROM rectification_tasks k
        WHERE k.deleted_at IS NULL AND k.status <> 'CLOSED' AND k.current_due_date BETWEEN $1::date + 3 AND $1::date + 25
        ORDER BY k.id LIMIT 1`,
      [today],
    );
    expect(task).toBeDefined();
    await page.goto(`/overdue?scope=all&task=${task.id}`);
    await page.getByTestId('task-drawer').waitFor();
    await page.waitForSelector('[data-testid="task-detail"][data-state="ready"]');

    // the picker (open on this month): every day up to the current due date is disabled, every later one offered
    await page.getByTestId('extend-date').click();
    await page.locator('.el-picker-panel:visible').waitFor();
    const cells = await page.$$eval('.el-picker-panel:visible td', (tds) =>
      tds
        .filter((td) => td.classList.contains('available') || td.classList.contains('disabled'))
        .filter((td) => !td.classList.contains('prev-month') && !td.classList.contains('next-month'))
        .map((td) => ({ day: Number((td.textContent ?? '').trim()), disabled: td.classList.contains('disabled') })),
    );
    expect(cells.length).toBeGreaterThanOrEqual(28);
    const month = today.slice(0, 8);
    const dated = cells.map((c) => ({ date: `${month}${String(c.day).padStart(2, '0')}`, disabled: c.disabled }));
    expect(dated).toEqual(dated.map((c) => ({ date: c.date, disabled: c.date <= task.due })));
    await shot(page, '05-extend-picker');
    await page.keyboard.press('Escape');
    // typed, the due date itself is not taken either
    await page.getByTestId('extend-date').locator('input').fill(task.due);
    await page.getByTestId('extend-date').locator('input').press('Enter');
    await page.getByTestId('extend-reason').click();
    expect(await page.getByTestId('extend-date').locator('input').inputValue()).not.toBe(task.due);

    // pick a day after the due date; meanwhile a colleague extends the task further: the server refuses
    const picked = addDays(task.due, 1);
    await page.getByTestId('extend-date').locator('input').fill(picked);
    await page.getByTestId('extend-date').locator('input').press('Enter');
    await page.getByTestId('extend-reason').fill('等待审批');
    expect(await page.getByTestId('extend-date').locator('input').inputValue()).toBe(picked);
    const colleague = await t.send('POST', `/api/tasks/${task.id}/extensions`, { newDueDate: addDays(task.due, 30), reason: '同事已延期' });
    expect(colleague.status).toBeLessThan(300);
    expectedFailures.push(/400 \(Bad Request\)/);
    await page.getByTestId('extend-submit').click();
    const error = page.getByTestId('extend-date-error');
    await error.waitFor();
    const shown = (await error.innerText()).trim();
    expect(shown).toBe('新整改时限须晚于当前时限');
    await expect(page.getByTestId('task-message').count()).resolves.toBe(0);
    await shot(page, '06-extend-refused-zh');

    // in English: the English part alone
    await page.keyboard.press('Escape');
    await page.getByTestId('task-drawer').waitFor({ state: 'hidden' });
    await page.getByTestId('lang-switch').click();
    await page.goto(`/overdue?scope=all&task=${task.id}`);
    await page.waitForSelector('[data-testid="task-detail"][data-state="ready"]');
    // again: a day after the due date as it is now, and a colleague extends it further first
    const pickedAgain = addDays(task.due, 31);
    await page.getByTestId('extend-date').locator('input').fill(pickedAgain);
    await page.getByTestId('extend-date').locator('input').press('Enter');
    await page.getByTestId('extend-reason').fill('waiting');
    expect(await page.getByTestId('extend-date').locator('input').inputValue()).toBe(pickedAgain);
    const again = await t.send('POST', `/api/tasks/${task.id}/extensions`, { newDueDate: addDays(task.due, 60), reason: '同事再次延期' });
    expect(again.status).toBeLessThan(300);
    await page.getByTestId('extend-submit').click();
    await page.getByTestId('extend-date-error').waitFor();
    const english = (await page.getByTestId('extend-date-error').innerText()).trim();
    expect(english).toMatch(/^must be later than the current due date/);
    expect(english).not.toMatch(/[\u4e00-\u9fff]|newDueDate/);
    await shot(page, '07-extend-refused-en');
    await page.keyboard.press('Escape');
    await page.getByTestId('task-drawer').waitFor({ state: 'hidden' });
    await page.getByTestId('lang-switch').click();
  });

  it('a county user who opens another county’s link lands on their own county with a short notice', async () => {
    const options = await api('/api/options');
    const counties: Json[] = options.regions[0].children.filter((r: Json) => r.level === 'COUNTY');
    const [mine, other] = counties;
    const client = await t.as(`county-${mine.code}`);
    const countyContext = await signedInContext(browser, { baseURL: t.url, cookie: client.cookie });
    const p = await countyContext.newPage();
    collectErrors(p, errors, { console: true });
    await p.goto(`/rectification?regionId=${other.id}&mode=ROUTINE`);
    await p.waitForURL((url) => url.searchParams.get('regionId') === String(mine.id));
    expect(new URL(p.url()).searchParams.get('mode')).toBe('ROUTINE');
    await p.locator('.el-message', { hasText: mine.name }).waitFor();
    await waitReady(p, 'rectification-kpis');
    await expect(p.locator('[data-state="error"]').count()).resolves.toBe(0);
    const theirs = (await client.get<Json>(`/api/metrics/rectification?regionId=${mine.id}&mode=ROUTINE`)).body;
    expect(numberIn(await text(p, 'kpi-overdue-value'))).toBe(theirs.overdue.count);
    await shot(p, '08-county-link');
    await countyContext.close();
  });

  it('a county user’s link to another county’s task or drill list lands on their own task list with a short notice', async () => {
    const options = await api('/api/options');
    const [mine, other] = options.regions[0].children.filter((r: Json) => r.level === 'COUNTY');
    // a task of the other county (its unit's region is the county or one of its townships)
    const [task] = await query<{ id: number }>(
      t.db.url,
      `SELECT k.id FROM rectification_tasks k JOIN findings f ON f.id = k.finding_id AND f.deleted_at IS NULL
         JOIN org_units u ON u.id = f.unit_id JOIN regions g ON g.id = u.region_id
        WHERE k.deleted_at IS NULL AND (g.id = $1 OR g.parent_id = $1) ORDER BY k.id LIMIT 1`,
      [other.id],
    );
    expect(task).toBeDefined();
    const client = await t.as(`county-${mine.code}`);
    expect((await client.get(`/api/tasks/${task.id}`)).status).toBe(404);
    const countyContext = await signedInContext(browser, { baseURL: t.url, cookie: client.cookie });
    const p = await countyContext.newPage();
    collectErrors(p, errors);
    // the drawer's request answers 404 on purpose (the browser logs it)
    expectedFailures.push(/404 \(Not Found\)/);

    await p.goto(`/rectification?task=${task.id}`);
    await p.locator('.el-message', { hasText: `任务 #${task.id} 不属于${mine.name}` }).waitFor();
    await p.waitForURL((url) => url.pathname === '/overdue' && !url.searchParams.has('task'));
    await waitReady(p, 'overdue-list');
    await expect(p.getByTestId('task-drawer').isVisible()).resolves.toBe(false);
    await expect(p.locator('[data-state="error"]').count()).resolves.toBe(0);
    // their own list: as many tasks as the API gives them
    const own = (await client.get<Json>('/api/tasks?overdue=true&pageSize=1')).body;
    await eventually(async () => numberIn(await text(p, 'overdue-total')), own.total);
    await shot(p, '09-county-task-link');

    // a drill list of the other county: not opened (the server would refuse it), a notice naming their county
    const drill = JSON.stringify({ kind: 'tasks', title: '超期任务', query: { regionId: other.id } });
    await p.goto(`/overdue?drill=${encodeURIComponent(drill)}`);
    await p.locator('.el-message', { hasText: mine.name }).last().waitFor();
    await p.waitForURL((url) => !url.searchParams.has('drill'));
    await waitReady(p, 'overdue-list');
    await expect(p.getByTestId('drill-drawer').isVisible()).resolves.toBe(false);
    await countyContext.close();
  });

  it('logged no errors in the page', () => {
    const unexpected = errors.filter((e) => !expectedFailures.some((re) => re.test(e)));
    expect(unexpected).toEqual([]);
  });

  void formatCount;
});
