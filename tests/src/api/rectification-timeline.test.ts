import { MetricsRepository, type Filters, type OptionsResponse } from '@xuncha/backend';
import { startTestApp, type TestApp } from '../support/app';
import { referenceRectification } from '../support/metrics-reference';
import { query } from '../support/pg';
import { rounded } from '../support/rounded';
import { pinToday } from '../support/today';

jest.setTimeout(300_000);

function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** A quarter end is read from its build (read-source.ts): the day after it instead. */
function notQuarterEnd(day: string): string {
  return ['03-31', '06-30', '09-30', '12-31'].includes(day.slice(5)) ? addDays(day, 1) : day;
}

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
  let repository: MetricsRepository;
  let scopes: Omit<Filters, 'asOf'>[];
  let township: number;

  beforeAll(async () => {
    t = await startTestApp({ seed: { scale: 'tiny', seed: 7, today } });
    repository = t.app.get(MetricsRepository);
    const options = (await t.get<OptionsResponse>('/api/options')).body;
    const counties = options.regions[0].children.filter((r) => r.level === 'COUNTY');
    township = counties.find((c) => c.children.length > 0)!.children[0].id;
    scopes = [{}, { regionId: counties[0].id }, { regionId: township }, { regionId: counties[1].id, unitCategory: 'VILLAGE' }];
  });
  afterAll(async () => {
    await t?.close();
  });

  /**
   * The API's rectification as of `asOf` under each scope: read from the timeline (a
   * township's page from the facts: its series are by unit, a column the timeline lacks),
   * equal to the reference.
   */
  const expectTimelineEqualsReference = async (days: readonly string[]) => {
    for (const asOf of days) {
      for (const scope of scopes) {
        const filters: Filters = { ...scope, asOf };
        const spy = jest.spyOn(repository, 'rectification');
        try {
          const query = new URLSearchParams(Object.entries(filters).map(([k, v]) => [k, String(v)] as [string, string]));
          const response = await t.get(`/api/metrics/rectification?${query.toString()}`);
          expect(response.status).toBe(200);
          expect(spy).toHaveBeenCalledTimes(1);
          const source = scope.regionId === township ? { kind: 'facts', current: false } : { kind: 'timeline' };
          expect({ filters, source: spy.mock.calls[0][1] }).toEqual({ filters, source });
          const want = rounded(await referenceRectification(t.db.url, filters));
          expect({ filters, figure: rounded(response.body) }).toEqual({ filters, figure: want });
        } finally {
          spy.mockRestore();
        }
      }
    }
  };

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
    await query(t.db.url, `INSERT INTO task_events (task_id, type, event_date, actor, note) VALUES ($1, 'PROGRESS_NOTE', $2::date, 'test', '复查记录')`, [
      task.id,
      addDays(closedOn, 20),
    ]);
    await t.etl();
    await expectTimelineEqualsReference([notQuarterEnd(addDays(closedOn, 20)), notQuarterEnd(addDays(closedOn, 22))]);
    await query(
      t.db.url,
      `WITH changed AS (UPDATE rectification_tasks SET status = 'IN_PROGRESS', closed_date = NULL WHERE id = $1)
       INSERT INTO task_events (task_id, type, event_date, from_status, to_status, actor, note) VALUES ($1, 'STATUS_CHANGE', $2::date, 'CLOSED', 'IN_PROGRESS', 'test', '撤销销号')`,
      [task.id, reopenedOn],
    );
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
