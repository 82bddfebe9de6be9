import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createApp, demoAccounts, ensureAccounts, loadConfig } from '@xuncha/backend';
import { warehouseSink, runEtl, migrateWarehouse, type RawInsertFormat, type Warehouse, type WarehousePage } from '@xuncha/etl';
import { ensureDatabase, freePort, startPostgres, type PostgresInstance, migrate, seedDatabase } from '@xuncha/prisma';
import { shanghaiToday } from '@xuncha/shared';
import { dropTestDatabase, openTestWarehouse } from '../support/clickhouse';
import { warehouseParity } from '../support/parity';
import { query } from '../support/pg';
import { request, TEST_APP_ENV, TEST_PASSWORD } from '../support/app';

/**
 * PostgreSQL stops in the middle of an ETL run (issue 15, item 5): the ETL's pg clients
 * lose their connections while idle, which without an 'error' listener ended the whole
 * process. The app stays up, answers 503 while PostgreSQL is down, the run is recorded as
 * failed, and the next run brings the warehouse level with PostgreSQL.
 */
jest.setTimeout(300_000);

const TODAY = shanghaiToday();

/** The real warehouse, whose inserts wait while `hold` is set: a long run, made to order. */
class HeldWarehouse implements Warehouse {
  readonly engine = 'chdb' as const;
  hold?: Promise<void>;
  /** Resolved when an insert first waits on the hold. */
  held!: Promise<void>;
  private heldNow: () => void = () => undefined;

  constructor(private readonly inner: Warehouse) {
    this.arm();
  }

  get database(): string {
    return this.inner.database;
  }

  arm(): () => void {
    let release: () => void = () => undefined;
    this.hold = new Promise<void>((resolve) => (release = resolve));
    this.held = new Promise<void>((resolve) => (this.heldNow = resolve));
    return () => {
      this.hold = undefined;
      release();
    };
  }

  private async wait(): Promise<void> {
    if (!this.hold) return;
    this.heldNow();
    await this.hold;
  }

  query<T>(sql: string, params?: Record<string, unknown>): Promise<T[]> {
    return this.inner.query<T>(sql, params);
  }

  queryPage<T>(sql: string, params?: Record<string, unknown>): Promise<WarehousePage<T>> {
    return this.inner.queryPage<T>(sql, params);
  }

  command(sql: string, params?: Record<string, unknown>): Promise<void> {
    return this.inner.command(sql, params);
  }

  async insert(table: string, rows: readonly Record<string, unknown>[]): Promise<void> {
    await this.wait();
    return this.inner.insert(table, rows);
  }

  async insertRaw(table: string, columns: readonly string[] | undefined, format: RawInsertFormat, payload: Buffer): Promise<void> {
    await this.wait();
    return this.inner.insertRaw(table, columns, format, payload);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

let pg: PostgresInstance;
let pgDir: string;
let port: number;
let databaseUrl: string;
let warehouse: HeldWarehouse;
let app: NestExpressApplication;
let url: string;
let cookie: string;

beforeAll(async () => {
  pgDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xuncha-pg-loss-'));
  fs.chmodSync(pgDir, 0o755);
  port = await freePort();
  pg = await startPostgres({ dataDir: path.join(pgDir, 'pg'), port });
  databaseUrl = await ensureDatabase(pg.url, 'xuncha');
  await migrate(databaseUrl);
  await seedDatabase(databaseUrl, { scale: 'tiny', seed: 7, today: TODAY });
  await ensureAccounts(databaseUrl, await demoAccounts(databaseUrl), TEST_PASSWORD);
  const inner = await openTestWarehouse();
  await migrateWarehouse(inner);
  warehouse = new HeldWarehouse(inner);
  warehouse.arm()(); // no hold for the first load
  await runEtl({ databaseUrl, sink: warehouseSink(warehouse), mode: 'full', trigger: 'test' });
  app = await createApp({ config: loadConfig({ ...TEST_APP_ENV }), databaseUrl, warehouse, logger: process.env.XUNCHA_TEST_APP_LOGS ? undefined : false });
  await app.listen(0, '127.0.0.1');
  url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  const login = await request(url, '', 'POST', '/api/auth/login', { username: 'staff', password: TEST_PASSWORD });
  cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
});

afterAll(async () => {
  await app?.close();
  await pg?.stop();
  await dropTestDatabase();
  if (pgDir) fs.rmSync(pgDir, { recursive: true, force: true });
});

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

it('survives PostgreSQL stopping during an ETL run: 503 meanwhile, the run failed, the next one catches up', async () => {
  // a change for the runs to carry
  const [task] = await query<{ id: string }>(
    databaseUrl,
    "SELECT id::text AS id FROM rectification_tasks WHERE status = 'IN_PROGRESS' AND deleted_at IS NULL ORDER BY id LIMIT 1",
  );
  expect((await request(url, cookie, 'POST', `/api/tasks/${task.id}/notes`, { note: '停机前' })).status).toBe(201);

  // a full run that stays inside its first insert until PostgreSQL is down
  const release = warehouse.arm();
  // (a full run is the administrator's)
  const admin = await request(url, '', 'POST', '/api/auth/login', { username: 'admin', password: TEST_PASSWORD });
  const adminCookie = (admin.headers.get('set-cookie') ?? '').split(';')[0];
  const run = request<{ status?: string }>(url, adminCookie, 'POST', '/api/etl/run', { mode: 'full' });
  await warehouse.held;
  await pg.stop(); // every connection of the run is cut while the run's control client is idle
  release();
  const answer = await run;
  expect(answer.status).toBeGreaterThanOrEqual(500);

  // the app is alive and answers, with 503 while PostgreSQL is down
  expect((await request(url, cookie, 'GET', '/api/health')).status).toBe(503);
  expect((await request(url, cookie, 'GET', `/api/tasks/${task.id}`)).status).toBe(503);

  pg = await startPostgres({ dataDir: path.join(pgDir, 'pg'), port });
  await until(
    'the app to reach PostgreSQL again',
    async () => ((await request(url, cookie, 'GET', `/api/tasks/${task.id}`)).status === 200 ? true : undefined),
    30_000,
  );
  expect((await request(url, cookie, 'POST', `/api/tasks/${task.id}/notes`, { note: '重启后' })).status).toBe(201);

  // the next run catches up: the warehouse matches PostgreSQL table by table
  const next = await request<{ status: string }>(url, cookie, 'POST', '/api/etl/run', { mode: 'incremental' });
  expect([next.status, next.body.status]).toEqual([200, 'succeeded']);
  const parity = await warehouseParity(databaseUrl, warehouse);
  expect(parity.filter((p) => p.pgChecksum !== p.chChecksum).map((p) => p.table)).toEqual([]);
  // and the interrupted run is recorded as failed, with a reason
  const runs = await query<{ mode: string; status: string; error: string | null }>(databaseUrl, 'SELECT mode, status, error FROM etl_runs ORDER BY id');
  const failed = runs.filter((r) => r.mode === 'full' && r.status === 'FAILED');
  expect(failed).toHaveLength(1);
  expect(failed[0].error).toBeTruthy();
  expect(runs.filter((r) => r.status === 'RUNNING')).toEqual([]);
});
