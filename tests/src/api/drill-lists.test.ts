import { shanghaiToday } from '../../../prisma/src/calendar';
import { startTestApp, type TestApp } from '../support/app';
import { query } from '../support/pg';

interface Page<T> {
  total: number;
  rows: T[];
}
interface TaskRow {
  id: number;
  status: string;
  daysOverdue: number;
  dueDate: string | null;
}
interface FindingRow {
  id: number;
  closed: boolean;
  tasks: number;
  tasksClosed: number;
}

/**
 * The worklists read the open tasks and findings (fact_open_tasks, fact_open_findings) when
 * their filters keep only those: the same rows, in the same order, as the lists of every
 * task and finding filtered afterwards — before and after later work is loaded.
 */
jest.setTimeout(300_000);

describe('drill-down lists of open tasks and findings', () => {
  let t: TestApp;
  const today = shanghaiToday();

  beforeAll(async () => {
    t = await startTestApp({ seed: { scale: 'tiny', today } });
  });
  afterAll(async () => {
    await t?.close();
  });

  async function all<T>(path: string): Promise<Page<T>> {
    const rows: T[] = [];
    for (let page = 1; ; page++) {
      const response = await t.get<Page<T>>(`${path}&pageSize=200&page=${page}`);
      expect(response.status).toBe(200);
      rows.push(...response.body.rows);
      if (rows.length >= response.body.total || response.body.rows.length === 0) return { total: response.body.total, rows };
    }
  }

  async function expectSameAsFiltered(): Promise<void> {
    const overdue = await all<TaskRow>('/api/tasks?overdue=true&sort=-daysOverdue');
    const tasks = await all<TaskRow>('/api/tasks?sort=-daysOverdue');
    const expectedOverdue = tasks.rows.filter((r) => r.daysOverdue > 0);
    expect(expectedOverdue.length).toBeGreaterThan(0);
    expect(overdue).toEqual({ total: expectedOverdue.length, rows: expectedOverdue });

    const open = await all<TaskRow>('/api/tasks?closed=false&sort=dueDate');
    const byDue = await all<TaskRow>('/api/tasks?sort=dueDate');
    const expectedOpen = byDue.rows.filter((r) => r.status !== 'CLOSED');
    expect(open).toEqual({ total: expectedOpen.length, rows: expectedOpen });

    for (const params of ['fedBack=true&sort=-foundDate', 'sort=feedbackDate', 'fedBack=true&immediate=true&sort=id']) {
      const openFindings = await all<FindingRow>(`/api/findings?closed=false&${params}`);
      const findings = await all<FindingRow>(`/api/findings?${params}`);
      const expected = findings.rows.filter((r) => !r.closed);
      expect(expected.length).toBeGreaterThan(0);
      expect(openFindings).toEqual({ total: expected.length, rows: expected });
    }
  }

  it('give the same rows as the full lists filtered', async () => {
    await expectSameAsFiltered();
  });

  it('still do after closures, reopenings, extensions and deletions are loaded', async () => {
    const open = await query<{ id: string; status: string }>(
      t.db.url,
      `SELECT id::text, status::text FROM rectification_tasks
        WHERE deleted_at IS NULL AND status IN ('IN_PROGRESS', 'NOT_STARTED', 'CLOSE_REQUESTED') AND current_due_date IS NOT NULL
        ORDER BY id LIMIT 9`,
    );
    expect(open).toHaveLength(9);
    await query(
      t.db.url,
      `WITH old AS (SELECT id, status FROM rectification_tasks WHERE id = ANY($1::bigint[])),
       changed AS (UPDATE rectification_tasks SET status = 'CLOSED', closed_date = $2::date WHERE id = ANY($1::bigint[]))
       INSERT INTO task_events (task_id, type, event_date, from_status, to_status, actor, note)
       SELECT old.id, 'STATUS_CHANGE', $2::date, old.status, 'CLOSED', 'test', '销号' FROM old`,
      [open.slice(0, 3).map((r) => r.id), today],
    );
    await query(
      t.db.url,
      `WITH moved AS (UPDATE rectification_tasks SET current_due_date = current_due_date + 90 WHERE id = ANY($1::bigint[]) RETURNING id, current_due_date)
       INSERT INTO task_events (task_id, type, event_date, new_due_date, actor, note)
       SELECT id, 'EXTENSION', $2::date, current_due_date, 'test', '延期' FROM moved`,
      [open.slice(3, 6).map((r) => r.id), today],
    );
    await query(t.db.url, 'UPDATE rectification_tasks SET deleted_at = now() WHERE id = ANY($1::bigint[])', [open.slice(6).map((r) => r.id)]);
    const [closed] = await query<{ id: string }>(t.db.url, `SELECT id::text FROM rectification_tasks WHERE deleted_at IS NULL AND status = 'CLOSED' ORDER BY id LIMIT 1`);
    await query(t.db.url, `UPDATE rectification_tasks SET status = 'IN_PROGRESS', closed_date = NULL WHERE id = $1`, [closed.id]);
    await query(
      t.db.url,
      `INSERT INTO task_events (task_id, type, event_date, from_status, to_status, actor) VALUES ($1, 'STATUS_CHANGE', $2::date, 'CLOSED', 'IN_PROGRESS', 'test')`,
      [closed.id, today],
    );
    await t.etl();
    await expectSameAsFiltered();
  });
});
