import type { NestExpressApplication } from '@nestjs/platform-express';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createApp, demoAccounts, ensureAccounts, loadConfig, type AppConfig, DimensionsService } from '@xuncha/backend';
import { warehouseSink, runEtl, type EtlMode, migrateWarehouse, type Warehouse } from '@xuncha/etl';
import { seedDatabase } from '@xuncha/prisma';
import { dropTestDatabase, openTestWarehouse } from './clickhouse';
import { createTestDatabase, type TestDatabase } from './pg';

export interface TestApp {
  app: NestExpressApplication;
  /** http://127.0.0.1:<port> */
  url: string;
  db: TestDatabase;
  warehouse: Warehouse;
  /** One ETL run into this file's warehouse (what the scheduler would do next). */
  etl(mode?: EtlMode): Promise<void>;
  /** Requests as the default user (`staff` unless options.user says otherwise). */
  get<T = unknown>(path: string): Promise<{ status: number; body: T }>;
  send<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  /** The default user's session cookie (`name=value`), for requests made by other means. */
  cookie: string;
  /** Signs in as another demo account (leader, staff, admin, county-<code>) or none. */
  as(username: string | null): Promise<TestClient>;
  close(): Promise<void>;
}

export interface TestClient {
  cookie: string;
  get<T = unknown>(path: string, headers?: Record<string, string>): Promise<TestResponse<T>>;
  send<T = unknown>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<TestResponse<T>>;
}

export interface TestResponse<T> {
  status: number;
  body: T;
  headers: Headers;
}

/** The password of every account a test app creates. */
export const TEST_PASSWORD = 'test-password-1';

/** The settings of every test app: no ETL schedule (tests run it), no workbooks kept or made ahead. */
export const TEST_APP_ENV = { ETL_INTERVAL_SECONDS: '0', WORKBOOK_STORE_DIR: 'off', WORKBOOK_PREBUILD_MINUTES: '0' } as const;

export interface TestAppOptions {
  /** Demo data of this scale and seed, loaded before the app starts (default: none). */
  seed?: { scale: 'tiny' | 'demo'; seed?: number; today: string };
  /** Runs before the first ETL: load a fixture, say. */
  prepare?: (databaseUrl: string) => Promise<void>;
  env?: NodeJS.ProcessEnv;
  /** Who `get` and `send` sign in as (default staff). */
  user?: string;
  /** Print the app's logs (errors included); default: silent. */
  logs?: boolean;
}

/**
 * The real app on a free loopback port over a database and a chDB warehouse of this test
 * file's own, loaded by one full ETL run. No schedule: tests call `etl()` themselves.
 */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const db = await createTestDatabase();
  if (options.seed) await seedDatabase(db.url, { scale: options.seed.scale, seed: options.seed.seed ?? 1, today: options.seed.today });
  if (options.prepare) await options.prepare(db.url);
  await ensureAccounts(db.url, await demoAccounts(db.url), TEST_PASSWORD);
  const warehouse = await openTestWarehouse();
  await migrateWarehouse(warehouse);
  const sink = warehouseSink(warehouse);
  // eslint-disable-next-line prefer-const -- the ETL closure just below refers to the app made after it
  let app: NestExpressApplication | undefined;
  const etl = async (mode: EtlMode = 'incremental') => {
    const result = await runEtl({ databaseUrl: db.url, sink, mode, trigger: 'test' });
    if (result.status !== 'succeeded') throw new Error(`ETL run ${result.status}`);
    // as the app's own runs do: the next request reads the new data, not a kept answer
    app?.get(DimensionsService).invalidate();
  };
  await etl('full');
  // each app keeps its workbooks in a folder of its own, emptied with it; nothing is made ahead
  const workbooks = fs.mkdtempSync(path.join(os.tmpdir(), 'xuncha-test-workbooks-'));
  const config: AppConfig = loadConfig({ ...TEST_APP_ENV, WORKBOOK_STORE_DIR: workbooks, ...options.env });
  app = await createApp({ config, databaseUrl: db.url, warehouse, logger: options.logs || process.env.XUNCHA_TEST_APP_LOGS ? undefined : false });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const as = async (username: string | null): Promise<TestClient> => {
    let cookie = '';
    if (username !== null) {
      const login = await request(url, '', 'POST', '/api/auth/login', { username, password: TEST_PASSWORD });
      if (login.status !== 200) throw new Error(`sign-in as ${username}: ${login.status} ${JSON.stringify(login.body)}`);
      cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
    }
    return {
      cookie,
      get: (path, headers) => request(url, cookie, 'GET', path, undefined, headers),
      send: (method, path, body, headers) => request(url, cookie, method, path, body, headers),
    };
  };
  const client = await as(options.user ?? 'staff');
  return {
    app,
    url,
    db,
    warehouse,
    etl,
    get: (path) => client.get(path),
    send: (method, path, body) => client.send(method, path, body),
    cookie: client.cookie,
    as,
    close: async () => {
      await app.close();
      fs.rmSync(workbooks, { recursive: true, force: true });
      await dropTestDatabase();
      await db.drop();
    },
  };
}

/** One request to an app at `url` with a session cookie (or none); the body parsed when it is JSON. */
export async function request<T>(
  url: string,
  cookie: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<TestResponse<T>> {
  const response = await fetch(url + path, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(cookie ? { cookie } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body: parsed as T, headers: response.headers };
}
