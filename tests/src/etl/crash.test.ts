import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openWarehouse, type Warehouse } from '@xuncha/etl';
import { freePort, seedDatabase } from '@xuncha/prisma';
import { REPO_ROOT } from '../support/cli';
import { keyCounts, PARITY, warehouseParity } from '../support/parity';
import { createTestDatabase, query, type TestDatabase } from '../support/pg';

/**
 * Crash safety: the ETL CLI, a child process with its own chDB directory, is killed with
 * SIGKILL at 20 random points of full and incremental runs; a last run to completion must
 * leave the warehouse equal to PostgreSQL, with no key missing and none twice. Then the
 * records are replaced (`db:seed --force`, ids reused) and a run is killed again. And
 * `npm start` on a new warehouse is killed right after its warehouse migrations and at
 * random points of its full load; the next start must load in full.
 *
 * The kill points come from a seed printed at the start; XUNCHA_CRASH_SEED=<n> repeats them.
 */
const CLI = path.join(REPO_ROOT, 'etl', 'src', 'cli.ts');
const START = path.join(REPO_ROOT, 'scripts', 'start.ts');
const KILLS_PER_MODE = 10;
const SEED = Number(process.env.XUNCHA_CRASH_SEED ?? process.env.CRASH_SEED ?? Date.now() % 100000);

