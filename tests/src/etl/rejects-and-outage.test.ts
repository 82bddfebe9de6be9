import { warehouseSink, EtlRunError, runEtl, migrateWarehouse, openWarehouse, type Warehouse } from '@xuncha/etl';
import { freePort, seedDatabase } from '@xuncha/prisma';
import { dropTestDatabase, openTestWarehouse } from '../support/clickhouse';
import { warehouseParity } from '../support/parity';
import { createTestDatabase, query, type TestDatabase } from '../support/pg';

const TODAY = '2026-06-30';

describe('ETL: bad records and an unreachable warehouse', () => {
  let db: TestDatabase;
  let warehouse: Warehouse;

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedDatabase(db.url, { scale: 'tiny', seed: 3, today: TODAY });
    warehouse = await openTestWarehouse();
    await migrateWarehouse(warehouse);
  });
  afterAll(async () => {
    await dropTestDatabase();
    await db.drop();
  });

  it('bad records land in the reject table with reasons; every valid record still loads; read = loaded + rejected', async () => {
    // Records the database's own constraints would refuse, as an evolved schema or a
    // hand-edited row could bring them: an unknown unit, an unknown status.
    await query(db.url, 'ALTER TABLE findings DROP CONSTRAINT findings_unit_id_fkey');
    await query(db.url, `ALTER TYPE task_status ADD VALUE IF NOT EXISTS 'SUSPENDED'`);
    const [finding] = await query<{ id: string; inspection_id: number; category_id: number; feedback: string }>(
      db.url,
      `SELECT f.id::text, f.inspection_id, f.category_id, i.feedback_date::text AS feedback
       FROM findings f JOIN inspections i ON i.id = f.inspection_id WHERE i.feedback_date IS NOT NULL ORDER BY f.id LIMIT 1`,
    );
    const bad = await query<{ id: string; kind: string }>(
      db.url,
      `WITH
         unknown_unit AS (
           INSERT INTO findings (inspection_id, unit_id, category_id, description, found_date)
           VALUES ($1, 987654, $2, '单位不存在', DATE '${TODAY}') RETURNING id::text, 'unknown unit' AS kind),
         early_due AS (
           INSERT INTO rectification_tasks (finding_id, measure, responsible_dept, responsible_person, track, original_due_date, current_due_date, status)
           VALUES ($3, '期限早于反馈', '办公室', '李四', 'DEADLINE', DATE '${finding.feedback}' - 1, DATE '${finding.feedback}' - 1, 'IN_PROGRESS')
           RETURNING id::text, 'due before feedback' AS kind),
         long_text AS (
           INSERT INTO rectification_tasks (finding_id, measure, responsible_dept, responsible_person, track, original_due_date, current_due_date, status)
           VALUES ($3, repeat('长', 10001), '办公室', '王五', 'DEADLINE', DATE '${TODAY}', DATE '${TODAY}', 'IN_PROGRESS')
           RETURNING id::text, 'oversized text' AS kind)
       SELECT * FROM unknown_unit UNION ALL SELECT * FROM early_due UNION ALL SELECT * FROM long_text`,
      [finding.inspection_id, finding.category_id, finding.id],
    );
    const [suspended] = await query<{ id: string }>(
      db.url,
      `INSERT INTO rectification_tasks (finding_id, measure, responsible_dept, responsible_person, track, original_due_date, current_due_date, status)
       VALUES ($1, '未知状态', '办公室', '赵六', 'DEADLINE', DATE '${TODAY}', DATE '${TODAY}', 'SUSPENDED') RETURNING id::text`,
      [finding.id],
    );
    const [closedWithoutDate] = await query<{ id: string }>(
      db.url,
      `INSERT INTO rectification_tasks (finding_id, measure, responsible_dept, responsible_person, track, original_due_date, current_due_date, status)
       VALUES ($1, '无销号日期', '办公室', '钱七', 'DEADLINE', DATE '${TODAY}', DATE '${TODAY}', 'CLOSED') RETURNING id::text`,
      [finding.id],
    );

    const result = await runEtl({ databaseUrl: db.url, sink: warehouseSink(warehouse), mode: 'full', batchSize: 500 });
    expect(result.rejected).toBe(5);
    for (const stats of Object.values(result.tables)) expect(stats.read).toBe(stats.written + stats.rejected);

    const rejects = await query<{ table_name: string; record_id: string; reason: string }>(
      db.url,
      'SELECT table_name, record_id, reason FROM etl_rejects WHERE run_id = $1 ORDER BY table_name, record_id::bigint',
      [result.runId],
    );
    const byId = new Map(rejects.map((r) => [`${r.table_name}:${r.record_id}`, r.reason]));
    const unknownUnit = bad.find((b) => b.kind === 'unknown unit')!;
    expect(byId.get(`findings:${unknownUnit.id}`)).toContain('unknown unit (unit_id 987654)');
    expect(byId.get(`rectification_tasks:${bad.find((b) => b.kind === 'due before feedback')!.id}`)).toContain('due date before feedback');
    expect(byId.get(`rectification_tasks:${bad.find((b) => b.kind === 'oversized text')!.id}`)).toContain('measure too long (10001 > 10000 characters)');
    expect(byId.get(`rectification_tasks:${suspended.id}`)).toContain('unknown status "SUSPENDED"');
    expect(byId.get(`rectification_tasks:${closedWithoutDate.id}`)).toContain('impossible status');
    expect(rejects).toHaveLength(5);

    // every valid record loaded: the warehouse holds exactly PostgreSQL's records less the rejected ones
    const [counts] = await warehouse.query<{ findings: string; tasks: string }>(
      'SELECT (SELECT count() FROM fact_findings FINAL) AS findings, (SELECT count() FROM fact_tasks FINAL) AS tasks',
    );
    const [pg] = await query<{ findings: string; tasks: string }>(
      db.url,
      `SELECT (SELECT count(*) FROM findings f JOIN inspections i ON i.id = f.inspection_id WHERE f.deleted_at IS NULL AND i.deleted_at IS NULL)::text AS findings,
              (SELECT count(*) FROM rectification_tasks t JOIN findings f ON f.id = t.finding_id JOIN inspections i ON i.id = f.inspection_id
                WHERE t.deleted_at IS NULL AND f.deleted_at IS NULL AND i.deleted_at IS NULL)::text AS tasks`,
    );
    expect(Number(counts.findings)).toBe(Number(pg.findings) - 1);
    expect(Number(counts.tasks)).toBe(Number(pg.tasks) - 4);
  });

  it('an unreachable ClickHouse: a clear error, the watermark stays, the next run catches up', async () => {
    const [before] = await query<{ watermark: string }>(db.url, `SELECT watermark::text FROM etl_state WHERE id = 'main'`);
    const [task] = await query<{ id: string }>(db.url, `SELECT id::text FROM rectification_tasks WHERE status = 'IN_PROGRESS' ORDER BY id LIMIT 1`);
    await query(db.url, `UPDATE rectification_tasks SET status = 'CLOSE_REQUESTED' WHERE id = $1`, [task.id]);

    const port = await freePort(); // nothing listens there
    const down = await openWarehouse({ url: `http://127.0.0.1:${port}`, database: 'xuncha', dataDir: '', requestTimeoutMs: 2000 });
    let failure: unknown;
    try {
      await runEtl({ databaseUrl: db.url, sink: warehouseSink(down), insertAttempts: 2 });
    } catch (error) {
      failure = error;
    } finally {
      await down.close();
    }
    expect(failure).toBeInstanceOf(EtlRunError);
    expect((failure as Error).message).toMatch(new RegExp(`127\\.0\\.0\\.1:${port}`));
    const [run] = await query<{ status: string; error: string }>(db.url, `SELECT status::text, error FROM etl_runs ORDER BY id DESC LIMIT 1`);
    expect(run.status).toBe('FAILED');
    expect(run.error).toMatch(/ClickHouse/);
    const [after] = await query<{ watermark: string }>(db.url, `SELECT watermark::text FROM etl_state WHERE id = 'main'`);
    expect(after.watermark).toBe(before.watermark);

    const caughtUp = await runEtl({ databaseUrl: db.url, sink: warehouseSink(warehouse) });
    expect(caughtUp.status).toBe('succeeded');
    const [row] = await warehouse.query<{ status: string }>(`SELECT status FROM fact_tasks FINAL WHERE id = {id:UInt64}`, { id: task.id });
    expect(row.status).toBe('CLOSE_REQUESTED');
    const parity = await warehouseParity(db.url, warehouse);
    // the rejected records of the previous test are still in PostgreSQL only
    expect(parity.filter((p) => p.pgCount !== p.chCount).map((p) => [p.table, p.pgCount - p.chCount])).toEqual([['fact_tasks', 4]]);
  });
});
