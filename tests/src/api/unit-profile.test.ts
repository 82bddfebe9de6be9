import { shanghaiToday } from '@xuncha/shared';
import { startTestApp, type TestApp } from '../support/app';
import { query } from '../support/pg';

/**
 * 单位画像 (GET /api/units/:id/profile): one unit's figures against a hand computation in plain
 * SQL on PostgreSQL — inspections by mode, findings by category with repeats and rebounds,
 * tasks with aging and extensions, days to close (and its county's against the rectification
 * figure), clues and persons. A county account gets another county's unit as missing (404),
 * probed in accounts.test.ts.
 */
jest.setTimeout(300_000);

interface Profile {
  asOf: string;
  unit: { id: number; name: string; countyId: number; principalLeader: string | null; leaderInCharge: string | null };
  inspections: { id: number; mode: string; findings: number }[];
  byMode: { mode: string; inspections: number }[];
  categories: { categoryId: number; findings: number; repeats: number; rebounds: number }[];
  findings: { id: number; isRepeat: boolean; isRebound: boolean }[];
  tasks: { id: number; status: string; extensions: number; daysOverdue: number }[];
  daysToClose: { unit: { count: number; median: number | null }; county: { count: number; median: number | null } };
  clues: { id: number }[];
  persons: { role: string; name: string; dept: string | null; tasks: number; openTasks: number }[];
}

/** Median by nearest rank: sorted ascending, the value at rank ⌈n/2⌉ (1-based). */
const median = (values: number[]) => (values.length === 0 ? null : [...values].sort((a, b) => a - b)[Math.max(1, Math.ceil(values.length / 2)) - 1]);

