import type { Filters } from '@xuncha/backend';
import { startTestApp, type TestApp } from '../support/app';
import { addDays, addProgressNote, expectSourceEqualsReference, notQuarterEnd, reopenTask, sourceScopes } from '../support/as-of-source';
import { referenceRecurrence } from '../support/metrics-reference';
import { query } from '../support/pg';
import { pinToday } from '../support/today';

jest.setTimeout(300_000);

interface RecurrenceBody {
  rebound: { numerator: number; denominator: number };
}

/**
 * The rebound figures as of a past day that is no quarter end read the findings closed on
 * that day from their closure spans (fact_finding_closure), for the city, a county, a
 * township and a county's villages, and equal the plain-SQL reference on PostgreSQL; also
 * after incremental runs that load a backdated 销号 of a finding's last open task and the
 * same 销号 reopened, on the days around both; and the spans then are a full rebuild's.
 */
describe('rebounds as of a past day: the findings’ closure spans', () => {
  const today = pinToday();
  let t: TestApp;
  let scopes: Omit<Filters, 'asOf'>[];

  beforeAll(async () => {
    t = await startTestApp({ seed: { scale: 'tiny', seed: 7, today } });
    ({ scopes } = await sourceScopes(t));
  });
  afterAll(async () => {
    await t?.close();
  });

  /** The API's recurrence as of each day under each scope, read from the facts as of the day (the spans), equal to the reference. */
  const expectEqualsReference = (days: readonly string[]) =>
    expectSourceEqualsReference(t, 'recurrence', { scopes, days }, () => ({ kind: 'facts', current: false }), referenceRecurrence);

  it('reads the spans as of past days, equal to the reference', async () => {
    const days = [-900, -500, -200, -75, -20, -3].map((d) => notQuarterEnd(addDays(today, d)));
    await expectEqualsReference(days);
    // the figures are not all zero: the comparison means something
    const body = (await t.get<RecurrenceBody>(`/api/metrics/recurrence?asOf=${days[3]}`)).body;
    expect(body.rebound.denominator).toBeGreaterThan(0);
    expect(body.rebound.numerator).toBeGreaterThan(0);
  });

  it('follows a backdated 销号 of a finding’s last open task and its reopening, loaded by incremental runs', async () => {
    // a finding whose tasks are all 已销号 but one, open for months with no event since, at a unit inspected
    // again between 60 and 300 days ago: the open task is closed 5 days before that inspection
    const [task] = await query<{ id: string; status: string; visit: string }>(
      t.db.url,
      `SELECT t.id::text, t.status::text, to_char(j.stationed_from, 'YYYY-MM-DD') AS visit FROM rectification_tasks t
        JOIN findings f ON f.id = t.finding_id AND f.deleted_at IS NULL
        JOIN inspections i ON i.id = f.inspection_id
        JOIN inspections j ON j.unit_id = i.unit_id AND j.deleted_at IS NULL AND j.stationed_from BETWEEN $1::date - 300 AND $1::date - 60
        WHERE t.deleted_at IS NULL AND t.status <> 'CLOSED' AND f.found_date < j.stationed_from - 30
          AND (SELECT min(e.event_date) FROM task_events e WHERE e.task_id = t.id) < j.stationed_from - 60
          AND NOT EXISTS (SELECT 1 FROM task_events e WHERE e.task_id = t.id AND e.event_date >= j.stationed_from - 10)
          AND NOT EXISTS (SELECT 1 FROM rectification_tasks o WHERE o.finding_id = t.finding_id AND o.id <> t.id AND o.deleted_at IS NULL
                            AND (o.status <> 'CLOSED' OR o.closed_date >= j.stationed_from - 10))
          AND NOT EXISTS (SELECT 1 FROM inspections k WHERE k.unit_id = i.unit_id AND k.deleted_at IS NULL AND k.stationed_from > j.stationed_from)
        ORDER BY t.id LIMIT 1`,
      [today],
    );
    expect(task).toBeDefined();
    const closedOn = notQuarterEnd(addDays(task.visit, -5));
    const closedReinspected = async (asOf: string) => (await referenceRecurrence(t.db.url, { asOf })).rebound.denominator;
    const before = await closedReinspected(today);
    const beforeAtVisit = await closedReinspected(task.visit);
    await query(
      t.db.url,
      `WITH changed AS (UPDATE rectification_tasks SET status = 'CLOSED', closed_date = $2::date WHERE id = $1)
       INSERT INTO task_events (task_id, type, event_date, from_status, to_status, actor, note) VALUES ($1, 'STATUS_CHANGE', $2::date, $3::task_status, 'CLOSED', 'test', '补录销号')`,
      [task.id, closedOn, task.status],
    );
    await t.etl();
    // the reference moves: the finding counts as closed and inspected again
    expect(await closedReinspected(today)).toBe(before + 1);
    await expectEqualsReference([addDays(closedOn, -1), closedOn, task.visit, notQuarterEnd(addDays(closedOn, 30))]);
    // counted from the visit on: the figures move where the comparison looks
    expect(await closedReinspected(task.visit)).toBe(beforeAtVisit + 1);

    // reopened 40 days later (撤销销号) with a progress note between (which splits the task's state, and so a span)
    const reopenedOn = notQuarterEnd(addDays(closedOn, 40));
    await addProgressNote(t.db.url, task.id, addDays(closedOn, 20));
    await t.etl();
    await expectEqualsReference([notQuarterEnd(addDays(closedOn, 20)), notQuarterEnd(addDays(closedOn, 22))]);
    await reopenTask(t.db.url, task.id, reopenedOn);
    await t.etl();
    expect(await closedReinspected(today)).toBe(before);
    await expectEqualsReference([notQuarterEnd(addDays(closedOn, 5)), addDays(reopenedOn, -1), reopenedOn, notQuarterEnd(addDays(reopenedOn, 15))]);
    // no mark is left behind
    const [dirty] = await t.warehouse.query<{ n: string }>('SELECT count() AS n FROM etl_closure_dirty');
    expect(dirty.n).toBe('0');
  });

  it('after incremental runs, holds what a full rebuild derives', async () => {
    const rows = () =>
      t.warehouse.query<Record<string, unknown>>(
        `SELECT finding_id, closed_from, closed_to, closure_day, unit_id, unit_category, region_id, county_id, round_id, term_id, mode, category_id, category1_id
         FROM fact_finding_closure FINAL WHERE is_deleted = 0 ORDER BY finding_id, closed_from`,
      );
    const incremental = await rows();
    expect(incremental.length).toBeGreaterThan(0);
    await t.etl('full');
    expect(await rows()).toEqual(incremental);
  });
});
