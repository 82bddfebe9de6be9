import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/app';
import { ensureDashboardBuilt, launchChromium, SCREENSHOT_DIR } from '../support/browser';
import { query } from '../support/pg';
import { pinToday } from '../support/today';
import { addSessionCookie, collectErrors, describeInBrowser } from '../support/web';

/**
 * 已报送 on the export page in a real browser: the last ended quarter shows 未报送; staff mark it
 * 已报送 after confirming (the page then names when and by whom); a backdated 销号 inside the
 * quarter, loaded by the ETL, turns it into 已报送，有更正 with the correction table showing the
 * overdue list one shorter; the workbook downloads as reported and as computed now.
 * Screenshots go to test-output/screenshots.
 */
jest.setTimeout(300_000);

const TODAY = pinToday();

function previousQuarter(day: string) {
  const [y, m] = day.split('-').map(Number);
  const current = Math.floor((m - 1) / 3) + 1;
  const year = current === 1 ? y - 1 : y;
  const quarter = current === 1 ? 4 : current - 1;
  const end = new Date(Date.UTC(year, (quarter - 1) * 3 + 3, 1) - 86_400_000).toISOString().slice(0, 10);
  return { year, quarter, end };
}

describeInBrowser('reported quarters on the export page', () => {
  let t: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const errors: string[] = [];
  const q = previousQuarter(TODAY);
  const shot = (name: string) => page.screenshot({ path: path.join(SCREENSHOT_DIR, `reported-${name}.png`), fullPage: true });
  const tag = () => page.getByTestId('reported-tag');

  beforeAll(async () => {
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    t = await startTestApp({ seed: { scale: 'tiny', today: TODAY }, env: { STATIC_DIR: ensureDashboardBuilt() } });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN', acceptDownloads: true, baseURL: t.url });
    await addSessionCookie(context, t.url, t.cookie);
    page = await context.newPage();
    collectErrors(page, errors);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('marks the last ended quarter 已报送 after a confirmation', async () => {
    await page.goto('/export');
    await page.waitForSelector('[data-testid="reported-card"][data-state="ready"]', { timeout: 60_000 });
    await tag()
      .filter({ hasText: /^\s*未报送\s*$/ })
      .waitFor({ timeout: 30_000 });
    await shot('unreported');
    await page.getByTestId('reported-mark').click();
    const dialog = page.locator('.el-message-box');
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain(`${q.year}年第${q.quarter}季度`);
    await page.locator('.el-message-box .el-button--primary').click();
    await tag()
      .filter({ hasText: /^\s*已报送\s*$/ })
      .waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('reported-by').innerText()).toMatch(/由 staff 标记已报送/);
    await page.getByTestId('reported-no-corrections').waitFor();
    expect(await page.getByTestId('reported-mark').count()).toBe(0);
    const [row] = await query<{ reported_by: string }>(t.db.url, 'SELECT reported_by FROM reported_quarters WHERE year = $1 AND quarter = $2', [
      q.year,
      q.quarter,
    ]);
    expect(row.reported_by).toBe('staff');
    await shot('reported');
  });

  it('shows a backdated 销号 as a correction, and downloads both versions', async () => {
    const overdue = (await t.get<{ rows: { id: number }[] }>(`/api/tasks?asOf=${q.end}&overdue=true&pageSize=200`)).body.rows.map((r) => r.id);
    const effective = new Date(Date.parse(`${q.end}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const [task] = await query<{ id: string }>(
      t.db.url,
      `SELECT k.id::text FROM rectification_tasks k
        WHERE k.id = ANY($2::bigint[]) AND k.status NOT IN ('CLOSED', 'CLOSE_REQUESTED') AND k.current_due_date < $1::date
          AND NOT EXISTS (SELECT 1 FROM task_events e WHERE e.task_id = k.id AND (e.to_status IS NOT NULL OR e.type = 'EXTENSION') AND e.event_date >= $1::date)
        ORDER BY k.id LIMIT 1`,
      [effective, overdue],
    );
    await query(
      t.db.url,
      `WITH old AS (SELECT id, status FROM rectification_tasks WHERE id = $1::bigint),
       changed AS (UPDATE rectification_tasks SET status = 'CLOSED', closed_date = $2::date WHERE id = $1::bigint)
       INSERT INTO task_events (task_id, type, event_date, from_status, to_status, actor, note)
       SELECT old.id, 'STATUS_CHANGE', $2::date, old.status, 'CLOSED', 'test', '补录销号（倒签）' FROM old`,
      [task.id, effective],
    );
    await t.etl();
    const reported = (
      await t.get<{ corrections: { sheet: string; reported: number; current: number }[] }>(`/api/exports/quarterly/report?year=${q.year}&quarter=${q.quarter}`)
    ).body;
    const listed = reported.corrections.find((c) => c.sheet === '附表2 超期整改清单')!;
    expect(listed.current).toBe(listed.reported - 1);

    await page.reload();
    await tag()
      .filter({ hasText: /^\s*已报送，有更正\s*$/ })
      .waitFor({ timeout: 60_000 });
    const table = page.getByTestId('reported-corrections');
    await table.waitFor();
    const rows = await table.locator('tbody tr').allInnerTexts();
    expect(rows.length).toBe(reported.corrections.length);
    const overdueRow = rows.map((r) => r.split('\t').map((c) => c.trim())).find((cells) => cells[0] === '附表2 超期整改清单');
    expect(overdueRow).toEqual(['附表2 超期整改清单', '合计', '超期整改任务数', String(listed.reported), String(listed.current), '-1']);
    await shot('corrected');

    const asReported = page.waitForEvent('download');
    await page.getByTestId('export-download').click();
    expect((await asReported).suggestedFilename()).toMatch(new RegExp(`${q.year}年第${q.quarter}季度-已报送-含更正说明\\.xlsx$`));
    const current = page.waitForEvent('download');
    await page.getByTestId('export-download-current').click();
    expect((await current).suggestedFilename()).toMatch(new RegExp(`${q.year}年第${q.quarter}季度-当前计算\\.xlsx$`));
    expect(errors).toEqual([]);
  });

  // --- 撤回已报送 (exports3)
  it('lets the administrator withdraw the report with a reason after a confirmation; staff then download the withdrawn file and report again', async () => {
    const adminContext = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN', baseURL: t.url });
    const [name, value] = (await t.as('admin')).cookie.split('=');
    await adminContext.addCookies([{ name, value, url: t.url }]);
    const adminPage = await adminContext.newPage();
    adminPage.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
    await adminPage.goto('/export');
    await adminPage
      .getByTestId('reported-tag')
      .filter({ hasText: /^\s*已报送，有更正\s*$/ })
      .waitFor({ timeout: 60_000 });
    // the administrator sees the state, not the workbook downloads (case records)
    expect(await adminPage.getByTestId('export-download').count()).toBe(0);
    await adminPage.getByTestId('export-admin-note').waitFor();
    // a reason is required
    await adminPage.getByTestId('withdraw-submit').click();
    await adminPage.getByTestId('withdraw-error').filter({ hasText: '请填写撤回原因' }).waitFor();
    const reason = '报送后补录销号，数字需更正重报';
    await adminPage.locator('input[data-testid="withdraw-reason"]').fill(reason);
    await adminPage.getByTestId('withdraw-submit').click();
    const dialog = adminPage.locator('.el-message-box');
    await dialog.waitFor();
    const said = await dialog.innerText();
    expect(said).toContain(`${q.year}年第${q.quarter}季度`);
    expect(said).toContain('恢复为未报送');
    expect(said).toContain('不会删除');
    await adminPage.screenshot({ path: path.join(SCREENSHOT_DIR, 'reported-withdraw-confirm.png'), fullPage: true });
    await adminPage.locator('.el-message-box .el-button--primary').click();
    await adminPage
      .getByTestId('reported-tag')
      .filter({ hasText: /^\s*未报送\s*$/ })
      .waitFor({ timeout: 60_000 });
    const withdrawnRows = await adminPage.getByTestId('withdrawn-reports').locator('tbody tr').allInnerTexts();
    expect(withdrawnRows).toHaveLength(1);
    expect(withdrawnRows[0]).toContain(reason);
    expect(withdrawnRows[0]).toContain('admin');
    expect(await adminPage.getByTestId('withdraw-form').count()).toBe(0);
    await adminPage.screenshot({ path: path.join(SCREENSHOT_DIR, 'reported-withdrawn.png'), fullPage: true });
    await adminContext.close();
    const [kept] = await query<{ id: number; withdrawn_by: string; withdrawn_reason: string; content: Buffer }>(
      t.db.url,
      'SELECT id, withdrawn_by, withdrawn_reason, content FROM reported_quarters WHERE year = $1 AND quarter = $2 AND withdrawn_at IS NOT NULL',
      [q.year, q.quarter],
    );
    expect([kept.withdrawn_by, kept.withdrawn_reason]).toEqual(['admin', reason]);

    // staff: 未报送 again, the withdrawn report listed with its file, byte for byte
    await page.reload();
    await tag()
      .filter({ hasText: /^\s*未报送\s*$/ })
      .waitFor({ timeout: 60_000 });
    const file = page.waitForEvent('download');
    await page.getByTestId(`withdrawn-download-${kept.id}`).click();
    const downloaded = await file;
    expect(downloaded.suggestedFilename()).toMatch(new RegExp(`${q.year}年第${q.quarter}季度-已撤回\\.xlsx$`));
    expect(fs.readFileSync(await downloaded.path()).equals(kept.content)).toBe(true);
    expect(await page.getByTestId('withdraw-form').count()).toBe(0);
    // and report it again: the figures as they are now, no correction
    await page.getByTestId('reported-mark').click();
    await page.locator('.el-message-box .el-button--primary').click();
    await tag()
      .filter({ hasText: /^\s*已报送\s*$/ })
      .waitFor({ timeout: 60_000 });
    await page.getByTestId('reported-no-corrections').waitFor();
    expect(await page.getByTestId('withdrawn-reports').locator('tbody tr').count()).toBe(1);
    await shot('reported-again');
    expect(errors).toEqual([]);
  });
});
