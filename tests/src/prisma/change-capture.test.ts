import { createPrismaClient, type Db } from '@xuncha/prisma';
import { createTestDatabase, query, type TestDatabase } from '../support/pg';

interface CaptureRow extends Record<string, unknown> {
  change_seq: string;
  change_xid: string;
  deleted_at: Date | null;
}

const CASE_RECORD_TABLES = [
  'regions',
  'terms',
  'org_units',
  'rounds',
  'inspections',
  'issue_categories',
  'findings',
  'rectification_tasks',
  'task_events',
  'clues',
];

describe('change capture and soft delete', () => {
  let db: TestDatabase;
  let prisma: Db;
  beforeAll(async () => {
    db = await createTestDatabase();
    prisma = createPrismaClient(db.url);
  });
  afterAll(async () => {
    await prisma.$disconnect();
    await db.drop();
  });

  it('every case-record table has the capture trigger', async () => {
    const rows = await query<{ table_name: string }>(
      db.url,
      `SELECT c.relname AS table_name FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
       WHERE NOT t.tgisinternal AND t.tgname LIKE '%_capture_change' ORDER BY 1`,
    );
    expect(rows.map((r) => r.table_name)).toEqual([...CASE_RECORD_TABLES].sort());
  });

  it('sets the change sequence and the writing transaction on insert and on update', async () => {
    // insert in an explicit transaction whose id we read in the same transaction
    const inserted = await query<{ xid: string; id: number }>(
      db.url,
      `WITH r AS (INSERT INTO regions (code, name, level) VALUES ('T1', '测试市', 'CITY') RETURNING id)
       SELECT id, pg_current_xact_id()::text AS xid FROM r`,
    );
    const [afterInsert] = await query<CaptureRow>(db.url, 'SELECT change_seq::text, change_xid::text, deleted_at FROM regions WHERE id = $1', [inserted[0].id]);
    expect(afterInsert.change_xid).toBe(inserted[0].xid);
    expect(Number(afterInsert.change_seq)).toBeGreaterThan(0);

    // a row inserted later gets a larger sequence
    const second = await prisma.region.create({ data: { code: 'T2', name: '测试县', level: 'COUNTY', parentId: inserted[0].id } });
    const [secondRow] = await query<CaptureRow>(db.url, 'SELECT change_seq::text, change_xid::text FROM regions WHERE id = $1', [second.id]);
    expect(BigInt(secondRow.change_seq)).toBeGreaterThan(BigInt(afterInsert.change_seq));
    expect(secondRow.change_xid).not.toBe(afterInsert.change_xid);

    // an update of the first row moves it past the second, in a new transaction
    const updated = await query<{ xid: string }>(
      db.url,
      `WITH u AS (UPDATE regions SET name = '测试市（更名）' WHERE id = $1 RETURNING id) SELECT pg_current_xact_id()::text AS xid FROM u`,
      [inserted[0].id],
    );
    const [afterUpdate] = await query<CaptureRow>(db.url, 'SELECT change_seq::text, change_xid::text FROM regions WHERE id = $1', [inserted[0].id]);
    expect(afterUpdate.change_xid).toBe(updated[0].xid);
    expect(BigInt(afterUpdate.change_seq)).toBeGreaterThan(BigInt(secondRow.change_seq));
  });

  it('a value written by a client for change_seq is overridden', async () => {
    await query(db.url, `INSERT INTO issue_categories (code, name, level, change_seq) VALUES ('9', '测试大类', 1, 1)`);
    const [row] = await query<{ change_seq: string; max: string }>(
      db.url,
      `SELECT c.change_seq::text, (SELECT max(change_seq) FROM regions)::text AS max FROM issue_categories c WHERE code = '9'`,
    );
    expect(BigInt(row.change_seq)).toBeGreaterThan(BigInt(row.max));
  });

  it('soft delete keeps the row, marks it, and gives it a new change sequence', async () => {
    const region = await prisma.region.create({ data: { code: 'T3', name: '待删除区', level: 'COUNTY' } });
    const [before] = await query<CaptureRow>(db.url, 'SELECT change_seq::text FROM regions WHERE id = $1', [region.id]);
    await prisma.region.delete({ where: { id: region.id } });
    const rows = await query<CaptureRow>(db.url, 'SELECT change_seq::text, change_xid::text, deleted_at FROM regions WHERE id = $1', [region.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0].deleted_at).toBeInstanceOf(Date);
    expect(BigInt(rows[0].change_seq)).toBeGreaterThan(BigInt(before.change_seq));

    const result = await prisma.region.deleteMany({ where: { code: { in: ['T1', 'T2', 'T3'] } } });
    expect(result.count).toBe(2); // T3 was already deleted
    const [{ remaining, marked }] = await query<{ remaining: string; marked: string }>(
      db.url,
      `SELECT count(*)::text AS remaining, count(deleted_at)::text AS marked FROM regions WHERE code IN ('T1','T2','T3')`,
    );
    expect([remaining, marked]).toEqual(['3', '3']);
  });
});