/** mulberry32: reproducible kill points (the seed is printed when the test fails). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('ETL crash safety (SIGKILL at random points)', () => {
  let db: TestDatabase;
  let dir: string;
  const seed = SEED;
  const next = random(seed);
  /** The length of a complete full run, for the kill points after the reseed. */
  let fullRunMs = 0;

  /** Runs before this one have ids up to here (an interrupted one stays RUNNING until the next run). */
  let lastRunId = 0;
  const run = async (args: string[], killAfterMs?: number) => {
    const [{ max }] = await query<{ max: number | null }>(db.url, 'SELECT max(id) AS max FROM etl_runs');
    lastRunId = max ?? 0;
    return spawnRun(args, killAfterMs);
  };
  const spawnRun = (args: string[], killAfterMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number; output: string }> =>
    new Promise((resolve) => {
      const started = Date.now();
      // node itself with tsx's loader: the `tsx` command runs the script in a child process,
      // which a SIGKILL of the command would leave running.
      const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--batch-size', '40', ...args], {
        cwd: REPO_ROOT,
        env: { ...process.env, DATABASE_URL: db.url, CH_DATA_DIR: dir, CLICKHOUSE_DATABASE: 'crash', CLICKHOUSE_URL: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk) => (output += chunk));
      child.stderr.on('data', (chunk) => (output += chunk));
      // The kill is timed from the moment the run has begun (its RUNNING record appears),
      // not from the process start, whose length varies with the machine's load.
      let exited = false;
      let timer: NodeJS.Timeout | undefined;
      if (killAfterMs !== undefined) {
        void (async () => {
          while (!exited) {
            const [row] = await query<{ running: boolean }>(db.url, `SELECT EXISTS (SELECT 1 FROM etl_runs WHERE status = 'RUNNING' AND id > $1) AS running`, [
              lastRunId,
            ]);
            if (row.running) {
              timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
              return;
            }
            await new Promise((resolve) => setTimeout(resolve, 5));
          }
        })();
      }
      child.on('exit', (code, signal) => {
        exited = true;
        if (timer) clearTimeout(timer);
        resolve({ code, signal, ms: Date.now() - started, output });
      });
    });

  /** Changes of every kind, so that incremental runs have work to be killed in. */
  const change = async (round: number) => {
    await query(
      db.url,
      `UPDATE rectification_tasks SET status = 'IN_PROGRESS' WHERE id IN (SELECT id FROM rectification_tasks WHERE status = 'NOT_STARTED' ORDER BY id LIMIT 40)`,
    );
    await query(db.url, `UPDATE rectification_tasks SET measure = measure || '${round}' WHERE id % 7 = ${round % 7}`);
    await query(db.url, `UPDATE findings SET deleted_at = now() WHERE id IN (SELECT id FROM findings WHERE deleted_at IS NULL ORDER BY id DESC LIMIT 2)`);
    await query(
      db.url,
      `INSERT INTO findings (inspection_id, unit_id, category_id, description, found_date)
       SELECT inspection_id, unit_id, category_id, description || '（复查${round}）', found_date FROM findings ORDER BY id LIMIT 30`,
    );
    await query(db.url, `UPDATE org_units SET name = name || '·' WHERE id = (SELECT unit_id FROM findings ORDER BY id LIMIT 1 OFFSET ${round})`);
  };

  beforeAll(async () => {
    console.log(`crash test seed ${seed} (XUNCHA_CRASH_SEED=${seed} repeats its kill points)`);
    db = await createTestDatabase();
    await seedDatabase(db.url, { scale: 'tiny', seed: 11, today: '2026-06-30' });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xuncha-crash-ch-'));
  });
  afterAll(async () => {
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
    await db.drop();
  });

  /** The run's own length, from the CLI's closing line. */
  const runLength = (result: { output: string }) => {
    const seconds = Number(/ in ([\d.]+) s/.exec(result.output)?.[1]);
    expect(Number.isFinite(seconds)).toBe(true);
    return Math.max(50, seconds * 1000);
  };

  it('20 kills, then one complete run: parity, no key missing, none twice', async () => {
    const killed: string[] = [];
    for (const mode of ['full', 'incremental'] as const) {
      const args = mode === 'full' ? ['--full'] : [];
      if (mode === 'incremental') await change(99);
      const baseline = await run(args);
      expect({ mode, code: baseline.code, output: baseline.output }).toMatchObject({ code: 0 });
      // kill points fall within the shortest run seen so far of this mode
      let runMs = runLength(baseline);
      if (mode === 'full') fullRunMs = runMs;
      for (let i = 0; i < KILLS_PER_MODE; i += 1) {
        if (mode === 'incremental') await change(i);
        const at = Math.round(next() * runMs);
        const result = await run(args, at);
        killed.push(`${mode}@${at}ms:${result.signal ?? `exit ${result.code}`}`);
        // a kill may land just after the run finished; a failure of its own is never fine
        if (result.signal === null && result.code !== 0) throw new Error(`seed ${seed}: a ${mode} run killed at ${at} ms failed by itself:\n${result.output}`);
        if (result.signal === null) runMs = Math.min(runMs, runLength(result));
      }
    }

    const final = await run([]);
    expect({ seed, code: final.code, output: final.output }).toMatchObject({ code: 0 });

    const warehouse: Warehouse = await openWarehouse({ database: 'crash', dataDir: dir });
    try {
      const parity = await warehouseParity(db.url, warehouse);
      expect({ seed, broken: parity.filter((p) => p.pgChecksum !== p.chChecksum) }).toEqual({ seed, broken: [] });
      for (const table of Object.keys(PARITY)) {
        const counts = await keyCounts(warehouse, table);
        expect({ table, ...counts }).toEqual({ table, final: counts.unique, unique: counts.unique });
      }
      // kills that landed inside a run left it RUNNING; the next run marked it interrupted
      const runs = await query<{ running: string; interrupted: string }>(
        db.url,
        `SELECT count(*) FILTER (WHERE status = 'RUNNING')::text AS running,
                count(*) FILTER (WHERE error LIKE '中断%')::text AS interrupted FROM etl_runs`,
      );
      expect(runs[0].running).toBe('0');
      const interrupted = Number(runs[0].interrupted);
      if (interrupted < 10) throw new Error(`seed ${seed}: only ${interrupted} of 20 kills landed inside a run: ${killed.join(', ')}`);
    } finally {
      await warehouse.close();
    }
  }, 420_000);

  it('a reseed (db:seed --force, ids reused), a run killed at a random point, then one complete run: parity, no event id twice', async () => {
    await seedDatabase(db.url, { scale: 'tiny', seed: 12, today: '2026-06-30', force: true });
    const at = Math.round(next() * fullRunMs);
    const killed = await run([], at);
    if (killed.signal === null && killed.code !== 0) throw new Error(`seed ${seed}: the run killed at ${at} ms failed by itself:\n${killed.output}`);
    const final = await run([]);
    expect({ seed, code: final.code, output: final.output }).toMatchObject({ code: 0 });

    const warehouse: Warehouse = await openWarehouse({ database: 'crash', dataDir: dir });
    try {
      const parity = await warehouseParity(db.url, warehouse);
      expect({ seed, at, broken: parity.filter((p) => p.pgChecksum !== p.chChecksum) }).toEqual({ seed, at, broken: [] });
      for (const table of Object.keys(PARITY)) {
        const counts = await keyCounts(warehouse, table);
        expect({ table, ...counts }).toEqual({ table, final: counts.unique, unique: counts.unique });
      }
    } finally {
      await warehouse.close();
    }
    const [state] = await query<{ pending: boolean }>(db.url, 'SELECT full_load_requested_at IS NOT NULL AS pending FROM etl_state');
    expect(state.pending).toBe(false);
  }, 300_000);
});

