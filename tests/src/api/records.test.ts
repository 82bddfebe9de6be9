import { randomBytes } from 'node:crypto';
import { ALLOWED_TRANSITIONS, DIRECT_TRANSITIONS, REVIEWED_TRANSITIONS } from '@xuncha/backend';
import { startTestApp, type TestApp } from '../support/app';
import { query } from '../support/pg';
import { applyForClosure, closeTask, closureReviewer } from '../support/closure';
import { pinToday } from '../support/today';

/**
 * Case-record writes through HTTP: creates, the task status machine, extensions, notes,
 * soft deletes and a write reaching the metrics through the ETL (the Excel ledger import:
 * ledger-import.test.ts).
 * Every write is checked in PostgreSQL with plain SQL, refusals included (nothing written).
 */

const TODAY = pinToday();
const TAG = randomBytes(4).toString('hex');

interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details?: { field: string; message: string }[];
}
interface Task {
  id: number;
  findingId: number;
  status: string;
  originalDueDate: string | null;
  currentDueDate: string | null;
  closedDate: string | null;
  track: string;
}
interface TaskEvent {
  id: number;
  taskId: number;
  type: string;
  eventDate: string;
  fromStatus: string | null;
  toStatus: string | null;
  newDueDate: string | null;
  note: string | null;
  actor: string;
}
interface TaskWrite {
  task: Task;
  event: TaskEvent;
}
interface Inspection {
  id: number;
  unitId: number;
  roundId: number;
  stationedFrom: string;
  stationedTo: string | null;
  feedbackDate: string | null;
}
interface Finding {
  id: number;
  inspectionId: number;
  unitId: number;
  categoryId: number;
  recurrenceOfId: number | null;
  foundDate: string;
}
interface Ratio {
  numerator: number;
  denominator: number;
}

function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

let t: TestApp;
let roundId: number;
let units: { id: number }[];
let level2: { id: number; code: string }[];
let level1Id: number;

const sql = <T extends Record<string, unknown>>(text: string, params: unknown[] = []) => query<T>(t.db.url, text, params);
const post = <T>(path: string, body: unknown) => t.send<T>('POST', path, body);

beforeAll(async () => {
  t = await startTestApp({ seed: { scale: 'tiny', today: TODAY } });
  // a round of the first term whose dates hold every stationing these tests make (an
  // inspection is stationed within its round's dates)
  [{ id: roundId }] = await sql<{ id: number }>(
    `INSERT INTO rounds (term_id, ordinal, year, name, start_date, end_date)
     SELECT term_id, 90, extract(year FROM $1::date)::int, '记录测试轮次', $1::date, $2::date FROM rounds WHERE deleted_at IS NULL ORDER BY id LIMIT 1
     RETURNING id`,
    [addDays(TODAY, -400), TODAY],
  );
  units = await sql<{ id: number }>('SELECT id FROM org_units WHERE deleted_at IS NULL AND valid_to IS NULL ORDER BY id LIMIT 2');
  level2 = await sql<{ id: number; code: string }>('SELECT id, code FROM issue_categories WHERE level = 2 AND deleted_at IS NULL ORDER BY code LIMIT 3');
  [{ id: level1Id }] = await sql<{ id: number }>('SELECT id FROM issue_categories WHERE level = 1 ORDER BY code LIMIT 1');
}, 300_000);

afterAll(async () => {
  await t?.close();
});

// --- fixtures through the API -------------------------------------------------------

async function newInspection(overrides: Record<string, unknown> = {}): Promise<Inspection> {
  const response = await post<Inspection>('/api/inspections', {
    roundId,
    unitId: units[0].id,
    team: `第一巡察组 ${TAG}`,
    mode: 'ROUTINE',
    isCross: false,
    isElevated: false,
    stationedFrom: addDays(TODAY, -60),
    stationedTo: addDays(TODAY, -40),
    feedbackDate: addDays(TODAY, -20),
    ...overrides,
  });
  expect(response.status).toBe(201);
  return response.body;
}

async function newFinding(inspection: Inspection, overrides: Record<string, unknown> = {}): Promise<Finding> {
  const response = await post<Finding>('/api/findings', {
    inspectionId: inspection.id,
    categoryId: level2[0].id,
    description: `问题 ${TAG}`,
    isImmediate: false,
    isKeyConcern: false,
    foundDate: addDays(TODAY, -50),
    ...overrides,
  });
  expect(response.status).toBe(201);
  return response.body;
}

