import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../../backend/src/app';
import { loadConfig, type AppConfig } from '../../../backend/src/config/app-config';
import { warehouseSink } from '../../../etl/src/load/warehouse-sink';
import { runEtl, type EtlMode } from '../../../etl/src/runner';
import { migrateWarehouse, type Warehouse } from '../../../etl/src/warehouse';
import { seedDatabase } from '../../../prisma/src/seed';
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
  get<T = unknown>(path: string): Promise<{ status: number; body: T }>;
  send<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Demo data of this scale and seed, loaded before the app starts (default: none). */
  seed?: { scale: 'tiny' | 'demo'; seed?: number; today: string };
  /** Runs before the first ETL: load a fixture, say. */
  prepare?: (databaseUrl: string) => Promise<void>;
  env?: NodeJS.ProcessEnv;
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
  const warehouse = await openTestWarehouse();
  await migrateWarehouse(warehouse);
  const sink = warehouseSink(warehouse);
  const etl = async (mode: EtlMode = 'incremental') => {
    const result = await runEtl({ databaseUrl: db.url, sink, mode, trigger: 'test' });
    if (result.status !== 'succeeded') throw new Error(`ETL run ${result.status}`);
  };
  await etl('full');
  const config: AppConfig = loadConfig({ ETL_INTERVAL_SECONDS: '0', ...options.env });
  const app = await createApp({ config, databaseUrl: db.url, warehouse, logger: options.logs || process.env.XUNCHA_TEST_APP_LOGS ? undefined : false });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const send = async <T>(method: string, path: string, body?: unknown) => {
    const response = await fetch(url + path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: parsed as T };
  };
  return {
    app,
    url,
    db,
    warehouse,
    etl,
    get: (path) => send('GET', path),
    send,
    close: async () => {
      await app.close();
      await dropTestDatabase();
      await db.drop();
    },
  };
}
