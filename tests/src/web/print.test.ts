import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { shanghaiToday } from '@xuncha/shared';
import { startTestApp, type TestApp } from '../support/app';
import { browserUnavailable, ensureDashboardBuilt, launchChromium, SCREENSHOT_DIR } from '../support/browser';
import { addSessionCookie } from '../support/web';

/**
 * Printing, read back from the PDF each page prints to (pdftotext, page by page): the
 * worklist's 督办清单 (chromium's page.pdf of the print view) holds every row of the list
 * with the header row on every page and no navigation; the quarterly workbook converted by
 * LibreOffice has a header row and a page number on every page. And the 预警 page shows the
 * API's counts and issues a 督办单 from the browser. Screenshots go to test-output/screenshots.
 */
jest.setTimeout(300_000);

const unavailable = browserUnavailable();
function tool(name: string, args: string[]): boolean {
  try {
    execFileSync(name, args, { stdio: 'pipe', timeout: 60_000 });
    return true;
  } catch {
    return false;
  }
}
const missing =
  unavailable ??
  (!tool('pdftotext', ['-v'])
    ? 'pdftotext (poppler-utils) is not installed'
    : !tool('soffice', ['--version'])
      ? 'soffice (LibreOffice) is not installed'
      : undefined);
if (missing) {
  if (process.env.XUNCHA_REQUIRE_SYSTEM_PACKAGES === '1') {
    it('prints in a real browser and LibreOffice (required here)', () => {
      throw new Error(missing);
    });
  } else {
    console.log(`print: skipped: ${missing}`);
  }
}

