/**
 * npm run etl              incremental run: what changed since the last run
 * npm run etl -- --full    rebuild: empty the warehouse and load everything
 *
 * Uses DATABASE_URL (or the embedded PostgreSQL in ./data/pg; the extract reads from
 * DATABASE_READ_URL when set) and CLICKHOUSE_URL (or the embedded chDB in ./data/ch). A
 * progress bar on a terminal; one line per table otherwise.
 */
import { checkServer, databaseConfigFromEnv, openDatabase, migrate } from '@xuncha/prisma';
import { runCli, UserError } from '@xuncha/shared';
import { warehouseSink } from './load/warehouse-sink';
import { etlConfigFromEnv } from './config';
import { waitForReplay } from './extract/replica';
import { requestWarehouseLoad, runEtl, type EtlProgress } from './runner';
import { migrateWarehouse, openWarehouse, warehouseConfigFromEnv, WarehouseError } from './warehouse';

function parseArgs(argv: string[]): { full: boolean; batchSize?: number } {
  const args: { full: boolean; batchSize?: number } = { full: false };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--full') args.full = true;
    else if (arg === '--batch-size') {
      const value = Number(argv[++i]);
      if (!Number.isInteger(value) || value < 1 || value > 1_000_000) throw new UserError('--batch-size must be an integer from 1 to 1000000');
      args.batchSize = value;
    } else throw new UserError(`unknown argument "${arg}"; usage: npm run etl [-- --full] [--batch-size N]`);
  }
  return args;
}

/** A progress bar on a terminal; nothing otherwise (the summary follows the run). */
function progressPrinter(): ((progress: EtlProgress) => void) | undefined {
  if (!process.stdout.isTTY) return undefined;
  const started = Date.now();
  const width = 20;
  return ({ table, stats, tableIndex, tableCount }) => {
    const filled = Math.round(((tableIndex + 1) / tableCount) * width);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    process.stdout.write(
      `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${tableIndex + 1}/${tableCount} ${table.padEnd(18)} ` +
        `read ${stats.read.toLocaleString('en')}  rejected ${stats.rejected.toLocaleString('en')}  ${seconds}s\x1b[K`,
    );
  };
}

runCli(async () => {
  const args = parseArgs(process.argv.slice(2));
  const { readDatabaseUrl } = etlConfigFromEnv();
  let warehouse;
  try {
    warehouse = await openWarehouse(warehouseConfigFromEnv());
  } catch (error) {
    if (error instanceof WarehouseError && /another process .* holds the embedded warehouse/.test(error.message)) {
      throw new UserError(`${error.message.split(':')[0]}: the running app owns it — trigger a run with POST /api/etl/run instead`);
    }
    throw error;
  }
  const db = await openDatabase(databaseConfigFromEnv());
  try {
    await migrate(db.url);
    if (readDatabaseUrl) {
      await checkServer(readDatabaseUrl, 'DATABASE_READ_URL');
      // The extract needs what the migrations just changed on the primary.
      const replay = await waitForReplay(db.url, readDatabaseUrl);
      if (!replay.caughtUp) console.log('the replica (DATABASE_READ_URL) is still replaying; this run reads what it has replayed so far');
    }
    await migrateWarehouse(warehouse, undefined, { beforeApply: (pending) => requestWarehouseLoad(db.url, pending) });
    const onProgress = progressPrinter();
    const result = await runEtl({
      databaseUrl: db.url,
      readDatabaseUrl,
      sink: warehouseSink(warehouse),
      mode: args.full ? 'full' : 'incremental',
      batchSize: args.batchSize,
      trigger: 'cli',
      onProgress,
    });
    if (process.stdout.isTTY) process.stdout.write('\n');
    if (result.status === 'skipped') {
      console.log('另一个同步正在运行 another ETL run holds the lock; nothing done');
      return;
    }
    for (const [table, stats] of Object.entries(result.tables)) {
      console.log(`${table.padEnd(18)} read ${stats.read}  written ${stats.written}  rejected ${stats.rejected}`);
    }
    console.log(
      `run ${result.runId} (${result.mode}${result.mode === 'full' && !args.full ? ', a full load the warehouse needed' : ''}): ${result.read} read, ${result.written} written, ${result.rejected} rejected in ${result.seconds.toFixed(2)} s` +
        (result.rejected ? ' — rejects with reasons are in etl_rejects' : ''),
    );
  } finally {
    await warehouse.close();
    await db.stop();
  }
});