async function newTask(overrides: Record<string, unknown> = {}, finding?: Finding): Promise<Task> {
  const target = finding ?? (await newFinding(await newInspection()));
  const response = await post<TaskWrite>('/api/tasks', {
    findingId: target.id,
    measure: '建立台账，逐项整改',
    responsibleDept: '办公室',
    responsiblePerson: '张三',
    track: 'DEADLINE',
    originalDueDate: addDays(TODAY, 60),
    ...overrides,
  });
  expect(response.status).toBe(201);
  return response.body.task;
}

async function taskRow(id: number) {
  const [row] = await sql<{
    status: string;
    closed_date: string | null;
    current_due_date: string | null;
    original_due_date: string | null;
    change_seq: string;
    deleted_at: Date | null;
  }>(
    `SELECT status::text, to_char(closed_date, 'YYYY-MM-DD') AS closed_date, to_char(current_due_date, 'YYYY-MM-DD') AS current_due_date,
            to_char(original_due_date, 'YYYY-MM-DD') AS original_due_date, change_seq::text, deleted_at
       FROM rectification_tasks WHERE id = $1`,
    [id],
  );
  return row;
}

async function events(taskId: number) {
  return sql<{
    id: string;
    type: string;
    event_date: string;
    from_status: string | null;
    to_status: string | null;
    new_due_date: string | null;
    note: string | null;
    actor: string;
  }>(
    `SELECT id::text, type::text, to_char(event_date, 'YYYY-MM-DD') AS event_date, from_status::text, to_status::text,
            to_char(new_due_date, 'YYYY-MM-DD') AS new_due_date, note, actor
       FROM task_events WHERE task_id = $1 ORDER BY id`,
    [taskId],
  );
}

function expectFieldError(response: { status: number; body: unknown }, field: string, status = 400): ErrorBody {
  const body = response.body as ErrorBody;
  expect(response.status).toBe(status);
  expect(body.statusCode).toBe(status);
  expect(body.message.startsWith(`${field}: `)).toBe(true);
  expect(body.details?.[0]?.field).toBe(field);
  return body;
}

// --- creates -------------------------------------------------------------------------

