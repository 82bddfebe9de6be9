import fs from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/app';
import { ensureDashboardBuilt, launchChromium } from '../support/browser';
import { applyForClosure } from '../support/closure';
import { parseCsv } from '../support/csv';
import { query } from '../support/pg';
import { pinToday } from '../support/today';
import { describeInBrowser } from '../support/web';

/**
 * Every list has 导出 (issue 16 item 4), in a real browser: for each role that sees different
 * pages, every page of the navigation is visited (the pages are taken from the menu, so a new
 * page is visited too), and so are the drill drawers; every table shown must sit in a card or
 * drawer that carries the 导出 buttons (.xlsx and CSV), unless it is one of the few tables
 * named below that are not lists. A new list without 导出 fails here.
 */
jest.setTimeout(300_000);

const TODAY = pinToday();

/** Tables that are not lists, by test id (a prefix ends with `-`), and why they need no 导出. */
const NOT_LISTS: Record<string, string> = {
  'clue-by-county': '线索按县区统计: one count row per county; the clue list on the same page has 导出',
  'md-categories-table': '问题分类: the two-level category tree (tens of rows)',
  'terms-': '届次: a committee’s few terms, each with its rounds',
  'rounds-': '轮次: the rounds of one term',
  'reported-corrections': '更正: the corrections of one report, also in the workbook’s 更正说明 sheet',
  'withdrawn-reports': '已撤回的报送: the withdrawn reports of one quarter, each with its file',
};
const exempt = (testid: string) => Object.keys(NOT_LISTS).some((key) => (key.endsWith('-') ? testid.startsWith(key) : testid === key));

/** The lists that must be found (so that the test cannot pass by finding none). */
const EXPECTED_LISTS = [
  'uncovered-table',
  'inspection-table',
  'finding-record-table',
  'overdue-table',
  'closure-queue-table',
  'clue-table',
  'units-table',
  'etl-runs-table',
  'users-table',
  'audit-table',
  'drill-tasks',
  'drill-findings',
  'regions-table',
  // 单位画像 (visited by the unit's URL: it is not in the menu)
  'unit-profile-inspection-table',
  'unit-profile-category-table',
  'unit-profile-person-table',
  'unit-profile-task-table',
  'unit-profile-clue-table',
];

interface Found {
  page: string;
  table: string;
  /** the 导出 buttons of the table's card or drawer (test ids), empty when none */
  exports: string[];
}

