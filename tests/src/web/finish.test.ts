import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/app';
import { ensureDashboardBuilt, launchChromium, SCREENSHOT_DIR } from '../support/browser';
import { pdfFile } from '../support/evidence-files';
import { query } from '../support/pg';
import { pinToday } from '../support/today';
import { addSessionCookie, collectErrors, describeInBrowser, rememberLocale } from '../support/web';

/**
 * Loose ends of issue 18 in a real browser: unit names open the 单位画像 from the task drawer,
 * the inspection page, the 线索 list and coverage's uncovered units; the unit-type axis is
 * readable in English at 1366 px (its labels apart); a category name cut on an axis shows whole
 * on hover; the brackets around data are the locale's in English.
 */
jest.setTimeout(240_000);

describeInBrowser('issue 18 loose ends in a browser', () => {
  const today = pinToday();
  let t: TestApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  const sql = <T extends Record<string, unknown>>(text: string, params: unknown[] = []) => query<T>(t.db.url, text, params);
  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENSHOT_DIR, `finish-${name}.png`), fullPage: true });

  async function pageIn(locale: 'zh-CN' | 'en', width = 1366, height = 768): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height }, locale, baseURL: t.url, reducedMotion: 'reduce' });
    contexts.push(context);
    await rememberLocale(context, locale);
    await addSessionCookie(context, t.url, t.cookie);
    const page = await context.newPage();
    collectErrors(page, errors);
    return page;
  }

  /** Follows a unit link: the profile of that unit opens, titled with the unit's name as PostgreSQL has it. */
  async function opensProfile(page: Page, link: Locator): Promise<number> {
    await link.waitFor({ timeout: 30_000 });
    const id = Number((await link.getAttribute('data-testid'))!.replace('unit-link-', ''));
    const [unit] = await sql<{ name: string }>(`SELECT name FROM org_units WHERE id = $1`, [id]);
    expect((await link.innerText()).trim()).toBe(unit.name);
    await link.click();
    await page.waitForURL(new RegExp(`/units/${id}$`), { waitUntil: 'commit' });
    await page.waitForSelector('[data-testid="unit-profile-head"][data-state="ready"][aria-busy="false"]', { timeout: 30_000 });
    expect(await page.getByTestId('unit-profile-head').locator('.card__title').innerText()).toBe(unit.name);
    return id;
  }

  /** Waits until the chart is drawn; its box on the page. */
  async function chartBox(page: Page, testid: string) {
    await page.waitForSelector(`[data-testid="${testid}-chart"][data-chart-state="finished"]`, { timeout: 30_000 });
    return (await page.getByTestId(`${testid}-chart`).boundingBox())!;
  }
  /** The full name the chart shows after the pointer moved to (x, y) on the page; null: none. */
  async function tipAt(page: Page, testid: string, x: number, y: number): Promise<string | null> {
    await page.mouse.move(x, y);
    const tip = page.getByTestId(`${testid}-axis-tip`);
    // ECharts answers the move at once and Vue renders within the frame: two frames later the tip is settled
    await page.evaluate(() => {
      const w = globalThis as unknown as { requestAnimationFrame: (callback: () => void) => number };
      return new Promise<void>((resolve) => w.requestAnimationFrame(() => w.requestAnimationFrame(() => resolve())));
    });
    return (await tip.count()) ? (await tip.innerText()).trim() : null;
  }

  beforeAll(async () => {
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const dist = ensureDashboardBuilt();
    t = await startTestApp({ seed: { scale: 'tiny', today }, env: { STATIC_DIR: dist } });
    await t.etl();
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await t?.close();
  });

  it('opens the 单位画像 from the task drawer, the inspection page, the 线索 list and the uncovered units', async () => {
    const page = await pageIn('zh-CN');
    const [task] = await sql<{ id: number; unit_id: number }>(
      `SELECT k.id, f.unit_id FROM rectification_tasks k JOIN findings f ON f.id = k.finding_id AND f.deleted_at IS NULL
        JOIN inspections i ON i.id = f.inspection_id AND i.deleted_at IS NULL WHERE k.deleted_at IS NULL ORDER BY k.id LIMIT 1`,
    );
    await page.goto(`/overdue?task=${task.id}`);
    await page.waitForSelector('[data-testid="task-detail"][data-state="ready"]', { timeout: 30_000 });
    expect(await opensProfile(page, page.getByTestId('task-unit').locator('a.unit-link'))).toBe(task.unit_id);

    const [inspection] = await sql<{ id: number; unit_id: number }>(`SELECT id, unit_id FROM inspections WHERE deleted_at IS NULL ORDER BY id LIMIT 1`);
    await page.goto(`/records/inspections/${inspection.id}`);
    expect(await opensProfile(page, page.getByTestId('inspection-particulars').locator('a.unit-link'))).toBe(inspection.unit_id);

    const [clue] = await sql<{ id: number; unit_id: number }>(
      `SELECT c.id, i.unit_id FROM clues c JOIN inspections i ON i.id = c.inspection_id AND i.deleted_at IS NULL WHERE c.deleted_at IS NULL ORDER BY c.id LIMIT 1`,
    );
    expect(clue).toBeDefined();
    await page.goto('/clues');
    const clueRow = page.locator('[data-testid="clue-table"] .el-table__body tr').first();
    await clueRow.waitFor({ timeout: 30_000 });
    const clueId = Number((await clueRow.locator('td').first().innerText()).trim());
    const [listed] = await sql<{ unit_id: number }>(`SELECT i.unit_id FROM clues c JOIN inspections i ON i.id = c.inspection_id WHERE c.id = $1`, [clueId]);
    expect(await opensProfile(page, clueRow.locator('a.unit-link'))).toBe(listed.unit_id);

    await page.goto('/coverage');
    const uncovered = page.locator('[data-testid="uncovered-table"] .el-table__body tr').first();
    await uncovered.waitFor({ timeout: 30_000 });
    const code = (await uncovered.locator('td').first().innerText()).trim();
    const [unit] = await sql<{ id: number }>(`SELECT id FROM org_units WHERE code = $1 AND deleted_at IS NULL`, [code]);
    expect(await opensProfile(page, uncovered.locator('a.unit-link'))).toBe(unit.id);
    await shot(page, 'profile-from-uncovered');
    expect(errors).toEqual([]);
  });

  it('keeps the unit-type labels apart in English at 1366 px, each whole on hover', async () => {
    const page = await pageIn('en');
    await page.goto('/coverage');
    const testid = 'chart-coverage-by-unit-category';
    await chartBox(page, testid);
    const names = await page
      .locator(`[data-testid="${testid}-table"] tbody tr`)
      .evaluateAll((rows) => rows.map((r) => r.querySelector('td')!.textContent!.trim()));
    expect(names.length).toBeGreaterThan(3);
    expect(names).toContain('Township (subdistrict)');
    await page.getByTestId(testid).scrollIntoViewIfNeeded();
    await shot(page, 'coverage-unit-types-1366-en');
    const chart = await chartBox(page, testid);
    // the grid of buildCoverageByUnitCategoryOption: 48 px left, 24 right, 48 below; labels start 8 px under the axis, 14 px a line
    const band = (chart.width - 72) / names.length;
    const lines = [chart.y + chart.height - 48 + 8 + 7, chart.y + chart.height - 48 + 8 + 21];
    for (const [i, name] of names.entries()) expect(await tipAt(page, testid, chart.x + 48 + (i + 0.5) * band, lines[0])).toBe(name);
    // where two bands meet, on either line, no label: the labels do not run into each other
    for (let i = 1; i < names.length; i++) {
      for (const y of lines) expect(await tipAt(page, testid, chart.x + 48 + i * band, y)).toBeNull();
    }
    expect(errors).toEqual([]);
  });

  it('shows a category name cut on the axis whole on hover', async () => {
    const page = await pageIn('zh-CN');
    await page.goto('/');
    const testid = 'chart-categories-level1';
    const chart = await chartBox(page, testid);
    const names = await page
      .locator(`[data-testid="${testid}-table"] tbody tr`)
      .evaluateAll((rows) => rows.map((r) => r.querySelector('td')!.textContent!.trim()));
    const cut = names.filter((n) => [...n].length > 9);
    expect(cut.length).toBeGreaterThan(0);
    // down the start of the labels (8 px from the left): every name the pointer meets shows whole
    const seen = new Set<string>();
    for (let y = chart.y + 8; y < chart.y + chart.height - 24; y += 4) {
      const tip = await tipAt(page, testid, chart.x + 20, y);
      if (tip) seen.add(tip);
    }
    for (const name of cut) expect(seen).toContain(name);
    for (const name of seen) expect(names).toContain(name);
    await page.mouse.move(chart.x + 20, chart.y + 8);
    await shot(page, 'category-axis-hover');
    expect(errors).toEqual([]);
  });

  it('puts data in the locale brackets in English: the inspection page and the closure queue', async () => {
    const page = await pageIn('en');
    const [inspection] = await sql<{ id: number; code: string; name: string; findings: number }>(
      `SELECT i.id, u.code, u.name, (SELECT count(*) FROM findings f WHERE f.inspection_id = i.id AND f.deleted_at IS NULL)::int AS findings
         FROM inspections i JOIN org_units u ON u.id = i.unit_id WHERE i.deleted_at IS NULL ORDER BY i.id LIMIT 1`,
    );
    await page.goto(`/records/inspections/${inspection.id}`);
    const particulars = page.getByTestId('inspection-particulars');
    await particulars.waitFor({ timeout: 30_000 });
    const unitCell = particulars.locator('td', { has: page.locator('a.unit-link') });
    expect((await unitCell.innerText()).trim()).toBe(`${inspection.name} (${inspection.code})`);
    await expect(page.getByText(`Findings (${inspection.findings})`, { exact: true }).count()).resolves.toBe(1);

    // one closure request in the queue, applied for through the API with a PDF
    const [task] = await sql<{ id: number; unit: string; region: string }>(
      `SELECT k.id, u.name AS unit, g.name AS region FROM rectification_tasks k JOIN findings f ON f.id = k.finding_id AND f.deleted_at IS NULL
         JOIN inspections i ON i.id = f.inspection_id AND i.deleted_at IS NULL JOIN org_units u ON u.id = f.unit_id JOIN regions g ON g.id = u.region_id
        WHERE k.status = 'IN_PROGRESS' AND k.deleted_at IS NULL ORDER BY k.id LIMIT 1`,
    );
    const form = new FormData();
    form.append('explanation', '已按要求完成整改');
    form.append('files', new Blob([new Uint8Array(pdfFile())]), '整改报告.pdf');
    const applied = await fetch(`${t.url}/api/tasks/${task.id}/closure-requests`, { method: 'POST', body: form, headers: { cookie: t.cookie } });
    expect(applied.status).toBe(201);
    await page.goto('/closure-review');
    const row = page.locator('[data-testid="closure-queue-table"] .el-table__body tr', { hasText: `#${task.id}` });
    await row.waitFor({ timeout: 30_000 });
    expect((await row.locator('td').nth(1).innerText()).trim()).toBe(`${task.unit} (${task.region})`);
    await shot(page, 'closure-queue-1366-en');
    expect(errors).toEqual([]);
  });
});
