import ExcelJS from 'exceljs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { LEDGER_COLUMNS } from '@xuncha/backend';
import { shanghaiToday } from '@xuncha/shared';
import { startTestApp, type TestApp } from '../support/app';
import { ensureDashboardBuilt, launchChromium, SCREENSHOT_DIR } from '../support/browser';
import { query } from '../support/pg';
import { addSessionCookie, collectErrors, describeInBrowser } from '../support/web';

/**
 * The 台账导入 page in a real browser (Debian's chromium driven by playwright-core) over the
 * tiny demo dataset, as a clerk uses it: download the template, fill it in, upload a file
 * with bad rows and see every problem of every row at once, upload the corrected file,
 * confirm the inspection it creates, import, and find the rows in PostgreSQL. Screenshots
 * go to test-output/screenshots/ledger-import-*.png.
 */
jest.setTimeout(240_000);

type Key = (typeof LEDGER_COLUMNS)[number]['key'];

function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

describeInBrowser('the ledger import page', () => {
  const today = shanghaiToday();
  const tag = `网页导入${process.pid}`;
  let t: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let dir: string;
  const errors: string[] = [];
  let existing: { round: string; unitCode: string; stationed: string };
  let fresh: { round: string; unitCode: string; unitName: string };
  let category: string;

  const sql = <T extends Record<string, unknown>>(text: string, params: unknown[] = []) => query<T>(t.db.url, text, params);
  const shot = (name: string) => page.screenshot({ path: path.join(SCREENSHOT_DIR, `ledger-import-${name}.png`), fullPage: true });
  const tableRows = (testid: string) =>
    page.$$eval(`[data-testid="${testid}"] .el-table__body-wrapper tbody tr.el-table__row`, (rows) =>
      rows.map((row) => Array.from((row as unknown as { cells: ArrayLike<{ textContent: string | null }> }).cells, (cell) => (cell.textContent ?? '').trim())),
    );

  beforeAll(async () => {
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xuncha-ledger-web-'));
    const dist = ensureDashboardBuilt();
    t = await startTestApp({ seed: { scale: 'tiny', today }, env: { STATIC_DIR: dist } });
    const [i] = await sql<{ round: string; code: string; stationed: string }>(
      `SELECT r.name AS round, u.code, to_char(i.stationed_from, 'YYYY-MM-DD') AS stationed
         FROM inspections i JOIN rounds r ON r.id = i.round_id JOIN org_units u ON u.id = i.unit_id
        WHERE i.deleted_at IS NULL AND i.stationed_from < $1::date - 200 AND (i.feedback_date IS NULL OR i.feedback_date < $1::date)
          AND (SELECT count(*) FROM inspections j WHERE j.round_id = i.round_id AND j.unit_id = i.unit_id AND j.deleted_at IS NULL) = 1
        ORDER BY i.id LIMIT 1`,
      [today],
    );
    existing = { round: i.round, unitCode: i.code, stationed: i.stationed };
    // a round whose dates hold the new inspection's stationing (stationed within its round)
    const [{ id: importRound }] = await sql<{ id: number }>(
      `INSERT INTO rounds (term_id, ordinal, year, name, start_date, end_date)
       SELECT term_id, 93, extract(year FROM $1::date)::int, '网页导入测试轮次', $1::date - 200, $1::date FROM rounds WHERE deleted_at IS NULL ORDER BY id LIMIT 1
       RETURNING id`,
      [today],
    );
    const [f] = await sql<{ round: string; code: string; name: string }>(
      `SELECT r.name AS round, u.code, u.name FROM rounds r CROSS JOIN org_units u
        WHERE r.id = ${Number(importRound)} AND r.deleted_at IS NULL AND u.deleted_at IS NULL AND u.valid_to IS NULL AND u.valid_from < $1::date - 400
          AND NOT EXISTS (SELECT 1 FROM inspections i WHERE i.round_id = r.id AND i.unit_id = u.id)
        ORDER BY r.id, u.id LIMIT 1`,
      [today],
    );
    fresh = { round: f.round, unitCode: f.code, unitName: f.name };
    [{ code: category }] = await sql<{ code: string }>('SELECT code FROM issue_categories WHERE level = 2 AND deleted_at IS NULL ORDER BY code LIMIT 1');
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN', baseURL: t.url, acceptDownloads: true });
    await addSessionCookie(context, t.url, t.cookie);
    page = await context.newPage();
    collectErrors(page, errors);
    page.on('console', (message) => {
      // the bad upload's preview is a 200; nothing on this page should log an error
      if (message.type() === 'error') errors.push(`console: ${message.text()} ${message.location().url}`);
    });
  });

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close();
    await t?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** The downloaded template filled with `rows` (cells by column key), saved as `name`. */
  async function filled(template: string, rows: Partial<Record<Key, unknown>>[], name: string): Promise<string> {
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(template);
    const sheet = book.getWorksheet('整改台账') as ExcelJS.Worksheet;
    rows.forEach((cells, i) => {
      LEDGER_COLUMNS.forEach((column, c) => {
        const value = cells[column.key];
        if (value !== undefined) sheet.getCell(i + 2, c + 1).value = value as ExcelJS.CellValue;
      });
    });
    const file = path.join(dir, name);
    await book.xlsx.writeFile(file);
    return file;
  }

  const base = (n: number): Partial<Record<Key, unknown>> => ({
    round: existing.round,
    unit: existing.unitCode,
    category,
    description: `${tag} ${n}`,
    isImmediate: '否',
    measure: '建章立制',
    responsibleDept: '办公室',
    responsiblePerson: '王五',
    track: '限期整改',
    dueDate: addDays(today, 60),
    foundDate: addDays(existing.stationed, 3),
  });

  it('downloads the template, shows every problem of a bad file at once, and imports the corrected file after confirmation', async () => {
    await page.goto('/records/ledger-import');
    await page.getByTestId('page-ledger-import').waitFor();
    expect(await page.locator('[data-testid="nav-ledger-import"]').count()).toBe(1);

    // the template, as the browser downloads it
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('ledger-template').click()]);
    const template = path.join(dir, 'template.xlsx');
    await download.saveAs(template);
    expect(download.suggestedFilename()).toBe('整改台账导入模板.xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(template);
    expect(book.getWorksheet('选项')?.state).toBe('hidden');

    // a file with bad rows: every problem of every row in the first answer
    const bad = await filled(
      template,
      [
        base(1),
        { ...base(2), category: '9.99', description: null, unit: '没有这个单位' },
        { ...base(3), isImmediate: '也许', foundDate: '昨天' },
        { ...base(4), round: fresh.round, unit: fresh.unitCode },
      ],
      'bad.xlsx',
    );
    await page.getByTestId('ledger-file').setInputFiles(bad);
    await page.getByTestId('ledger-problems').waitFor();
    const problems = (await tableRows('ledger-problems')).map(([sheet, row, column]) => [sheet, row, column]);
    expect(problems).toEqual([
      ['整改台账', '3', '被巡察单位'],
      ['整改台账', '3', '问题类别'],
      ['整改台账', '3', '问题描述'],
      ['整改台账', '4', '立行立改'],
      ['整改台账', '4', '发现日期'],
      ['整改台账', '5', '巡察组'],
      ['整改台账', '5', '进驻日期'],
    ]);
    expect(await page.getByTestId('ledger-problems-title').innerText()).toContain('7 处问题（3 行）');
    expect(await page.getByTestId('ledger-import').isDisabled()).toBe(true);
    await shot('problems');

    // corrected: the new inspection is named, and the import waits for its confirmation
    const good = await filled(
      template,
      [
        base(1),
        base(2),
        base(3),
        {
          ...base(4),
          round: fresh.round,
          unit: `${fresh.unitName}（${fresh.unitCode}）`,
          team: '网页巡察组',
          stationedFrom: addDays(today, -30),
          foundDate: addDays(today, -20),
        },
      ],
      'good.xlsx',
    );
    await page.getByTestId('ledger-file').setInputFiles(good);
    await page.getByTestId('ledger-no-problems').waitFor();
    expect(await tableRows('ledger-new-inspections')).toEqual([
      [fresh.round, `${fresh.unitName}（${fresh.unitCode}）`, '网页巡察组', addDays(today, -30), '5'],
    ]);
    expect(await page.getByTestId('ledger-import').isDisabled()).toBe(true);
    await page.getByTestId('ledger-confirm').click();
    expect(await page.getByTestId('ledger-import').isDisabled()).toBe(false);
    await shot('preview');

    const [{ n: before }] = await sql<{ n: number }>('SELECT count(*)::int AS n FROM findings WHERE description LIKE $1', [`${tag}%`]);
    expect(before).toBe(0);
    await page.getByTestId('ledger-import').click();
    // the irreversible step is confirmed in a dialog first
    await page.locator('.el-message-box').waitFor();
    await page.locator('.el-message-box__btns .el-button--primary').click();
    await page.locator('[data-testid="ledger-message"].form-message--ok', { hasText: '导入完成' }).waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('ledger-message').innerText()).toContain('导入完成：4 个问题及整改任务，新建 1 个巡察');
    await shot('imported');

    const rows = await sql<{ description: string; round: string; code: string }>(
      `SELECT f.description, r.name AS round, u.code FROM findings f JOIN inspections i ON i.id = f.inspection_id JOIN rounds r ON r.id = i.round_id JOIN org_units u ON u.id = i.unit_id
        WHERE f.description LIKE $1 ORDER BY f.id`,
      [`${tag}%`],
    );
    expect(rows).toEqual([
      { description: `${tag} 1`, round: existing.round, code: existing.unitCode },
      { description: `${tag} 2`, round: existing.round, code: existing.unitCode },
      { description: `${tag} 3`, round: existing.round, code: existing.unitCode },
      { description: `${tag} 4`, round: fresh.round, code: fresh.unitCode },
    ]);
    expect(errors).toEqual([]);
  });
});