/** Each page's text of a PDF, whitespace removed. */
function pdfPages(file: string): string[] {
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  const pages = Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
  return Array.from({ length: pages }, (_, i) =>
    execFileSync('pdftotext', ['-f', String(i + 1), '-l', String(i + 1), file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ''),
  );
}

(missing ? describe.skip : describe)('printing', () => {
  let t: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let dir: string;
  const today = shanghaiToday();

  beforeAll(async () => {
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xuncha-print-'));
    t = await startTestApp({ seed: { scale: 'tiny', today }, env: { STATIC_DIR: ensureDashboardBuilt() } });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', acceptDownloads: true, baseURL: t.url });
    await addSessionCookie(context, t.url, t.cookie);
    page = await context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('prints the worklist as a 督办清单: every row, the header on every page, no navigation', async () => {
    const params = 'sort=id';
    const ids: number[] = [];
    for (let p = 1; ; p++) {
      const body = (await t.get<{ total: number; rows: { id: number }[] }>(`/api/tasks?${params}&pageSize=200&page=${p}`)).body;
      ids.push(...body.rows.map((r) => r.id));
      if (ids.length >= body.total || body.rows.length === 0) break;
    }
    expect(ids.length).toBeGreaterThan(200); // more than one page of the API, and several of paper
    await page.goto(`/print/worklist?${params}`);
    await page.waitForSelector('[data-testid="print-worklist"][data-state="ready"]', { timeout: 60_000 });
    const shown = await page.$$eval('[data-testid="print-table"] tbody tr', (rows) =>
      rows.map((r) => Number((r as unknown as { cells: ArrayLike<{ textContent: string | null }> }).cells[1].textContent)),
    );
    expect(shown).toEqual(ids);
    expect(await page.locator('.app-nav').count()).toBe(0);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'print-worklist.png') });
    const pdf = path.join(dir, 'worklist.pdf');
    await page.emulateMedia({ media: 'print' });
    await page.pdf({ path: pdf, format: 'A4', landscape: true, preferCSSPageSize: true });
    const pages = pdfPages(pdf);
    expect(pages.length).toBeGreaterThan(2);
    const header = await page.$$eval('[data-testid="print-table"] thead th', (cells) => cells.map((c) => (c.textContent ?? '').trim()));
    expect(header).toEqual(['序号', '编号', '地区', '被巡察单位', '问题类别', '整改措施', '责任部门', '责任人', '状态', '整改期限', '超期天数']);
    for (const [i, text] of pages.entries()) {
      // every header cell on every page (pdftotext may order a page's cells by column)
      expect({ page: i + 1, missing: header.filter((h) => !text.includes(h)) }).toEqual({ page: i + 1, missing: [] });
      expect({ page: i + 1, print: text.includes('打印') }).toEqual({ page: i + 1, print: false }); // the print button is not printed
    }
    fs.copyFileSync(pdf, path.join(SCREENSHOT_DIR, 'print-worklist.pdf'));
  });

  it('prints the quarterly workbook with a header row and a page number on every page', async () => {
    const [y, m] = today.split('-').map(Number);
    const last = new Date(Date.UTC(y, Math.floor((m - 1) / 3) * 3, 0));
    const response = await fetch(`${t.url}/api/exports/quarterly?year=${last.getUTCFullYear()}&quarter=${Math.floor(last.getUTCMonth() / 3) + 1}`, {
      headers: { cookie: t.cookie },
    });
    expect(response.status).toBe(200);
    fs.writeFileSync(path.join(dir, 'quarterly.xlsx'), Buffer.from(await response.arrayBuffer()));
    execFileSync(
      'soffice',
      [`-env:UserInstallation=file://${path.join(dir, 'profile')}`, '--headless', '--convert-to', 'pdf', '--outdir', dir, path.join(dir, 'quarterly.xlsx')],
      { stdio: 'pipe', timeout: 300_000 },
    );
    const pdf = path.join(dir, 'quarterly.pdf');
    fs.copyFileSync(pdf, path.join(SCREENSHOT_DIR, 'print-quarterly.pdf'));
    const pages = pdfPages(pdf);
    // six sheets, at least one of them longer than a page (its header repeated)
    expect(pages.length).toBeGreaterThan(6);
    // a header of each sheet: 巡察覆盖情况, 发现问题分类统计, 整改情况汇总, 问题复发情况, 附表1 整改情况明细, 附表2 超期整改清单
    const headers = [
      ['地区', '单位类别', '应覆盖单位数'],
      ['一级类别', '二级类别', '占比'],
      ['统计口径', '地区/巡察轮次', '反馈问题数', '已整改销号'],
      ['统计口径', '地区/问题类别', '重复率', '反弹率'],
      ['巡察轮次', '所属地区', '被巡察单位', '反馈问题数'],
      ['序号', '任务编号', '整改状态', '超期天数'],
    ];
    const sheetOf = pages.map((text) => headers.findIndex((cells) => cells.every((h) => text.includes(h))));
    for (const [i, text] of pages.entries()) {
      // a page holds every header cell of its sheet (pdftotext may order a page's cells by column)
      expect({ page: i + 1, header: sheetOf[i] >= 0 }).toEqual({ page: i + 1, header: true });
      expect({ page: i + 1, number: /第\d+页，共\d+页/.test(text) }).toEqual({ page: i + 1, number: true });
    }
    // the summaries by county and by round come first, the annexes (附表) after them, in order
    expect([...new Set(sheetOf)]).toEqual([0, 1, 2, 3, 4, 5]);
    expect(sheetOf).toEqual([...sheetOf].sort((a, b) => a - b));
    // an annex runs over several pages, its header row on each
    expect(sheetOf.filter((s) => s >= 4).length).toBeGreaterThan(2);
    // the signature block closes each sheet
    expect(
      pages.filter((text) => text.includes('填报人：') && text.includes('审核人：') && text.includes('单位负责人：') && text.includes('填报日期：')).length,
    ).toBe(6);
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '2', pdf, path.join(SCREENSHOT_DIR, 'print-quarterly')], { stdio: 'pipe' });
  });

  it('shows the 预警 counts of the API and issues a 督办单 from the browser', async () => {
    const summary = (await t.get<{ levels: { level: string; count: number }[] }>('/api/warnings/summary')).body;
    await page.emulateMedia({ media: 'screen' });
    await page.goto('/warnings');
    for (const { level, count } of summary.levels) {
      await page
        .locator(`[data-testid="warning-${level}-count"]`, { hasText: new RegExp(`^\\s*${count.toLocaleString('zh-CN').replace(/,/g, ',?')}\\s*$`) })
        .waitFor({ timeout: 30_000 });
    }
    await page.getByTestId('warning-orange').click();
    await page.waitForSelector('[data-testid="warning-list"][data-state="ready"][aria-busy="false"]', { timeout: 30_000 });
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'warnings.png'), fullPage: true });
    const before = (await t.get<{ total: number }>('/api/tasks?warning=orange&pageSize=1')).body.total;
    expect(before).toBeGreaterThan(0);
    await page.getByTestId('warning-issue').click();
    await page.getByTestId('notice-submit').click();
    const download = page.waitForEvent('download');
    const request = page.waitForRequest((r) => r.url().includes('/api/notices') && r.method() === 'POST');
    await page.locator('.el-message-box__btns .el-button--primary').click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^整改督办单_.*\.(zip|docx)$/);
    // the page's list: its filters (the filter bar's too) and the orange level
    const params = new URL((await request).url()).searchParams;
    expect(params.get('warning')).toBe('orange');
    const first = (await t.get<{ rows: { id: number }[] }>(`/api/tasks?${params.toString()}&pageSize=1`)).body.rows[0].id;
    const escalated = await t.get<{ events: { type: string; eventDate: string; note: string | null }[] }>(`/api/tasks/${first}`);
    expect(escalated.body.events.filter((e) => e.type === 'ESCALATION' && e.eventDate === today)).toEqual([
      expect.objectContaining({ note: expect.stringMatching(/^整改督办单 巡督〔\d{4}〕\d+号$/) }),
    ]);
  });
});