describe('npm start killed between the warehouse migrations and its full load', () => {
  let db: TestDatabase;
  let dir: string;
  const seed = SEED;
  const next = random(seed + 1);

  interface Exited {
    code: number | null;
    signal: NodeJS.Signals | null;
    output: string;
  }

  /**
   * One `npm start` (server mode: DATABASE_URL; chDB in `ch`). `kill`: SIGKILL as soon as
   * the output shows the warehouse migrated, or `ms` after its startup run began; without
   * it, the start runs until ready, answers /api/health, and is stopped with SIGTERM.
   */
  const start = async (
    env: NodeJS.ProcessEnv,
    kill?: 'migrated' | { ms: number },
  ): Promise<Exited & { health?: { status: number; body: Record<string, unknown> } }> => {
    const [{ max }] = await query<{ max: number | null }>(db.url, 'SELECT max(id) AS max FROM etl_runs');
    const child = spawn(process.execPath, ['-r', './scripts/register.cjs', START], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let exited = false;
    let health: { status: number; body: Record<string, unknown> } | undefined;
    const onOutput = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (kill === 'migrated' && /数据仓库 Warehouse: .*migrations applied/.test(output)) child.kill('SIGKILL');
      if (kill === undefined && output.includes('就绪 Ready') && health === undefined) {
        health = { status: 0, body: {} };
        void fetch(`http://127.0.0.1:${env.PORT}/api/health`)
          .then(async (response) => (health = { status: response.status, body: (await response.json()) as Record<string, unknown> }))
          .finally(() => child.kill('SIGTERM'));
      }
    };
    child.stdout.on('data', onOutput);
    child.stderr.on('data', onOutput);
    let timer: NodeJS.Timeout | undefined;
    if (kill !== undefined && kill !== 'migrated') {
      void (async () => {
        while (!exited) {
          const [row] = await query<{ running: boolean }>(db.url, `SELECT EXISTS (SELECT 1 FROM etl_runs WHERE status = 'RUNNING' AND id > $1) AS running`, [
            max ?? 0,
          ]);
          if (row.running) {
            timer = setTimeout(() => child.kill('SIGKILL'), kill.ms);
            return;
          }
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      })();
    }
    return new Promise((resolve) =>
      child.on('exit', (code, signal) => {
        exited = true;
        if (timer) clearTimeout(timer);
        resolve({ code, signal, output, health });
      }),
    );
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedDatabase(db.url, { scale: 'tiny', seed: 13, today: '2026-06-30' });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xuncha-crash-start-'));
    fs.mkdirSync(path.join(dir, 'dist'));
    fs.writeFileSync(path.join(dir, 'dist', 'index.html'), '<!doctype html><title>巡察</title>');
  });
  afterAll(async () => {
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
    await db.drop();
  });

  it('the next start loads in full: parity, no key missing or twice, health current', async () => {
    const env = (ch: string): NodeJS.ProcessEnv => ({
      DATABASE_URL: db.url,
      CH_DATA_DIR: path.join(dir, ch),
      CLICKHOUSE_URL: '',
      CLICKHOUSE_DATABASE: 'crash',
      STATIC_DIR: path.join(dir, 'dist'),
      DEMO_DATA: 'off',
      ETL_INTERVAL_SECONDS: '0',
      ADMIN_PASSWORD: 'crash-admin-password',
      DEMO_PASSWORD: '',
    });
    // A first warehouse, loaded: PostgreSQL's watermark is past zero from here on.
    const first = await start({ ...env('ch-old'), PORT: String(await freePort()) });
    expect({ code: first.code, health: first.health?.status, output: first.output }).toMatchObject({ code: 0, health: 200 });
    const fullMs = Math.max(50, 1000 * Number(/同步 ETL run \d+ \(full\): .* in ([\d.]+) s/.exec(first.output)?.[1] ?? '1'));

    // A new warehouse (an empty directory), its starts killed.
    const kills: string[] = [];
    const migrated = await start({ ...env('ch-new'), PORT: String(await freePort()) }, 'migrated');
    expect({ signal: migrated.signal, output: migrated.output }).toMatchObject({ signal: 'SIGKILL' });
    kills.push('migrated');
    for (let i = 0; i < 2; i += 1) {
      const at = Math.round(next() * fullMs);
      const killed = await start({ ...env('ch-new'), PORT: String(await freePort()) }, { ms: at });
      if (killed.signal === null && killed.code !== 0) throw new Error(`seed ${seed}: a start killed at ${at} ms failed by itself:\n${killed.output}`);
      kills.push(`${at}ms:${killed.signal ?? `exit ${killed.code}`}`);
    }

    const final = await start({ ...env('ch-new'), PORT: String(await freePort()) });
    expect({ seed, kills, code: final.code, output: final.output }).toMatchObject({ code: 0 });
    expect({ seed, kills, health: final.health }).toMatchObject({
      health: { status: 200, body: { status: 'ok', warehouse: { state: 'current', fullLoad: null } } },
    });

    const warehouse: Warehouse = await openWarehouse({ database: 'crash', dataDir: path.join(dir, 'ch-new') });
    try {
      const parity = await warehouseParity(db.url, warehouse);
      expect({ seed, kills, broken: parity.filter((p) => p.pgChecksum !== p.chChecksum) }).toEqual({ seed, kills, broken: [] });
      for (const table of Object.keys(PARITY)) {
        const counts = await keyCounts(warehouse, table);
        expect({ table, ...counts }).toEqual({ table, final: counts.unique, unique: counts.unique });
      }
    } finally {
      await warehouse.close();
    }
  }, 600_000);
});
