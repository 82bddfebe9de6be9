/**
 * The app alone in a process of its own, for the load benchmark (so that the load generator
 * does not share its event loop and its memory can be measured): serves the bench database
 * and warehouse named by DATABASE_URL, CH_DATA_DIR and CLICKHOUSE_DATABASE (the ETL scheduled
 * every BENCH_ETL_INTERVAL_SECONDS when set), prints
 * `LISTENING <port>`, stops on SIGTERM.
 */
import type { AddressInfo } from 'node:net';
import { createApp, loadConfig } from '@xuncha/backend';
import { openWarehouse, warehouseConfigFromEnv } from '@xuncha/etl';
import { BENCH_APP_ENV } from './fixture';

async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('DATABASE_URL is required');
  const warehouse = await openWarehouse(warehouseConfigFromEnv());
  // BENCH_ETL_INTERVAL_SECONDS: the ETL schedule for a benchmark that writes (none by default)
  const etl = process.env.BENCH_ETL_INTERVAL_SECONDS ? { ETL_INTERVAL_SECONDS: process.env.BENCH_ETL_INTERVAL_SECONDS } : {};
  const app = await createApp({ config: loadConfig({ ...process.env, ...BENCH_APP_ENV, ...etl }), databaseUrl, warehouse, logger: false });
  await app.listen(0, '127.0.0.1');
  console.log(`LISTENING ${(app.getHttpServer().address() as AddressInfo).port}`);
  process.once('SIGTERM', () => {
    void app
      .close()
      .then(() => warehouse.close())
      .then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
