/**
 * npm run bench -- load: the dashboard's requests under load. The app runs alone in a child
 * process over the 1M bench data (embedded chDB); autocannon drives it over loopback with
 * 100 connections for 30 s, each connection cycling through what the dashboard's pages ask
 * for (the overview for the city and for three counties, the other metric pages, the filter
 * options, the overdue worklist and the finding list, the signed-in user), signed in.
 *
 *   BENCH load-1m-chdb-requests-per-second
 *   BENCH load-1m-chdb-p50-ms / -p99-ms        latency of every request (goal p99 ≤ 500 ms)
 *   BENCH load-1m-chdb-errors                  connection errors, timeouts and non-2xx answers (goal 0)
 *   BENCH load-1m-chdb-app-peak-rss-mb         the app process's peak resident memory
 *
 * BENCH_LOAD_SECONDS and BENCH_LOAD_CONNECTIONS change the duration and the connections.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import { bench, benchDatabase, benchSession, benchWarehouse, benchWarehouseDir } from './fixture';

const ROOT = path.resolve(__dirname, '..', '..');

/** Starts tests/bench/serve.ts; resolves with the child and its port. */
async function startApp(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['-r', './scripts/register.cjs', 'tests/bench/serve.ts'], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const found = /LISTENING (\d+)/.exec(out);
      if (found) resolve(Number(found[1]));
    });
    child.once('exit', (code) => reject(new Error(`the app exited (${code}) before listening: ${out.slice(-500)}`)));
  });
  return { child, port };
}

function peakRssMbOf(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

export async function benchLoad(): Promise<void> {
  const seconds = Number(process.env.BENCH_LOAD_SECONDS ?? 30);
  const connections = Number(process.env.BENCH_LOAD_CONNECTIONS ?? 100);
  const db = await benchDatabase('1m', { copy: false });
  // loaded (once) here, then handed to the app's process: one process per chDB folder
  await (await benchWarehouse(db)).close();
  const { child, port } = await startApp({ DATABASE_URL: db.url, CH_DATA_DIR: benchWarehouseDir(db), CLICKHOUSE_DATABASE: 'bench', CLICKHOUSE_URL: '' });
  const base = `http://127.0.0.1:${port}`;
  try {
    const { cookie } = await benchSession(db.url, base);
    const options = (await fetch(`${base}/api/options`, { headers: { cookie } }).then((r) => r.json())) as { regions: { children: { id: number; level: string }[] }[] };
    const counties = options.regions[0].children.filter((r) => r.level === 'COUNTY').slice(0, 3);
    const paths = [
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
    bench('load-1m-chdb-app-peak-rss-mb', Math.round(peakRssMbOf(child.pid!)), 'MB');
    console.error(`load: ${result.requests.total} requests in ${seconds} s over ${connections} connections (${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts); max latency ${result.latency.max} ms`);
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    await db.close();
  }
}
