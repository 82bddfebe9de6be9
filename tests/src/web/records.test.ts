import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { shanghaiToday } from '@xuncha/shared';
import { startTestApp, type TestApp } from '../support/app';
import { ensureDashboardBuilt, launchChromium, SCREENSHOT_DIR } from '../support/browser';
import { query } from '../support/pg';
import { addSessionCookie, collectErrors, describeInBrowser, expectUntil } from '../support/web';

/**
 * The case-record pages in a real browser: create an inspection (after the server refused a
 * stationing outside its round, at the field), a finding and a task from the pages, correct
 * the task, delete it after confirming, find the finding in the 问题 list; each step checked
 * in PostgreSQL by SQL.
 */
jest.setTimeout(180_000);

function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

describeInBrowser('case records in a browser', () => {
  const today = shanghaiToday();
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  const sql = <T extends Record<string, unknown>>(text: string, params: unknown[] = []) => query<T>(t.db.url, text, params);
  const input = (testid: string) =>
    page
      .locator(`input[data-testid="${testid}"], textarea[data-testid="${testid}"], [data-testid="${testid}"] input, [data-testid="${testid}"] textarea`)
      .first();
  const fill = (testid: string, value: string) => input(testid).fill(value);
  const fillDate = async (testid: string, value: string) => {
    await input(testid).fill(value);
    await input(testid).press('Enter');
  };
  const pickOption = async (selectTestid: string, label: string) => {
    await page.getByTestId(selectTestid).click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: label }).first().click();
  };
  const formErrors = (form: string) => page.$$eval(`[data-testid="${form}"] .el-form-item__error`, (els) => els.map((e) => (e.textContent ?? '').trim()));
  const waitReady = (testid: string) => page.waitForSelector(`[data-testid="${testid}"][data-state="ready"][aria-busy="false"]`, { timeout: 30_000 });
  /** Waits until `read` gives a value `accept` takes (a write lands when its dialog closes). */
  const until = expectUntil;

  beforeAll(async () => {
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const dist = ensureDashboardBuilt();
    t = await startTestApp({ seed: { scale: 'tiny', today }, env: { STATIC_DIR: dist } });
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN', baseURL: t.url });
    await addSessionCookie(context, t.url, t.cookie);
    page = await context.newPage();
    collectErrors(page, errors);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('creates an inspection, a finding and a task from the pages, edits and deletes, as PostgreSQL shows', async () => {
    // the city's latest round and a 市本级 unit existing at its start
    const [round] = await sql<{ id: number; name: string; start: string }>(
      `SELECT r.id, r.name, to_char(r.start_date, 'YYYY-MM-DD') AS start FROM rounds r JOIN terms t ON t.id = r.term_id JOIN regions g ON g.id = t.committee_region_id
        WHERE g.level = 'CITY' AND r.deleted_at IS NULL ORDER BY r.start_date DESC LIMIT 1`,
    );
    const [unit] = await sql<{ id: number; code: string; name: string }>(
      `SELECT u.id, u.code, u.name FROM org_units u JOIN regions g ON g.id = u.region_id
        WHERE g.level = 'MUNICIPAL' AND u.deleted_at IS NULL AND u.valid_to IS NULL AND u.valid_from <= $1 ORDER BY u.id LIMIT 1`,
      [round.start],
    );
    const [category] = await sql<{ id: number; code: string; name: string }>(
      'SELECT id, code, name FROM issue_categories WHERE level = 2 ORDER BY code DESC LIMIT 1',
    );
    const team = `浏览器测试组${Date.now() % 100000}`;

    await page.goto('/records/inspections');
    await waitReady('inspection-list');
    const [{ n: listed }] = await sql<{ n: number }>('SELECT count(*)::int AS n FROM inspections WHERE deleted_at IS NULL');
    expect(Number((await page.getByTestId('inspections-total').innerText()).replace(/[^\d]/g, ''))).toBe(listed);

    // --- a new inspection: first stationed a day before its round, refused at the field
    await page.getByTestId('inspection-create').click();
    await pickOption('inspection-form-round', round.name);
    await page.getByTestId('inspection-form-unit').click();
    await input('inspection-form-unit').fill(unit.code);
    await page.locator('.el-select-dropdown__item:visible', { hasText: unit.code }).first().click();
    await fill('inspection-form-team', team);
    await fillDate('inspection-form-stationed-from', addDays(round.start, -1));
    await page.getByTestId('inspection-form-submit').click();
    const refused = await until(
      () => formErrors('inspection-form'),
      (e) => e.length > 0,
    );
    expect(refused).toEqual([expect.stringMatching(/^进驻日期须在该轮次的起止日期/)]);
    expect(await sql('SELECT id FROM inspections WHERE team = $1', [team])).toEqual([]);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'records-01-inspection-refused.png') });

    await fillDate('inspection-form-stationed-from', round.start);
    await page.getByTestId('inspection-form-submit').click();
    await page.waitForURL(/\/records\/inspections\/\d+$/);
    const inspectionId = Number(new URL(page.url()).pathname.split('/').pop());
    expect(
      await sql("SELECT round_id, unit_id, team, mode::text, to_char(stationed_from, 'YYYY-MM-DD') AS day, deleted_at FROM inspections WHERE id = $1", [
        inspectionId,
      ]),
    ).toEqual([{ round_id: round.id, unit_id: unit.id, team, mode: 'ROUTINE', day: round.start, deleted_at: null }]);
    await waitReady('inspection-detail');

    // --- a finding
    await page.getByTestId('finding-create').click();
    await pickOption('finding-form-category', `${category.code} ${category.name}`);
    await fill('finding-form-description', `${team} 发现的问题`);
    await fillDate('finding-form-found', today);
    await page.getByTestId('finding-form-submit').click();
    const [finding] = await until(
      () =>
        sql<{ id: string; category_id: number; unit_id: number; is_immediate: boolean; found: string }>(
          "SELECT id::text, category_id, unit_id, is_immediate, to_char(found_date, 'YYYY-MM-DD') AS found FROM findings WHERE inspection_id = $1 AND deleted_at IS NULL",
          [inspectionId],
        ),
      (rows) => rows.length === 1,
    );
    expect(finding).toMatchObject({ category_id: category.id, unit_id: unit.id, is_immediate: false, found: today });
    await page.getByTestId(`task-create-${finding.id}`).waitFor();

    // --- a task of it
    await page.getByTestId(`task-create-${finding.id}`).click();
    await fill('task-form-measure', '建立制度并逐项整改');
    await fill('task-form-dept', '办公室');
    await fill('task-form-person', '张三');
    await fillDate('task-form-due', addDays(today, 30));
    await page.getByTestId('task-form-submit').click();
    const taskOf = () =>
      sql<{ id: string; person: string; due: string; current: string; deleted: boolean }>(
        "SELECT id::text, responsible_person AS person, to_char(original_due_date, 'YYYY-MM-DD') AS due, to_char(current_due_date, 'YYYY-MM-DD') AS current, deleted_at IS NOT NULL AS deleted FROM rectification_tasks WHERE finding_id = $1",
        [finding.id],
      );
    const [task] = await until(taskOf, (rows) => rows.length === 1);
    expect(task).toEqual({ id: task.id, person: '张三', due: addDays(today, 30), current: addDays(today, 30), deleted: false });
    await page.getByTestId(`task-edit-${task.id}`).waitFor();
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'records-02-inspection-detail.png'), fullPage: true });

    // --- a correction: the responsible person, audited with before and after
    await page.getByTestId(`task-edit-${task.id}`).click();
    await fill('task-form-person', '李四');
    await page.getByTestId('task-form-submit').click();
    await until(taskOf, (rows) => rows[0].person === '李四');
    const [audit] = await sql<{ detail: { changes: unknown } }>(
      "SELECT detail FROM audit_logs WHERE action = 'task.update' AND target = $1 ORDER BY id DESC LIMIT 1",
      [`/api/tasks/${task.id}`],
    );
    expect(audit.detail.changes).toEqual([{ field: 'responsiblePerson', before: '张三', after: '李四' }]);

    // --- a delete, after confirming
    await page.locator(`[data-testid="tasks-of-${finding.id}"] tr`, { hasText: '李四' }).waitFor();
    await page.getByTestId(`task-delete-${task.id}`).click();
    await page.locator('.el-message-box__btns button', { hasText: '删除' }).click();
    await until(taskOf, (rows) => rows[0].deleted);

    // --- the 问题 list finds it and links to its inspection
    await page.goto(`/records/findings?q=${encodeURIComponent(team)}`);
    await waitReady('finding-record-list');
    await page.getByTestId(`finding-inspection-${finding.id}`).click();
    await page.waitForURL(new RegExp(`/records/inspections/${inspectionId}$`));
    await waitReady('inspection-detail');
    expect(errors).toEqual([]);
  });

  it('records a backdated (补录) status change and extension from the task drawer, shown as 补录 in the timeline', async () => {
    // a task in progress whose last event is weeks old
    const lastOf = '(SELECT max(e.event_date) FROM task_events e WHERE e.task_id = t.id AND e.deleted_at IS NULL)';
    const [task] = await sql<{ id: string; last: string; due: string | null }>(
      `SELECT t.id::text, to_char(${lastOf}, 'YYYY-MM-DD') AS last, to_char(t.current_due_date, 'YYYY-MM-DD') AS due FROM rectification_tasks t JOIN findings f ON f.id = t.finding_id JOIN inspections i ON i.id = f.inspection_id
        WHERE t.deleted_at IS NULL AND f.deleted_at IS NULL AND i.deleted_at IS NULL AND t.status = 'IN_PROGRESS' AND t.current_due_date IS NOT NULL AND ${lastOf} <= $1::date
        ORDER BY t.id LIMIT 1`,
      [addDays(today, -20)],
    );
    expect(task).toBeDefined();
    const effective = addDays(task.last, 3);
    const reason = '纸质台账补录';

    await page.goto(`/records/inspections?task=${task.id}`);
    await page.waitForSelector('[data-testid="task-detail"][data-state="ready"]', { timeout: 30_000 });
    await page.getByTestId('status-backdate-toggle').click();
    await input('status-backdate-date').waitFor();
    // the picker takes no future day and no day before the task's last event: the field stays empty
    for (const refusedDay of [addDays(today, 1), addDays(task.last, -1)]) {
      await fillDate('status-backdate-date', refusedDay);
      await input('status-backdate-reason').click();
      expect(await input('status-backdate-date').inputValue()).toBe('');
    }
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'records-03-backdate-fields.png'), fullPage: true });

    // a day before today needs its reason, asked for before anything is sent
    await fillDate('status-backdate-date', effective);
    expect(await input('status-backdate-date').inputValue()).toBe(effective);
    await pickOption('status-select', '基本完成(持续整改)');
    await page.getByTestId('status-submit').click();
    await page.getByTestId('task-message').filter({ hasText: '补录原因' }).waitFor();
    const eventsOf = () =>
      sql<{ type: string; day: string; to: string | null; backdated: boolean; reason: string | null }>(
        `SELECT type::text, to_char(event_date, 'YYYY-MM-DD') AS day, to_status::text AS to, backdated, backdate_reason AS reason
           FROM task_events WHERE task_id = $1 AND deleted_at IS NULL AND event_date > $2::date ORDER BY id`,
        [task.id, task.last],
      );
    expect(await eventsOf()).toEqual([]);

    await fill('status-backdate-reason', reason);
    await page.getByTestId('status-submit').click();
    await until(eventsOf, (rows) => rows.length === 1);
    expect(await eventsOf()).toEqual([{ type: 'STATUS_CHANGE', day: effective, to: 'BASICALLY_DONE', backdated: true, reason }]);
    const [audit] = await sql<{ detail: { body?: { effectiveDate?: string; backdateReason?: string } } }>(
      "SELECT detail FROM audit_logs WHERE action LIKE 'task.%' AND target LIKE $1 ORDER BY id DESC LIMIT 1",
      [`/api/tasks/${task.id}/%`],
    );
    expect(audit.detail.body).toMatchObject({ effectiveDate: effective, backdateReason: reason });

    // the timeline shows it on its day, marked 补录, with its reason
    const backdatedEvent = page.locator('[data-testid="timeline-event"][data-type="STATUS_CHANGE"]', { has: page.getByTestId('event-backdated') });
    await backdatedEvent.filter({ hasText: '基本完成' }).waitFor();
    expect(await backdatedEvent.getByTestId('event-backdated').innerText()).toBe('补录');
    expect(await backdatedEvent.getByTestId('event-backdated').getAttribute('title')).toBe(reason);
    expect(await page.locator('.el-timeline-item', { has: backdatedEvent }).locator('.el-timeline-item__timestamp').innerText()).toBe(effective);
    // the fields close again after the write
    expect(await page.getByTestId('status-backdate-toggle').locator('input').isChecked()).toBe(false);

    // an extension 补录 on a later past day: from the status change on
    const extended = addDays(effective, 2);
    await page.getByTestId('extend-backdate-toggle').click();
    await fillDate('extend-backdate-date', addDays(effective, -1));
    await input('extend-backdate-reason').click();
    expect(await input('extend-backdate-date').inputValue()).toBe('');
    await fillDate('extend-backdate-date', extended);
    await fill('extend-backdate-reason', reason);
    // later than the current due date (the server refuses any other)
    await fillDate('extend-date', addDays(task.due && task.due > today ? task.due : today, 60));
    await fill('extend-reason', '工程周期长');
    await page.getByTestId('extend-submit').click();
    await until(eventsOf, (rows) => rows.length === 2).catch(async (error: unknown) => {
      throw new Error(
        `${String(error)}; the drawer says: ${await page
          .getByTestId('task-message')
          .innerText()
          .catch(() => '(nothing)')}`,
      );
    });
    expect((await eventsOf())[1]).toEqual({ type: 'EXTENSION', day: extended, to: null, backdated: true, reason });
    await page
      .locator('[data-testid="timeline-event"][data-type="EXTENSION"]', { has: page.getByTestId('event-backdated') })
      .first()
      .waitFor();
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'records-04-backdated-timeline.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('offers no 整改时限 before the inspection’s feedback date in 新建任务; a refusal shows at the field in Chinese alone', async () => {
    // an inspection with a finding, its feedback date set to the 15th of this month (the picker opens on this month)
    const feedback = `${today.slice(0, 8)}15`;
    const [finding] = await sql<{ id: string; inspection: string }>(
      `SELECT f.id::text, f.inspection_id::text AS inspection FROM findings f JOIN inspections i ON i.id = f.inspection_id AND i.deleted_at IS NULL
        WHERE f.deleted_at IS NULL AND i.stationed_from < $1::date ORDER BY f.id DESC LIMIT 1`,
      [feedback],
    );
    await sql(`UPDATE inspections SET feedback_date = $2::date WHERE id = $1`, [finding.inspection, feedback]);
    await page.goto(`/records/inspections/${finding.inspection}`);
    await waitReady('inspection-detail');
    await page.getByTestId(`task-create-${finding.id}`).click();
    await fill('task-form-measure', '逐项整改');
    await fill('task-form-dept', '办公室');
    await fill('task-form-person', '王五');

    // the calendar: every day of this month before the 15th disabled, the 15th and after offered
    await input('task-form-due').click();
    await page.locator('.el-picker-panel:visible').waitFor();
    const cells = await page.$$eval('.el-picker-panel:visible td', (tds) =>
      tds
        .filter((td) => td.classList.contains('available') || td.classList.contains('disabled'))
        .filter((td) => !td.classList.contains('prev-month') && !td.classList.contains('next-month'))
        .map((td) => ({ day: Number((td.textContent ?? '').trim()), disabled: td.classList.contains('disabled') })),
    );
    expect(cells.length).toBeGreaterThanOrEqual(28);
    expect(cells).toEqual(cells.map((c) => ({ day: c.day, disabled: c.day < 15 })));
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'records-05-task-due-picker.png') });
    await page.keyboard.press('Escape');
    // typed, the day before is not taken; the feedback day is
    await fillDate('task-form-due', addDays(feedback, -1));
    await page.keyboard.press('Escape');
    await page.locator('.el-picker-panel:visible').waitFor({ state: 'hidden' });
    expect(await input('task-form-due').inputValue()).toBe('');
    await fillDate('task-form-due', feedback);
    expect(await input('task-form-due').inputValue()).toBe(feedback);

    // 立行立改 may fall due before the feedback: the day before is offered; switched back to 限期整改, the server refuses it at the field
    await pickOption('task-form-track', '立行立改');
    await fillDate('task-form-due', addDays(feedback, -1));
    expect(await input('task-form-due').inputValue()).toBe(addDays(feedback, -1));
    await pickOption('task-form-track', '限期整改');
    await page.getByTestId('task-form-submit').click();
    await until(formErrors.bind(null, 'task-form'), (shown) => shown.length > 0);
    expect(await formErrors('task-form')).toEqual(['整改时限早于巡察反馈日期']);
    await expect(page.getByTestId('task-form-error').count()).resolves.toBe(0);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'records-06-task-due-refused.png') });
    expect(await sql(`SELECT 1 FROM rectification_tasks WHERE finding_id = $1 AND responsible_person = '王五'`, [finding.id])).toEqual([]);
    expect(errors.filter((e) => !/400 \(Bad Request\)/.test(e))).toEqual([]);
  });
});
