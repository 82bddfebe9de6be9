/**
 * npm run bench -- export: the quarterly statistics workbook at 1M findings (and 10M with
 * BENCH_EXPORT_SCALES=1m,10m) on embedded chDB, through HTTP (the whole download: queries,
 * the five sheets streamed into the .xlsx, the transfer), warm. BENCH_EXPORT_RUNS: runs
 * per scale (default 3). The figures below are named for 1m; 10m's alike.
 *
 *   BENCH export-quarterly-1m-chdb-seconds          a past quarter (as of its last day: task
 *                                                   states between events) made for the request
 *                                                   (none kept), median of 3
 *   BENCH export-quarterly-1m-chdb-kept-seconds     the same workbook asked for again while its
 *                                                   figures stand: served as kept, median of 3
 *   BENCH export-quarterly-1m-chdb-ahead-seconds    one prebuilder pass making the quarter's
 *                                                   workbooks ahead: the city's and each county's
 *   BENCH export-quarterly-1m-chdb-peak-rss-mb      peak resident memory of the process during
 *                                                   the exports (app and in-process chDB together)
 *   BENCH export-quarterly-1m-chdb-peak-rss-above-open-mb  the same less the memory before the first export
 *   BENCH export-quarterly-1m-chdb-mb               the file's size
 *   BENCH export-tasks-csv-1m-chdb-seconds          GET /api/tasks.csv of that quarter's overdue list
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import ExcelJS from 'exceljs';
import { createApp, loadConfig, ExportsService, lastEndedQuarter, WorkbookPrebuilder } from '@xuncha/backend';
import { type Scale } from '@xuncha/prisma';
import { runCli } from '@xuncha/shared';
import { bench, benchSession, benchDatabase, benchWarehouse, BENCH_APP_ENV, BENCH_TODAY, peakRssMb, percentile } from './fixture';

const RUNS = Number(process.env.BENCH_EXPORT_RUNS ?? 3);

export async function benchExport(): Promise<void> {
  for (const scale of (process.env.BENCH_EXPORT_SCALES ?? '1m').split(',').map((s) => s.trim()) as Scale[]) await benchScale(scale);
}

/** Rows per sheet, read with exceljs's streaming reader (a 10M workbook does not fit a loaded one). */
async function sheetRows(file: Buffer): Promise<string> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([file]), {
    worksheets: 'emit',
    sharedStrings: 'ignore',
    styles: 'ignore',
    hyperlinks: 'ignore',
  });
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
  const store = fs.mkdtempSync(path.join(os.tmpdir(), 'xuncha-bench-workbooks-'));
  const app = await createApp({ config: loadConfig({ ...BENCH_APP_ENV, WORKBOOK_STORE_DIR: store }), databaseUrl: db.url, warehouse, logger: false });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  try {
    const { cookie } = await benchSession(db.url, base);
    const { year, quarter } = lastEndedQuarter(BENCH_TODAY);
    const download = async (path: string) => {
      const started = performance.now();
      const response = await fetch(base + path, { headers: { cookie } });
      const body = Buffer.from(await response.arrayBuffer());
      if (!response.ok) throw new Error(`${path} → ${response.status} ${body.toString('utf8').slice(0, 300)}`);
      return { seconds: (performance.now() - started) / 1000, body, source: response.headers.get('x-xuncha-workbook') };
    };
    await fetch(`${base}/api/options`, { headers: { cookie } }); // dimensions loaded, as in a running app

    const openRssMb = process.memoryUsage().rss / 1048576;
    fs.writeFileSync('/proc/self/clear_refs', '5'); // the kernel's peak-RSS counter starts again here
    const times: number[] = [];
    let file = Buffer.alloc(0);
    const workbook = `/api/exports/quarterly?year=${year}&quarter=${quarter}`;
    const exports = app.get(ExportsService);
    for (let i = 0; i < RUNS; i++) {
      await exports.store.clear();
      const run = await download(workbook);
      if (run.source !== 'made') throw new Error(`${workbook}: ${run.source}, expected made`);
      times.push(run.seconds);
      file = run.body;
      console.error(`  made ${i + 1}: ${run.seconds.toFixed(2)} s`);
    }
    bench(`export-quarterly-${scale}-chdb-seconds`, percentile(times, 0.5), 's');
    const kept: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const run = await download(workbook);
      if (run.source !== 'kept' || !run.body.equals(file)) throw new Error(`${workbook}: ${run.source}, expected the kept file`);
      kept.push(run.seconds);
    }
    bench(`export-quarterly-${scale}-chdb-kept-seconds`, percentile(kept, 0.5), 's');
    bench(`export-quarterly-${scale}-chdb-peak-rss-mb`, Math.round(peakRssMb()), 'MB');
    bench(`export-quarterly-${scale}-chdb-peak-rss-above-open-mb`, Math.round(peakRssMb() - openRssMb), 'MB');
    bench(`export-quarterly-${scale}-chdb-mb`, file.length / 1048576, 'MB');
    console.error(`  (${year}Q${quarter}: ${await sheetRows(file)})`);

    const quarterEnd = new Date(Date.UTC(year, quarter * 3, 1) - 86_400_000).toISOString().slice(0, 10);
    const csv = await download(`/api/tasks.csv?asOf=${quarterEnd}&overdue=true&sort=-daysOverdue`);
    bench(`export-tasks-csv-${scale}-chdb-seconds`, csv.seconds, 's');

    // the background work after a quarter closes (or a backdated change): every scope's workbook
    await exports.store.clear();
    const started = performance.now();
    await app.get(WorkbookPrebuilder).pass({ year, quarter });
    bench(`export-quarterly-${scale}-chdb-ahead-seconds`, (performance.now() - started) / 1000, 's');
  } finally {
    await app.close();
    fs.rmSync(store, { recursive: true, force: true });
    await warehouse.close();
    await db.close();
  }
}

if (require.main === module) runCli(benchExport);