describe('creates', () => {
  it('POST /api/inspections records an inspection, with its dates as sent', async () => {
    const inspection = await newInspection({ mode: 'SPECIAL', isCross: true });
    expect(inspection).toMatchObject({
      roundId,
      unitId: units[0].id,
      stationedFrom: addDays(TODAY, -60),
      stationedTo: addDays(TODAY, -40),
      feedbackDate: addDays(TODAY, -20),
    });
    const [row] = await sql<{ unit_id: number; mode: string; is_cross: boolean; stationed_from: string; feedback_date: string }>(
      "SELECT unit_id, mode::text, is_cross, to_char(stationed_from, 'YYYY-MM-DD') AS stationed_from, to_char(feedback_date, 'YYYY-MM-DD') AS feedback_date FROM inspections WHERE id = $1",
      [inspection.id],
    );
    expect(row).toEqual({ unit_id: units[0].id, mode: 'SPECIAL', is_cross: true, stationed_from: addDays(TODAY, -60), feedback_date: addDays(TODAY, -20) });
  });

  it('refuses an inspection with unordered dates, an unknown round or unit, or a missing field, naming the field', async () => {
    const base = { roundId, unitId: units[0].id, team: 'x', mode: 'ROUTINE', isCross: false, isElevated: false, stationedFrom: '2026-03-10' };
    const before = await sql<{ n: string }>('SELECT count(*)::text AS n FROM inspections');
    expectFieldError(await post('/api/inspections', { ...base, stationedTo: '2026-03-09' }), 'stationedTo');
    expectFieldError(await post('/api/inspections', { ...base, feedbackDate: '2026-03-01' }), 'feedbackDate');
    expectFieldError(await post('/api/inspections', { ...base, roundId: 999_999 }), 'roundId');
    expectFieldError(await post('/api/inspections', { ...base, unitId: 999_999 }), 'unitId');
    expectFieldError(await post('/api/inspections', { ...base, stationedFrom: '2026-02-30' }), 'stationedFrom');
    expectFieldError(await post('/api/inspections', { ...base, mode: 'ROUTINE_X' }), 'mode');
    const { team: _team, ...noTeam } = base;
    const body = expectFieldError(await post('/api/inspections', noTeam), 'team');
    expect(body.message).toMatch(/必填.*required/);
    expect(await sql('SELECT count(*)::text AS n FROM inspections')).toEqual(before);
  });

  it("POST /api/findings records a finding under the inspection's unit; refuses a level-1 category and a bad recurrence", async () => {
    const inspection = await newInspection({ unitId: units[1].id });
    const finding = await newFinding(inspection, { isImmediate: true });
    expect(finding).toMatchObject({
      inspectionId: inspection.id,
      unitId: units[1].id,
      categoryId: level2[0].id,
      recurrenceOfId: null,
      foundDate: addDays(TODAY, -50),
    });
    const [row] = await sql<{ unit_id: number; is_immediate: boolean; description: string }>(
      'SELECT unit_id, is_immediate, description FROM findings WHERE id = $1',
      [finding.id],
    );
    expect(row).toEqual({ unit_id: units[1].id, is_immediate: true, description: `问题 ${TAG}` });

    // a recurrence of an earlier finding of the same unit
    const later = await newInspection({ unitId: units[1].id, stationedFrom: addDays(TODAY, -10), stationedTo: null, feedbackDate: null });
    const again = await newFinding(later, { recurrenceOfId: finding.id, foundDate: addDays(TODAY, -5) });
    expect(again.recurrenceOfId).toBe(finding.id);

    const other = await newFinding(await newInspection({ unitId: units[0].id }));
    expectFieldError(
      await post('/api/findings', {
        inspectionId: later.id,
        categoryId: level2[0].id,
        description: 'x',
        isImmediate: false,
        isKeyConcern: false,
        foundDate: addDays(TODAY, -5),
        recurrenceOfId: other.id,
      }),
      'recurrenceOfId',
    );
    // not earlier: found the same day
    expectFieldError(
      await post('/api/findings', {
        inspectionId: inspection.id,
        categoryId: level2[0].id,
        description: 'x',
        isImmediate: false,
        isKeyConcern: false,
        foundDate: addDays(TODAY, -50),
        recurrenceOfId: finding.id,
      }),
      'recurrenceOfId',
    );
    expectFieldError(
      await post('/api/findings', {
        inspectionId: later.id,
        categoryId: level1Id,
        description: 'x',
        isImmediate: false,
        isKeyConcern: false,
        foundDate: addDays(TODAY, -5),
      }),
      'categoryId',
    );
    expectFieldError(
      await post('/api/findings', {
        inspectionId: later.id,
        categoryId: level2[0].id,
        description: '   ',
        isImmediate: false,
        isKeyConcern: false,
        foundDate: addDays(TODAY, -5),
      }),
      'description',
    );
    expectFieldError(
      await post('/api/findings', {
        inspectionId: later.id,
        categoryId: level2[0].id,
        description: '问'.repeat(10_001),
        isImmediate: false,
        isKeyConcern: false,
        foundDate: addDays(TODAY, -5),
      }),
      'description',
    );
    expectFieldError(
      await post('/api/findings', {
        inspectionId: 999_999,
        categoryId: level2[0].id,
        description: 'x',
        isImmediate: false,
        isKeyConcern: false,
        foundDate: addDays(TODAY, -5),
      }),
      'inspectionId',
    );
    const [{ n }] = await sql<{ n: string }>('SELECT count(*)::text AS n FROM findings WHERE inspection_id = $1', [later.id]);
    expect(n).toBe('1');
  });

  it('POST /api/tasks creates a NOT_STARTED task with its CREATED event of today', async () => {
    const finding = await newFinding(await newInspection());
    const response = await post<TaskWrite>('/api/tasks', {
      findingId: finding.id,
      measure: '修订制度',
      responsibleDept: '财务科',
      responsiblePerson: '李四',
      track: 'DEADLINE',
      originalDueDate: addDays(TODAY, 30),
    });
    expect(response.status).toBe(201);
    const { task, event } = response.body;
    expect(task).toMatchObject({
      findingId: finding.id,
      status: 'NOT_STARTED',
      originalDueDate: addDays(TODAY, 30),
      currentDueDate: addDays(TODAY, 30),
      closedDate: null,
    });
    expect(event).toMatchObject({ taskId: task.id, type: 'CREATED', toStatus: 'NOT_STARTED', eventDate: TODAY, actor: 'staff' });
    expect(await taskRow(task.id)).toMatchObject({
      status: 'NOT_STARTED',
      original_due_date: addDays(TODAY, 30),
      current_due_date: addDays(TODAY, 30),
      closed_date: null,
    });
    expect(await events(task.id)).toEqual([
      { id: String(event.id), type: 'CREATED', event_date: TODAY, from_status: null, to_status: 'NOT_STARTED', new_due_date: null, note: null, actor: 'staff' },
    ]);

    // 长期坚持 may go without a due date
    const longTerm = await newTask({ track: 'LONG_TERM', originalDueDate: undefined }, finding);
    expect(longTerm).toMatchObject({ originalDueDate: null, currentDueDate: null, status: 'NOT_STARTED' });
  });

  it('refuses a task without a due date (unless 长期坚持), due before the feedback, or of an unknown finding; writes nothing', async () => {
    const finding = await newFinding(await newInspection());
    const base = { findingId: finding.id, measure: 'm', responsibleDept: 'd', responsiblePerson: 'p', track: 'DEADLINE' };
    expectFieldError(await post('/api/tasks', base), 'originalDueDate');
    // feedback was TODAY - 20
    expectFieldError(await post('/api/tasks', { ...base, originalDueDate: addDays(TODAY, -21) }), 'originalDueDate');
    expectFieldError(await post('/api/tasks', { ...base, originalDueDate: addDays(TODAY, 5), findingId: 99_999_999 }), 'findingId');
    expectFieldError(await post('/api/tasks', { ...base, originalDueDate: addDays(TODAY, 5), track: 'SOON' }), 'track');
    expectFieldError(await post('/api/tasks', { ...base, originalDueDate: addDays(TODAY, 5), responsibleDept: '部'.repeat(129) }), 'responsibleDept');
    expect(await sql('SELECT id FROM rectification_tasks WHERE finding_id = $1', [finding.id])).toEqual([]);
  });
});

