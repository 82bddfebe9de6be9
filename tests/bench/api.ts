/**
 * npm run bench -- api: the API's server-side time per endpoint (the app's Server-Timing
 * header: from the request's arrival to its answer), warm, on embedded chDB, with the same
 * metric computed by PostgreSQL alone beside it (the plain-SQL reference the tests check the
 * API against) and their ratio.
 *
 *   BENCH api-<endpoint>-<scale>-chdb-p50-ms / -p95-ms
 *   BENCH api-<metric>-<scale>-postgres-ms            one run of the same metric in PostgreSQL
 *   BENCH api-<metric>-<scale>-postgres-vs-chdb-x     PostgreSQL time ÷ chDB p50
 *   BENCH api-overview-quarter-end-first-<scale>-chdb-ms   the first request as of a past quarter end
 *                                            with no state built for it (it builds the quarter end's
 *                                            state: what a request pays after the day ended, a full
 *                                            load, or a load that changed something on or before it)
 *   BENCH api-quarter-end-build-<scale>-chdb-ms     building that state alone, in the same process
 *
 * Scales: BENCH_API_SCALES (default 1m; 10m seeds 10M findings once, ~15 min and ~30 GB).
 * BENCH_API_POSTGRES=off leaves the PostgreSQL side out; BENCH_API_ONLY=<regex> measures only
 * the endpoints whose names match (e.g. `^(tasks|findings)`). The response cache is off:
 * every request is computed (npm run bench -- load shows the app with it).
 */
import type { AddressInfo } from 'node:net';
import { type Filters, createApp, loadConfig } from '@xuncha/backend';
import type { Scale } from '@xuncha/prisma';
import { referenceCategories, referenceCoverage, referenceRecurrence, referenceRectification } from '../src/support/metrics-reference';
import { buildQuarterState, QUARTER_STATE_TABLES } from '@xuncha/etl';
import { bench, benchSession, benchDatabase, benchWarehouse, percentile, BENCH_APP_ENV, BENCH_TODAY } from './fixture';

/** Measured requests per endpoint (after WARMUP), fewer where each takes seconds. */
const RUNS: Record<string, number> = { '1m': 15, '10m': 7 };
const WARMUP = 2;
/**
 * The drill-down pages take tens of milliseconds: measured this many times each, so that
 * their p95 is a percentile rather than the slowest of a handful (~3 s per page at 10M).
 */
const DRILL_RUNS = 40;

function quarterEndBefore(day: string): string {
  const [y, m] = day.split('-').map(Number);
  return new Date(Date.UTC(y, Math.floor((m - 1) / 3) * 3, 1) - 86_400_000).toISOString().slice(0, 10);
}

export async function benchApi(): Promise<void> {
  const scales = (process.env.BENCH_API_SCALES ?? '1m').split(',').map((s) => s.trim()) as Scale[];
  for (const scale of scales) await benchScale(scale);
}

