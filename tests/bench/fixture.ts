import fs from 'node:fs';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { Client } from 'pg';
import { withDatabase, startPostgres, migrate, seedDatabase, type Scale } from '@xuncha/prisma';
import { DERIVED_BY_MIGRATION, nextGeneration, rebuildDerived, warehouseSink, runEtl, migrateWarehouse, openWarehouse, type Warehouse } from '@xuncha/etl';
import { ensureAccounts } from '@xuncha/backend';

/**
 * Benchmarks share one embedded PostgreSQL under ./data/bench (kept between runs) with a
 * seeded template database per scale, built once: each benchmark works on its own copy
 * (CREATE DATABASE … TEMPLATE), so seeding 1M findings is paid once, not per run.
 */
export const BENCH_TODAY = '2026-06-30';

/** The settings of the benchmarks' apps: no ETL schedule, no workbooks kept or made ahead (the export bench sets its own). */
export const BENCH_APP_ENV = { ETL_INTERVAL_SECONDS: '0', WORKBOOK_STORE_DIR: 'off', WORKBOOK_PREBUILD_MINUTES: '0' } as const;
/** The repository's root. */
const REPO = path.resolve(__dirname, '..', '..');
/** BENCH_DATA_DIR: another place for the bench data (say, a second set while the first is in use). */
const ROOT = path.resolve(process.env.BENCH_DATA_DIR || path.join(REPO, 'data', 'bench'));

export interface BenchDatabase {
  url: string;
  /** The seeded template this database was copied from (or is, with copy: false). */
  template: string;
  /** Rows per case-record table in the copy. */
  counts: Record<string, number>;
  close(): Promise<void>;
}

async function admin<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export interface BenchDatabaseOptions {
  /**
   * false: work on the seeded template itself instead of a copy, for benchmarks that only
   * read (a copy of 10M findings would double the disk taken).
   */
  copy?: boolean;
  log?: (line: string) => void;
}

