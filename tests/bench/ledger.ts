/**
 * npm run bench -- ledger: the 整改台账 import of a generated 10,000-row ledger with its
 * history (about 2.2 events a task on the 历史 sheet, 50 rows creating inspections), through
 * HTTP on the tiny demo data (its rounds, units and inspections): the preview, then the
 * import (all rows in one transaction), each the whole request (upload, reading, checks,
 * writes). BENCH_LEDGER_ROWS: rows (default 10000). Goal: each under 10 s and 500 MB.
 *
 * The app runs in a process of its own, as `npm start` runs it (startAppProcess: the
 * compiled JavaScript kept by scripts/register.cjs), and the figures are that process's. It
 * holds the in-process chDB too, whose library (libchdb.so, 566 MB on disk) is mapped into
 * it: its resident pages count in the process's RSS as file-backed memory (RssFile), the
 * heaps as anonymous memory (RssAnon). Memory figures:
 *
 *   BENCH ledger-10k-file-mb                  the workbook's size
 *   BENCH ledger-10k-preview-seconds          POST /api/imports/ledger/preview
 *   BENCH ledger-10k-import-seconds           POST /api/imports/ledger (confirmNewInspections)
 *   BENCH ledger-10k-events                   task events written (CREATED and the history)
 *   BENCH ledger-10k-open-rss-mb              BASELINE, THE APP'S WHOLE PROCESS, before the
 *                                             preview: the app, its PostgreSQL clients,
 *                                             the in-process chDB
 *   BENCH ledger-10k-open-rss-anon-mb         the baseline's anonymous part (heaps)
 *   BENCH ledger-10k-open-rss-file-mb         the baseline's file-backed part (mapped binaries)
 *   BENCH ledger-10k-open-libchdb-rss-mb      of which libchdb.so's resident pages
 *   BENCH ledger-10k-peak-rss-mb              WHOLE PROCESS: peak resident memory during both
 *                                             (VmHWM; the app and the in-process chDB included)
 *   BENCH ledger-10k-peak-rss-anon-mb         WHOLE PROCESS, ANONYMOUS PART: its peak during
 *                                             both (sampled every 10 ms; no mapped library pages)
 *   BENCH ledger-10k-peak-rss-above-open-mb   THE IMPORT'S OWN: the whole-process peak less
 *                                             the baseline
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { Client } from 'pg';
import { HISTORY_COLUMNS, LEDGER_COLUMNS } from '@xuncha/backend';
import { shanghaiToday } from '@xuncha/shared';
import { bench, benchDatabase, benchSession, benchWarehouse, benchWarehouseDir, inChildProcess, mappedRssMb, startAppProcess, watchMemory } from './fixture';

const ROWS = Number(process.env.BENCH_LEDGER_ROWS ?? 10_000);

function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

interface Target {
  round: string;
  unit: string;
  stationed: string;
  feedback: string | null;
  /** Columns a row creating its inspection carries. */
  create?: { team: string; stationedFrom: string; feedbackDate: string };
}