async function benchScale(scale: Scale): Promise<void> {
  const db = await benchDatabase(scale, { copy: false });
  const warehouse = await benchWarehouse(db);
  // every answer computed: the response cache would time repeated requests, not the queries
  const app = await createApp({ config: loadConfig({ ...BENCH_APP_ENV, RESPONSE_CACHE: 'off' }), databaseUrl: db.url, warehouse, logger: false });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  try {
    const { cookie } = await benchSession(db.url, base);
    // Every request of the bench goes through here, signed in.
    const get = async (path: string): Promise<{ body: string; serverMs: number | undefined }> => {
      const response = await fetch(base + path, { headers: { cookie } });
      const body = await response.text();
      if (!response.ok) throw new Error(`${path} → ${response.status} ${body.slice(0, 300)}`);
      const timing = /app;dur=([\d.]+)/.exec(response.headers.get('server-timing') ?? '');
      return { body, serverMs: timing ? Number(timing[1]) : undefined };
    };
    const serverMs = async (path: string): Promise<number> => {
      const { serverMs: ms } = await get(path);
      if (ms === undefined) throw new Error(`${path}: no Server-Timing header`);
      return ms;
    };
    const getJson = async <T>(path: string): Promise<T> => JSON.parse((await get(path)).body) as T;
    const firstTask = await getJson<{ rows: { id: number }[] }>('/api/tasks?overdue=true&pageSize=1');
    const county = await getJson<{ regions: { children: { id: number; level: string }[] }[] }>('/api/options');
    const countyId = county.regions[0].children.find((r) => r.level === 'COUNTY')!.id;
    // The bench data's "today" lies in the past: as-of defaults to the real today, later than
    // every event (the tasks' current state); a quarter end before BENCH_TODAY replays events.
    const quarterEnd = quarterEndBefore(BENCH_TODAY);
    const endpoints: Record<string, string> = {
      overview: '/api/metrics/overview',
      coverage: '/api/metrics/coverage',
      categories: '/api/metrics/categories',
      rectification: '/api/metrics/rectification',
      recurrence: '/api/metrics/recurrence',
      'overview-county': `/api/metrics/overview?regionId=${countyId}`,
      'rectification-quarter-end': `/api/metrics/rectification?asOf=${quarterEnd}`,
      'overview-quarter-end': `/api/metrics/overview?asOf=${quarterEnd}`,
      'coverage-quarter-end': `/api/metrics/coverage?asOf=${quarterEnd}`,
      'categories-quarter-end': `/api/metrics/categories?asOf=${quarterEnd}`,
      'recurrence-quarter-end': `/api/metrics/recurrence?asOf=${quarterEnd}`,
      'overview-county-quarter-end': `/api/metrics/overview?asOf=${quarterEnd}&regionId=${countyId}`,
      options: '/api/options',
    };
    // The drill-down pages: the overdue list as the drill from a chart asks for it, a deep
    // page, the last page, one county, an explicit as-of day later than every event (the
    // tasks' current state, as with the default), and as 超期督办 sends it (20 a page, by
    // aging bucket, other sorts); the open findings likewise; one task's record.
    const overdue = '/api/tasks?overdue=true&sort=-daysOverdue&pageSize=50';
    const openFindings = '/api/findings?fedBack=true&closed=false&sort=-foundDate&pageSize=50';
    const lastPage = async (path: string) => Math.max(1, Math.ceil((await getJson<{ total: number }>(`${path}&pageSize=1`)).total / 50));
    const drill: Record<string, string> = {
      'tasks-overdue-page': overdue,
      'tasks-overdue-page-100': `${overdue}&page=100`,
      'tasks-overdue-last-page': `${overdue}&page=${await lastPage('/api/tasks?overdue=true&sort=-daysOverdue')}`,
      'tasks-overdue-county': `${overdue}&regionId=${countyId}`,
      'tasks-overdue-county-page-100': `${overdue}&regionId=${countyId}&page=100`,
      'tasks-overdue-as-of': `${overdue}&asOf=${BENCH_TODAY}`,
      'worklist-page': '/api/tasks?overdue=true&sort=-daysOverdue&pageSize=20',
      'worklist-180': '/api/tasks?overdue=true&sort=-daysOverdue&agingBucket=180%2B&pageSize=20',
      'worklist-1-30-by-due': '/api/tasks?overdue=true&sort=dueDate&agingBucket=1-30&pageSize=20',
      'worklist-by-id-desc': '/api/tasks?overdue=true&sort=-id&pageSize=20&page=10',
      'findings-page': openFindings,
      'findings-page-100': `${openFindings}&page=100`,
      'findings-county': `${openFindings}&regionId=${countyId}`,
      'task-detail': `/api/tasks/${firstTask.rows[0].id}`,
    };
    const only = process.env.BENCH_API_ONLY ? new RegExp(process.env.BENCH_API_ONLY) : undefined;
    // The quarter end's state as a first request finds it: none built under the current token
    // (the bench warehouse keeps what an earlier run built). Then the build alone, timed.
    if (!only || only.test('overview-quarter-end')) {
      for (const table of QUARTER_STATE_TABLES) await warehouse.command(`DELETE FROM ${table} WHERE as_of = {asOf:Date}`, { asOf: quarterEnd });
      bench(`api-overview-quarter-end-first-${scale}-chdb-ms`, Math.round(await serverMs(endpoints['overview-quarter-end'])), 'ms');
      const buildStarted = performance.now();
      await buildQuarterState(warehouse, quarterEnd);
      bench(`api-quarter-end-build-${scale}-chdb-ms`, Math.round(performance.now() - buildStarted), 'ms');
    }
    const p50: Record<string, number> = {};
    const runs = [
      ...Object.entries(endpoints).map(([name, path]) => ({ name, path, count: RUNS[scale] ?? 7 })),
      ...Object.entries(drill).map(([name, path]) => ({ name, path, count: DRILL_RUNS })),
    ];
    for (const { name, path, count } of runs) {
      if (only && !only.test(name)) continue;
      for (let i = 0; i < WARMUP; i++) await serverMs(path);
      const times: number[] = [];
      for (let i = 0; i < count; i++) times.push(await serverMs(path));
      p50[name] = percentile(times, 0.5);
      bench(`api-${name}-${scale}-chdb-p50-ms`, p50[name], 'ms');
      bench(`api-${name}-${scale}-chdb-p95-ms`, percentile(times, 0.95), 'ms');
    }
    if (process.env.BENCH_API_POSTGRES !== 'off') {
      const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
      const filters: Filters = { asOf: today };
      const references: Record<string, () => Promise<unknown>> = {
        coverage: () => referenceCoverage(db.url, filters),
        categories: () => referenceCategories(db.url, filters),
        rectification: () => referenceRectification(db.url, filters),
        recurrence: () => referenceRecurrence(db.url, filters),
      };
      for (const [metric, run] of Object.entries(references)) {
        if (p50[metric] === undefined) continue;
        const started = performance.now();
        await run();
        const ms = performance.now() - started;
        bench(`api-${metric}-${scale}-postgres-ms`, Math.round(ms), 'ms');
        bench(`api-${metric}-${scale}-postgres-vs-chdb-x`, ms / p50[metric], 'x');
      }
    }
  } finally {
    await app.close();
    await warehouse.close();
    await db.close();
  }
}
