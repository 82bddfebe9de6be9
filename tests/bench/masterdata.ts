/**
 * npm run bench -- masterdata: the import of a 5,000-unit directory (被巡察单位名录) through
 * HTTP into the tiny demo city's regions, warm, (embedded PostgreSQL, chDB): a generated .xlsx with
 * townships and their villages (parents in the same file), Excel date cells and text dates.
 *
 *   BENCH masterdata-units-import-5k-seconds                 the upload: read, check every row, insert
 *   BENCH masterdata-units-import-5k-refused-seconds         the same file with one bad row per 100:
 *                                                            every problem named, nothing imported
 *   BENCH masterdata-units-import-5k-open-rss-mb             BASELINE, THE APP'S WHOLE PROCESS, before the two
 *                                                            imports: app, PostgreSQL clients, in-process chDB
 *   BENCH masterdata-units-import-5k-open-rss-anon-mb        the baseline's anonymous part (heaps)
 *   BENCH masterdata-units-import-5k-open-rss-file-mb        the baseline's file-backed part (mapped binaries)
 *   BENCH masterdata-units-import-5k-open-libchdb-rss-mb     of which libchdb.so's resident pages
 *   BENCH masterdata-units-import-5k-peak-rss-mb             WHOLE PROCESS: peak resident memory (VmHWM) during
 *                                                            both imports (chDB's few hundred MB included)
 *   BENCH masterdata-units-import-5k-peak-rss-anon-mb        WHOLE PROCESS, ANONYMOUS PART: its peak (sampled every
 *                                                            10 ms; no mapped library pages)
 *   BENCH masterdata-units-import-5k-peak-rss-above-open-mb  THE IMPORTS' OWN: the whole-process peak less the baseline
 *
 * Goal (issue 14): under 10 s and 500 MB.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { unitFile, upload } from '../src/support/directory-files';
import { bench, benchDatabase, benchSession, benchWarehouse, benchWarehouseDir, inChildProcess, mappedRssMb, startAppProcess, watchMemory } from './fixture';

async function query<T>(url: string, text: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows as T[];
  } finally {
    await client.end();
  }
}

const UNITS = 5_000;

/**
 * The directory: per township its 乡镇 unit and villages under it, until 5,000 rows, written
 * to `good`, and the same with one bad row per 100 to `bad`. Run in a child process.
 */
export async function writeUnitFiles({ townships, good, bad }: { townships: string[]; good: string; bad: string }): Promise<{ rows: number }> {
  const rows: unknown[][] = [];
  for (let i = 0; rows.length < UNITS; i++) {
    const region = townships[i % townships.length];
    const township = `B${String(i).padStart(5, '0')}`;
    rows.push([township, `基准乡镇${i}党委`, '乡镇(街道)', region, null, null, new Date(Date.UTC(2001, i % 12, 1 + (i % 28))), null]);
    for (let v = 0; v < 24 && rows.length < UNITS; v++) {
      rows.push([
        `${township}-${String(v).padStart(2, '0')}`,
        `基准乡镇${i}第${v}村党支部 `,
        '村（社区）',
        region,
        null,
        township,
        `2002/${1 + (v % 12)}/${1 + (v % 28)}`,
        v === 23 ? '2024年3月1日' : null,
      ]);
    }
  }
  fs.writeFileSync(good, await unitFile(rows));
  fs.writeFileSync(bad, await unitFile(rows.map((row, i) => (i % 100 === 7 ? [row[0], '', '学校', '无此区', null, null, '2002-13-01', null] : row))));
  return { rows: rows.length };
}

