import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createApp, demoAccounts, ensureAccounts, loadConfig } from '@xuncha/backend';
import { warehouseSink, runEtl, migrateWarehouse, openWarehouse, WarehouseError, type RawInsertFormat, type Warehouse, type WarehousePage } from '@xuncha/etl';
import { ensureDatabase, freePort, startPostgres, type PostgresInstance, migrate, seedDatabase } from '@xuncha/prisma';
import { dropTestDatabase, openTestWarehouse, testWarehouseDir } from '../support/clickhouse';
import { createTestDatabase, query, type TestDatabase } from '../support/pg';
import { request, TEST_APP_ENV, TEST_PASSWORD, type TestApp } from '../support/app';
import { applyForClosure } from '../support/closure';
import { pinToday } from '../support/today';

/**
 * Faults while the app runs: the warehouse engine stopped and started again, PostgreSQL
 * restarted, and a shutdown with work under way.
 */
jest.setTimeout(300_000);

const TODAY = pinToday();

afterAll(async () => {
  await dropTestDatabase();
});

/**
 * The warehouse the app is given, over a real chDB session that the test closes (the engine
 * stops: every call fails as it would against a stopped server) and opens again on the same
 * data. The app sees one Warehouse throughout, as it sees one server address.
 */
class RestartableWarehouse implements Warehouse {
  readonly engine = 'chdb' as const;
  private down = false;

  constructor(
    private inner: Warehouse,
    readonly database: string,
  ) {}

  async stop(): Promise<void> {
    this.down = true;
    await this.inner.close();
  }

  async start(): Promise<void> {
    this.inner = await openWarehouse({ database: this.database, dataDir: testWarehouseDir() });
    this.down = false;
  }

  private engineFor(): Warehouse {
    if (this.down) throw new WarehouseError('the warehouse engine is stopped');
    return this.inner;
  }

  query<T>(sql: string, params?: Record<string, unknown>): Promise<T[]> {
    return this.engineFor().query<T>(sql, params);
  }

  queryPage<T>(sql: string, params?: Record<string, unknown>): Promise<WarehousePage<T>> {
    return this.engineFor().queryPage<T>(sql, params);
  }

  command(sql: string, params?: Record<string, unknown>): Promise<void> {
    return this.engineFor().command(sql, params);
  }

  insert(table: string, rows: readonly Record<string, unknown>[]): Promise<void> {
    return this.engineFor().insert(table, rows);
  }

  insertRaw(table: string, columns: readonly string[] | undefined, format: RawInsertFormat, payload: Buffer): Promise<void> {
    return this.engineFor().insertRaw(table, columns, format, payload);
  }

  close(): Promise<void> {
    return this.down ? Promise.resolve() : this.inner.close();
  }
}

interface Running {
  app: NestExpressApplication;
  url: string;
  cookie: string;
}

async function serve(databaseUrl: string, warehouse: Warehouse, env: NodeJS.ProcessEnv = {}, username = 'staff'): Promise<Running> {
  const app = await createApp({
    config: loadConfig({ ...TEST_APP_ENV, ...env }),
    databaseUrl,
    warehouse,
    logger: process.env.XUNCHA_TEST_APP_LOGS ? undefined : false,
  });
  await app.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  const login = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: TEST_PASSWORD }),
  });
  if (login.status !== 200) throw new Error(`sign-in: ${login.status}`);
  return { app, url, cookie: (login.headers.get('set-cookie') ?? '').split(';')[0] };
}

