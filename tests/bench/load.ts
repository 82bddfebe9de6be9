/**
 * npm run bench -- load: the app under load, alone in a child process over the 1M bench data
 * on the embedded engines (embedded PostgreSQL, chDB), driven over loopback, signed in. Two
 * profiles, one after the other (BENCH_LOAD_PROFILE=dashboard or mixed runs one):
 *
 * dashboard — autocannon, 100 connections for 30 s, each cycling through what the
 * dashboard's pages ask for (the overview for the city and for three counties, the other
 * metric pages, the filter options, the overdue worklist and the finding list, the
 * signed-in user), no writes:
 *
 *   BENCH load-1m-chdb-requests-per-second
 *   BENCH load-1m-chdb-p50-ms / -p99-ms        latency of every request (goal p99 ≤ 500 ms)
 *   BENCH load-1m-chdb-errors                  connection errors, timeouts and non-2xx answers (goal 0)
 *   BENCH load-1m-chdb-app-peak-rss-mb         the app process's peak resident memory
 *
 * BENCH_LOAD_SECONDS and BENCH_LOAD_CONNECTIONS change its duration and connections.
 *
 * mixed — 50 connections for 30 s on a copy of the data with the ETL running every second,
 * each request drawn at random: 25 % writes (a progress note on a task), 15 % task details,
 * 20 % figures nobody asked for yet (the overview, rectification or categories as of a new
 * day, for a random region or the city), 40 % the dashboard's requests above. Afterwards
 * the app stops, one ETL run catches up, and every warehouse table is compared with
 * PostgreSQL (tests/src/support/parity.ts's lines, by count and checksum).
 *
 *   BENCH load-mixed-1m-chdb-requests-per-second
 *   BENCH load-mixed-1m-chdb-p50-ms / -p99-ms              every request (goal p99 ≤ 1000 ms)
 *   BENCH load-mixed-1m-chdb-errors                        connection errors, timeouts and non-2xx answers (goal 0)
 *   BENCH load-mixed-1m-chdb-{write,detail,uncached,dashboard}-p50-ms / -p99-ms   by kind
 *   BENCH load-mixed-1m-chdb-writes                        notes written (accepted)
 *   BENCH load-mixed-1m-chdb-pg-ch-mismatched-tables       warehouse tables that differ from PostgreSQL after (goal 0)
 *   BENCH load-mixed-1m-chdb-app-peak-rss-mb
 *
 * Before the load, on the idle app (the ETL running every second): one uncached read as of a
 * past day that is no quarter end, each the first request for its day, city-wide:
 *
 *   BENCH load-asof-1m-chdb-overview-ms          the overview (every metric as of the day)
 *   BENCH load-asof-1m-chdb-rectification-ms     rectification alone
 *
 * BENCH_MIXED_SECONDS and BENCH_MIXED_CONNECTIONS change its duration and connections,
 * BENCH_MIXED_SCALE the data (tiny for a quick try; the figures name it).
 *
 * BENCH_MIXED_ASOF=kept measures the floor under that load: the as-of reads ask for 24
 * answers computed before the load starts (two past days; the city and three regions; the
 * overview, rectification and categories), so each is a kept answer, as if computing a new
 * one cost nothing; the rest is the same. Its figures are load-mixed-kept-<scale>-chdb-…,
 * and the as-of reads' kind is `kept`; `…-kept-misses` counts those answered without their kept
 * answer (0 for a true floor). No faster as-of read can do better than this p99.
 */
import fs from 'node:fs';
import autocannon from 'autocannon';
import { Client } from 'pg';
import { warehouseSink, runEtl, openWarehouse, type Warehouse } from '@xuncha/etl';
import type { Scale } from '@xuncha/prisma';
import { PARITY } from '../src/support/parity';
import { bench, benchDatabase, benchSession, benchWarehouse, benchWarehouseDir, peakRssMbOf, percentile, startAppProcess, type BenchDatabase } from './fixture';