export async function benchMasterdata(): Promise<void> {
  // a copy of the seeded tiny city (its regions), the app on it
  const db = await benchDatabase('tiny');
  // loaded here, then handed to the app's process: one process per chDB folder
  await (await benchWarehouse(db)).close();
  const app = await startAppProcess({ DATABASE_URL: db.url, CH_DATA_DIR: benchWarehouseDir(db), CLICKHOUSE_DATABASE: 'bench', CLICKHOUSE_URL: '' });
  const { base } = app;
  const t = { db, url: base, cookie: (await benchSession(db.url, base)).cookie };
  try {
    const regions = await query<{ code: string; level: string }>(
      t.db.url,
      "SELECT code, level::text AS level FROM regions WHERE level IN ('TOWNSHIP', 'COUNTY') ORDER BY code",
    );
    // the two files are made in a child process: the generator's memory is not the app's
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xuncha-bench-units-'));
    const files = { good: path.join(dir, 'good.xlsx'), bad: path.join(dir, 'bad.xlsx') };
    const { rows } = await inChildProcess<{ rows: number }>(__filename, 'writeUnitFiles', {
      townships: regions.filter((r) => r.level === 'TOWNSHIP').map((r) => r.code),
      ...files,
    });
    const good = fs.readFileSync(files.good);
    const bad = fs.readFileSync(files.bad);
    fs.rmSync(dir, { recursive: true, force: true });
    console.error(`  (${rows} rows, ${(good.length / 1024).toFixed(0)} KB)`);
    const url = `${t.url}/api/masterdata/units/import`;

    // warm: one refused upload first (the app's first request loads and compiles exceljs)
    await upload(url, t.cookie, bad);
    const memory = watchMemory(app.pid);
    let started = performance.now();
    const refused = await upload(url, t.cookie, bad);
    const refusedSeconds = (performance.now() - started) / 1000;
    if (refused.status !== 400 || refused.body.details?.length !== UNITS / 100)
      throw new Error(`bench: the bad file answered ${refused.status} with ${refused.body.details?.length} rows`);
    started = performance.now();
    const imported = await upload(url, t.cookie, good);
    const seconds = (performance.now() - started) / 1000;
    if (imported.status !== 201 || imported.body.imported !== UNITS)
      throw new Error(`bench: the import answered ${imported.status}: ${JSON.stringify(imported.body).slice(0, 300)}`);
    const [{ n }] = await query<{ n: string }>(t.db.url, "SELECT count(*) AS n FROM org_units WHERE code LIKE 'B%'");
    if (Number(n) !== UNITS) throw new Error(`bench: ${n} units in the directory, not ${UNITS}`);
    bench('masterdata-units-import-5k-seconds', seconds, 's');
    bench('masterdata-units-import-5k-refused-seconds', refusedSeconds, 's');
    const { peakRss, peakAnon } = memory.stop();
    const { open } = memory;
    bench('masterdata-units-import-5k-open-rss-mb', Math.round(open.rss), 'MB');
    bench('masterdata-units-import-5k-open-rss-anon-mb', Math.round(open.anon), 'MB');
    bench('masterdata-units-import-5k-open-rss-file-mb', Math.round(open.file), 'MB');
    bench('masterdata-units-import-5k-open-libchdb-rss-mb', Math.round(mappedRssMb(app.pid, 'libchdb')), 'MB');
    bench('masterdata-units-import-5k-peak-rss-mb', Math.round(peakRss), 'MB');
    bench('masterdata-units-import-5k-peak-rss-anon-mb', Math.round(peakAnon), 'MB');
    bench('masterdata-units-import-5k-peak-rss-above-open-mb', Math.round(peakRss - open.rss), 'MB');
    console.error(
      `  (masterdata-units-import-5k-peak-rss-mb is the app's whole process, as npm start runs it, the in-process chDB included, ${Math.round(open.rss)} MB before the imports ` +
        `(${Math.round(open.anon)} MB anonymous, ${Math.round(open.file)} MB file-backed: mapped binaries, libchdb.so among them); ` +
        "masterdata-units-import-5k-peak-rss-anon-mb its anonymous part at its peak; masterdata-units-import-5k-peak-rss-above-open-mb is the imports' own: the peak less that baseline)",
    );
  } finally {
    await app.stop();
    await db.close();
  }
}