/** Where the rows go: existing inspections of the data, and 50 round-unit pairs without one (created by the import). */
async function targets(url: string, today: string): Promise<Target[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: existing } = await client.query<{ round: string; code: string; stationed: string; feedback: string | null }>(
      `SELECT r.name AS round, u.code, to_char(i.stationed_from, 'YYYY-MM-DD') AS stationed, to_char(i.feedback_date, 'YYYY-MM-DD') AS feedback
         FROM inspections i JOIN rounds r ON r.id = i.round_id JOIN org_units u ON u.id = i.unit_id
        WHERE i.deleted_at IS NULL AND r.deleted_at IS NULL AND u.deleted_at IS NULL AND i.stationed_from < $1::date - 400 AND (i.feedback_date IS NULL OR i.feedback_date < $1::date - 350)
          AND (SELECT count(*) FROM inspections j WHERE j.round_id = i.round_id AND j.unit_id = i.unit_id AND j.deleted_at IS NULL) = 1
        ORDER BY i.id LIMIT 500`,
      [today],
    );
    // stationed on the round's first day (an inspection is stationed within its round), the unit existing by then
    const { rows: fresh } = await client.query<{ round: string; code: string; start: string }>(
      `SELECT r.name AS round, u.code, to_char(r.start_date, 'YYYY-MM-DD') AS start FROM rounds r CROSS JOIN org_units u
        WHERE r.deleted_at IS NULL AND u.deleted_at IS NULL AND u.valid_to IS NULL AND u.valid_from <= r.start_date AND r.start_date < $1::date - 400
          AND NOT EXISTS (SELECT 1 FROM inspections i WHERE i.round_id = r.id AND i.unit_id = u.id)
        ORDER BY r.id, u.id LIMIT 50`,
      [today],
    );
    return [
      ...existing.map((e) => ({ round: e.round, unit: e.code, stationed: e.stationed, feedback: e.feedback })),
      ...fresh.map((f, i) => ({
        round: f.round,
        unit: f.code,
        stationed: f.start,
        feedback: addDays(f.start, 30),
        create: { team: `基准巡察组${i}`, stationedFrom: f.start, feedbackDate: addDays(f.start, 30) },
      })),
    ];
  } finally {
    await client.end();
  }
}

/**
 * The ledger: ROWS tasks, each with 2 to 4 events; half closed (some directly from 整改中),
 * one in four extended. Written with exceljs's streaming writer to `filename`; benchLedger
 * runs this in a child process, so that the generator's memory is not counted as the app's.
 */
export async function writeLedgerFile({
  places,
  categories,
  today,
  filename,
}: {
  places: Target[];
  categories: string[];
  today: string;
  filename: string;
}): Promise<{ events: number }> {
  const ledgerRows: unknown[][] = [];
  const historyRows: unknown[][] = [];
  const created = new Set<Target>();
  for (let n = 0; n < ROWS; n++) {
    const place = places[n % places.length];
    const key = `T${n + 1}`;
    const found = addDays(place.stationed, 1 + (n % 20));
    const due = addDays(place.feedback && place.feedback > found ? place.feedback : found, 60 + (n % 90));
    const cells: Record<string, unknown> = {
      taskKey: key,
      round: place.round,
      unit: place.unit,
      category: categories[n % categories.length],
      description: `基准问题 ${n + 1}：制度执行不到位，台账记录不完整`,
      isImmediate: n % 7 === 0 ? '是' : '否',
      measure: '建立健全制度，逐项整改销号',
      responsibleDept: `部门${n % 40}`,
      responsiblePerson: `责任人${n % 300}`,
      track: n % 7 === 0 ? '立行立改' : '限期整改',
      dueDate: due,
      foundDate: found,
      createdDate: found,
    };
    if (place.create && !created.has(place)) {
      created.add(place);
      Object.assign(cells, place.create);
    }
    ledgerRows.push(LEDGER_COLUMNS.map((c) => cells[c.key] ?? null));
    const day = (d: number) => addDays(found, d);
    historyRows.push([key, day(5), '状态变更', '整改中', null, null]);
    if (n % 4 === 0) historyRows.push([key, day(10), '延期', null, addDays(due, 30), '涉及多个部门，需延长整改期限']);
    if (n % 2 === 0) {
      if (n % 6 === 0) historyRows.push([key, day(40), '状态变更', '已销号', null, '历史台账：验收合格']);
      else historyRows.push([key, day(35), '状态变更', '申请销号', null, null], [key, day(40), '状态变更', '已销号', null, null]);
    } else if (n % 5 === 0) {
      historyRows.push([key, day(30), '进展记录', null, null, '已完成大部分整改']);
    }
    if (day(40) > today) throw new Error(`bench ledger: a history day after today (${day(40)})`);
  }
  const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename, useSharedStrings: true });
  for (const [name, header, rows] of [
    ['整改台账', LEDGER_COLUMNS.map((c) => c.header), ledgerRows],
    ['历史', HISTORY_COLUMNS.map((c) => c.header), historyRows],
  ] as const) {
    const sheet = writer.addWorksheet(name);
    sheet.addRow([...header]).commit();
    for (const row of rows) sheet.addRow(row).commit();
    sheet.commit();
  }
  await writer.commit();
  return { events: historyRows.length };
}