/** What the dashboard's pages ask for, for the city and three counties. */
async function dashboardPaths(base: string, cookie: string): Promise<string[]> {
  const options = (await fetch(`${base}/api/options`, { headers: { cookie } }).then((r) => r.json())) as {
    regions: { children: { id: number; level: string }[] }[];
  };
  const counties = options.regions[0].children.filter((r) => r.level === 'COUNTY').slice(0, 3);
  return [
    '/api/auth/me',
    '/api/options',
    '/api/metrics/overview',
    ...counties.map((c) => `/api/metrics/overview?regionId=${c.id}`),
    '/api/metrics/coverage',
    '/api/metrics/categories',
    '/api/metrics/rectification',
    '/api/metrics/recurrence',
    '/api/tasks?overdue=true&sort=-daysOverdue&pageSize=20',
    '/api/findings?pageSize=20',
  ];
}

export async function benchLoad(): Promise<void> {
  const profile = process.env.BENCH_LOAD_PROFILE ?? 'all';
  if (!['all', 'dashboard', 'mixed'].includes(profile)) throw new Error(`BENCH_LOAD_PROFILE is dashboard or mixed, not ${profile}`);
  if (profile !== 'mixed') await dashboardProfile();
  if (profile !== 'dashboard') await mixedProfile();
}

async function dashboardProfile(): Promise<void> {
  const seconds = Number(process.env.BENCH_LOAD_SECONDS ?? 30);
  const connections = Number(process.env.BENCH_LOAD_CONNECTIONS ?? 100);
  const db = await benchDatabase('1m', { copy: false });
  // loaded (once) here, then handed to the app's process: one process per chDB folder
  await (await benchWarehouse(db)).close();
  const app = await startAppProcess({ DATABASE_URL: db.url, CH_DATA_DIR: benchWarehouseDir(db), CLICKHOUSE_DATABASE: 'bench', CLICKHOUSE_URL: '' });
  const { base } = app;
  try {
    const { cookie } = await benchSession(db.url, base);
    const paths = await dashboardPaths(base, cookie);
    const result = await autocannon({
      url: base,
      connections,
      duration: seconds,
      timeout: 30,
      headers: { cookie },
      requests: paths.map((p) => ({ method: 'GET' as const, path: p })),
    });
    const errors = result.errors + result.timeouts + result.non2xx;
    bench('load-1m-chdb-requests-per-second', result.requests.average, 'req/s');
    bench('load-1m-chdb-p50-ms', result.latency.p50, 'ms');
    bench('load-1m-chdb-p99-ms', result.latency.p99, 'ms');
    bench('load-1m-chdb-errors', errors, 'count');
    bench('load-1m-chdb-app-peak-rss-mb', Math.round(peakRssMbOf(app.pid)), 'MB');
    console.error(
      `load: ${result.requests.total} requests in ${seconds} s over ${connections} connections (${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts); max latency ${result.latency.max} ms`,
    );
  } finally {
    await app.stop();
    await db.close();
  }
}

/** A small deterministic random source (mulberry32), so that every run draws the same requests. */
function randomSource(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Kind = 'write' | 'detail' | 'uncached' | 'kept' | 'dashboard';
const KINDS: readonly Kind[] = ['write', 'detail', 'uncached', 'kept', 'dashboard'];

interface Sample {
  kind: Kind;
  ms: number;
  ok: boolean;
}

/** Rows and a checksum of each parity table's lines, computed in PostgreSQL and in the warehouse, compared. */
async function mismatchedTables(databaseUrl: string, warehouse: Warehouse): Promise<string[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  const mismatched: string[] = [];
  try {
    for (const [table, spec] of Object.entries(PARITY)) {
      // the first 32 bits of each line's MD5, summed: the same figure from both engines, in any order
      const { rows } = await client.query<{ n: string; h: string }>(
        `SELECT count(*)::text AS n, coalesce(sum(('x' || left(md5(line), 8))::bit(32)::bigint), 0)::text AS h FROM (${spec.pg}) s`,
      );
      const [ch] = await warehouse.query<{ n: string; h: string }>(
        `SELECT toString(count()) AS n, toString(sum(reinterpretAsUInt32(reverse(unhex(substring(hex(MD5(line)), 1, 8)))))) AS h FROM (${spec.ch})`,
      );
      const same = rows[0].n === ch.n && rows[0].h === ch.h;
      console.error(`load: parity ${table}: PostgreSQL ${rows[0].n} rows (${rows[0].h}), warehouse ${ch.n} rows (${ch.h})${same ? '' : ' DIFFERENT'}`);
      if (!same) mismatched.push(table);
    }
  } finally {
    await client.end();
  }
  return mismatched;
}

/** Live task ids and region ids to draw requests from, and the days as-of reads may ask for. */
async function drawingPool(databaseUrl: string): Promise<{ tasks: number[]; regions: number[] }> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const tasks = await client.query<{ id: string }>('SELECT id::text FROM rectification_tasks WHERE deleted_at IS NULL ORDER BY hashint8(id) LIMIT 5000');
    const regions = await client.query<{ id: string }>('SELECT id::text FROM regions WHERE deleted_at IS NULL ORDER BY id');
    return { tasks: tasks.rows.map((r) => Number(r.id)), regions: regions.rows.map((r) => Number(r.id)) };
  } finally {
    await client.end();
  }
}

