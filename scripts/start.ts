/**
 * npm start: the whole product on its embedded engines (or the servers named by
 * DATABASE_URL / CLICKHOUSE_URL): PostgreSQL started and migrated, demo data loaded into
 * an empty database, the warehouse migrated and fully loaded, then kept up to date by an
 * incremental ETL run every ETL_INTERVAL_SECONDS. Stops cleanly on Ctrl-C or SIGTERM.
 */
import { databaseConfigFromEnv, openDatabase, type DatabaseHandle } from '../prisma/src/database';
import { runCli, UserError } from '../prisma/src/errors';
import { migrate } from '../prisma/src/migrate';
import { isDatabaseEmpty, seedDatabase } from '../prisma/src/seed';
import { shanghaiToday } from '../prisma/src/calendar';
import { warehouseSink } from '../etl/src/load/warehouse-sink';
import { runEtl, type EtlMode } from '../etl/src/runner';
import { startScheduler, type Scheduler } from '../etl/src/scheduler';
import { migrateWarehouse, openWarehouse, warehouseConfigFromEnv, type Warehouse } from '../etl/src/warehouse';

function parseInterval(value: string | undefined): number {
  if (value === undefined || value === '') return 1;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds < 1 || seconds > 86_400) {
    throw new UserError(`ETL_INTERVAL_SECONDS must be a number of seconds from 1 to 86400 (got "${value}")`);
  }
  return seconds;
}

function parseSeed(value: string | undefined): number {
  if (value === undefined || value === '') return 1;
  const seed = Number(value);
  if (!Number.isInteger(seed) || seed < 0) throw new UserError(`DEMO_SEED must be a non-negative integer (got "${value}")`);
  return seed;
}

runCli(async () => {
  const demoSeed = parseSeed(process.env.DEMO_SEED);
  const skipDemo = process.env.DEMO_DATA === 'off';
  const intervalSeconds = parseInterval(process.env.ETL_INTERVAL_SECONDS);
  // The warehouse first: when another process holds the embedded one, say so before
  // starting anything else.
  const warehouse: Warehouse = await openWarehouse(warehouseConfigFromEnv());
  let db: DatabaseHandle;
  try {
    db = await openDatabase(databaseConfigFromEnv());
  } catch (error) {
    await warehouse.close();
    throw error;
  }
  let scheduler: Scheduler | undefined;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n收到 ${signal}，正在停止 stopping…`);
    await scheduler?.stop();
    await warehouse.close();
    await db.stop();
    console.log('已停止 stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  try {
    console.log(`数据库 Database: ${db.describe}`);
    const migrated = await migrate(db.url, undefined, (line) => console.log(`  ${line}`));
    console.log(`迁移 Migrations: ${migrated.applied.length} applied, ${migrated.alreadyApplied} already applied`);
    if (!skipDemo && (await isDatabaseEmpty(db.url))) {
      console.log(`示例数据 Demo data: loading 示例市 (scale demo, seed ${demoSeed})…`);
      const summary = await seedDatabase(db.url, { scale: 'demo', seed: demoSeed, today: shanghaiToday() });
      const total = Object.values(summary.counts).reduce((a, b) => a + b, 0);
      console.log(`示例数据 Demo data: ${total.toLocaleString('zh-CN')} rows in ${summary.seconds.toFixed(1)} s`);
    }
    const warehouseMigrations = await migrateWarehouse(warehouse);
    console.log(
      `数据仓库 Warehouse: ${warehouse.engine === 'chdb' ? `embedded chDB, data in ${warehouseConfigFromEnv().dataDir}` : 'ClickHouse server'}` +
        ` (${warehouseMigrations.applied.length} migrations applied)`,
    );
    const sink = warehouseSink(warehouse);
    const etl = async (mode: EtlMode, trigger: string) => {
      const result = await runEtl({ databaseUrl: db.url, sink, mode, trigger });
      if (result.status === 'succeeded' && (result.read > 0 || mode === 'full')) {
        console.log(`同步 ETL run ${result.runId} (${mode}): ${result.written} written, ${result.rejected} rejected in ${result.seconds.toFixed(2)} s`);
      }
    };
    // A new warehouse (or one whose tables were just created) is loaded in full.
    await etl(warehouseMigrations.applied.length > 0 ? 'full' : 'incremental', 'startup');
    scheduler = startScheduler({
      intervalMs: intervalSeconds * 1000,
      job: () => etl('incremental', 'schedule'),
      onError: (error) => console.error(`同步失败 ETL run failed (retrying with backoff): ${error instanceof Error ? error.message : String(error)}`),
    });
    console.log(`同步 ETL: incremental every ${intervalSeconds} s`);
  } catch (error) {
    await warehouse.close();
    await db.stop();
    throw error;
  }
  console.log('就绪 Ready. Press Ctrl-C to stop.');
  await new Promise<void>(() => undefined); // runs until a signal arrives
});