export async function benchLedger(): Promise<void> {
  const db = await benchDatabase('tiny');
  // loaded here, then handed to the app's process: one process per chDB folder
  await (await benchWarehouse(db)).close();
  const app = await startAppProcess({
    DATABASE_URL: db.url,
    CH_DATA_DIR: benchWarehouseDir(db),
    CLICKHOUSE_DATABASE: 'bench',
    CLICKHOUSE_URL: '',
    MAX_UPLOAD_MB: '50',
  });
  const { base } = app;
  const label = `ledger-${ROWS >= 1000 ? `${Math.round(ROWS / 1000)}k` : ROWS}`;
  try {
    const { cookie } = await benchSession(db.url, base);
    const today = shanghaiToday();
    const client = new Client({ connectionString: db.url });
    await client.connect();
    const { rows: categories } = await client.query<{ code: string }>('SELECT code FROM issue_categories WHERE level = 2 AND deleted_at IS NULL ORDER BY code');
    await client.end();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xuncha-bench-ledger-'));
    const filename = path.join(dir, 'ledger.xlsx');
    const { events } = await inChildProcess<{ events: number }>(__filename, 'writeLedgerFile', {
      places: await targets(db.url, today),
      categories: categories.map((c) => c.code),
      today,
      filename,
    });
    const file = fs.readFileSync(filename);
    fs.rmSync(dir, { recursive: true, force: true });
    bench(`${label}-file-mb`, file.length / 1048576, 'MB');

    const post = async (path: string, confirm: boolean) => {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(file)]), 'bench-ledger.xlsx');
      if (confirm) form.append('confirmNewInspections', 'true');
      const started = performance.now();
      const response = await fetch(base + path, { method: 'POST', body: form, headers: { cookie } });
      const body = (await response.json()) as Record<string, unknown>;
      const seconds = (performance.now() - started) / 1000;
      if (!response.ok) throw new Error(`${path} → ${response.status} ${JSON.stringify(body).slice(0, 500)}`);
      return { seconds, body };
    };

    const memory = watchMemory(app.pid);
    const preview = await post('/api/imports/ledger/preview', false);
    const problems = (preview.body.problems as unknown[]).length;
    if (problems > 0) throw new Error(`bench ledger: the preview found ${problems} problems: ${JSON.stringify(preview.body.problems).slice(0, 500)}`);
    bench(`${label}-preview-seconds`, preview.seconds, 's');
    const imported = await post('/api/imports/ledger', true);
    if (imported.body.imported !== ROWS || imported.body.events !== ROWS + events) throw new Error(`bench ledger: imported ${JSON.stringify(imported.body)}`);
    bench(`${label}-import-seconds`, imported.seconds, 's');
    bench(`${label}-events`, Number(imported.body.events), 'events');
    const { peakRss, peakAnon } = memory.stop();
    const { open } = memory;
    bench(`${label}-open-rss-mb`, open.rss, 'MB');
    bench(`${label}-open-rss-anon-mb`, open.anon, 'MB');
    bench(`${label}-open-rss-file-mb`, open.file, 'MB');
    bench(`${label}-open-libchdb-rss-mb`, mappedRssMb(app.pid, 'libchdb'), 'MB');
    bench(`${label}-peak-rss-mb`, peakRss, 'MB');
    bench(`${label}-peak-rss-anon-mb`, peakAnon, 'MB');
    bench(`${label}-peak-rss-above-open-mb`, peakRss - open.rss, 'MB');
    console.error(
      `  (${label}-peak-rss-mb is the app's whole process, as npm start runs it: the app, its PostgreSQL clients and the in-process chDB, ${Math.round(open.rss)} MB before the preview ` +
        `(${Math.round(open.anon)} MB anonymous, ${Math.round(open.file)} MB file-backed: mapped binaries, libchdb.so among them); ` +
        `${label}-peak-rss-anon-mb its anonymous part at its peak; ${label}-peak-rss-above-open-mb is the import's own: the peak less that baseline)`,
    );
  } finally {
    await app.stop();
    await db.close();
  }
}
