import { MetricsRepository, type BoundSource, type Filters, type OptionsResponse } from '@xuncha/backend';
import type { TestApp } from './app';
import { query } from './pg';
import { rounded } from './rounded';

/**
 * What the tests of a derived as-of source (the rectification timeline, the findings' closure
 * spans) share: the days they read, the scopes they walk, and the check that the API reads
 * the expected source and answers the reference's figures.
 */

export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** A quarter end is read from its build (read-source.ts): the day after it instead. */
export function notQuarterEnd(day: string): string {
  return ['03-31', '06-30', '09-30', '12-31'].includes(day.slice(5)) ? addDays(day, 1) : day;
}

/** The scopes walked: the city, a county, a township of a county, and another county's villages. */
export async function sourceScopes(t: TestApp): Promise<{ scopes: Omit<Filters, 'asOf'>[]; township: number }> {
  const options = (await t.get<OptionsResponse>('/api/options')).body;
  const counties = options.regions[0].children.filter((r) => r.level === 'COUNTY');
  const township = counties.find((c) => c.children.length > 0)!.children[0].id;
  return { scopes: [{}, { regionId: counties[0].id }, { regionId: township }, { regionId: counties[1].id, unitCategory: 'VILLAGE' }], township };
}

/**
 * For each day and scope, the API's `metric` reads the source `sourceOf(scope)` gives (the
 * repository's call, spied) and answers the figures of `reference` (plain SQL on PostgreSQL).
 */
export async function expectSourceEqualsReference(
  t: TestApp,
  metric: 'rectification' | 'recurrence',
  cases: { scopes: readonly Omit<Filters, 'asOf'>[]; days: readonly string[] },
  sourceOf: (scope: Omit<Filters, 'asOf'>) => BoundSource,
  reference: (databaseUrl: string, filters: Filters) => Promise<unknown>,
): Promise<void> {
  const repository = t.app.get(MetricsRepository);
  for (const asOf of cases.days) {
    for (const scope of cases.scopes) {
      const filters: Filters = { ...scope, asOf };
      const spy = jest.spyOn(repository, metric);
      try {
        const query = new URLSearchParams(Object.entries(filters).map(([k, v]) => [k, String(v)] as [string, string]));
        const response = await t.get(`/api/metrics/${metric}?${query.toString()}`);
        expect(response.status).toBe(200);
        expect(spy).toHaveBeenCalledTimes(1);
        expect({ filters, source: spy.mock.calls[0][1] }).toEqual({ filters, source: sourceOf(scope) });
        const want = rounded(await reference(t.db.url, filters));
        expect({ filters, figure: rounded(response.body) }).toEqual({ filters, figure: want });
      } finally {
        spy.mockRestore();
      }
    }
  }
}

/** A progress note on a task, dated `day`, written as a backdated note would be (it splits the task's state and changes no figure). */
export async function addProgressNote(databaseUrl: string, taskId: string, day: string): Promise<void> {
  await query(databaseUrl, `INSERT INTO task_events (task_id, type, event_date, actor, note) VALUES ($1, 'PROGRESS_NOTE', $2::date, 'test', '复查记录')`, [
    taskId,
    day,
  ]);
}

/** A 已销号 task reopened on `day` (撤销销号): its status back to 整改中, with the event that says when. */
export async function reopenTask(databaseUrl: string, taskId: string, day: string): Promise<void> {
  await query(
    databaseUrl,
    `WITH changed AS (UPDATE rectification_tasks SET status = 'IN_PROGRESS', closed_date = NULL WHERE id = $1)
     INSERT INTO task_events (task_id, type, event_date, from_status, to_status, actor, note) VALUES ($1, 'STATUS_CHANGE', $2::date, 'CLOSED', 'IN_PROGRESS', 'test', '撤销销号')`,
    [taskId, day],
  );
}