function call(running: Running, method: string, urlPath: string, body?: unknown) {
  return request<{ message?: string } & Record<string, unknown>>(running.url, running.cookie, method, urlPath, body);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

/** An open task of the demo data and its county, to write to and to count by. */
async function openTask(databaseUrl: string): Promise<{ id: string; countyId: number }> {
  const [row] = await query<{ id: string; county_id: number }>(
    databaseUrl,
    `SELECT k.id::text AS id, CASE WHEN g.level = 'TOWNSHIP' THEN g.parent_id ELSE g.id END AS county_id
       FROM rectification_tasks k JOIN findings f ON f.id = k.finding_id JOIN org_units u ON u.id = f.unit_id JOIN regions g ON g.id = u.region_id
      WHERE k.status = 'IN_PROGRESS' AND k.deleted_at IS NULL ORDER BY k.id LIMIT 1`,
  );
  return { id: row.id, countyId: row.county_id };
}

const closedTasks = async (running: Running, countyId: number) => {
  const response = await call(running, 'GET', `/api/metrics/rectification?regionId=${countyId}`);
  if (response.status !== 200) return undefined;
  return (response.body as { taskClosure: { numerator: number } }).taskClosure.numerator;
};

describe('the warehouse engine stops and starts again', () => {
  let db: TestDatabase;
  let warehouse: RestartableWarehouse;
  let running: Running;

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedDatabase(db.url, { scale: 'tiny', seed: 3, today: TODAY });
    // closures are applied for by one writer and approved by another
    await ensureAccounts(
      db.url,
      [...(await demoAccounts(db.url)), { username: 'closure-reviewer', displayName: '销号审核人', role: 'STAFF', regionId: null }],
      TEST_PASSWORD,
    );
    // a session of its own (the file's shared one stays open for the other tests)
    const engine = await openWarehouse({ database: `xt_faults_${process.pid}_${Date.now()}`, dataDir: testWarehouseDir() });
    await migrateWarehouse(engine);
    await runEtl({ databaseUrl: db.url, sink: warehouseSink(engine), mode: 'full', trigger: 'test' });
    warehouse = new RestartableWarehouse(engine, engine.database);
    // the schedule on, every second: it must back off while the engine is away and catch up after
    running = await serve(db.url, warehouse, { ETL_INTERVAL_SECONDS: '1' });
  });

  afterAll(async () => {
    await running?.app.close();
    await warehouse?.command(`DROP DATABASE IF EXISTS ${warehouse.database} SYNC`).catch(() => undefined);
    await warehouse?.close();
    await db?.drop();
  });

  it('answers the metrics with 503 and a clear message, keeps writes and the audit log working, and catches up after', async () => {
    const task = await openTask(db.url);
    const closedBefore = await closedTasks(running, task.countyId);
    expect(closedBefore).toBeDefined();

    await warehouse.stop();
    const stoppedAt = new Date();
    for (const metric of ['overview', 'coverage', 'categories', 'rectification', 'recurrence']) {
      const response = await call(running, 'GET', `/api/metrics/${metric}`);
      expect([metric, response.status, response.body.message]).toEqual([metric, 503, expect.stringMatching(/数据仓库暂不可用.*ClickHouse/)]);
    }
    expect((await call(running, 'GET', '/api/tasks')).status).toBe(503);
    const health = await call(running, 'GET', '/api/health');
    expect(health.status).toBe(503);

    // the case records live in PostgreSQL: writes go on, each with its audit entry
    const applied = await applyForClosure({ url: running.url } as TestApp, running, task.id);
    expect(applied.status).toBe(201);
    const login = await request(running.url, '', 'POST', '/api/auth/login', { username: 'closure-reviewer', password: TEST_PASSWORD });
    const reviewer = (login.headers.get('set-cookie') ?? '').split(';')[0];
    expect((await request(running.url, reviewer, 'POST', `/api/closure-requests/${applied.body.request.id}/approve`, {})).status).toBe(201);
    expect((await call(running, 'GET', `/api/tasks/${task.id}`)).status).toBe(200); // the detail is read from PostgreSQL
    const audit = await query<{ action: string }>(db.url, 'SELECT action FROM audit_logs WHERE at >= $1 AND success ORDER BY id', [stoppedAt]);
    expect(audit.map((a) => a.action)).toEqual(['closure.apply', 'auth.login', 'closure.approve']);

    // the scheduled runs fail meanwhile and wait longer each time (1 s, 2 s, 4 s…): counted
    // over the next 6.5 s, once a failed run has started after them (no fixed sleep)
    const windowEnd = new Date(Date.now() + 6_500);
    const failedSince = (from: Date, to: Date) =>
      query<{ started_at: Date }>(db.url, "SELECT started_at FROM etl_runs WHERE status = 'FAILED' AND started_at >= $1 AND started_at < $2 ORDER BY id", [
        from,
        to,
      ]);
    await until('a failed run after the counted 6.5 s', async () => ((await failedSince(windowEnd, new Date(8.64e15))).length > 0 ? true : undefined), 60_000);
    const failed = await failedSince(stoppedAt, windowEnd);
    expect(failed.length).toBeGreaterThanOrEqual(2);
    expect(failed.length).toBeLessThanOrEqual(4); // without backoff, a run a second: 6 or more
    const gaps = failed.slice(1).map((run, i) => run.started_at.getTime() - failed[i].started_at.getTime());
    for (let i = 1; i < gaps.length; i++) expect(gaps[i]).toBeGreaterThan(gaps[i - 1]);

    await warehouse.start();
    // the next scheduled run loads what was written while the engine was away
    const closedAfter = await until(
      'the closure to reach the metrics',
      async () => {
        const n = await closedTasks(running, task.countyId);
        return n !== undefined && n === closedBefore! + 1 ? n : undefined;
      },
      30_000,
    );
    expect(closedAfter).toBe(closedBefore! + 1);
    expect((await call(running, 'GET', '/api/health')).status).toBe(200);
  });
});