describeInBrowser('导出 on every list page', () => {
  let t: TestApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    t = await startTestApp({ seed: { scale: 'tiny', today: TODAY }, env: { STATIC_DIR: ensureDashboardBuilt() } });
    browser = await launchChromium();
    // one request in the 销号审核 queue, so that its list shows
    const [task] = await query<{ id: string }>(
      t.db.url,
      "SELECT id::text FROM rectification_tasks WHERE status = 'IN_PROGRESS' AND deleted_at IS NULL ORDER BY id LIMIT 1",
    );
    expect((await applyForClosure(t, await t.as('staff'), task.id)).status).toBe(201);
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await t?.close();
  });

  async function pageAs(username: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN', baseURL: t.url, reducedMotion: 'reduce' });
    contexts.push(context);
    const [name, value] = (await t.as(username)).cookie.split('=');
    await context.addCookies([{ name, value, url: t.url }]);
    const page = await context.newPage();
    page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
    return page;
  }

  /** Waits until no card of the page is loading, and the page's view is there. */
  async function settled(page: Page): Promise<void> {
    await page.waitForSelector('.page', { timeout: 30_000 });
    // (the tests compile without the DOM's types: the page's document, as far as used here)
    type Doc = { querySelectorAll(selector: string): { length: number } };
    await page.waitForFunction(
      () => (globalThis as unknown as { document: Doc }).document.querySelectorAll('section.card[data-state="loading"], .el-loading-mask').length === 0,
      undefined,
      { timeout: 60_000 },
    );
  }

  /** Every table shown, with the 导出 buttons of its card or drawer. */
  function tablesOf(page: Page, label: string): Promise<Found[]> {
    return page.$$eval(
      '.el-table',
      (tables, name) =>
        tables
          // shown: not inside a hidden tab, collapsed row or closed drawer
          .filter((table) => (table as unknown as { offsetParent: unknown }).offsetParent !== null)
          .map((table) => {
            const holder = table.closest('section.card, .el-drawer');
            const buttons = holder ? [...holder.querySelectorAll('.export-buttons')] : [];
            return {
              page: name,
              table:
                table.getAttribute('data-testid') ?? `(unnamed table: ${table.closest('[data-testid]')?.getAttribute('data-testid') ?? 'no named holder'})`,
              exports: buttons.filter((b) => b.querySelectorAll('button').length === 2).map((b) => b.getAttribute('data-testid') ?? '(unnamed)'),
            };
          }),
      label,
    );
  }

  /** The pages of the navigation menu, in its order. */
  async function navPages(page: Page): Promise<string[]> {
    await page.goto('/');
    await page.waitForSelector('.app-nav [data-testid^="nav-"]', { state: 'attached', timeout: 30_000 });
    return page.$$eval('.app-nav a[data-testid^="nav-"]', (links) => links.map((a) => a.getAttribute('href') ?? ''));
  }

  it('finds the 导出 buttons beside every list, for staff and for the administrator', async () => {
    const found: Found[] = [];
    const visited: string[] = [];
    for (const username of ['staff', 'admin']) {
      const page = await pageAs(username);
      const pages = await navPages(page);
      expect(pages.length).toBeGreaterThan(5);
      for (const href of pages) {
        await page.goto(href);
        await settled(page);
        visited.push(`${username} ${href}`);
        found.push(...(await tablesOf(page, `${username} ${href}`)));
      }
      if (username === 'staff') {
        // the drill drawers, which live in the URL
        for (const drill of [
          { kind: 'tasks', title: '超期任务', query: { overdue: 'true' } },
          { kind: 'findings', title: '未整改完成问题', query: { closed: 'false' } },
        ]) {
          await page.goto(`/rectification?drill=${encodeURIComponent(JSON.stringify(drill))}`);
          await page.locator('.el-drawer').getByText(drill.title).first().waitFor({ timeout: 30_000 });
          await page.locator('.el-drawer .el-table').first().waitFor({ timeout: 30_000 });
          await settled(page);
          found.push(...(await tablesOf(page, `${username} drill ${drill.kind}`)));
        }
        // 单位画像 of a unit whose every table has rows (a unit with clues, the most tasks first)
        const [unit] = await query<{ id: number }>(
          t.db.url,
          `SELECT u.id FROM org_units u
            WHERE u.deleted_at IS NULL
              AND EXISTS (SELECT 1 FROM clues k JOIN inspections i ON i.id = k.inspection_id AND i.deleted_at IS NULL WHERE i.unit_id = u.id AND k.deleted_at IS NULL)
            ORDER BY (SELECT count(*) FROM rectification_tasks k JOIN findings f ON f.id = k.finding_id WHERE f.unit_id = u.id AND k.deleted_at IS NULL) DESC, u.id
            LIMIT 1`,
        );
        await page.goto(`/units/${unit.id}`);
        await page.locator('[data-testid="unit-profile-clue-table"]').waitFor({ timeout: 30_000 });
        await settled(page);
        visited.push(`${username} /units/${unit.id}`);
        found.push(...(await tablesOf(page, `${username} unit profile`)));
        // its buttons download that table: the tasks as CSV, one record per task of the unit
        const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('unit-profile-tasks-export-csv').click()]);
        expect(download.suggestedFilename()).toMatch(new RegExp(`^单位画像-整改任务_.+_${TODAY}\\.csv$`));
        const [{ n }] = await query<{ n: number }>(
          t.db.url,
          `SELECT count(*)::int AS n FROM rectification_tasks k JOIN findings f ON f.id = k.finding_id AND f.deleted_at IS NULL
             JOIN inspections i ON i.id = f.inspection_id AND i.deleted_at IS NULL WHERE f.unit_id = $1 AND k.deleted_at IS NULL`,
          [unit.id],
        );
        expect(n).toBeGreaterThan(0);
        expect(parseCsv(fs.readFileSync(await download.path(), 'utf8')).length).toBe(n + 1);
      }
    }
    // a list is a table that is not named as something else; each has its 导出 (.xlsx and CSV)
    const lists = found.filter((f) => !exempt(f.table));
    expect(lists.filter((f) => f.exports.length === 0)).toEqual([]);
    const names = new Set(lists.map((f) => f.table));
    for (const expected of EXPECTED_LISTS) expect([expected, names.has(expected)]).toEqual([expected, true]);
    expect(visited.length).toBeGreaterThan(15);
    expect(errors).toEqual([]);
  });

  it('disables 导出 where a list shows no row, and says why', async () => {
    // a unit with tasks and no clue: its 问题线索 table is empty, its 整改任务 table is not
    const [unit] = await query<{ id: number }>(
      t.db.url,
      `SELECT u.id FROM org_units u
        WHERE u.deleted_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM clues k JOIN inspections i ON i.id = k.inspection_id WHERE i.unit_id = u.id AND k.deleted_at IS NULL)
          AND EXISTS (SELECT 1 FROM rectification_tasks k JOIN findings f ON f.id = k.finding_id AND f.deleted_at IS NULL
                        JOIN inspections i ON i.id = f.inspection_id AND i.deleted_at IS NULL WHERE f.unit_id = u.id AND k.deleted_at IS NULL)
        ORDER BY u.id LIMIT 1`,
    );
    const page = await pageAs('staff');
    await page.goto(`/units/${unit.id}`);
    // the empty card shows its empty state in place of the table, its 导出 beside the title
    await page.locator('[data-testid="unit-profile-task-table"]').waitFor({ timeout: 30_000 });
    await page.getByTestId('unit-profile-clues-export').waitFor({ timeout: 30_000 });
    await settled(page);
    for (const format of ['xlsx', 'csv']) {
      expect([format, await page.getByTestId(`unit-profile-clues-export-${format}`).isDisabled()]).toEqual([format, true]);
      expect([format, await page.getByTestId(`unit-profile-tasks-export-${format}`).isDisabled()]).toEqual([format, false]);
    }
    expect(await page.getByTestId('unit-profile-clues-export').getAttribute('title')).toBe('没有可导出的记录');
    expect(await page.getByTestId('unit-profile-tasks-export').getAttribute('title')).toBeNull();
    expect(errors).toEqual([]);
  });
});