// --- the status machine --------------------------------------------------------------

describe('task status', () => {
  // the plain status route: the changes outside the closure review (申请销号, 通过, 退回 and 撤销销号 are tested in closure.test.ts)
  const PATHS = [
    ['IN_PROGRESS', 'BASICALLY_DONE', 'IN_PROGRESS'],
    ['IN_PROGRESS', 'NOT_DONE', 'IN_PROGRESS'],
  ];

  it('every transition the demo data makes is allowed', async () => {
    const seen = await sql<{ from_status: string; to_status: string }>(
      "SELECT DISTINCT from_status::text, to_status::text FROM task_events WHERE type = 'STATUS_CHANGE' ORDER BY 1, 2",
    );
    expect(seen.length).toBeGreaterThan(0);
    for (const { from_status, to_status } of seen) {
      expect([from_status, (ALLOWED_TRANSITIONS as Record<string, readonly string[]>)[from_status]?.includes(to_status)]).toEqual([from_status, true]);
    }
  });

  it('walks every direct transition, each written with its STATUS_CHANGE event', async () => {
    const walked = new Set<string>();
    for (const path of PATHS) {
      const task = await newTask();
      let from = 'NOT_STARTED';
      for (const to of path) {
        const note = to === 'IN_PROGRESS' && from === 'CLOSE_REQUESTED' ? '材料不全，退回 rejected: documents missing' : undefined;
        const response = await post<TaskWrite>(`/api/tasks/${task.id}/status`, { status: to, ...(note ? { note } : {}) });
        expect([from, to, response.status]).toEqual([from, to, 201]);
        expect(response.body.task.status).toBe(to);
        expect(response.body.event).toMatchObject({
          type: 'STATUS_CHANGE',
          fromStatus: from,
          toStatus: to,
          eventDate: TODAY,
          actor: 'staff',
          note: note ?? null,
        });
        const row = await taskRow(task.id);
        expect(row.status).toBe(to);
        expect(row.closed_date).toBe(to === 'CLOSED' ? TODAY : null);
        const last = (await events(task.id)).at(-1);
        expect(last).toMatchObject({ type: 'STATUS_CHANGE', from_status: from, to_status: to, event_date: TODAY, note: note ?? null });
        walked.add(`${from}>${to}`);
        from = to;
      }
      expect((await events(task.id)).length).toBe(1 + path.length);
    }
    const direct = Object.entries(DIRECT_TRANSITIONS).flatMap(([from, tos]) => tos.map((to) => `${from}>${to}`));
    expect([...walked].sort()).toEqual(direct.sort());
    // the rest of the history's changes are the closure review's
    const allowed = Object.entries(ALLOWED_TRANSITIONS).flatMap(([from, tos]) => tos.map((to) => `${from}>${to}`));
    expect(allowed.filter((k) => !direct.includes(k)).sort()).toEqual([...REVIEWED_TRANSITIONS].sort());
  }, 30_000);

  it('refuses other transitions with a 409 naming both statuses, and writes nothing', async () => {
    const task = await newTask();
    // from each status reached (by an allowed step), the changes tried and refused
    // CLOSE_REQUESTED and CLOSED are reached through the closure review (apply, then another writer approves)
    const stages: { step?: string; refused: string[] }[] = [
      { refused: ['CLOSED', 'CLOSE_REQUESTED', 'NOT_STARTED', 'BASICALLY_DONE', 'NOT_DONE'] },
      { step: 'IN_PROGRESS', refused: ['CLOSED', 'CLOSE_REQUESTED', 'NOT_STARTED', 'IN_PROGRESS'] },
      { step: 'CLOSE_REQUESTED', refused: ['CLOSED', 'IN_PROGRESS', 'BASICALLY_DONE', 'NOT_DONE', 'CLOSE_REQUESTED', 'NOT_STARTED'] },
      { step: 'CLOSED', refused: ['IN_PROGRESS', 'CLOSE_REQUESTED', 'NOT_STARTED', 'CLOSED'] },
    ];
    const labels: Record<string, string> = {
      NOT_STARTED: '未开始',
      IN_PROGRESS: '整改中',
      CLOSE_REQUESTED: '申请销号',
      CLOSED: '已销号',
      BASICALLY_DONE: '基本完成',
      NOT_DONE: '未完成',
    };
    let current = 'NOT_STARTED';
    for (const { step, refused } of stages) {
      if (step === 'CLOSE_REQUESTED') {
        expect((await applyForClosure(t, { cookie: t.cookie }, task.id)).status).toBe(201);
        current = step;
      } else if (step === 'CLOSED') {
        const [pending] = await sql<{ id: string }>(`SELECT id::text FROM closure_requests WHERE task_id = $1 AND status = 'PENDING'`, [task.id]);
        expect((await (await closureReviewer(t)).send('POST', `/api/closure-requests/${pending.id}/approve`, {})).status).toBe(201);
        current = step;
      } else if (step) {
        expect((await post(`/api/tasks/${task.id}/status`, { status: step })).status).toBe(201);
        current = step;
      }
      for (const to of refused) {
        const before = await taskRow(task.id);
        const eventsBefore = await events(task.id);
        const response = await post<ErrorBody>(`/api/tasks/${task.id}/status`, { status: to });
        expect([current, to, response.status]).toEqual([current, to, 409]);
        expect(response.body.message).toContain(`${current} → ${to}`);
        if (REVIEWED_TRANSITIONS.has(`${current}>${to}`)) expect(response.body.message).toContain('销号审核');
        expect(response.body.message).toContain(`${labels[current]}`);
        expect(response.body.message).toContain(`${labels[to]}`);
        expect(await taskRow(task.id)).toEqual(before);
        expect(await events(task.id)).toEqual(eventsBefore);
      }
    }
    expect(current).toBe('CLOSED');
  }, 30_000);

  it('dates a change as given, never in the future nor before the last event; 404 for an unknown task', async () => {
    const task = await newTask();
    expectFieldError(await post(`/api/tasks/${task.id}/status`, { status: 'IN_PROGRESS', date: addDays(TODAY, 1) }), 'date');
    // the CREATED event is of today
    expectFieldError(await post(`/api/tasks/${task.id}/status`, { status: 'IN_PROGRESS', date: addDays(TODAY, -1) }), 'date');
    expectFieldError(await post(`/api/tasks/${task.id}/status`, { status: 'STARTED' }), 'status');
    expect((await events(task.id)).length).toBe(1);
    const response = await post<TaskWrite>(`/api/tasks/${task.id}/status`, { status: 'IN_PROGRESS', date: TODAY });
    expect(response.status).toBe(201);
    expect((await post<ErrorBody>('/api/tasks/99999999/status', { status: 'IN_PROGRESS' })).status).toBe(404);
  });
});

