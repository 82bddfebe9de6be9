import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/app';
import { clickNav, ensureDashboardBuilt, launchChromium, SCREENSHOT_DIR } from '../support/browser';
import { query } from '../support/pg';
import { pinToday } from '../support/today';
import { addSessionCookie, collectErrors, describeInBrowser, rememberLocale } from '../support/web';

/**
 * The polish of issue 18 in a real browser, at 1366 and 1920 in Chinese and English: the
 * audit log in words (a correction's before/after, its download), the timeline's names, the
 * 数据更新于 stamp (checked against etl_runs), the one 截至日期 control with quarter-end
 * shortcuts, and the English navigation at 1366 (every group whole, 导出 and 数据同步 reachable).
 */
jest.setTimeout(300_000);

const SIZES = [
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
] as const;
const LOCALES = ['zh-CN', 'en'] as const;

describeInBrowser('polish in a browser', () => {
  const today = pinToday();
  let t: TestApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  let adminCookie: string;
  let task: { id: string; unit: string; person: string };
  let staffName: string;
  const sql = <T extends Record<string, unknown>>(text: string, params: unknown[] = []) => query<T>(t.db.url, text, params);

  async function pageAs(cookie: string, locale: (typeof LOCALES)[number], size: (typeof SIZES)[number]): Promise<Page> {
    const context = await browser.newContext({ viewport: size, locale, acceptDownloads: true, baseURL: t.url, reducedMotion: 'reduce' });
    contexts.push(context);
    await rememberLocale(context, locale);
    await addSessionCookie(context, t.url, cookie);
    const page = await context.newPage();
    collectErrors(page, errors);
    return page;
  }
  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENSHOT_DIR, `polish-${name}.png`), fullPage: true });
  /** Until no card is loading and more than `cards` are ready (a function: the page's CSP refuses string evaluation). */
  const settled = (page: Page, cards: number) =>
    page.waitForFunction(
      (n) => {
        const d = (globalThis as unknown as { document: { querySelector(s: string): unknown; querySelectorAll(s: string): { length: number } } }).document;
        return !d.querySelector('[aria-busy="true"]') && d.querySelectorAll('[data-state="ready"]').length > n;
      },
      cards,
      { timeout: 30_000 },
    );
  const tag = (locale: string, size: { width: number }) => `${locale === 'en' ? 'en' : 'zh'}-${size.width}`;

  beforeAll(async () => {
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const dist = ensureDashboardBuilt();
    t = await startTestApp({ seed: { scale: 'tiny', today }, env: { STATIC_DIR: dist } });
    adminCookie = (await t.as('admin')).cookie;
    const [row] = await sql<{ id: string; unit: string; person: string }>(
      `SELECT k.id::text AS id, u.name AS unit, k.responsible_person AS person
         FROM rectification_tasks k JOIN findings f ON f.id = k.finding_id JOIN inspections i ON i.id = f.inspection_id JOIN org_units u ON u.id = f.unit_id
        WHERE k.deleted_at IS NULL AND f.deleted_at IS NULL AND i.deleted_at IS NULL AND k.status = 'IN_PROGRESS' AND i.feedback_date < $1::date ORDER BY k.id LIMIT 1`,
      [today],
    );
    task = row!;
    expect((await t.send('PATCH', `/api/tasks/${task.id}`, { responsiblePerson: '浏览器测试人' })).status).toBe(200);
    expect((await t.send('POST', `/api/tasks/${task.id}/notes`, { note: '浏览器测试进展' })).status).toBe(201);
    [{ staffName }] = await sql<{ staffName: string }>(`SELECT display_name AS "staffName" FROM users WHERE username = 'staff'`);
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await t?.close();
  });

  afterEach(() => {
    expect(errors).toEqual([]);
  });

  for (const locale of LOCALES) {
    for (const size of SIZES) {
      it(`shows the audit log in words, with its before/after and download (${tag(locale, size)})`, async () => {
        const page = await pageAs(adminCookie, locale, size);
        await page.goto('/admin/audit?action=task.update');
        await page.waitForSelector('[data-testid="audit"][data-state="ready"][aria-busy="false"]', { timeout: 30_000 });
        const first = page.locator('[data-testid="audit-table"] .el-table__body tbody tr').first();
        const summary = (await first.getByTestId('audit-summary').innerText()).trim();
        const record = `整改任务 #${task.id}（${task.unit}）`;
        expect(summary).toBe(locale === 'en' ? `Task corrected ${record}` : `更正${record}的责任人`);
        expect((await first.getByTestId('audit-user').innerText()).trim()).toBe(`${staffName} (staff)`);
        await first.locator('.el-table__expand-icon').click();
        const changes = page.getByTestId('audit-changes').first();
        await changes.waitFor();
        const cells = await changes.locator('.el-table__body td').allInnerTexts();
        expect(cells.map((c) => c.trim())).toEqual(['责任人', task.person, '浏览器测试人']);
        await shot(page, `audit-${tag(locale, size)}`);

        const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('audit-export-xlsx').click()]);
        expect(download.suggestedFilename()).toBe(`审计日志_更正整改任务_${today}.xlsx`);
      });

      it(`stamps 数据更新于 from the last successful ETL run and merges the as-of controls (${tag(locale, size)})`, async () => {
        const page = await pageAs(t.cookie, locale, size);
        await page.goto('/');
        const [{ at }] = await sql<{ at: string }>(
          `SELECT to_char(finished_at AT TIME ZONE 'Asia/Shanghai', 'HH24:MI') AS at FROM etl_runs WHERE status = 'SUCCEEDED' ORDER BY id DESC LIMIT 1`,
        );
        const stamp = page.getByTestId('data-updated');
        await stamp.waitFor();
        expect((await stamp.innerText()).trim()).toBe(locale === 'en' ? `Data updated ${at}` : `数据更新于 ${at}`);
        // one control: no separate 按季度; its shortcuts set asOf to a quarter's last day. The
        // page settles first: cards arriving re-render the filter bar and can close an open panel
        await settled(page, 3);
        await page.locator('[data-testid="filter-as-of-field"] input').click();
        const shortcut = page.locator('.el-picker-panel__shortcut:visible').nth(1); // [0] is today, [1] the last ended quarter
        const label = (await shortcut.innerText()).trim();
        await shortcut.click();
        await page.waitForURL(/asOf=\d{4}-\d{2}-\d{2}/);
        const asOf = new URL(page.url()).searchParams.get('asOf')!;
        expect(/-(03-31|06-30|09-30|12-31)$/.test(asOf)).toBe(true);
        expect(asOf < today).toBe(true);
        await expect(page.getByTestId('filter-quarter').innerText()).resolves.toBe(` · ${label}`);
        // every card has its figures for the chosen day before the picture
        await settled(page, 3);
        await shot(page, `overview-${tag(locale, size)}`);
        // the categories page: the sunburst's inner labels and the partial quarter of the trend
        await page.goto(`/categories`);
        await settled(page, 2);
        await shot(page, `categories-${tag(locale, size)}`);
      });

      it(`shows the timeline's names apart from the text before them (${tag(locale, size)})`, async () => {
        const page = await pageAs(t.cookie, locale, size);
        await page.goto(`/overdue?task=${task.id}`);
        await page.waitForSelector('[data-testid="task-detail"][data-state="ready"]', { timeout: 30_000 });
        const event = page.locator('[data-testid="timeline-event"]', { hasText: '浏览器测试进展' });
        await event.waitFor();
        const actor = event.getByTestId('event-actor');
        expect((await actor.innerText()).trim()).toBe(staffName);
        const status = page.locator('[data-testid="timeline-event"][data-type="STATUS_CHANGE"]').first();
        if ((await status.count()) > 0) {
          // the name against the last line box of the text before it (that text may wrap at 1366):
          // on the same line, a gap of at least a few pixels; or on a line of its own
          const place = await status.evaluate((el) => {
            const lines = el.querySelector(':scope > span')!.getClientRects();
            const text = lines[lines.length - 1];
            const name = el.querySelector('[data-testid="event-actor"]')!.getClientRects()[0];
            return { below: name.top >= text.bottom - 2, sameLine: Math.abs(name.top - text.top) < text.height, gap: name.left - text.right };
          });
          expect(place.below || (place.sameLine && place.gap >= 4)).toBe(true);
        }
        if (locale === 'en') {
          // the marks the page puts between texts are ASCII in English (the records' own texts are Chinese)
          expect(await page.getByTestId('task-unit').innerText()).toMatch(/^[^（）：；，]+ \([^（）：；，]+, [^（）：；，]+\)$/);
          for (const line of await page.locator('[data-testid="timeline-event"] > span').allInnerTexts()) expect(line).not.toMatch(/[：；，]/);
        }
        await shot(page, `timeline-${tag(locale, size)}`);
      });
    }
  }

  it('keeps the English navigation whole at 1366: every group readable, 导出 and 数据同步 reachable', async () => {
    const page = await pageAs(t.cookie, 'en', SIZES[0]);
    await page.goto('/');
    await page.getByTestId('data-updated').waitFor();
    const groups = page.locator('[data-testid^="navgroup-"]');
    expect(await groups.count()).toBeGreaterThan(2);
    for (const button of await groups.all()) {
      const box = (await button.boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(1366);
      // the label is not cut: its text fits its box
      expect(await button.evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true);
    }
    await expect(page.getByTestId('lang-switch').isVisible()).resolves.toBe(true);
    await clickNav(page, 'export');
    await page.waitForURL(/\/export/);
    await clickNav(page, 'etl');
    await page.waitForURL(/\/etl/);
    await shot(page, 'nav-en-1366');
  });
});