describe('PostgreSQL restarts while the app runs', () => {
  let pg: PostgresInstance;
  let pgDir: string;
  let port: number;
  let databaseUrl: string;
  let running: Running;
  let warehouse: Warehouse;

  beforeAll(async () => {
    pgDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xuncha-faults-pg-'));
    fs.chmodSync(pgDir, 0o755);
    port = await freePort();
    pg = await startPostgres({ dataDir: path.join(pgDir, 'pg'), port });
    databaseUrl = await ensureDatabase(pg.url, 'xuncha');
    await migrate(databaseUrl);
    await seedDatabase(databaseUrl, { scale: 'tiny', seed: 5, today: TODAY });
    await ensureAccounts(databaseUrl, await demoAccounts(databaseUrl), TEST_PASSWORD);
    warehouse = await openTestWarehouse();
    await migrateWarehouse(warehouse);
    await runEtl({ databaseUrl, sink: warehouseSink(warehouse), mode: 'full', trigger: 'test' });
    running = await serve(databaseUrl, warehouse);
  });

  afterAll(async () => {
    await running?.app.close();
    await pg?.stop();
    if (pgDir) fs.rmSync(pgDir, { recursive: true, force: true });
  });

  it('fails requests cleanly while it is down and recovers without restarting the app', async () => {
    const task = await openTask(databaseUrl);
    expect((await call(running, 'GET', `/api/tasks/${task.id}`)).status).toBe(200);
    expect((await call(running, 'POST', `/api/tasks/${task.id}/notes`, { note: '重启前' })).status).toBe(201);

    await pg.stop();
    for (const [method, urlPath, body] of [
      ['GET', `/api/tasks/${task.id}`, undefined],
      ['POST', `/api/tasks/${task.id}/notes`, { note: '停机中' }],
      ['GET', '/api/health', undefined],
    ] as const) {
      const response = await call(running, method, urlPath, body);
      expect([urlPath, response.status]).toEqual([urlPath, 503]);
      expect(JSON.stringify(response.body)).not.toMatch(/at .*\.ts:\d+| {4}at /);
    }
    // the figures come from the warehouse: served while the session is still known to the
    // app (it rereads sessions every few seconds), a clean 503 after
    const figures = await call(running, 'GET', '/api/metrics/overview');
    expect([200, 503]).toContain(figures.status);

    pg = await startPostgres({ dataDir: path.join(pgDir, 'pg'), port });
    const detail = await until(
      'the app to reach PostgreSQL again',
      async () => {
        const response = await call(running, 'GET', `/api/tasks/${task.id}`);
        return response.status === 200 ? response : undefined;
      },
      30_000,
    );
    expect(detail.status).toBe(200);
    expect((await call(running, 'POST', `/api/tasks/${task.id}/notes`, { note: '重启后' })).status).toBe(201);
    expect((await call(running, 'GET', '/api/metrics/overview')).status).toBe(200);
    const notes = await query<{ note: string }>(databaseUrl, "SELECT note FROM task_events WHERE task_id = $1 AND type = 'PROGRESS_NOTE' ORDER BY id", [
      task.id,
    ]);
    expect(notes.map((n) => n.note)).toEqual(['重启前', '重启后']);
  });
});

describe('a graceful shutdown', () => {
  it('finishes the requests and the ETL run under way, then refuses new connections', async () => {
    const db = await createTestDatabase();
    const warehouse = await openTestWarehouse();
    try {
      await seedDatabase(db.url, { scale: 'tiny', seed: 9, today: TODAY });
      await ensureAccounts(db.url, await demoAccounts(db.url), TEST_PASSWORD);
      await migrateWarehouse(warehouse);
      // a full run (the administrator's) takes a while; the shutdown begins while it is under way
      const running = await serve(db.url, warehouse, {}, 'admin');
      const inFlight = call(running, 'POST', '/api/etl/run', { mode: 'full' });
      await until(
        'the run to start',
        async () => ((await query(db.url, "SELECT 1 FROM etl_runs WHERE status = 'RUNNING'")).length > 0 ? true : undefined),
        10_000,
      );
      const closing = running.app.close();
      const answer = await inFlight;
      await closing;
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ status: 'succeeded' });
      const [run] = await query<{ status: string; rows_written: string }>(db.url, 'SELECT status, rows_written FROM etl_runs ORDER BY id DESC LIMIT 1');
      expect(run.status).toBe('SUCCEEDED');
      expect(Number(run.rows_written)).toBeGreaterThan(1000);
      await expect(fetch(`${running.url}/api/health`)).rejects.toThrow();
    } finally {
      await db.drop();
    }
  });
});
