import { startTestApp, type TestApp } from '../support/app';
import { referenceOverview, referenceRectification } from '../support/metrics-reference';
import { query } from '../support/pg';
import { rounded } from '../support/rounded';
import { pinToday } from '../support/today';

/** The last day of the quarter before the one `day` lies in. */
function previousQuarterEnd(day: string): string {
  const [y, m] = day.split('-').map(Number);
  const quarterStartMonth = Math.floor((m - 1) / 3) * 3 + 1;
  const end = new Date(Date.UTC(y, quarterStartMonth - 1, 1) - 86_400_000);
  return end.toISOString().slice(0, 10);
}

const METRICS = ['overview', 'coverage', 'categories', 'rectification', 'recurrence'];

/**
 * As-of reproducibility: the figures as of a quarter end do not change when later work
 * (closures, extensions, reopened tasks) is recorded and loaded, while today's do.
 */
jest.setTimeout(300_000);

describe('figures as of a past quarter end', () => {
  let t: TestApp;
  const today = pinToday();
  const quarterEnd = previousQuarterEnd(today);

  beforeAll(async () => {
    t = await startTestApp({ seed: { scale: 'tiny', today } });
  });
  afterAll(async () => {
    await t?.close();
  });

  const snapshot = async (asOf: string) => {
    const out: Record<string, unknown> = {};
    for (const metric of METRICS) {
      const response = await t.get(`/api/metrics/${metric}?asOf=${asOf}`);
      expect(response.status).toBe(200);
      out[metric] = response.body;
    }
    const overdue = await t.get(`/api/tasks?asOf=${asOf}&overdue=true&sort=-daysOverdue&pageSize=200`);
    expect(overdue.status).toBe(200);
    out.overdueList = overdue.body;
    return out;
  };

  it('stay the same after later status changes and extensions are recorded and loaded', async () => {
    const before = await snapshot(quarterEnd);
    const todayBefore = await snapshot(today);

    // Later work, recorded as the app records it: the task row and its event in one transaction.
    const open = await query<{ id: string; status: string; current_due_date: string | null }>(
      t.db.url,
      `SELECT t.id::text, t.status::text, t.current_due_date::text
         FROM rectification_tasks t
        WHERE t.deleted_at IS NULL AND t.status IN ('IN_PROGRESS', 'CLOSE_REQUESTED', 'NOT_STARTED') AND t.current_due_date IS NOT NULL
        ORDER BY t.id LIMIT 20`,
    );
    expect(open.length).toBe(20);
    const closing = open.slice(0, 10);
    const extending = open.slice(10);
    await query(
      t.db.url,
      // every CTE sees the rows as they were before the UPDATE: `old` keeps the previous status
      `WITH old AS (SELECT id, status FROM rectification_tasks WHERE id = ANY($1::bigint[])),
       changed AS (UPDATE rectification_tasks SET status = 'CLOSED', closed_date = $2::date WHERE id = ANY($1::bigint[]))
       INSERT INTO task_events (task_id, type, event_date, from_status, to_status, actor, note)
       SELECT old.id, 'STATUS_CHANGE', $2::date, old.status, 'CLOSED', 'test', '销号' FROM old`,
      [closing.map((r) => r.id), today],
    );
    await query(
      t.db.url,
      `WITH moved AS (
         UPDATE rectification_tasks SET current_due_date = current_due_date + 90 WHERE id = ANY($1::bigint[]) RETURNING id, current_due_date
       )
       INSERT INTO task_events (task_id, type, event_date, new_due_date, actor, note)
       SELECT id, 'EXTENSION', $2::date, current_due_date, 'test', '延期九十天' FROM moved`,
      [extending.map((r) => r.id), today],
    );
    await t.etl();

    expect(await snapshot(quarterEnd)).toEqual(before);
    // …while today's figures moved: 10 more tasks closed.
    const todayAfter = await snapshot(today);
    const closed = (s: Record<string, unknown>) => (s.rectification as { taskClosure: { numerator: number } }).taskClosure.numerator;
    expect(closed(todayAfter)).toBe(closed(todayBefore) + 10);
    // …and the quarter end was read from its precomputed state, built once and still valid
    const builds = await t.warehouse.query<{ n: string }>('SELECT count() AS n FROM quarter_builds WHERE as_of = {q:Date}', { q: quarterEnd });
    expect(builds[0].n).toBe('1');
  });

  it('change when work dated inside the quarter is recorded late, and equal the PostgreSQL reference', async () => {
    const before = await snapshot(quarterEnd);
    // a closure dated ten days before the quarter end, recorded today, of a task open until then
    const day = new Date(Date.parse(`${quarterEnd}T00:00:00Z`) - 10 * 86_400_000).toISOString().slice(0, 10);
    const [task] = await query<{ id: string; status: string }>(
      t.db.url,
      `SELECT t.id::text, t.status::text FROM rectification_tasks t
        WHERE t.deleted_at IS NULL AND t.status <> 'CLOSED'
          AND (SELECT min(e.event_date) FROM task_events e WHERE e.task_id = t.id) < $1::date - 30
          AND NOT EXISTS (SELECT 1 FROM task_events e WHERE e.task_id = t.id AND e.event_date >= $1::date)
        ORDER BY t.id LIMIT 1`,
      [day],
    );
    expect(task).toBeDefined();
    await query(
      t.db.url,
      `WITH changed AS (UPDATE rectification_tasks SET status = 'CLOSED', closed_date = $2::date WHERE id = $1)
       INSERT INTO task_events (task_id, type, event_date, from_status, to_status, actor, note) VALUES ($1, 'STATUS_CHANGE', $2::date, $3::task_status, 'CLOSED', 'test', '补录销号')`,
      [task.id, day, task.status],
    );
    await t.etl();
    const after = await snapshot(quarterEnd);
    const closed = (s: Record<string, unknown>) => (s.rectification as { taskClosure: { numerator: number } }).taskClosure.numerator;
    expect(closed(after)).toBe(closed(before) + 1);
    expect(rounded(after.rectification)).toEqual(rounded(await referenceRectification(t.db.url, { asOf: quarterEnd })));
    expect(rounded(after.overview)).toEqual(rounded(await referenceOverview(t.db.url, { asOf: quarterEnd })));
  });
});
