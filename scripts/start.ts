/**
 * npm start: the whole product on its embedded engines (or the servers named by
 * DATABASE_URL / CLICKHOUSE_URL; the ETL's extract reads DATABASE_READ_URL when set):
 * PostgreSQL started and migrated, demo data loaded into an empty database, the warehouse
 * migrated and loaded, then the app on PORT (default 3000) serving the API, the dashboard,
 * and an incremental ETL run every ETL_INTERVAL_SECONDS. Stops cleanly on Ctrl-C or SIGTERM: new requests are
 * refused at once, in-flight requests (within SHUTDOWN_GRACE_SECONDS) and the ETL batch under way finish first,
 * PostgreSQL stops last.
 */
import { checkServer, databaseConfigFromEnv, openDatabase, redactUrl, type DatabaseHandle, migrate, isDatabaseEmpty, seedDatabase } from '@xuncha/prisma';
import { runCli, UserError, shanghaiToday } from '@xuncha/shared';
import {
  warehouseSink,
  etlConfigFromEnv,
  waitForReplay,
  requestWarehouseLoad,
  runEtl,
  type EtlMode,
  migrateWarehouse,
  openWarehouse,
  warehouseConfigFromEnv,
  type Warehouse,
} from '@xuncha/etl';
import { ConfigError, loadConfig, type AppConfig, createApp, AccountsSetupError, ensureStartAccounts, ensureDefaultCategories } from '@xuncha/backend';
import { dashboardStale, DIST_DIR, ensureDashboardBuilt } from './dashboard';
import { nodeEngineProblem, requiredNode } from './node-engine';

function parseSeed(value: string | undefined): number {
  if (value === undefined || value === '') return 1;
  const seed = Number(value);
  if (!Number.isInteger(seed) || seed < 0) throw new UserError(`DEMO_SEED must be a non-negative integer (got "${value}")`);
  return seed;
}

function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return 'an unknown amount';
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} kB`;
}

function configFromEnv(): AppConfig {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) throw new UserError(error.message);
    throw error;
  }
}

/** The dashboard to serve: STATIC_DIR, or frontend/dist, built first when missing or stale. */
function dashboardDir(config: AppConfig): string {
  if (config.staticDir) return config.staticDir;
  if (dashboardStale()) {
    console.log('看板 Dashboard: building frontend/dist (first start or changed sources)…');
    const started = Date.now();
    ensureDashboardBuilt();
    console.log(`看板 Dashboard: built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  return DIST_DIR;
}

