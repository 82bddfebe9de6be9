/**
 * npm run bench -- notices: 督办单 for 1,000 tasks — POST /api/notices through HTTP (the
 * list read from chDB, one Word document per unit made with docx, zipped, and an ESCALATION
 * event on each of the 1,000 tasks written with the audit entry in one transaction), on the
 * tiny demo data plus a round of 20 inspected units with 50 overdue tasks each. BENCH_NOTICES_RUNS:
 * runs (default 3).
 *
 *   BENCH notices-1000-tasks-seconds          the whole request, median of the runs
 *   BENCH notices-1000-tasks-mb               the zip's size
 *   BENCH notices-1000-tasks-peak-rss-mb      peak resident memory of the process (app and chDB)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import JSZip from 'jszip';
import { Client } from 'pg';
import { createApp, loadConfig } from '@xuncha/backend';
import { shanghaiToday, runCli } from '@xuncha/shared';
import { warehouseSink, runEtl, migrateWarehouse, openWarehouse } from '@xuncha/etl';
import { bench, benchDatabase, benchSession, BENCH_APP_ENV, peakRssMb, percentile } from './fixture';

const RUNS = Number(process.env.BENCH_NOTICES_RUNS ?? 3);
const UNITS = 20;
const TASKS_PER_UNIT = 50;

/** A round of its own: 20 units inspected and fed back, 50 overdue tasks each; its id. */
async function addRound(url: string, today: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN');
    const day = (offset: number) => new Date(Date.parse(`${today}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
    const {
      rows: [term],
    } = await client.query<{ id: number; committee: number }>(
      `SELECT t.id, t.committee_region_id AS committee FROM terms t JOIN regions g ON g.id = t.committee_region_id
        WHERE g.level = 'CITY' AND t.deleted_at IS NULL ORDER BY t.start_date DESC LIMIT 1`,
    );
    const {
      rows: [round],
    } = await client.query<{ id: number }>(
      `INSERT INTO rounds (term_id, ordinal, year, name, start_date, end_date, updated_at)
       SELECT $1, coalesce(max(ordinal), 0) + 1, $2, '督办基准轮次', $3::date, $4::date, now() FROM rounds WHERE term_id = $1 RETURNING id`,
      [term.id, Number(today.slice(0, 4)), day(-90), day(-60)],
    );
    const {
      rows: [category],
    } = await client.query<{ id: number }>(`SELECT id FROM issue_categories WHERE level = 2 AND deleted_at IS NULL ORDER BY id LIMIT 1`);
    const { rows: units } = await client.query<{ id: number }>(
      `SELECT id FROM org_units WHERE deleted_at IS NULL AND valid_to IS NULL ORDER BY committee_region_id = $1 DESC, id LIMIT ${UNITS}`,
      [term.committee],
    );
    if (units.length < UNITS) throw new Error(`bench: only ${units.length} units`);
    for (const unit of units) {
      const {
        rows: [inspection],
      } = await client.query<{ id: number }>(
        `INSERT INTO inspections (round_id, unit_id, team, mode, stationed_from, stationed_to, feedback_date, updated_at)
         VALUES ($1, $2, '督办基准组', 'ROUTINE', $3::date, $4::date, $5::date, now()) RETURNING id`,
        [round.id, unit.id, day(-85), day(-70), day(-60)],
      );
      const {
        rows: [finding],
      } = await client.query<{ id: string }>(
        `INSERT INTO findings (inspection_id, unit_id, category_id, description, found_date, updated_at)
         VALUES ($1, $2, $3, '督办基准问题：制度执行不到位', $4::date, now()) RETURNING id`,
        [inspection.id, unit.id, category.id, day(-75)],
      );
      await client.query(
        `WITH made AS (
           INSERT INTO rectification_tasks (finding_id, measure, responsible_dept, responsible_person, track, original_due_date, current_due_date, status, updated_at)
           SELECT $1, '完善制度并抓好落实，第' || n || '项', (ARRAY['办公室', '财务科', '人事科'])[1 + n % 3], '责任人' || n, 'DEADLINE', $2::date, $2::date, 'NOT_STARTED', now()
             FROM generate_series(1, ${TASKS_PER_UNIT}) AS n
           RETURNING id)
         INSERT INTO task_events (task_id, type, event_date, to_status, actor, updated_at)
         SELECT id, 'CREATED', $3::date, 'NOT_STARTED', 'bench', now() FROM made`,
        [finding.id, day(-30), day(-60)],
      );
    }
    await client.query('COMMIT');
    return round.id;
  } finally {
    await client.end();
  }
}

export async function benchNotices(): Promise<void> {
  const today = shanghaiToday();
  const db = await benchDatabase('tiny');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xuncha-bench-notices-'));
  const warehouse = await openWarehouse({ database: 'bench', dataDir: dir });
  try {
    const roundId = await addRound(db.url, today);
    await migrateWarehouse(warehouse);
    await runEtl({ databaseUrl: db.url, sink: warehouseSink(warehouse), mode: 'full', trigger: 'bench' });
    const app = await createApp({ config: loadConfig({ ...BENCH_APP_ENV }), databaseUrl: db.url, warehouse, logger: false });
    await app.listen(0, '127.0.0.1');
    const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    try {
      const { cookie } = await benchSession(db.url, base);
      const list = `roundId=${roundId}&overdue=true`;
      const total = ((await (await fetch(`${base}/api/tasks?${list}&pageSize=1`, { headers: { cookie } })).json()) as { total: number }).total;
      if (total !== UNITS * TASKS_PER_UNIT) throw new Error(`bench: the round lists ${total} overdue tasks, expected ${UNITS * TASKS_PER_UNIT}`);
      fs.writeFileSync('/proc/self/clear_refs', '5');
      const times: number[] = [];
      let size = 0;
      for (let i = 0; i < RUNS; i++) {
        const started = performance.now();
        const response = await fetch(`${base}/api/notices?${list}`, {
          method: 'POST',
          headers: { cookie, 'content-type': 'application/json' },
          body: JSON.stringify({ kind: 'SUPERVISION', groupBy: 'unit' }),
        });
        const body = Buffer.from(await response.arrayBuffer());
        const seconds = (performance.now() - started) / 1000;
        if (response.status !== 201) throw new Error(`bench: POST /api/notices → ${response.status} ${body.toString('utf8').slice(0, 300)}`);
        const documents = Object.keys((await JSZip.loadAsync(body)).files).length;
        if (documents !== UNITS) throw new Error(`bench: ${documents} documents, expected ${UNITS}`);
        times.push(seconds);
        size = body.length;
        console.error(`  run ${i + 1}: ${seconds.toFixed(2)} s, ${documents} documents`);
      }
      bench('notices-1000-tasks-seconds', percentile(times, 0.5), 's');
      bench('notices-1000-tasks-mb', size / 1048576, 'MB');
      bench('notices-1000-tasks-peak-rss-mb', Math.round(peakRssMb()), 'MB');
    } finally {
      await app.close();
    }
  } finally {
    await warehouse.close();
    fs.rmSync(dir, { recursive: true, force: true });
    await db.close();
  }
}

if (require.main === module) runCli(benchNotices);
