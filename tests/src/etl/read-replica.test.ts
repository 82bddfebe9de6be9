import { Client } from 'pg';
import { waitForReplay, warehouseSink, runEtl, type EtlMode, type EtlRunResult, migrateWarehouse, type Warehouse } from '@xuncha/etl';
import { ensureDatabase, migrate, seedDatabase } from '@xuncha/prisma';
import { dropTestDatabase, openTestWarehouse } from '../support/clickhouse';
import { warehouseParity, type TableParity } from '../support/parity';
import { createTestDatabase, query, type TestDatabase } from '../support/pg';
import { startReplicaPair, type ReplicaPair } from '../support/replica';

/**
 * DATABASE_READ_URL: the ETL's extract reads a replica, everything else stays on the
 * primary. First against the test database under a second URL (what any PostgreSQL
 * server can do), then against a real streaming replica whose replay is paused, to show
 * that a lagging replica delays changes and never makes a run skip them.
 */
const TODAY = '2026-06-30';

// starting a primary and a streaming standby takes seconds, more on a busy machine
jest.setTimeout(300_000);

function broken(results: TableParity[]): string[] {
  return results.filter((r) => r.pgChecksum !== r.chChecksum || r.pgCount !== r.chCount).map((r) => r.table);
}

async function caughtUp(primary: string, standby: string): Promise<void> {
  const replay = await waitForReplay(primary, standby, 30_000);
  if (!replay.caughtUp) throw new Error(`the standby is still ${replay.behindBytes} bytes behind`);
}

