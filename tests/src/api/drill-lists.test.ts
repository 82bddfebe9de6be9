import { startTestApp, type TestApp } from '../support/app';
import { query } from '../support/pg';
import { pinToday } from '../support/today';

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
  const today = pinToday();

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

  /** A unit's county as the warehouse carries it: a township's parent, else its region. */
  const UNIT_COUNTY = `(SELECT CASE g.level WHEN 'TOWNSHIP' THEN g.parent_id ELSE g.id END FROM regions g WHERE g.id = u.region_id)`;
  /** The tasks and findings of this test's records, as PostgreSQL has them (none is rejected by the ETL). */
  const TASKS = `FROM rectification_tasks k
      JOIN findings f ON f.id = k.finding_id AND f.deleted_at IS NULL
      JOIN inspections i ON i.id = f.inspection_id AND i.deleted_at IS NULL
      JOIN org_units u ON u.id = f.unit_id
     WHERE k.deleted_at IS NULL AND f.found_date <= $1::date AND i.feedback_date <= $1::date
       AND ($2::int IS NULL OR ${UNIT_COUNTY} = $2)`;

  /** Pages of `size` of the list at `path`: each page's total and rows equal to the reference's slice. */
  async function expectPages<T extends { id: number }>(
    path: string,
    expected: Array<Partial<T> & { id: number }>,
    size: number,
    pick: (row: T) => Partial<T> & { id: number },
  ) {
    const last = Math.max(1, Math.ceil(expected.length / size));
    for (const page of [...new Set([1, 2, Math.ceil(last / 2), last - 1, last, last + 1])].filter((p) => p >= 1)) {
      const response = await t.get<Page<T>>(`${path}&pageSize=${size}&page=${page}`);
      expect(response.status).toBe(200);
      expect({ page, total: response.body.total, rows: response.body.rows.map(pick) }).toEqual({
        page,
        total: expected.length,
        rows: expected.slice((page - 1) * size, page * size),
      });
    }
  }

  /**
   * The lists against PostgreSQL's case records (today's state: every task's current status
   * and due date), page by page: the total on every page (the last one, and past it, too),
   * sort ties broken by id, deep pages, the whole city and one county.
   */
  async function expectSameAsPostgres(): Promise<void> {
    const [{ county }] = await query<{ county: number }>(
      t.db.url,
      `SELECT ${UNIT_COUNTY} AS county ${TASKS} AND k.status <> 'CLOSED' AND k.current_due_date < $1::date GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`,
      [today, null],
    );
    for (const regionId of [null, county]) {
      const region = regionId === null ? '' : `&regionId=${regionId}`;
      const overdue = await query<{ id: number; daysOverdue: number }>(
        t.db.url,
        `SELECT k.id::int AS id, ($1::date - k.current_due_date)::int AS "daysOverdue" ${TASKS}
           AND k.status <> 'CLOSED' AND k.current_due_date < $1::date
         ORDER BY 2 DESC, 1`,
        [today, regionId],
      );
      expect(overdue.length).toBeGreaterThan(regionId === null ? 30 : 5);
      await expectPages<TaskRow>(`/api/tasks?overdue=true&sort=-daysOverdue${region}`, overdue, regionId === null ? 7 : 2, (r) => ({
        id: r.id,
        daysOverdue: r.daysOverdue,
      }));
      await expectPages<TaskRow>(
        `/api/tasks?overdue=true&sort=-id${region}`,
        [...overdue].sort((a, b) => b.id - a.id),
        13,
        (r) => ({ id: r.id, daysOverdue: r.daysOverdue }),
      );
      const shortestFirst = [...overdue].sort((a, b) => a.daysOverdue - b.daysOverdue || a.id - b.id);
      await expectPages<TaskRow>(`/api/tasks?overdue=true&sort=daysOverdue${region}`, shortestFirst, regionId === null ? 11 : 3, (r) => ({
        id: r.id,
        daysOverdue: r.daysOverdue,
      }));
      // the earliest due first: the longest overdue first, as above
      for (const [bucket, from, to] of [
        ['180%2B', 181, Infinity],
        ['91-180', 91, 180],
        ['31-90', 31, 90],
        ['1-30', 1, 30],
      ] as const) {
        const aged = overdue.filter((r) => r.daysOverdue >= from && r.daysOverdue <= to);
        await expectPages<TaskRow>(`/api/tasks?overdue=true&agingBucket=${bucket}&sort=dueDate${region}`, aged, 5, (r) => ({
          id: r.id,
          daysOverdue: r.daysOverdue,
        }));
      }

      // every task fed back, by closed date (most recent first, the open ones last, ties by id): fact_tasks
      const byClosed = await query<{ id: number; dueDate: string | null; closed: string | null }>(
        t.db.url,
        `SELECT k.id::int AS id, to_char(k.current_due_date, 'YYYY-MM-DD') AS "dueDate", to_char(k.closed_date, 'YYYY-MM-DD') AS closed ${TASKS}
         ORDER BY k.closed_date DESC NULLS LAST, k.id`,
        [today, regionId],
      );
      // ties, broken by id: tasks closed the same day, and the open ones (no closed date)
      expect(new Set(byClosed.map((r) => r.closed)).size).toBeLessThan(byClosed.length - 10);
      await expectPages<TaskRow>(
        `/api/tasks?sort=-closedDate${region}`,
        byClosed.map(({ id, dueDate }) => ({ id, dueDate })),
        50,
        (r) => ({ id: r.id, dueDate: r.dueDate }),
      );

      // the findings fed back and not rectified (without tasks, or with one not 已销号), newest first
      const FINDINGS = `FROM findings f
          JOIN inspections i ON i.id = f.inspection_id AND i.deleted_at IS NULL
          JOIN org_units u ON u.id = f.unit_id
         WHERE f.deleted_at IS NULL AND f.found_date <= $1::date AND i.feedback_date <= $1::date
           AND ($2::int IS NULL OR ${UNIT_COUNTY} = $2)`;
      const OPEN_TASKS = `(SELECT count(*) FROM rectification_tasks k WHERE k.finding_id = f.id AND k.deleted_at IS NULL AND k.status <> 'CLOSED')`;
      const ALL_TASKS = `(SELECT count(*) FROM rectification_tasks k WHERE k.finding_id = f.id AND k.deleted_at IS NULL)`;
      const open = await query<{ id: number; tasks: number; found: string }>(
        t.db.url,
        `SELECT f.id::int AS id, ${ALL_TASKS}::int AS tasks, f.found_date::text AS found ${FINDINGS} AND (${ALL_TASKS} = 0 OR ${OPEN_TASKS} > 0)
         ORDER BY f.found_date DESC, f.id`,
        [today, regionId],
      );
      expect(open.length).toBeGreaterThan(7);
      // ties, broken by id: findings of one day
      if (regionId === null) expect(new Set(open.map((r) => r.found)).size).toBeLessThan(open.length);
      await expectPages<FindingRow>(
        `/api/findings?fedBack=true&closed=false&sort=-foundDate${region}`,
        open.map(({ id, tasks }) => ({ id, tasks })),
        7,
        (r) => ({ id: r.id, tasks: r.tasks }),
      );
      // every finding fed back, by feedback day, ties by id: the tasks grouped per finding
      const fed = await query<{ id: number; tasks: number }>(
        t.db.url,
        `SELECT f.id::int AS id, ${ALL_TASKS}::int AS tasks ${FINDINGS} ORDER BY i.feedback_date, f.id`,
        [today, regionId],
      );
      await expectPages<FindingRow>(`/api/findings?fedBack=true&sort=feedbackDate${region}`, fed, 50, (r) => ({ id: r.id, tasks: r.tasks }));
    }
  }

  /**
   * As of a past day (the tasks' state then, replayed from their events): the list's total
   * is the overdue figure the rectification metric gives, and its pages are the slices of
   * the whole list read at once, the last one included.
   */
  async function expectAsOfPagesConsistent(): Promise<void> {
    const [y, m] = today.split('-').map(Number);
    const quarterEnd = new Date(Date.UTC(y, Math.floor((m - 1) / 3) * 3, 1) - 86_400_000).toISOString().slice(0, 10);
    const metric = await t.get<{ overdue: { count: number } }>(`/api/metrics/rectification?asOf=${quarterEnd}`);
    const whole = await all<TaskRow>(`/api/tasks?asOf=${quarterEnd}&overdue=true&sort=-daysOverdue`);
    expect(whole.total).toBe(metric.body.overdue.count);
    expect(whole.rows).toHaveLength(whole.total);
    await expectPages<TaskRow>(
      `/api/tasks?asOf=${quarterEnd}&overdue=true&sort=-daysOverdue`,
      whole.rows.map((r) => ({ id: r.id, daysOverdue: r.daysOverdue })),
      9,
      (r) => ({
        id: r.id,
        daysOverdue: r.daysOverdue,
      }),
    );
  }

  it('give the same rows as the full lists filtered', async () => {
    await expectSameAsFiltered();
  });

  it('give the lists PostgreSQL gives, page by page, with their totals, for the city and a county', async () => {
    await expectSameAsPostgres();
    await expectAsOfPagesConsistent();
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
    const [closed] = await query<{ id: string }>(
      t.db.url,
      `SELECT id::text FROM rectification_tasks WHERE deleted_at IS NULL AND status = 'CLOSED' ORDER BY id LIMIT 1`,
    );
    await query(t.db.url, `UPDATE rectification_tasks SET status = 'IN_PROGRESS', closed_date = NULL WHERE id = $1`, [closed.id]);
    await query(
      t.db.url,
      `INSERT INTO task_events (task_id, type, event_date, from_status, to_status, actor) VALUES ($1, 'STATUS_CHANGE', $2::date, 'CLOSED', 'IN_PROGRESS', 'test')`,
      [closed.id, today],
    );
    await t.etl();
    await expectSameAsFiltered();
    await expectSameAsPostgres();
    await expectAsOfPagesConsistent();
  });
});