const AS_OF_FROM = Date.UTC(2024, 0, 1);
const AS_OF_DAYS = 900; // 2024-01-01 … mid-2026, before the bench data's today (2026-06-30)

async function mixedProfile(): Promise<void> {
  const seconds = Number(process.env.BENCH_MIXED_SECONDS ?? 30);
  const connections = Number(process.env.BENCH_MIXED_CONNECTIONS ?? 50);
  const scale = (process.env.BENCH_MIXED_SCALE ?? '1m') as Scale;
  const asOfMode = process.env.BENCH_MIXED_ASOF ?? 'new';
  if (!['new', 'kept'].includes(asOfMode)) throw new Error(`BENCH_MIXED_ASOF is new or kept, not ${asOfMode}`);
  const kept = asOfMode === 'kept';
  const figure = (name: string) => `load-mixed-${kept ? 'kept-' : ''}${scale}-chdb-${name}`;
  // The warehouse is loaded from the template itself (its watermark stays with the template,
  // so that every copy's ETL goes on from there), then both are copied: the writes go to the copies.
  const template = await benchDatabase(scale, { copy: false });
  try {
    await (await benchWarehouse(template)).close();
  } finally {
    await template.close();
  }
  const db: BenchDatabase = await benchDatabase(scale);
  const source = benchWarehouseDir(db);
  const dir = `${source}-run-${process.pid}`;
  fs.rmSync(dir, { recursive: true, force: true });
  fs.cpSync(source, dir, { recursive: true, verbatimSymlinks: true });
  try {
    const app = await startAppProcess({
      DATABASE_URL: db.url,
      CH_DATA_DIR: dir,
      CLICKHOUSE_DATABASE: 'bench',
      CLICKHOUSE_URL: '',
      BENCH_ETL_INTERVAL_SECONDS: '1',
    });
    const { base } = app;
    const samples: Sample[] = [];
    try {
      const { cookie } = await benchSession(db.url, base);
      const dashboard = await dashboardPaths(base, cookie);
      const { tasks, regions } = await drawingPool(db.url);
      for (const [metric, asOf] of [
        ['overview', '2025-05-17'],
        ['rectification', '2025-02-11'],
      ] as const) {
        const started = performance.now();
        const response = await fetch(`${base}/api/metrics/${metric}?asOf=${asOf}`, { headers: { cookie } });
        await response.arrayBuffer();
        if (!response.ok) throw new Error(`load: ${metric} as of ${asOf} → ${response.status}`);
        bench(`load-asof-${scale}-chdb-${metric}-ms`, Math.round(performance.now() - started), 'ms');
      }
      const metrics = ['overview', 'overview', 'rectification', 'categories'];
      const random = randomSource(15);
      const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
      // the kept answers: asked for once before the load (an ETL run keeps them: its changes are of today)
      const keptPaths = (kept ? ['2025-05-17', '2025-02-11'] : []).flatMap((asOf) =>
        ['', ...regions.slice(1, 4).map((id) => `&regionId=${id}`)].flatMap((region) =>
          [...new Set(metrics)].map((m) => `/api/metrics/${m}?asOf=${asOf}${region}`),
        ),
      );
      if (kept) {
        for (const path of keptPaths) {
          const response = await fetch(`${base}${path}`, { headers: { cookie } });
          await response.arrayBuffer();
          if (!response.ok) throw new Error(`load: ${path} → ${response.status}`);
        }
      }
      const next = (): { kind: Kind; path: string; body?: string } => {
        const r = random();
        if (r < 0.25)
          return {
            kind: 'write',
            path: `/api/tasks/${pick(tasks)}/notes`,
            body: JSON.stringify({ note: `基准测试进展记录 load bench note ${Math.floor(random() * 1e9)}` }),
          };
        if (r < 0.4) return { kind: 'detail', path: `/api/tasks/${pick(tasks)}` };
        if (r < 0.6 && kept) return { kind: 'kept', path: pick(keptPaths) };
        if (r < 0.6) {
          const asOf = new Date(AS_OF_FROM + Math.floor(random() * AS_OF_DAYS) * 86_400_000).toISOString().slice(0, 10);
          const region = random() < 0.7 ? `&regionId=${pick(regions)}` : '';
          return { kind: 'uncached', path: `/api/metrics/${pick(metrics)}?asOf=${asOf}${region}` };
        }
        return { kind: 'dashboard', path: pick(dashboard) };
      };
      const deadline = performance.now() + seconds * 1000;
      const failures = new Map<string, number>();
      let keptMisses = 0;
      const worker = async () => {
        while (performance.now() < deadline) {
          const request = next();
          const started = performance.now();
          let ok = false;
          try {
            const response = await fetch(`${base}${request.path}`, {
              method: request.body ? 'POST' : 'GET',
              headers: request.body ? { cookie, 'content-type': 'application/json' } : { cookie },
              body: request.body,
              signal: AbortSignal.timeout(30_000),
            });
            await response.arrayBuffer();
            ok = response.ok;
            // a kept answer computed again would not measure the floor: count them
            if (request.kind === 'kept' && response.headers.get('x-xuncha-cache') !== 'hit') keptMisses += 1;
            if (!ok) failures.set(`${request.kind} ${response.status}`, (failures.get(`${request.kind} ${response.status}`) ?? 0) + 1);
          } catch (error) {
            const name = error instanceof Error ? error.name : 'error';
            failures.set(`${request.kind} ${name}`, (failures.get(`${request.kind} ${name}`) ?? 0) + 1);
          }
          samples.push({ kind: request.kind, ms: performance.now() - started, ok });
        }
      };
      const started = performance.now();
      await Promise.all(Array.from({ length: connections }, worker));
      const elapsed = (performance.now() - started) / 1000;
      const all = samples.map((s) => s.ms);
      bench(figure('requests-per-second'), samples.length / elapsed, 'req/s');
      bench(figure('p50-ms'), Math.round(percentile(all, 0.5)), 'ms');
      bench(figure('p99-ms'), Math.round(percentile(all, 0.99)), 'ms');
      bench(figure('errors'), samples.filter((s) => !s.ok).length, 'count');
      for (const kind of KINDS) {
        const times = samples.filter((s) => s.kind === kind).map((s) => s.ms);
        if (times.length === 0) continue;
        bench(figure(`${kind}-p50-ms`), Math.round(percentile(times, 0.5)), 'ms');
        bench(figure(`${kind}-p99-ms`), Math.round(percentile(times, 0.99)), 'ms');
      }
      bench(figure('writes'), samples.filter((s) => s.kind === 'write' && s.ok).length, 'count');
      if (kept) bench(figure('kept-misses'), keptMisses, 'count');
      bench(figure('app-peak-rss-mb'), Math.round(peakRssMbOf(app.pid)), 'MB');
      const counts = KINDS.map((k) => [k, samples.filter((s) => s.kind === k).length] as const)
        .filter(([, n]) => n > 0)
        .map(([k, n]) => `${n} ${k}`)
        .join(', ');
      console.error(
        `load: mixed, ${samples.length} requests (${counts}) in ${elapsed.toFixed(1)} s over ${connections} connections; max latency ${Math.round(Math.max(...all))} ms` +
          (failures.size > 0 ? `; failures: ${[...failures].map(([k, n]) => `${k} ×${n}`).join(', ')}` : ''),
      );
    } finally {
      await app.stop();
    }
    // The app has stopped: one more run loads what its last runs left, then both sides are compared.
    const warehouse = await openWarehouse({ database: 'bench', dataDir: dir });
    try {
      const run = await runEtl({ databaseUrl: db.url, sink: warehouseSink(warehouse), mode: 'incremental', trigger: 'bench' });
      console.error(`load: catch-up ETL run ${run.status}: ${run.read} read, ${run.written} written in ${run.seconds.toFixed(1)} s`);
      const mismatched = await mismatchedTables(db.url, warehouse);
      bench(figure('pg-ch-mismatched-tables'), mismatched.length, 'count');
    } finally {
      await warehouse.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    await db.close();
  }
}
