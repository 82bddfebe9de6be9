/**
 * npm run bench -- export: the quarterly statistics workbook at 1M findings (and 10M with
 * BENCH_EXPORT_SCALES=1m,10m) on embedded chDB, through HTTP (the whole download: queries,
 * the five sheets streamed into the .xlsx, the transfer), warm. BENCH_EXPORT_RUNS: runs
 * per scale (default 3). The figures below are named for 1m; 10m's alike.
 *
 *   BENCH export-quarterly-1m-chdb-seconds          a past quarter (as of its last day: task
 *                                                   states between events), median of 3
 *   BENCH export-quarterly-1m-chdb-peak-rss-mb      peak resident memory of the process during
 *                                                   the exports (app and in-process chDB together)
 *   BENCH export-quarterly-1m-chdb-peak-rss-above-open-mb  the same less the memory before the first export
 *   BENCH export-quarterly-1m-chdb-mb               the file's size
 *   BENCH export-tasks-csv-1m-chdb-seconds          GET /api/tasks.csv of that quarter's overdue list
 */
import fs from 'node:fs';
import { Readable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import ExcelJS from 'exceljs';
import { createApp } from '../../backend/src/app';
import { loadConfig } from '../../backend/src/config/app-config';
import { runCli } from '../../prisma/src/errors';
import type { Scale } from '../../prisma/src/seed';
import { bench, benchSession, benchDatabase, benchWarehouse, BENCH_TODAY, peakRssMb, percentile } from './fixture';

const RUNS = Number(process.env.BENCH_EXPORT_RUNS ?? 3);

/** The last quarter that ended before `day`. */
function quarterBefore(day: string): { year: number; quarter: number } {
  const [y, m] = day.split('-').map(Number);
  const current = Math.floor((m - 1) / 3) + 1;
  return current === 1 ? { year: y - 1, quarter: 4 } : { year: y, quarter: current - 1 };
}

export async function benchExport(): Promise<void> {
  for (const scale of (process.env.BENCH_EXPORT_SCALES ?? '1m').split(',').map((s) => s.trim()) as Scale[]) await benchScale(scale);
}

/** Rows per sheet, read with exceljs's streaming reader (a 10M workbook does not fit a loaded one). */
async function sheetRows(file: Buffer): Promise<string> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([file]), { worksheets: 'emit', sharedStrings: 'ignore', styles: 'ignore', hyperlinks: 'ignore' });
  const counts: string[] = [];
  for await (const sheet of reader) {
    let rows = 0;
    for await (const _row of sheet as AsyncIterable<unknown>) rows++;
    counts.push(`${(sheet as unknown as { name: string }).name} ${rows} rows`);
  }
  return counts.join(', ');
}

async function benchScale(scale: Scale): Promise<void> {
  const db = await benchDatabase(scale, { copy: false });
  const warehouse = await benchWarehouse(db);
  const app = await createApp({ config: loadConfig({ ETL_INTERVAL_SECONDS: '0' }), databaseUrl: db.url, warehouse, logger: false });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  try {
    const { cookie } = await benchSession(db.url, base);
    const { year, quarter } = quarterBefore(BENCH_TODAY);
    const download = async (path: string) => {
      const started = performance.now();
      const response = await fetch(base + path, { headers: { cookie } });
      const body = Buffer.from(await response.arrayBuffer());
      if (!response.ok) throw new Error(`${path} → ${response.status} ${body.toString('utf8').slice(0, 300)}`);
      return { seconds: (performance.now() - started) / 1000, body };
    };
    await fetch(`${base}/api/options`, { headers: { cookie } }); // dimensions loaded, as in a running app

    const openRssMb = process.memoryUsage().rss / 1048576;
    fs.writeFileSync('/proc/self/clear_refs', '5'); // the kernel's peak-RSS counter starts again here
    const times: number[] = [];
    let file = Buffer.alloc(0);
    for (let i = 0; i < RUNS; i++) {
      const run = await download(`/api/exports/quarterly?year=${year}&quarter=${quarter}`);
      times.push(run.seconds);
      file = run.body;
      console.error(`  run ${i + 1}: ${run.seconds.toFixed(2)} s`);
    }
    bench(`export-quarterly-${scale}-chdb-seconds`, percentile(times, 0.5), 's');
    bench(`export-quarterly-${scale}-chdb-peak-rss-mb`, Math.round(peakRssMb()), 'MB');
    bench(`export-quarterly-${scale}-chdb-peak-rss-above-open-mb`, Math.round(peakRssMb() - openRssMb), 'MB');
    bench(`export-quarterly-${scale}-chdb-mb`, file.length / 1048576, 'MB');
    console.error(`  (${year}Q${quarter}: ${await sheetRows(file)})`);

    const quarterEnd = new Date(Date.UTC(year, quarter * 3, 1) - 86_400_000).toISOString().slice(0, 10);
    const csv = await download(`/api/tasks.csv?asOf=${quarterEnd}&overdue=true&sort=-daysOverdue`);
    bench(`export-tasks-csv-${scale}-chdb-seconds`, csv.seconds, 's');
  } finally {
    await app.close();
    await warehouse.close();
    await db.close();
  }
}

if (require.main === module) runCli(benchExport);