export async function benchDatabase(scale: Scale, options: BenchDatabaseOptions = {}): Promise<BenchDatabase> {
  const log = options.log ?? ((line: string) => console.error(line));
  fs.mkdirSync(ROOT, { recursive: true });
  fs.chmodSync(ROOT, 0o755);
  const pg = await startPostgres({ dataDir: path.join(ROOT, 'pg'), settings: { fsync: 'off', synchronous_commit: 'off' } });
  const template = `seed_${scale}`;
  const server = withDatabase(pg.url, 'postgres');
  try {
    const ready = await admin(server, async (c) => {
      const complete = async (name: string) =>
        (
          await c.query<{ description: string | null }>(`SELECT shobj_description(oid, 'pg_database') AS description FROM pg_database WHERE datname = $1`, [
            name,
          ])
        ).rows[0]?.description === 'complete';
      if (await complete(template)) return true;
      // a template seeded before under its migrations' checksum (seed_<scale>_<hash>): kept,
      // renamed, and migrated forward below, as an upgrade would; its warehouse goes with it
      const { rows: earlier } = await c.query<{ datname: string }>(
        `SELECT datname FROM pg_database WHERE datname LIKE $1 AND shobj_description(oid, 'pg_database') = 'complete' ORDER BY datname LIMIT 1`,
        [`seed\\_${scale}\\_%`],
      );
      if (earlier[0]) {
        await c.query(`DROP DATABASE IF EXISTS "${template}"`);
        await c.query(`ALTER DATABASE "${earlier[0].datname}" RENAME TO "${template}"`);
        const from = path.join(ROOT, `ch-${earlier[0].datname}`);
        const to = path.join(ROOT, `ch-${template}`);
        if (fs.existsSync(from) && !fs.existsSync(to)) fs.renameSync(from, to);
        log(`bench: the template ${earlier[0].datname} is now ${template}`);
        return true;
      }
      await c.query(`DROP DATABASE IF EXISTS "${template}"`);
      await c.query(`CREATE DATABASE "${template}"`);
      return false;
    });
    if (ready) {
      // migrations added since the template was seeded, applied as an upgrade applies them
      await migrate(withDatabase(pg.url, template));
    } else {
      log(`bench: seeding ${scale} into the template database ${template} (once)…`);
      const url = withDatabase(pg.url, template);
      await migrate(url);
      const summary = await seedDatabase(url, { scale, seed: 1, today: BENCH_TODAY });
      log(`bench: seeded in ${summary.seconds.toFixed(1)} s`);
      await admin(server, (c) => c.query(`COMMENT ON DATABASE "${template}" IS 'complete'`));
    }
    const copy = options.copy === false ? template : `run_${process.pid}`;
    if (copy !== template) {
      await admin(server, async (c) => {
        await c.query(`DROP DATABASE IF EXISTS "${copy}"`);
        await c.query(`CREATE DATABASE "${copy}" TEMPLATE "${template}"`);
      });
    }
    const url = withDatabase(pg.url, copy);
    const counts = await admin(url, async (c) => {
      const result: Record<string, number> = {};
      for (const table of [
        'regions',
        'org_units',
        'terms',
        'rounds',
        'inspections',
        'issue_categories',
        'findings',
        'rectification_tasks',
        'task_events',
        'clues',
      ]) {
        const { rows } = await c.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${table}`);
        result[table] = Number(rows[0].n);
      }
      return result;
    });
    return {
      url,
      template,
      counts,
      close: async () => {
        if (copy !== template) await admin(server, (c) => c.query(`DROP DATABASE IF EXISTS "${copy}" WITH (FORCE)`)).catch(() => undefined);
        await pg.stop();
      },
    };
  } catch (error) {
    await pg.stop();
    throw error;
  }
}

/**
 * A chDB warehouse fully loaded from the bench database's template, kept under
 * ./data/bench/ch-<template> between runs: the first run loads it (a full ETL) and leaves a
 * marker, later runs open it as it is. Only for benchmarks that read.
 */
export async function benchWarehouse(db: BenchDatabase, log: (line: string) => void = (line) => console.error(line)): Promise<Warehouse> {
  const dir = benchWarehouseDir(db);
  const marker = path.join(dir, 'loaded');
  if (!fs.existsSync(marker)) fs.rmSync(dir, { recursive: true, force: true });
  const warehouse = await openWarehouse({ database: 'bench', dataDir: dir });
  if (fs.existsSync(marker)) {
    // A warehouse loaded before a newer migration: derive in full the tables the new
    // migrations added (no new ETL load needed), merged as the full load leaves them.
    const { applied } = await migrateWarehouse(warehouse);
    const derived = applied.flatMap((name) => (DERIVED_BY_MIGRATION[name] ? [DERIVED_BY_MIGRATION[name]] : []));
    if (derived.length > 0) {
      const started = performance.now();
      log(`bench: deriving ${derived.join(', ')} in ${dir} for the new warehouse migrations ${applied.join(', ')} (once)…`);
      await rebuildDerived(warehouse, derived);
      for (const table of derived) await warehouse.command(`OPTIMIZE TABLE ${table} FINAL`);
      log(`bench: derived in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
    if (applied.length > 0) await nextGeneration(warehouse);
    return warehouse;
  }
  try {
    log(`bench: loading the warehouse ${dir} from ${db.template} (once)…`);
    await migrateWarehouse(warehouse);
    const result = await runEtl({ databaseUrl: db.url, sink: warehouseSink(warehouse), mode: 'full', trigger: 'bench' });
    // the steady state a running app reaches by background merges, reached at once
    for (const table of [
      'fact_inspections',
      'fact_findings',
      'fact_tasks',
      'fact_task_events',
      'fact_task_state',
      'fact_finding_summary',
      'fact_open_tasks',
      'fact_open_findings',
      'fact_unit_coverage',
      'fact_rectification_timeline',
      'fact_finding_closure',
    ]) {
      await warehouse.command(`OPTIMIZE TABLE ${table} FINAL`);
    }
    log(`bench: loaded ${result.written.toLocaleString('en')} rows in ${result.seconds.toFixed(1)} s`);
    fs.writeFileSync(marker, new Date().toISOString());
    return warehouse;
  } catch (error) {
    await warehouse.close();
    throw error;
  }
}

/** Where benchWarehouse keeps the warehouse of a bench database (its database is `bench`). */
export function benchWarehouseDir(db: BenchDatabase): string {
  return path.join(ROOT, `ch-${db.template}`);
}

/** The account benchmarks sign in with (created in the bench database when missing). */
export const BENCH_USER = { username: 'bench-staff', displayName: '基准测试（巡察办）', role: 'STAFF' as const, regionId: null };
const BENCH_PASSWORD = 'bench-password-1';

/**
 * A session of the bench account on the app at `base`: its cookie (`name=value`), from a
 * sign-in request as the dashboard makes it. Every route but /api/health needs one.
 */
export async function benchSession(databaseUrl: string, base: string): Promise<{ cookie: string; name: string; value: string }> {
  await ensureAccounts(databaseUrl, [BENCH_USER], BENCH_PASSWORD);
  const response = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: BENCH_USER.username, password: BENCH_PASSWORD }),
  });
  if (response.status !== 200) throw new Error(`bench: sign-in as ${BENCH_USER.username} → ${response.status} ${(await response.text()).slice(0, 300)}`);
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0];
  const at = cookie.indexOf('=');
  return { cookie, name: cookie.slice(0, at), value: cookie.slice(at + 1) };
}

/** Peak resident memory of this process so far (VmHWM), in MB. */
export function peakRssMb(): number {
  const status = fs.readFileSync('/proc/self/status', 'utf8');
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)];
}