// --- extensions and notes -----------------------------------------------------------

describe('extensions and notes', () => {
  it('refuses an extension without a reason (400 naming reason) and writes nothing', async () => {
    const task = await newTask({ originalDueDate: addDays(TODAY, 30) });
    const before = await taskRow(task.id);
    for (const body of [
      { newDueDate: addDays(TODAY, 90) },
      { newDueDate: addDays(TODAY, 90), reason: '   ' },
      { newDueDate: addDays(TODAY, 90), reason: 'x'.repeat(1001) },
    ]) {
      const error = expectFieldError(await post(`/api/tasks/${task.id}/extensions`, body), 'reason');
      expect(error.message).toMatch(/^reason: 延期理由/);
    }
    expect(await taskRow(task.id)).toEqual(before);
    expect((await events(task.id)).map((e) => e.type)).toEqual(['CREATED']);
  });

  it('extends with a reason: current due date moves, the original stays, an EXTENSION event records both', async () => {
    const task = await newTask({ originalDueDate: addDays(TODAY, 30) });
    const reason = '涉及跨部门协调，需延长整改期限';
    const response = await post<TaskWrite>(`/api/tasks/${task.id}/extensions`, { newDueDate: addDays(TODAY, 90), reason });
    expect(response.status).toBe(201);
    expect(response.body.task).toMatchObject({ originalDueDate: addDays(TODAY, 30), currentDueDate: addDays(TODAY, 90) });
    expect(await taskRow(task.id)).toMatchObject({ original_due_date: addDays(TODAY, 30), current_due_date: addDays(TODAY, 90) });
    expect((await events(task.id)).at(-1)).toMatchObject({
      type: 'EXTENSION',
      event_date: TODAY,
      new_due_date: addDays(TODAY, 90),
      note: reason,
      actor: 'staff',
      from_status: null,
      to_status: null,
    });

    // not later than the current due date
    expectFieldError(await post(`/api/tasks/${task.id}/extensions`, { newDueDate: addDays(TODAY, 90), reason }), 'newDueDate');
    // not on a closed task
    expect((await post(`/api/tasks/${task.id}/status`, { status: 'IN_PROGRESS' })).status).toBe(201);
    expect(await closeTask(t, task.id)).toBe(201);
    const eventsBefore = await events(task.id);
    const closed = await post<ErrorBody>(`/api/tasks/${task.id}/extensions`, { newDueDate: addDays(TODAY, 200), reason });
    expect(closed.status).toBe(409);
    expect(closed.body.message).toContain('已销号');
    expect(await events(task.id)).toEqual(eventsBefore);
    expect((await taskRow(task.id)).current_due_date).toBe(addDays(TODAY, 90));
  });

  it('records a progress note as a PROGRESS_NOTE event, the task unchanged', async () => {
    const task = await newTask();
    const before = await taskRow(task.id);
    const note = '已完成制度修订初稿，正在征求意见';
    const response = await post<TaskWrite>(`/api/tasks/${task.id}/notes`, { note });
    expect(response.status).toBe(201);
    expect(response.body.event).toMatchObject({ type: 'PROGRESS_NOTE', note, eventDate: TODAY, actor: 'staff' });
    expect((await events(task.id)).at(-1)).toMatchObject({ type: 'PROGRESS_NOTE', note, event_date: TODAY, from_status: null, to_status: null });
    expect((await taskRow(task.id)).status).toBe(before.status);
    expectFieldError(await post(`/api/tasks/${task.id}/notes`, { note: '' }), 'note');
    expectFieldError(await post(`/api/tasks/${task.id}/notes`, {}), 'note');
  });
});

