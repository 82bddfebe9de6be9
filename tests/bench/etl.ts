/**
 * npm run bench -- etl: the ETL at 1M findings (demo proportions) into embedded chDB.
 *
 *   BENCH etl-full-1m-chdb-rows-per-second   full load, every table, end to end
 *   BENCH etl-full-1m-chdb-seconds
 *   BENCH etl-full-1m-chdb-peak-rss-mb       peak resident memory of the process during the load
 *                                            (the ETL and the in-process chDB engine together)
 *   BENCH etl-full-1m-chdb-peak-rss-above-open-mb  the same less the process's memory once the
 *                                            warehouse is open (chDB's library and engine alone
 *                                            take ~200 MB at open)
 *   BENCH etl-incremental-10k-chdb-ms        10k changed task rows extracted and loaded
 *   BENCH etl-freshness-1m-chdb-p50-ms       a status change committed in PostgreSQL until
 *   BENCH etl-freshness-1m-chdb-p95-ms       visible in ClickHouse, scheduler running
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { warehouseSink, runEtl, startScheduler, migrateWarehouse, openWarehouse } from '@xuncha/etl';
import { runCli } from '@xuncha/shared';
import { bench, benchDatabase, peakRssMb, percentile } from './fixture';

const FRESHNESS_SAMPLES = 40;
const SCHEDULER_INTERVAL_MS = 1000; // the product's default ETL_INTERVAL_SECONDS

export async function benchEtl(): Promise<void> {
  const db = await benchDatabase('1m');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xuncha-bench-ch-'));
  const warehouse = await openWarehouse({ database: 'bench', dataDir: dir });
  const pg = new Client({ connectionString: db.url });
  await pg.connect();
  try {
    await migrateWarehouse(warehouse);
    const sink = warehouseSink(warehouse);

    // full load; the kernel's peak-RSS counter is reset first (clear_refs 5)
    const openRssMb = process.memoryUsage().rss / 1048576;
    fs.writeFileSync('/proc/self/clear_refs', '5');
    const full = await runEtl({ databaseUrl: db.url, sink, mode: 'full', trigger: 'bench' });
    bench('etl-full-1m-chdb-rows-per-second', Math.round(full.written / full.seconds), 'rows/s');
    bench('etl-full-1m-chdb-seconds', full.seconds, 's');
    bench('etl-full-1m-chdb-peak-rss-mb', Math.round(peakRssMb()), 'MB');
    bench('etl-full-1m-chdb-peak-rss-above-open-mb', Math.round(peakRssMb() - openRssMb), 'MB');
    console.error(
      `  (${full.written.toLocaleString('en')} rows: ${Object.entries(full.tables)
        .map(([t, s]) => `${t} ${s.written}`)
        .join(', ')})`,
    );

    // incremental: 10k task rows changed in one transaction
    await pg.query(`UPDATE rectification_tasks SET measure = measure || '。' WHERE id IN (SELECT id FROM rectification_tasks ORDER BY id DESC LIMIT 10000)`);
    const incremental = await runEtl({ databaseUrl: db.url, sink, trigger: 'bench' });
    if (incremental.read !== 10_000) throw new Error(`expected 10000 rows read, got ${incremental.read}`);
    bench('etl-incremental-10k-chdb-ms', Math.round(incremental.seconds * 1000), 'ms');

    // freshness with the scheduler running
    const scheduler = startScheduler({
      intervalMs: SCHEDULER_INTERVAL_MS,
      job: async () => void (await runEtl({ databaseUrl: db.url, sink, trigger: 'bench' })),
    });
    const latencies: number[] = [];
    try {
      const { rows } = await pg.query<{ id: string }>(
        `SELECT id::text FROM rectification_tasks WHERE status = 'IN_PROGRESS' ORDER BY id LIMIT ${FRESHNESS_SAMPLES}`,
      );
      for (const [i, { id }] of rows.entries()) {
        await new Promise((resolve) => setTimeout(resolve, 137 * (i % 7))); // spread the commits over the interval
        const committed = Date.now();
        await pg.query(`UPDATE rectification_tasks SET status = 'CLOSE_REQUESTED' WHERE id = $1`, [id]);
        for (;;) {
          const [row] = await warehouse.query<{ status: string }>(`SELECT status FROM fact_tasks FINAL WHERE id = {id:UInt64}`, { id });
          if (row?.status === 'CLOSE_REQUESTED') break;
          if (Date.now() - committed > 30_000) throw new Error(`task ${id} not visible after 30 s`);
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        latencies.push(Date.now() - committed);
      }
    } finally {
      await scheduler.stop();
    }
    bench('etl-freshness-1m-chdb-p50-ms', percentile(latencies, 0.5), 'ms');
    bench('etl-freshness-1m-chdb-p95-ms', percentile(latencies, 0.95), 'ms');
  } finally {
    await pg.end();
    await warehouse.close();
    fs.rmSync(dir, { recursive: true, force: true });
    await db.close();
  }
}

if (require.main === module) runCli(benchEtl);
