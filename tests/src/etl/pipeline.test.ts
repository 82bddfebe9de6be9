import { Client } from 'pg';
import { warehouseSink, runEtl, type EtlRunResult, migrateWarehouse, type Warehouse } from '@xuncha/etl';
import { seedDatabase } from '@xuncha/prisma';
import { dropTestDatabase, openTestWarehouse } from '../support/clickhouse';
import { warehouseParity, type TableParity } from '../support/parity';
import { createTestDatabase, query, type TestDatabase } from '../support/pg';

const TODAY = '2026-06-30';

function expectParity(results: TableParity[]): void {
  const broken = results.filter((r) => r.pgChecksum !== r.chChecksum || r.pgCount !== r.chCount);
  expect(broken).toEqual([]);
  // every table holds something, so equality is not the equality of two empty sets
  for (const r of results) expect(r.pgCount).toBeGreaterThan(0);
}

async function versions(warehouse: Warehouse, table: string): Promise<Map<string, string>> {
  const rows = await warehouse.query<{ id: string; version: string }>(`SELECT toString(id) AS id, toString(version) AS version FROM ${table} FINAL`);
  return new Map(rows.map((r) => [r.id, r.version]));
}

describe('ETL pipeline: PostgreSQL → chDB', () => {
  let db: TestDatabase;
  let warehouse: Warehouse;
  const etl = (mode: 'incremental' | 'full' = 'incremental', batchSize = 700): Promise<EtlRunResult> =>
    runEtl({ databaseUrl: db.url, sink: warehouseSink(warehouse), mode, batchSize, trigger: 'test' });

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedDatabase(db.url, { scale: 'tiny', seed: 7, today: TODAY });
    warehouse = await openTestWarehouse();
    await migrateWarehouse(warehouse);
  });
  afterAll(async () => {
    await dropTestDatabase();
    await db.drop();
  });

  it('a full load equals PostgreSQL table by table, in counts and checksums', async () => {
    const result = await etl('full');
    expect(result.status).toBe('succeeded');
    expect(result.rejected).toBe(0);
    const [{ tasks }] = await query<{ tasks: string }>(db.url, 'SELECT count(*)::text AS tasks FROM rectification_tasks');
    expect(result.tables.fact_tasks.read).toBe(Number(tasks));
    expectParity(await warehouseParity(db.url, warehouse));
  });

  it('records the run with its counts and moves the watermark', async () => {
    const runs = await query<{ status: string; rows_read: string; rows_written: string; rows_rejected: string; watermark_to: string | null }>(
      db.url,
      `SELECT status::text, rows_read::text, rows_written::text, rows_rejected::text, watermark_to::text FROM etl_runs ORDER BY id DESC LIMIT 1`,
    );
    expect(runs[0].status).toBe('SUCCEEDED');
    expect(Number(runs[0].rows_read)).toBe(Number(runs[0].rows_written) + Number(runs[0].rows_rejected));
    const [state] = await query<{ watermark: string }>(db.url, `SELECT watermark::text FROM etl_state WHERE id = 'main'`);
    expect(state.watermark).toBe(runs[0].watermark_to);
  });

  it('an incremental run with nothing changed reads nothing and leaves no run record', async () => {
    const [before] = await query<{ n: string }>(db.url, 'SELECT count(*)::text AS n FROM etl_runs');
    const result = await etl();
    expect(result.read).toBe(0);
    expect(result.runId).toBeNull();
    const [after] = await query<{ n: string }>(db.url, 'SELECT count(*)::text AS n FROM etl_runs');
    expect(after.n).toBe(before.n);
  });

  it('inserts, updates, status changes and soft deletes arrive after the next run, and nothing else changes', async () => {
    const before = await versions(warehouse, 'fact_tasks');
    const beforeFindings = await versions(warehouse, 'fact_findings');
    const pick = await query<{ task_id: string; finding_id: string; inspection_id: number; unit_id: number; category_id: number }>(
      db.url,
      `SELECT t.id::text AS task_id, f.id::text AS finding_id, f.inspection_id, f.unit_id, f.category_id
       FROM rectification_tasks t JOIN findings f ON f.id = t.finding_id
       WHERE t.status = 'IN_PROGRESS' AND t.deleted_at IS NULL ORDER BY t.id LIMIT 3`,
    );
    expect(pick).toHaveLength(3);
    const [closeMe, deleteMe, noteMe] = pick;
    const client = new Client({ connectionString: db.url });
    await client.connect();
    let newFinding: string;
    try {
      // a status change with its event
      await client.query(`UPDATE rectification_tasks SET status = 'CLOSED', closed_date = DATE '${TODAY}' WHERE id = $1`, [closeMe.task_id]);
      await client.query(
        `INSERT INTO task_events (task_id, type, event_date, from_status, to_status, actor) VALUES ($1, 'STATUS_CHANGE', DATE '${TODAY}', 'IN_PROGRESS', 'CLOSED', '测试员')`,
        [closeMe.task_id],
      );
      // a soft delete
      await client.query('UPDATE rectification_tasks SET deleted_at = now() WHERE id = $1', [deleteMe.task_id]);
      // an update of text only
      await client.query(`UPDATE rectification_tasks SET measure = measure || '（已补充）' WHERE id = $1`, [noteMe.task_id]);
      // an insert: a new finding with one task
      const inserted = await client.query<{ id: string }>(
        `INSERT INTO findings (inspection_id, unit_id, category_id, description, found_date) VALUES ($1, $2, $3, '新发现的问题', DATE '${TODAY}') RETURNING id::text`,
        [closeMe.inspection_id, closeMe.unit_id, closeMe.category_id],
      );
      newFinding = inserted.rows[0].id;
      await client.query(
        `INSERT INTO rectification_tasks (finding_id, measure, responsible_dept, responsible_person, track, original_due_date, current_due_date, status)
         VALUES ($1, '立即整改', '办公室', '张三', 'IMMEDIATE', DATE '${TODAY}', DATE '${TODAY}', 'NOT_STARTED')`,
        [newFinding],
      );
    } finally {
      await client.end();
    }

    const result = await etl();
    expect(result.status).toBe('succeeded');
    expect(result.tables.fact_tasks.read).toBe(4);
    expect(result.tables.fact_findings.read).toBe(1);
    expect(result.tables.fact_task_events.read).toBe(1);
    expectParity(await warehouseParity(db.url, warehouse));

    const after = await versions(warehouse, 'fact_tasks');
    expect(after.has(deleteMe.task_id)).toBe(false);
    const changed = [...before.keys()].filter((id) => after.get(id) !== before.get(id));
    expect(changed.sort()).toEqual([closeMe.task_id, deleteMe.task_id, noteMe.task_id].sort());
    const afterFindings = await versions(warehouse, 'fact_findings');
    expect([...beforeFindings.keys()].filter((id) => afterFindings.get(id) !== beforeFindings.get(id))).toEqual([]);
    expect(afterFindings.has(newFinding!)).toBe(true);
  });

  it('re-emits every fact that copies a changed unit, region or category', async () => {
    const [unit] = await query<{ id: number; region_id: number; findings: string; tasks: string }>(
      db.url,
      `SELECT u.id, u.region_id, count(DISTINCT f.id)::text AS findings, count(t.id)::text AS tasks
       FROM org_units u JOIN findings f ON f.unit_id = u.id AND f.deleted_at IS NULL JOIN rectification_tasks t ON t.finding_id = f.id AND t.deleted_at IS NULL
       JOIN regions r ON r.id = u.region_id
       WHERE r.level = 'COUNTY' GROUP BY u.id ORDER BY count(t.id) DESC LIMIT 1`,
    );
    // move the unit into another county
    const [other] = await query<{ id: number }>(db.url, `SELECT id FROM regions WHERE level = 'COUNTY' AND id <> $1 ORDER BY id LIMIT 1`, [unit.region_id]);
    await query(db.url, `UPDATE org_units SET region_id = $1, category = 'OTHER' WHERE id = $2`, [other.id, unit.id]);
    // rename a category and move it under another level-1 parent
    const [category] = await query<{ id: number; parent_id: number }>(db.url, `SELECT id, parent_id FROM issue_categories WHERE level = 2 ORDER BY id LIMIT 1`);
    const [parent] = await query<{ id: number }>(db.url, `SELECT id FROM issue_categories WHERE level = 1 AND id <> $1 ORDER BY id LIMIT 1`, [
      category.parent_id,
    ]);
    await query(db.url, `UPDATE issue_categories SET name = name || '（调整）', parent_id = $1 WHERE id = $2`, [parent.id, category.id]);

    const result = await etl();
    expect(result.tables.fact_tasks.read).toBeGreaterThanOrEqual(Number(unit.tasks));
    expectParity(await warehouseParity(db.url, warehouse));
    const [moved] = await warehouse.query<{ n: string; wrong: string }>(
      `SELECT count() AS n, countIf(county_id != {county:UInt32} OR unit_category != 'OTHER') AS wrong FROM fact_tasks FINAL WHERE unit_id = {unit:UInt32}`,
      { county: other.id, unit: unit.id },
    );
    expect(moved).toEqual({ n: unit.tasks, wrong: '0' });
    const [recategorized] = await warehouse.query<{ wrong: string }>(
      `SELECT countIf(category1_id != {parent:UInt32}) AS wrong FROM fact_findings FINAL WHERE category_id = {category:UInt32}`,
      { parent: parent.id, category: category.id },
    );
    expect(recategorized.wrong).toBe('0');
  });

  it('two transactions that commit out of order: both rows arrive', async () => {
    const early = new Client({ connectionString: db.url });
    const late = new Client({ connectionString: db.url });
    await early.connect();
    await late.connect();
    try {
      const [inspection] = await query<{ id: number; unit_id: number }>(db.url, 'SELECT id, unit_id FROM inspections ORDER BY id LIMIT 1');
      const [category] = await query<{ id: number }>(db.url, 'SELECT id FROM issue_categories WHERE level = 2 ORDER BY id LIMIT 1');
      const insert = `INSERT INTO findings (inspection_id, unit_id, category_id, description, found_date) VALUES ($1, $2, $3, $4, DATE '${TODAY}') RETURNING id::text`;
      // the early transaction starts first (older xid) and writes, but commits last
      await early.query('BEGIN');
      const a = await early.query<{ id: string }>(insert, [inspection.id, inspection.unit_id, category.id, '先开始后提交']);
      await late.query('BEGIN');
      const b = await late.query<{ id: string }>(insert, [inspection.id, inspection.unit_id, category.id, '后开始先提交']);
      await late.query('COMMIT');
      const first = await etl(); // sees b only; a is still running
      expect(first.tables.fact_findings.read).toBe(1);
      await early.query('COMMIT');
      await etl();
      const found = await warehouse.query<{ id: string }>(`SELECT toString(id) AS id FROM fact_findings FINAL WHERE id IN ({ids:Array(UInt64)}) ORDER BY id`, {
        ids: [a.rows[0].id, b.rows[0].id],
      });
      expect(found.map((r) => r.id)).toEqual([a.rows[0].id, b.rows[0].id].sort((x, y) => Number(x) - Number(y)));
    } finally {
      await early.end();
      await late.end();
    }
    expectParity(await warehouseParity(db.url, warehouse));
  });

  it('replaying batches already loaded changes nothing', async () => {
    const before = await warehouseParity(db.url, warehouse);
    // forget the watermark: everything is read and loaded again
    await query(db.url, `UPDATE etl_state SET watermark = 1 WHERE id = 'main'`);
    const replay = await etl('incremental', 5000);
    expect(replay.written).toBeGreaterThan(0);
    const after = await warehouseParity(db.url, warehouse);
    expect(after).toEqual(before);
    const [dups] = await warehouse.query<{ rows: string; keys: string }>(`SELECT count() AS rows, uniqExact(id) AS keys FROM fact_tasks FINAL`);
    expect(dups.rows).toBe(dups.keys);
  });

  it('a second run while one holds the lock is skipped', async () => {
    const holder = new Client({ connectionString: db.url });
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock($1)', [0x58554e43]);
      const result = await etl();
      expect(result.status).toBe('skipped');
    } finally {
      await holder.end();
    }
  });
});