// --- soft deletes ----------------------------------------------------------------------

describe('soft delete', () => {
  it('deletes a task, a finding and an inspection softly; a second delete and later writes get 404', async () => {
    const inspection = await newInspection();
    const finding = await newFinding(inspection);
    const task = await newTask({}, finding);
    const other = await newTask({}, await newFinding(inspection));

    const deleted = await t.send<{ id: number; deletedAt: string }>('DELETE', `/api/tasks/${task.id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body.id).toBe(task.id);
    expect((await taskRow(task.id)).deleted_at).not.toBeNull();
    expect((await t.send('DELETE', `/api/tasks/${task.id}`)).status).toBe(404);
    expect((await post(`/api/tasks/${task.id}/notes`, { note: 'x' })).status).toBe(404);
    expect((await post(`/api/tasks/${task.id}/status`, { status: 'IN_PROGRESS' })).status).toBe(404);
    expect((await events(task.id)).length).toBe(1);

    expect((await t.send('DELETE', `/api/findings/${finding.id}`)).status).toBe(200);
    expect((await t.send('DELETE', `/api/findings/${finding.id}`)).status).toBe(404);
    expect((await post('/api/tasks', { findingId: finding.id, measure: 'm', responsibleDept: 'd', responsiblePerson: 'p', track: 'LONG_TERM' })).status).toBe(
      400,
    );

    expect((await t.send('DELETE', `/api/inspections/${inspection.id}`)).status).toBe(200);
    expect((await t.send('DELETE', `/api/inspections/${inspection.id}`)).status).toBe(404);
    // the rows stay, marked deleted
    const [row] = await sql<{ deleted: boolean }>('SELECT deleted_at IS NOT NULL AS deleted FROM inspections WHERE id = $1', [inspection.id]);
    expect(row.deleted).toBe(true);
    // a task under a deleted inspection is gone too
    expect((await post(`/api/tasks/${other.id}/status`, { status: 'IN_PROGRESS' })).status).toBe(404);
    expect((await t.send('DELETE', `/api/tasks/${other.id}`)).status).toBe(404);
    expect((await t.send('DELETE', '/api/inspections/99999999999')).status).toBe(400);
    expect((await t.send('DELETE', '/api/inspections/999999')).status).toBe(404);
    expect((await t.send('DELETE', '/api/findings/abc')).status).toBe(400);
  });
});

// --- a write reaching the metrics ------------------------------------------------------

describe('metrics after the ETL', () => {
  it('closing a task raises taskClosure of its county by exactly one', async () => {
    const [candidate] = await sql<{ id: string; region_id: number }>(
      `SELECT t.id::text, u.region_id FROM rectification_tasks t
         JOIN findings f ON f.id = t.finding_id JOIN inspections i ON i.id = f.inspection_id JOIN org_units u ON u.id = f.unit_id
        WHERE t.status = 'CLOSE_REQUESTED' AND t.deleted_at IS NULL AND f.deleted_at IS NULL AND i.deleted_at IS NULL
          AND i.feedback_date <= $1 AND f.found_date <= $1
        ORDER BY t.id LIMIT 1`,
      [TODAY],
    );
    expect(candidate).toBeDefined();
    const [{ id: countyId }] = await sql<{ id: number }>(
      `WITH RECURSIVE up AS (SELECT id, parent_id, level FROM regions WHERE id = $1
                             UNION ALL SELECT r.id, r.parent_id, r.level FROM regions r JOIN up ON r.id = up.parent_id)
       SELECT id FROM up WHERE level IN ('COUNTY', 'MUNICIPAL') LIMIT 1`,
      [candidate.region_id],
    );
    const expected = async (): Promise<Ratio> => {
      const [row] = await sql<{ closed: number; total: number }>(
        `WITH RECURSIVE sub AS (SELECT id FROM regions WHERE id = $1 UNION ALL SELECT r.id FROM regions r JOIN sub ON r.parent_id = sub.id)
         SELECT count(*) FILTER (WHERE t.status = 'CLOSED' AND t.closed_date <= $2)::int AS closed, count(*)::int AS total
           FROM rectification_tasks t JOIN findings f ON f.id = t.finding_id JOIN inspections i ON i.id = f.inspection_id JOIN org_units u ON u.id = f.unit_id
          WHERE t.deleted_at IS NULL AND f.deleted_at IS NULL AND i.deleted_at IS NULL
            AND i.feedback_date <= $2 AND f.found_date <= $2 AND u.region_id IN (SELECT id FROM sub)`,
        [countyId, TODAY],
      );
      return { numerator: row.closed, denominator: row.total };
    };
    const metric = async (): Promise<Ratio> => {
      const response = await t.get<{ taskClosure: Ratio }>(`/api/metrics/rectification?regionId=${countyId}`);
      expect(response.status).toBe(200);
      return { numerator: response.body.taskClosure.numerator, denominator: response.body.taskClosure.denominator };
    };

    await t.etl();
    const before = await metric();
    expect(before).toEqual(await expected());

    // a 申请销号 of the demo data, with no review record yet: its evidence is added, then another writer approves
    expect(await closeTask(t, candidate.id)).toBe(201);
    await t.etl();
    const after = await metric();
    expect(after).toEqual(await expected());
    expect(after).toEqual({ numerator: before.numerator + 1, denominator: before.denominator });
  }, 60_000);
});