describe('单位画像', () => {
  let t: TestApp;
  const today = shanghaiToday();
  const sql = <T extends Record<string, unknown>>(text: string, params: unknown[] = []) => query<T>(t.db.url, text, params);
  /** Live findings of live inspections of unit $1, found by $2, with their inspection's stationing. */
  const FINDINGS = `FROM findings f JOIN inspections i ON i.id = f.inspection_id AND i.deleted_at IS NULL
     WHERE f.unit_id = $1 AND f.deleted_at IS NULL AND f.found_date <= $2::date`;

  beforeAll(async () => {
    t = await startTestApp({ seed: { scale: 'tiny', today } });
    await t.etl();
  });
  afterAll(async () => {
    await t?.close();
  });

  /** By hand: the finding ids of unit $1 that repeat (a level-2 category found at an earlier visit) and that rebound. */
  async function recurrence(unitId: number) {
    const repeats = await sql<{ id: number }>(
      `SELECT f.id::int AS id ${FINDINGS} AND i.stationed_from <= $2::date
          AND EXISTS (SELECT 1 FROM findings g JOIN inspections gi ON gi.id = g.inspection_id AND gi.deleted_at IS NULL
                       WHERE g.unit_id = f.unit_id AND g.category_id = f.category_id AND g.deleted_at IS NULL AND gi.stationed_from < i.stationed_from)
        ORDER BY 1`,
      [unitId, today],
    );
    const rebounds = await sql<{ id: number }>(
      `WITH closed AS (
         SELECT f.id, max(k.closed_date) AS closure ${FINDINGS.replace('WHERE', 'JOIN rectification_tasks k ON k.finding_id = f.id AND k.deleted_at IS NULL WHERE')}
          GROUP BY f.id HAVING bool_and(k.status = 'CLOSED'))
       SELECT c.id::int AS id FROM closed c
        WHERE EXISTS (SELECT 1 FROM inspections v WHERE v.unit_id = $1 AND v.deleted_at IS NULL AND v.stationed_from > c.closure AND v.stationed_from <= $2::date)
          AND EXISTS (SELECT 1 FROM findings g JOIN inspections gi ON gi.id = g.inspection_id AND gi.deleted_at IS NULL
                       WHERE g.recurrence_of_id = c.id AND g.deleted_at IS NULL AND g.found_date > c.closure AND g.found_date <= $2::date)
        ORDER BY 1`,
      [unitId, today],
    );
    return { repeats: repeats.map((r) => r.id), rebounds: rebounds.map((r) => r.id) };
  }

  it('gives the figures of a unit with repeats as PostgreSQL gives them by hand', async () => {
    // among units inspected more than once, the one with the most findings named as recurring by a later one, then the most findings
    const [{ unitId }] = await sql<{ unitId: number }>(
      `SELECT i.unit_id AS "unitId" FROM inspections i JOIN findings f ON f.inspection_id = i.id AND f.deleted_at IS NULL
        WHERE i.deleted_at IS NULL AND i.unit_id IN (SELECT unit_id FROM inspections WHERE deleted_at IS NULL GROUP BY unit_id HAVING count(*) > 1)
        GROUP BY 1
        ORDER BY count(*) FILTER (WHERE EXISTS (SELECT 1 FROM findings g WHERE g.recurrence_of_id = f.id AND g.deleted_at IS NULL)) DESC, count(*) DESC, 1 LIMIT 1`,
    );
    expect((await t.send('PATCH', `/api/masterdata/units/${unitId}`, { principalLeader: '画像主任', leaderInCharge: '画像副主任' })).status).toBe(200);
    const response = await t.get<Profile>(`/api/units/${unitId}/profile`);
    expect(response.status).toBe(200);
    const p = response.body;
    expect(p.asOf).toBe(today);

    const byMode = await sql<{ mode: string; n: number }>(
      'SELECT mode::text AS mode, count(*)::int AS n FROM inspections WHERE unit_id = $1 AND deleted_at IS NULL GROUP BY 1',
      [unitId],
    );
    expect(
      p.byMode
        .filter((m) => m.inspections > 0)
        .map((m) => [m.mode, m.inspections])
        .sort(),
    ).toEqual(byMode.map((m) => [m.mode, m.n]).sort());
    expect(p.inspections.reduce((s, i) => s + i.findings, 0)).toBe(
      Number(
        (
          await sql<{ n: string }>(
            `SELECT count(*) AS n FROM findings WHERE unit_id = $1 AND deleted_at IS NULL AND inspection_id IN (SELECT id FROM inspections WHERE deleted_at IS NULL)`,
            [unitId],
          )
        )[0].n,
      ),
    );

    const byCategory = await sql<{ categoryId: number; n: number }>(
      `SELECT f.category_id AS "categoryId", count(*)::int AS n ${FINDINGS} GROUP BY 1 ORDER BY 1`,
      [unitId, today],
    );
    expect(p.categories.map((c) => [c.categoryId, c.findings]).sort((a, b) => a[0] - b[0])).toEqual(byCategory.map((c) => [c.categoryId, c.n]));
    const hand = await recurrence(unitId);
    expect([hand.repeats.length > 0, hand.rebounds.length > 0]).toEqual([true, true]);
    expect(
      p.findings
        .filter((f) => f.isRepeat)
        .map((f) => f.id)
        .sort((a, b) => a - b),
    ).toEqual(hand.repeats);
    expect(
      p.findings
        .filter((f) => f.isRebound)
        .map((f) => f.id)
        .sort((a, b) => a - b),
    ).toEqual(hand.rebounds);
    expect(p.categories.reduce((s, c) => s + c.repeats, 0)).toBe(hand.repeats.length);
    expect(p.categories.reduce((s, c) => s + c.rebounds, 0)).toBe(hand.rebounds.length);

    const tasks = await sql<{ id: number; status: string; extensions: number; overdue: number }>(
      `SELECT k.id::int AS id, k.status::text AS status,
              (SELECT count(*) FROM task_events e WHERE e.task_id = k.id AND e.type = 'EXTENSION' AND e.deleted_at IS NULL)::int AS extensions,
              (CASE WHEN k.status <> 'CLOSED' AND k.current_due_date < $2::date THEN $2::date - k.current_due_date ELSE 0 END)::int AS overdue
         FROM rectification_tasks k JOIN findings f ON f.id = k.finding_id AND f.deleted_at IS NULL JOIN inspections i ON i.id = f.inspection_id AND i.deleted_at IS NULL
        WHERE f.unit_id = $1 AND k.deleted_at IS NULL ORDER BY 1`,
      [unitId, today],
    );
    expect(tasks.length).toBeGreaterThan(0);
    expect([...p.tasks].sort((a, b) => a.id - b.id).map((k) => ({ id: k.id, status: k.status, extensions: k.extensions, overdue: k.daysOverdue }))).toEqual(
      tasks,
    );

    // days to close: closed findings fed back by today, max(0, latest closed day − feedback day)
    const days = await sql<{ days: number }>(
      `SELECT greatest(0, max(k.closed_date) - max(i.feedback_date))::int AS days
         FROM findings f JOIN inspections i ON i.id = f.inspection_id AND i.deleted_at IS NULL JOIN rectification_tasks k ON k.finding_id = f.id AND k.deleted_at IS NULL
        WHERE f.unit_id = $1 AND f.deleted_at IS NULL AND f.found_date <= $2::date AND i.feedback_date <= $2::date
        GROUP BY f.id HAVING bool_and(k.status = 'CLOSED')`,
      [unitId, today],
    );
    expect(p.daysToClose.unit).toEqual({ count: days.length, median: median(days.map((d) => d.days)) });
    const county = await t.get<{ daysToClose: { count: number; median: number | null } }>(`/api/metrics/rectification?regionId=${p.unit.countyId}`);
    expect(p.daysToClose.county).toEqual({ count: county.body.daysToClose.count, median: county.body.daysToClose.median });

    const clues = await sql<{ id: number }>(
      'SELECT c.id FROM clues c JOIN inspections i ON i.id = c.inspection_id AND i.deleted_at IS NULL WHERE i.unit_id = $1 AND c.deleted_at IS NULL ORDER BY 1',
      [unitId],
    );
    expect(p.clues.map((c) => c.id).sort((a, b) => a - b)).toEqual(clues.map((c) => c.id));

    const people = await sql<{ name: string; dept: string; tasks: number; open: number }>(
      `SELECT k.responsible_person AS name, k.responsible_dept AS dept, count(*)::int AS tasks, (count(*) FILTER (WHERE k.status <> 'CLOSED'))::int AS open
         FROM rectification_tasks k JOIN findings f ON f.id = k.finding_id AND f.deleted_at IS NULL JOIN inspections i ON i.id = f.inspection_id AND i.deleted_at IS NULL
        WHERE f.unit_id = $1 AND k.deleted_at IS NULL GROUP BY 1, 2 ORDER BY 1, 2`,
      [unitId],
    );
    expect(p.persons.slice(0, 2).map((r) => [r.role, r.name])).toEqual([
      ['PRINCIPAL', '画像主任'],
      ['IN_CHARGE', '画像副主任'],
    ]);
    expect(
      p.persons
        .slice(2)
        .map((r) => ({ name: r.name, dept: r.dept, tasks: r.tasks, open: r.openTasks }))
        .sort((a, b) => (a.name + a.dept < b.name + b.dept ? -1 : 1)),
    ).toEqual([...people].sort((a, b) => (a.name + a.dept < b.name + b.dept ? -1 : 1)));
  });

  it('answers a unit that does not exist as missing', async () => {
    expect((await t.get('/api/units/2147483647/profile')).status).toBe(404);
    expect((await t.get<{ message: string }>('/api/units/x/profile')).status).toBe(400);
  });
});
