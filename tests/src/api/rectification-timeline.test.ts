import type { Filters } from '@xuncha/backend';
import { startTestApp, type TestApp } from '../support/app';
import { addDays, addProgressNote, expectSourceEqualsReference, notQuarterEnd, reopenTask, sourceScopes } from '../support/as-of-source';
import { referenceRectification } from '../support/metrics-reference';
import { query } from '../support/pg';
import { pinToday } from '../support/today';

jest.setTimeout(300_000);

/**
 * The rectification figures as of a past day that is no quarter end are read from the
 * rectification timeline (fact_rectification_timeline: changes by day, summed up to as-of),
 * for the city, a county and a township, and equal the plain-SQL reference on PostgreSQL;
 * also after incremental runs that load a backdated status change and a 销号 reopened
 * after it, on the days around both.
 */
describe('rectification as of a past day: the timeline', () => {
  const today = pinToday();
  let t: TestApp;
  let scopes: Omit<Filters, 'asOf'>[];
  let township: number;

  beforeAll(async () => {
    t = await startTestApp({ seed: { scale: 'tiny', seed: 7, today } });
    ({ scopes, township } = await sourceScopes(t));
  });
  afterAll(async () => {
    await t?.close();
  });

  /**
   * The API's rectification as of each day under each scope: read from the timeline (a
   * township's page from the facts: its series are by unit, a column the timeline lacks),
   * equal to the reference.
   */
  const expectTimelineEqualsReference = (days: readonly string[]) =>
    expectSourceEqualsReference(
      t,
      'rectification',
      { scopes, days },
      (scope) => (scope.regionId === township ? { kind: 'facts', current: false } : { kind: 'timeline' }),
      referenceRectification,
    );

  it('reads the timeline as of past days, equal to the reference', async () => {
    const days = [-900, -500, -200, -75, -20, -3].map((d) => notQuarterEnd(addDays(today, d)));
    await expectTimelineEqualsReference(days);
    // the figures are not all zero: the comparison means something
    const body = (await t.get<{ taskClosure: { numerator: number; denominator: number } }>(`/api/metrics/rectification?asOf=${days[3]}`)).body;
    expect(body.taskClosure.denominator).toBeGreaterThan(0);
    expect(body.taskClosure.numerator).toBeGreaterThan(0);
  });

  it('follows a backdated status change and a 销号 reopened after it, loaded by incremental runs', async () => {
    // a backdated 销号: a task open for months before the day, with no event from then on, closed on that day, recorded today
    const closedOn = notQuarterEnd(addDays(today, -120));
    const [task] = await query<{ id: string; status: string }>(
      t.db.url,
      `SELECT t.id::text, t.status::text FROM rectification_tasks t
        WHERE t.deleted_at IS NULL AND t.status <> 'CLOSED'
          AND (SELECT min(e.event_date) FROM task_events e WHERE e.task_id = t.id) < $1::date - 60
          AND NOT EXISTS (SELECT 1 FROM task_events e WHERE e.task_id = t.id AND e.event_date >= $1::date)
          AND EXISTS (SELECT 1 FROM findings f JOIN inspections i ON i.id = f.inspection_id WHERE f.id = t.finding_id AND i.feedback_date < $1::date - 10)
        ORDER BY t.id LIMIT 1`,
      [closedOn],
    );
    expect(task).toBeDefined();
    await query(
      t.db.url,
      `WITH changed AS (UPDATE rectification_tasks SET status = 'CLOSED', closed_date = $2::date WHERE id = $1)
       INSERT INTO task_events (task_id, type, event_date, from_status, to_status, actor, note) VALUES ($1, 'STATUS_CHANGE', $2::date, $3::task_status, 'CLOSED', 'test', '补录销号')`,
      [task.id, closedOn, task.status],
    );
    await t.etl();
    // the reference moves on the day (the task counts as closed from then on)
    const closedBy = async (asOf: string) => (await referenceRectification(t.db.url, { asOf })).taskClosure.numerator;
    expect(await closedBy(closedOn)).toBeGreaterThanOrEqual((await closedBy(addDays(closedOn, -1))) + 1);
    await expectTimelineEqualsReference([addDays(closedOn, -1), closedOn, notQuarterEnd(addDays(closedOn, 30))]);

    // the same 销号 reopened 40 days later (撤销销号), recorded today as the app records it, with a
    // progress note between (which splits the task's state, changes no figure and marks nothing)
    const reopenedOn = notQuarterEnd(addDays(closedOn, 40));
    await addProgressNote(t.db.url, task.id, addDays(closedOn, 20));
    await t.etl();
    await expectTimelineEqualsReference([notQuarterEnd(addDays(closedOn, 20)), notQuarterEnd(addDays(closedOn, 22))]);
    await reopenTask(t.db.url, task.id, reopenedOn);
    await t.etl();
    // (answers asked for before keep their cache where the run changed nothing: new days here)
    await expectTimelineEqualsReference([notQuarterEnd(addDays(closedOn, 5)), addDays(reopenedOn, -1), reopenedOn, notQuarterEnd(addDays(reopenedOn, 15))]);
    // no mark is left behind
    const [dirty] = await t.warehouse.query<{ n: string }>('SELECT count() AS n FROM etl_timeline_dirty');
    expect(dirty.n).toBe('0');
  });

  it('after incremental runs, holds what a full rebuild derives', async () => {
    const rows = () =>
      t.warehouse.query<Record<string, unknown>>(
        `SELECT county_id, round_id, region_id, category_id, is_immediate, sum(findings) AS f, sum(findings_closed) AS fc, sum(tasks) AS n, sum(tasks_closed) AS c,
           sum(tasks_on_time) AS o, sum(tasks_extended) AS e, toString(mapFilter((k, v) -> v != 0, sumMap(open_due))) AS due, toString(mapFilter((k, v) -> v != 0, sumMap(close_days))) AS days
         FROM fact_rectification_timeline FINAL WHERE is_deleted = 0 AND day <= {d:Date}
         GROUP BY county_id, round_id, region_id, category_id, is_immediate ORDER BY county_id, round_id, region_id, category_id, is_immediate`,
        { d: addDays(today, -100) },
      );
    const incremental = await rows();
    expect(incremental.length).toBeGreaterThan(0);
    await t.etl('full');
    expect(await rows()).toEqual(incremental);
  });
});
