import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { shanghaiToday } from '@xuncha/shared';
import { startTestApp, TEST_PASSWORD, type TestApp } from '../support/app';
import { ensureDashboardBuilt, launchChromium, SCREENSHOT_DIR } from '../support/browser';
import { exeFile, pdfFile, pdfOfSize, pngFile } from '../support/evidence-files';
import { query } from '../support/pg';
import { addSessionCookie, collectErrors, describeInBrowser } from '../support/web';

/**
 * 销号审核 in a real browser: staff apply for closure with a file (a renamed .exe and a file
 * over 20 MB are refused), the applicant cannot approve, another user approves from the
 * 待审核销号 page, and after the next ETL run the closure count moves by exactly one (checked
 * against plain SQL over the events); 撤销销号 takes it back from today, yesterday's figure
 * never moves; 退回 needs a reason and returns the task to 整改中. The drawer is opened by its
 * link (?task=id).
 */
jest.setTimeout(300_000);

const TODAY = shanghaiToday();
const YESTERDAY = new Date(Date.parse(`${TODAY}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

describeInBrowser('closure review in a browser', () => {
  let t: TestApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let staff: Page;
  let reviewer: Page;
  let taskId: number;
  const errors: string[] = [];

  const sql = <T extends Record<string, unknown>>(text: string, params: unknown[] = []) => query<T>(t.db.url, text, params);
  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENSHOT_DIR, `closure-${name}.png`), fullPage: true });

  async function pageAs(cookie: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN', acceptDownloads: true, baseURL: t.url });
    contexts.push(context);
    await addSessionCookie(context, t.url, cookie);
    const page = await context.newPage();
    collectErrors(page, errors);
    return page;
  }

  async function openTask(page: Page, id: number) {
    await page.goto(`/closure-review?task=${id}`);
    await page.waitForSelector('[data-testid="task-detail"][data-state="ready"]', { timeout: 30_000 });
    await page.getByTestId('closure-panel').waitFor();
  }
  /** An Element Plus input's native field (the test id lands on the input or textarea itself). */
  const field = (page: Page, testid: string) => page.locator(`input[data-testid="${testid}"], textarea[data-testid="${testid}"]`);
  const status = (page: Page) => page.getByTestId('task-status').innerText();
  async function confirm(page: Page) {
    const button = page.locator('.el-message-box .el-button--primary');
    await button.waitFor();
    await button.click();
  }
  async function untilText(page: Page, testid: string, pattern: RegExp) {
    await page.getByTestId(testid).filter({ hasText: pattern }).first().waitFor({ timeout: 30_000 });
  }
  async function untilStatus(page: Page, label: string) {
    await untilText(page, 'task-status', new RegExp(`^${label}$`));
  }
  async function apply(page: Page, file: { name: string; mimeType: string; buffer: Buffer }, explanation = '已完成整改，制度已修订') {
    await field(page, 'closure-explanation').fill(explanation);
    await page.getByTestId('closure-files').setInputFiles(file);
    await page.getByTestId('closure-apply').click();
    await confirm(page);
  }

  /** Tasks closed as of `day` by the app's figures (the warehouse). */
  async function closedAsOf(day: string): Promise<number> {
    const response = await t.get<{ taskClosure: { numerator: number } }>(`/api/metrics/rectification?asOf=${day}`);
    expect(response.status).toBe(200);
    return response.body.taskClosure.numerator;
  }
  /** …and by plain SQL over the events (a task's status as of D is its last status event by D). */
  async function closedByHand(day: string): Promise<number> {
    const [row] = await sql<{ n: string }>(
      `WITH last AS (
         SELECT DISTINCT ON (e.task_id) e.task_id, e.to_status FROM task_events e
          WHERE e.deleted_at IS NULL AND e.to_status IS NOT NULL AND e.event_date <= $1::date ORDER BY e.task_id, e.event_date DESC, e.id DESC)
       SELECT count(*) AS n FROM last
         JOIN rectification_tasks k ON k.id = last.task_id AND k.deleted_at IS NULL
         JOIN findings f ON f.id = k.finding_id AND f.deleted_at IS NULL AND f.found_date <= $1::date
         JOIN inspections i ON i.id = f.inspection_id AND i.deleted_at IS NULL AND i.feedback_date <= $1::date
        WHERE last.to_status = 'CLOSED'`,
      [day],
    );
    return Number(row.n);
  }

  beforeAll(async () => {
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const dist = ensureDashboardBuilt();
    t = await startTestApp({ seed: { scale: 'tiny', today: TODAY }, env: { STATIC_DIR: dist } });
    const admin = await t.as('admin');
    expect((await admin.send('POST', '/api/users', { username: 'reviewer', displayName: '审核人', role: 'STAFF', password: TEST_PASSWORD })).status).toBe(201);
    const [row] = await sql<{ id: string }>(
      `SELECT k.id FROM rectification_tasks k JOIN findings f ON f.id = k.finding_id JOIN inspections i ON i.id = f.inspection_id
        WHERE k.status = 'IN_PROGRESS' AND k.deleted_at IS NULL AND f.deleted_at IS NULL AND i.deleted_at IS NULL AND i.feedback_date < $1::date
          AND NOT EXISTS (SELECT 1 FROM task_events e WHERE e.task_id = k.id AND e.event_date > $1::date)
        ORDER BY k.id LIMIT 1`,
      [TODAY],
    );
    taskId = Number(row.id);
    browser = await launchChromium();
    staff = await pageAs(t.cookie);
    reviewer = await pageAs((await t.as('reviewer')).cookie);
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await t?.close();
  });

  afterEach(() => {
    expect(errors).toEqual([]);
  });

  it('refuses a renamed executable and a file over 20 MB, and nothing is written', async () => {
    await openTask(staff, taskId);
    expect(await status(staff)).toBe('整改中');
    await apply(staff, { name: '整改报告.pdf', mimeType: 'application/pdf', buffer: exeFile() });
    await untilText(staff, 'closure-message', /不是可接受的佐证材料类型/);
    await apply(staff, { name: '整改报告.pdf', mimeType: 'application/pdf', buffer: pdfOfSize(20 * 1024 * 1024 + 1) });
    await untilText(staff, 'closure-message', /超过大小上限/);
    expect(await sql('SELECT id FROM closure_requests WHERE task_id = $1', [taskId])).toEqual([]);
    expect(await status(staff)).toBe('整改中');
  });

  it('applies with a file; the applicant may not approve; another user approves and the figures move by exactly one', async () => {
    await t.etl();
    const [todayBefore, yesterdayBefore] = [await closedAsOf(TODAY), await closedAsOf(YESTERDAY)];
    expect(todayBefore).toBe(await closedByHand(TODAY));

    const pdf = pdfFile('验收报告');
    await apply(staff, { name: '验收报告.pdf', mimeType: 'application/pdf', buffer: pdf });
    await untilStatus(staff, '申请销号');
    await expect(staff.getByTestId('closure-request').getAttribute('data-status')).resolves.toBe('PENDING');
    expect(await staff.getByTestId('evidence-link').innerText()).toBe('验收报告.pdf');
    // the timeline shows the application
    await untilText(staff, 'task-timeline', /申请销号：已完成整改，制度已修订/);
    await shot(staff, '01-applied');

    // the applicant's own approval is refused with a clear message
    await staff.getByTestId('closure-approve').click();
    await confirm(staff);
    await untilText(staff, 'closure-message', /不能审核本人提出的销号申请/);
    expect(await status(staff)).toBe('申请销号');

    // the reviewer finds it on 待审核销号, downloads the evidence, approves
    await reviewer.goto('/closure-review');
    await reviewer.getByTestId('closure-queue-table').waitFor();
    expect(await reviewer.getByTestId('closure-queue-table').innerText()).toContain(`#${taskId}`);
    await reviewer.getByTestId('closure-open').first().click();
    await reviewer.waitForSelector('[data-testid="task-detail"][data-state="ready"]');
    expect(new URL(reviewer.url()).searchParams.get('task')).toBe(String(taskId));
    const [download] = await Promise.all([reviewer.waitForEvent('download'), reviewer.getByTestId('evidence-link').click()]);
    expect(Buffer.compare(fs.readFileSync(await download.path()), pdf)).toBe(0);
    expect((await sql<{ username: string }>(`SELECT username FROM audit_logs WHERE action = 'closure.evidence.download'`)).map((r) => r.username)).toEqual([
      'reviewer',
    ]);
    await field(reviewer, 'review-note').fill('材料齐全，同意销号');
    await reviewer.getByTestId('closure-approve').click();
    await confirm(reviewer);
    await untilStatus(reviewer, '已销号');
    await expect(reviewer.getByTestId('closure-request').getAttribute('data-status')).resolves.toBe('APPROVED');
    await shot(reviewer, '02-approved');

    await t.etl();
    expect(await closedAsOf(TODAY)).toBe(todayBefore + 1);
    expect(await closedByHand(TODAY)).toBe(todayBefore + 1);
    expect(await closedAsOf(YESTERDAY)).toBe(yesterdayBefore);
  });

  it('撤销销号 reopens from today (yesterday unchanged); 退回 needs a reason and returns to 整改中', async () => {
    const [todayBefore, yesterdayBefore] = [await closedAsOf(TODAY), await closedAsOf(YESTERDAY)];
    await openTask(staff, taskId);
    expect(await status(staff)).toBe('已销号');
    await field(staff, 'reopen-reason').fill('复查发现整改不到位');
    await staff.getByTestId('closure-reopen').click();
    await confirm(staff);
    await untilStatus(staff, '整改中');
    await untilText(staff, 'task-timeline', /撤销销号：复查发现整改不到位/);
    await t.etl();
    expect(await closedAsOf(TODAY)).toBe(todayBefore - 1);
    expect(await closedByHand(TODAY)).toBe(todayBefore - 1);
    expect(await closedAsOf(YESTERDAY)).toBe(yesterdayBefore);

    // apply again with an image; the reviewer returns it, first without a reason
    await apply(staff, { name: '现场照片.png', mimeType: 'image/png', buffer: pngFile() });
    await untilStatus(staff, '申请销号');
    await openTask(reviewer, taskId);
    await reviewer.getByTestId('closure-return').click();
    await untilText(reviewer, 'closure-message', /请填写理由/);
    await field(reviewer, 'review-note').fill('照片不能证明整改到位');
    await reviewer.getByTestId('closure-return').click();
    await confirm(reviewer);
    await untilStatus(reviewer, '整改中');
    const requests = reviewer.getByTestId('closure-request');
    await expect(requests.first().getAttribute('data-status')).resolves.toBe('RETURNED');
    expect(await requests.first().getByTestId('closure-review-note').innerText()).toContain('照片不能证明整改到位');
    await shot(reviewer, '03-returned');
    const [row] = await sql<{ status: string }>('SELECT status::text FROM rectification_tasks WHERE id = $1', [taskId]);
    expect(row.status).toBe('IN_PROGRESS');
  });

  it('worklist: status filter (申请销号), search by number, page size, a link to one task, and a write shown at once', async () => {
    const cells = (page: Page) =>
      page.$$eval('[data-testid="overdue-table"] tbody tr', (rows) =>
        rows.map((row) =>
          Array.from((row as unknown as { cells: ArrayLike<{ textContent: string | null }> }).cells, (cell) => (cell.textContent ?? '').trim()),
        ),
      );
    const waitList = () => staff.waitForSelector('[data-testid="overdue-list"][data-state="ready"][aria-busy="false"]', { timeout: 30_000 });

    // every task in 申请销号, 50 a page (newest first without an overdue order): the rows the API lists, each 申请销号
    await staff.goto('/overdue?scope=all&status=CLOSE_REQUESTED&pageSize=50');
    await waitList();
    const api = await t.get<{ total: number; rows: { id: number }[] }>('/api/tasks?status=CLOSE_REQUESTED&pageSize=50&sort=-id');
    expect(api.body.total).toBeGreaterThan(0);
    const requested = await cells(staff);
    expect(requested.map((r) => r[0])).toEqual(api.body.rows.map((r) => `#${r.id}`));
    expect(new Set(requested.map((r) => r[5]))).toEqual(new Set(['申请销号']));
    expect(requested.length).toBe(Math.min(50, api.body.total));

    // search by task number, typed into the box
    await staff.goto('/overdue?scope=all');
    await waitList();
    await field(staff, 'worklist-search').fill(String(taskId));
    await staff.getByTestId('worklist-search-submit').click();
    await staff.waitForURL((url) => url.searchParams.get('q') === String(taskId));
    await staff.locator(`[data-testid="open-task-${taskId}"]`).waitFor();
    await waitList();
    expect((await cells(staff)).map((r) => r[0])).toEqual([`#${taskId}`]);
    expect((await cells(staff))[0][5]).toBe('整改中');

    // the drawer's link carries the task; a status change shows in the row before any ETL run
    await staff.getByTestId(`open-task-${taskId}`).click();
    await staff.waitForURL((url) => url.searchParams.get('task') === String(taskId));
    const link = staff.url();
    await staff.waitForSelector('[data-testid="task-detail"][data-state="ready"]');
    await staff.getByTestId('status-select').click();
    await staff.locator('.el-select-dropdown__item:visible', { hasText: '基本完成' }).first().click();
    await staff.getByTestId('status-submit').click();
    await untilText(staff, 'task-status', /^基本完成/);
    await staff.getByTestId('overdue-table').filter({ hasText: '基本完成' }).waitFor({ timeout: 15_000 });
    expect((await cells(staff))[0][5]).toMatch(/^基本完成/);
    // the warehouse has not run: the API's list still says 整改中
    const stale = await t.get<{ rows: { status: string }[] }>(`/api/tasks?q=${taskId}`);
    expect(stale.body.rows.map((r) => r.status)).toEqual(['IN_PROGRESS']);

    // the link opens the same task for someone else
    await reviewer.goto(link);
    await reviewer.waitForSelector('[data-testid="task-detail"][data-state="ready"]');
    await reviewer.getByText(`整改任务 #${taskId}`).first().waitFor();
    expect(await reviewer.getByTestId('task-status').innerText()).toMatch(/^基本完成/);
    await shot(staff, '04-worklist');

    // a drill list's link opens the same list
    const list = { kind: 'tasks', title: '待审核清单', query: { status: 'CLOSE_REQUESTED' } };
    await reviewer.goto(`/overview?drill=${encodeURIComponent(JSON.stringify(list))}`);
    await reviewer.getByText('待审核清单').first().waitFor({ timeout: 30_000 });
    await reviewer
      .locator('[data-testid="drill-drawer"], .el-drawer')
      .filter({ has: reviewer.locator('tbody tr', { hasText: '申请销号' }) })
      .first()
      .waitFor({ timeout: 30_000 });
  });
});