runCli(async () => {
  const engine = nodeEngineProblem(process.version, requiredNode());
  if (engine) throw new UserError(engine);
  const loaded = configFromEnv();
  const { readDatabaseUrl } = etlConfigFromEnv();
  const config: AppConfig = { ...loaded, staticDir: dashboardDir(loaded) };
  const demoSeed = parseSeed(process.env.DEMO_SEED);
  const skipDemo = process.env.DEMO_DATA === 'off';
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
  let app: Awaited<ReturnType<typeof createApp>> | undefined;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n收到 ${signal}，正在停止 stopping…`);
    // The app first: it refuses new requests at once, finishes those under way (cut after
    // SHUTDOWN_GRACE_SECONDS) and the ETL run under way; then the warehouse; PostgreSQL last
    // (it runs in a process group of its own, so Ctrl-C at the terminal does not stop it
    // under the app's feet).
    const bound = (config.shutdownGraceSeconds + 30) * 1000;
    let timer: NodeJS.Timeout | undefined;
    const finished = await Promise.race([
      (app?.close() ?? Promise.resolve()).then(() => true),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), bound))),
    ]).catch((error: unknown) => {
      console.error(`停止时出错 error while stopping: ${error instanceof Error ? error.message : String(error)}`);
      return true;
    });
    clearTimeout(timer);
    if (!finished) console.error(`停止超时 the app did not stop within ${bound / 1000} s; stopping the engines anyway`);
    else await warehouse.close();
    await db.stop();
    console.log('已停止 stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  try {
    console.log(`数据库 Database: ${db.describe}`);
    if (readDatabaseUrl) {
      await checkServer(readDatabaseUrl, 'DATABASE_READ_URL');
      console.log(`数据库 Database: the ETL reads from the replica ${redactUrl(readDatabaseUrl)}`);
    }
    const migrated = await migrate(db.url, undefined, (line) => console.log(`  ${line}`));
    console.log(`迁移 Migrations: ${migrated.applied.length} applied, ${migrated.alreadyApplied} already applied`);
    if (!skipDemo && (await isDatabaseEmpty(db.url))) {
      console.log(`示例数据 Demo data: loading 示例市 (scale demo, seed ${demoSeed})…`);
      const summary = await seedDatabase(db.url, { scale: 'demo', seed: demoSeed, today: shanghaiToday() });
      const total = Object.values(summary.counts).reduce((a, b) => a + b, 0);
      console.log(`示例数据 Demo data: ${total.toLocaleString('zh-CN')} rows in ${summary.seconds.toFixed(1)} s`);
    }
    await ensureStartAccounts(db.url, { embedded: db.embedded, demoPassword: config.demoPassword, adminPassword: config.adminPassword }, (line) =>
      console.log(line),
    );
    // without demo data: the DESIGN's issue-category tree, which the office then edits (基础数据 → 问题分类)
    const categories = await ensureDefaultCategories(db.url);
    if (categories > 0) console.log(`基础数据 Master data: ${categories} default issue categories written; set up regions, terms, rounds and units at /setup`);
    if (readDatabaseUrl) {
      // The first extract needs the tables and columns just migrated on the primary.
      const replay = await waitForReplay(db.url, readDatabaseUrl);
      if (!replay.caughtUp) {
        console.log(`数据库 Database: the replica is still ${formatBytes(replay.behindBytes)} of WAL behind; the ETL catches up as it replays`);
      }
    }
    // A new or upgraded warehouse needs a full load: recorded in PostgreSQL before the
    // migrations run, and cleared only by a full run that succeeds, so that a start killed
    // in between (or a load skipped because another process held the ETL lock) still
    // leads to one.
    const warehouseMigrations = await migrateWarehouse(warehouse, undefined, { beforeApply: (pending) => requestWarehouseLoad(db.url, pending) });
    console.log(
      `数据仓库 Warehouse: ${warehouse.engine === 'chdb' ? `embedded chDB, data in ${warehouseConfigFromEnv().dataDir}` : 'ClickHouse server'}` +
        ` (${warehouseMigrations.applied.length} migrations applied)`,
    );
    // A new warehouse (or one whose tables were just created) is loaded in full before the
    // app answers, so the dashboard's first figures are complete; so is one whose full load
    // is still pending from an earlier start or a reseed (the runner reads etl_state).
    const mode: EtlMode = warehouseMigrations.applied.length > 0 ? 'full' : 'incremental';
    const result = await runEtl({ databaseUrl: db.url, readDatabaseUrl, sink: warehouseSink(warehouse), mode, trigger: 'startup' });
    if (result.status === 'skipped') {
      console.log('同步 ETL: another process holds the ETL lock; the scheduled runs catch up (a pending full load stays pending until one succeeds)');
    } else {
      console.log(
        `同步 ETL run ${result.runId ?? '-'} (${result.mode}): ${result.written} written, ${result.rejected} rejected in ${result.seconds.toFixed(2)} s`,
      );
    }

    app = await createApp({ config, databaseUrl: db.url, databaseReadUrl: readDatabaseUrl, warehouse });
    await app.listen(config.port, config.host);
    console.log(
      config.etlIntervalSeconds > 0 ? `同步 ETL: incremental every ${config.etlIntervalSeconds} s` : '同步 ETL: schedule off (ETL_INTERVAL_SECONDS=0)',
    );
    const where = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`;
    console.log(`接口 API: ${where}/api (OpenAPI: ${where}/api/docs)`);
    console.log(`看板 Dashboard: ${where}/`);
  } catch (error) {
    await app?.close().catch(() => undefined);
    await warehouse.close();
    await db.stop();
    if (error instanceof AccountsSetupError) throw new UserError(error.message);
    if ((error as { code?: string }).code === 'EADDRINUSE') throw new UserError(`PORT ${config.port} is already in use; set PORT to a free port`);
    throw error;
  }
  console.log('就绪 Ready. Press Ctrl-C to stop.');
  await new Promise<void>(() => undefined); // runs until a signal arrives
});