export function bench(name: string, value: number, unit: string): void {
  const shown = Number.isInteger(value) ? String(value) : value.toFixed(value < 10 ? 2 : 1);
  console.log(`BENCH ${name} ${shown} ${unit}`);
}

/** A process's resident memory now, in MB: all of it, its anonymous part, its file-backed part (mapped files: node, libchdb.so…). */
export interface RssParts {
  rss: number;
  anon: number;
  file: number;
}

/** The resident memory of process `pid` (this one by default). */
export function rssParts(pid: number | 'self' = 'self'): RssParts {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const mb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) / 1024;
  return { rss: mb('VmRSS'), anon: mb('RssAnon'), file: mb('RssFile') + mb('RssShmem') };
}

/** The peak resident memory of process `pid` (VmHWM, since it started or since `watchMemory` reset it), in MB. */
export function peakRssMbOf(pid: number): number {
  return Number(/VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
}

/** Resident memory of the pages process `pid` maps from files whose path contains `name` (say libchdb.so), in MB. */
export function mappedRssMb(pid: number, name: string): number {
  let kb = 0;
  let inside = false;
  for (const line of fs.readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    if (/^[0-9a-f]+-[0-9a-f]+ /.test(line)) inside = line.includes(name);
    else if (inside && line.startsWith('Rss:')) kb += Number(/(\d+)/.exec(line)?.[1] ?? 0);
  }
  return kb / 1024;
}

/**
 * Watches the memory of the app's process `pid` (another process: this one only sends it
 * requests) from now: `open` is the baseline, and the kernel's peak-RSS counter (VmHWM) is
 * reset. `stop` gives the peaks since: of the whole RSS (VmHWM) and of its anonymous part
 * (sampled every 10 ms), in MB.
 */
export function watchMemory(pid: number): { open: RssParts; stop(): { peakRss: number; peakAnon: number } } {
  const open = rssParts(pid);
  fs.writeFileSync(`/proc/${pid}/clear_refs`, '5'); // its peak-RSS counter starts again here
  let peakAnon = open.anon;
  const timer = setInterval(() => (peakAnon = Math.max(peakAnon, rssParts(pid).anon)), 10);
  return {
    open,
    stop() {
      clearInterval(timer);
      return { peakRss: peakRssMbOf(pid), peakAnon: Math.max(peakAnon, rssParts(pid).anon) };
    },
  };
}

/** The app, as `npm start` runs it (scripts/register.cjs: the compiled JavaScript kept), alone in a process of its own. */
export interface AppProcess {
  child: ChildProcess;
  pid: number;
  base: string;
  /** SIGTERM, then its exit (at once when it has exited already). */
  stop(): Promise<void>;
}

/**
 * Starts tests/bench/serve.ts on the bench database and warehouse named by `env` (DATABASE_URL,
 * CH_DATA_DIR, CLICKHOUSE_DATABASE…): the app in a child process, so that the benchmark's own
 * work (generating files, sending requests) shares neither its event loop nor its memory.
 */
export async function startAppProcess(env: NodeJS.ProcessEnv): Promise<AppProcess> {
  const child = spawn(process.execPath, ['-r', './scripts/register.cjs', 'tests/bench/serve.ts'], {
    cwd: REPO,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let exited = child.exitCode !== null;
  child.once('exit', () => (exited = true));
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const found = /LISTENING (\d+)/.exec(out);
      if (found) resolve(Number(found[1]));
    });
    child.once('exit', (code) => reject(new Error(`the app exited (${code}) before listening: ${out.slice(-500)}`)));
  });
  return {
    child,
    pid: child.pid!,
    base: `http://127.0.0.1:${port}`,
    async stop() {
      if (exited) return;
      const done = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await done;
    },
  };
}

/**
 * Calls `name` of the module `file` (an async function of one JSON argument, answering JSON)
 * in a child process: what a benchmark generates ahead (a workbook to upload) then takes
 * none of the measured process's memory.
 */
export async function inChildProcess<T>(file: string, name: string, arg: unknown): Promise<T> {
  const register = path.join(REPO, 'scripts', 'register.cjs');
  const script = `let input = ''; process.stdin.on('data', (d) => (input += d)).on('end', async () => {
    const result = await require(${JSON.stringify(file)})[${JSON.stringify(name)}](JSON.parse(input));
    process.stdout.write(JSON.stringify(result ?? null));
  });`;
  const child = spawn(process.execPath, ['-r', register, '-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stdin.end(JSON.stringify(arg));
  const code = await new Promise<number | null>((resolve, reject) => child.once('error', reject).once('exit', resolve));
  if (code !== 0) throw new Error(`bench: ${path.basename(file)} ${name} in a child process exited with ${code}`);
  return JSON.parse(output) as T;
}