describe('ETL extract from DATABASE_READ_URL', () => {
  let warehouse: Warehouse;

  beforeAll(async () => {
    warehouse = await openTestWarehouse();
    await migrateWarehouse(warehouse);
  });
  afterAll(async () => {
    await dropTestDatabase();
  });

  describe('the same database under a second URL', () => {
    let db: TestDatabase;
    let other: TestDatabase;
    const etl = (mode: EtlMode, readDatabaseUrl: string): Promise<EtlRunResult> =>
      runEtl({ databaseUrl: db.url, readDatabaseUrl, sink: warehouseSink(warehouse), mode, batchSize: 900, trigger: 'test' });

    beforeAll(async () => {
      db = await createTestDatabase();
      other = await createTestDatabase();
      await seedDatabase(db.url, { scale: 'tiny', seed: 5, today: TODAY });
    });
    afterAll(async () => {
      await db.drop();
      await other.drop();
    });

    it('full and incremental runs read it; the warehouse equals PostgreSQL', async () => {
      const readUrl = new URL(db.url);
      readUrl.searchParams.set('application_name', 'xuncha-read-url');
      const full = await etl('full', readUrl.toString());
      expect(full.status).toBe('succeeded');
      expect(full.rejected).toBe(0);
      expect(broken(await warehouseParity(db.url, warehouse))).toEqual([]);

      await query(db.url, `UPDATE rectification_tasks SET measure = measure || '（复核）' WHERE id = (SELECT min(id) FROM rectification_tasks)`);
      const incremental = await etl('incremental', readUrl.toString());
      expect(incremental.tables.fact_tasks.read).toBe(1);
      const [state] = await query<{ watermark: string; last_run_id: number }>(db.url, `SELECT watermark::text, last_run_id FROM etl_state WHERE id = 'main'`);
      expect(state.watermark).toBe(incremental.watermarkTo?.toString());
      expect(state.last_run_id).toBe(incremental.runId);
    });

    it('refuses another database, before a full run empties the warehouse, and records the failure on the primary', async () => {
      const [{ n: before }] = await warehouse.query<{ n: string }>('SELECT count() AS n FROM fact_tasks FINAL');
      const attempt = etl('full', other.url);
      await expect(attempt).rejects.toThrow(
        /^DATABASE_READ_URL \(.*\) names database "xt_[^"]+", DATABASE_URL "xt_[^"]+": the extract must read the same database$/,
      );
      const [{ n: after }] = await warehouse.query<{ n: string }>('SELECT count() AS n FROM fact_tasks FINAL');
      expect(after).toBe(before);
      const [run] = await query<{ status: string; error: string }>(db.url, 'SELECT status::text, error FROM etl_runs ORDER BY id DESC LIMIT 1');
      expect(run.status).toBe('FAILED');
      expect(run.error).toMatch(/^DATABASE_READ_URL/);
    });

    it('an unreachable replica fails the run with one line naming DATABASE_READ_URL, password hidden', async () => {
      const attempt = etl('incremental', 'postgresql://reader:s3cret@127.0.0.1:1/xuncha');
      await expect(attempt).rejects.toThrow(/^cannot connect to DATABASE_READ_URL \(postgresql:\/\/reader:\*\*\*@127\.0\.0\.1:1\/xuncha\): /);
      await expect(attempt).rejects.not.toThrow(/s3cret/);
    });
  });

  describe('a streaming replica (hot standby)', () => {
    let pair: ReplicaPair;
    let primary: string;
    let standby: string;
    const etl = (mode: EtlMode = 'incremental'): Promise<EtlRunResult> =>
      runEtl({ databaseUrl: primary, readDatabaseUrl: standby, sink: warehouseSink(warehouse), mode, batchSize: 900, trigger: 'test' });
    const onStandby = (sql: string) => query(pair.standbyUrl, sql);

    beforeAll(async () => {
      pair = await startReplicaPair();
      ({ primary, standby } = pair.urls('xuncha'));
      await ensureDatabase(pair.primaryUrl, 'xuncha');
      await migrate(primary);
      await seedDatabase(primary, { scale: 'tiny', seed: 11, today: TODAY });
      await caughtUp(primary, standby);
    });
    afterAll(async () => {
      await pair?.stop();
    });

    it('a full run reads the replica and equals the primary; run history and watermark are on the primary', async () => {
      const [{ standby: inRecovery }] = await query<{ standby: boolean }>(standby, 'SELECT pg_is_in_recovery() AS standby');
      expect(inRecovery).toBe(true);
      const result = await etl('full');
      expect(result.status).toBe('succeeded');
      expect(broken(await warehouseParity(primary, warehouse))).toEqual([]);
      const [run] = await query<{ status: string }>(primary, 'SELECT status::text FROM etl_runs WHERE id = $1', [result.runId]);
      expect(run.status).toBe('SUCCEEDED');
    });

    it('while the replica lags, changes wait; once it replays them the next run loads them', async () => {
      await onStandby('SELECT pg_wal_replay_pause()');
      try {
        await query(
          primary,
          `UPDATE rectification_tasks SET responsible_dept = '纪检组' WHERE id = (SELECT max(id) FROM rectification_tasks WHERE deleted_at IS NULL)`,
        );
        await query(primary, `UPDATE org_units SET name = name || '（更名）' WHERE id = (SELECT min(id) FROM org_units)`);
        const lagging = await etl();
        expect(lagging.status).toBe('succeeded');
        expect(lagging.read).toBe(0);
        expect(broken(await warehouseParity(primary, warehouse))).toEqual(expect.arrayContaining(['dim_units']));
      } finally {
        await onStandby('SELECT pg_wal_replay_resume()');
      }
      await caughtUp(primary, standby);
      const replayed = await etl();
      expect(replayed.tables.fact_tasks.read).toBeGreaterThanOrEqual(1);
      expect(replayed.tables.dim_units.read).toBe(1);
      expect(broken(await warehouseParity(primary, warehouse))).toEqual([]);
    });

    it('a transaction that commits on the primary after a run read the replica is loaded by a later run', async () => {
      const late = new Client({ connectionString: primary });
      await late.connect();
      try {
        // An older transaction, still open, writes first; a younger one commits meanwhile.
        await late.query('BEGIN');
        await late.query(`UPDATE findings SET description = description || '（补充）' WHERE id = (SELECT min(id) FROM findings WHERE deleted_at IS NULL)`);
        await query(
          primary,
          `UPDATE rectification_tasks SET responsible_person = '周七' WHERE id = (SELECT min(id) FROM rectification_tasks WHERE deleted_at IS NULL)`,
        );
        await caughtUp(primary, standby);
        const before = await etl();
        expect(before.tables.fact_tasks.read).toBeGreaterThanOrEqual(1);
        const [{ xid }] = (await late.query<{ xid: string }>('SELECT pg_current_xact_id()::text AS xid')).rows;
        expect(before.watermarkTo).not.toBeNull();
        expect(before.watermarkTo! <= BigInt(xid)).toBe(true); // the open transaction holds the watermark back
        await late.query('COMMIT');
      } finally {
        await late.end();
      }
      await caughtUp(primary, standby);
      const after = await etl();
      expect(after.tables.fact_findings.read).toBeGreaterThanOrEqual(1);
      expect(broken(await warehouseParity(primary, warehouse))).toEqual([]);
    });

    it('refuses a server that is not a physical replica of the primary', async () => {
      // The shared test server is another PostgreSQL cluster: another system identifier.
      const elsewhere = await createTestDatabase();
      try {
        const attempt = runEtl({ databaseUrl: primary, readDatabaseUrl: elsewhere.url, sink: warehouseSink(warehouse), trigger: 'test' });
        await expect(attempt).rejects.toThrow(
          /^DATABASE_READ_URL \(.*\) is not a streaming replica of DATABASE_URL: system identifier \d+, the primary's is \d+/,
        );
      } finally {
        await elsewhere.drop();
      }
    });
  });
});
