import { Client } from 'pg';
import { warehouseSink, ETL_LOCK_KEY, requestWarehouseLoad, runEtl, migrateWarehouse } from '@xuncha/etl';
import { pendingFullLoad, requestFullLoad, seedDatabase } from '@xuncha/prisma';
import { startTestApp, type TestApp, type TestClient } from '../support/app';
import { keyCounts, PARITY, warehouseParity } from '../support/parity';
import { query } from '../support/pg';

/**
 * The warehouse is never served empty or half loaded (issue 15, items 1–3 and 12):
 * - a full load it needs (new or upgraded warehouse, reseed) is recorded in PostgreSQL and
 *   stays recorded until a full run succeeds, even when the run meant to do it was skipped;
 * - a full run loads beside the live tables and exchanges them in: readers see the old
 *   figures or the new ones, nothing between;
 * - a full run is the administrator's, and waits behind a run under way instead of being
 *   skipped;
 * - /api/health says when the warehouse does not hold what PostgreSQL holds.
 */
jest.setTimeout(300_000);

const TODAY = '2026-06-30';
let t: TestApp;
let staff: TestClient;
let admin: TestClient;
let county: TestClient;

interface Health {
  status: string;
  warehouse: {
    state: string;
    fullLoad: { reason: string } | null;
    counts: Record<string, { postgres: number; warehouse: number; pending: number }> | null;
  } | null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls /api/health until its warehouse state is `state` (the comparison is reused for 5 s). */
async function healthUntil(state: string, reason?: RegExp): Promise<{ status: number; body: Health }> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const health = await t.get<Health>('/api/health');
    if (health.body.warehouse?.state === state && (!reason || reason.test(health.body.warehouse.fullLoad?.reason ?? ''))) return health;
    if (Date.now() > deadline) throw new Error(`health never reported ${state}: ${JSON.stringify(health.body)}`);
    await sleep(250);
  }
}

/** Holds the ETL lock on a connection of its own, as a run under way does. */
async function holdLock(): Promise<{ release(): Promise<void> }> {
  const client = new Client({ connectionString: t.db.url });
  await client.connect();
  await client.query('SELECT pg_advisory_lock($1)', [ETL_LOCK_KEY]);
  return {
    release: async () => {
      await client.query('SELECT pg_advisory_unlock($1)', [ETL_LOCK_KEY]);
      await client.end();
    },
  };
}

async function pendingOf(url: string) {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await pendingFullLoad(client);
  } finally {
    await client.end();
  }
}

async function expectParity(): Promise<void> {
  const parity = await warehouseParity(t.db.url, t.warehouse);
  expect(parity.filter((p) => p.pgChecksum !== p.chChecksum)).toEqual([]);
  for (const table of Object.keys(PARITY)) {
    const counts = await keyCounts(t.warehouse, table);
    expect({ table, ...counts }).toEqual({ table, final: counts.unique, unique: counts.unique });
  }
}

beforeAll(async () => {
  t = await startTestApp({ seed: { scale: 'tiny', today: TODAY } });
  const [own] = await query<{ code: string }>(t.db.url, "SELECT code FROM regions WHERE level = 'COUNTY' ORDER BY code LIMIT 1");
  staff = await t.as('staff');
  admin = await t.as('admin');
  county = await t.as(`county-${own.code}`);
});

afterAll(async () => {
  await t?.close();
});

describe('a full run on request', () => {
  it('is the administrator’s: a county user and staff are refused (403), their incremental runs are not', async () => {
    const refused = await county.send<{ message: string }>('POST', '/api/etl/run', { mode: 'full' });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/全量同步仅限系统管理员/);
    expect((await staff.send('POST', '/api/etl/run', { mode: 'full' })).status).toBe(403);
    expect((await staff.send('POST', '/api/etl/run', { mode: 'incremental' })).status).toBe(200);
    expect((await county.send('POST', '/api/etl/run', {})).status).toBe(200);
    const run = await admin.send<{ status: string; mode: string; runId: number | null }>('POST', '/api/etl/run', { mode: 'full' });
    expect(run).toMatchObject({ status: 200, body: { status: 'succeeded', mode: 'full' } });
    expect(run.body.runId).not.toBeNull();
  });

  it('waits behind the run that holds the lock and then runs: never skipped', async () => {
    const lock = await holdLock();
    let answered = false;
    const full = admin.send<{ status: string; mode: string; runId: number | null }>('POST', '/api/etl/run', { mode: 'full' }).finally(() => (answered = true));
    try {
      // it waits on the lock (an incremental run asked for meanwhile is still skipped)
      for (;;) {
        const [row] = await query<{ waiting: string }>(t.db.url, "SELECT count(*)::text AS waiting FROM pg_locks WHERE locktype = 'advisory' AND NOT granted");
        if (row.waiting === '1') break;
        expect(answered).toBe(false);
        await sleep(20);
      }
      const incremental = await staff.send<{ status: string }>('POST', '/api/etl/run', {});
      expect(incremental.body.status).toBe('skipped');
      expect(answered).toBe(false);
    } finally {
      await lock.release();
    }
    const run = await full;
    expect(run).toMatchObject({ status: 200, body: { status: 'succeeded', mode: 'full' } });
    const [recorded] = await query<{ status: string; mode: string }>(t.db.url, 'SELECT status, mode FROM etl_runs WHERE id = $1', [run.body.runId]);
    expect(recorded).toEqual({ status: 'SUCCEEDED', mode: 'full' });
  });
});

describe('readers during a full load', () => {
  it('see the old figures or the new ones, never a half-loaded warehouse', async () => {
    // A known change: a fifth of the tasks and a tenth of the findings deleted.
    await query(t.db.url, 'UPDATE rectification_tasks SET deleted_at = now() WHERE id % 5 = 0 AND deleted_at IS NULL');
    await query(t.db.url, 'UPDATE findings SET deleted_at = now() WHERE id % 10 = 3 AND deleted_at IS NULL');
    const observe = async (page: number) => {
      const [counts] = await t.warehouse.query<{ tasks: string; open: string; summary: string; findings: string }>(
        `SELECT (SELECT count() FROM fact_tasks FINAL) AS tasks, (SELECT count() FROM fact_open_tasks FINAL) AS open,
                (SELECT count() FROM fact_open_findings FINAL) AS findings, (SELECT sum(findings) FROM fact_finding_summary FINAL) AS summary`,
      );
      // a page number of its own each time: no answer kept by the response cache
      const list = await staff.get<{ total: number }>(`/api/tasks?pageSize=1&page=${page}`);
      expect(list.status).toBe(200);
      return JSON.stringify({ ...counts, listed: list.body.total });
    };
    const before = await observe(1);

    const seen: string[] = [];
    let done = false;
    // small batches: the load takes many inserts, readers keep asking between them
    const run = runEtl({ databaseUrl: t.db.url, sink: warehouseSink(t.warehouse), mode: 'full', batchSize: 25, trigger: 'test' }).finally(() => (done = true));
    let page = 2;
    while (!done) seen.push(await observe(page++));
    expect((await run).status).toBe('succeeded');
    const after = await observe(page);

    expect(after).not.toEqual(before);
    expect(seen.length).toBeGreaterThan(3);
    // Each answer — the one statement of counts, and the API's list — is the old warehouse's or
    // the new one's. (The two are asked one after the other, so the exchange may fall between
    // them: each is judged on its own.)
    const parts = (answer: string) => {
      const { listed, ...counts } = JSON.parse(answer) as Record<string, unknown>;
      return { counts: JSON.stringify(counts), listed: String(listed) };
    };
    const [old, fresh] = [parts(before), parts(after)];
    const between = seen
      .map(parts)
      .filter((p) => (p.counts !== old.counts && p.counts !== fresh.counts) || (p.listed !== old.listed && p.listed !== fresh.listed));
    expect({ old, fresh, between }).toEqual({ old, fresh, between: [] });
    await expectParity();
  });
});

describe('a full load the warehouse needs', () => {
  it('after a reseed (db:seed --force, ids reused): the next run loads in full; parity, no event id twice', async () => {
    await seedDatabase(t.db.url, { scale: 'tiny', seed: 7, today: TODAY, force: true });
    expect(await pendingOf(t.db.url)).toMatchObject({ reason: expect.stringMatching(/db:seed --force/) });
    await healthUntil('full_load_pending');
    const result = await runEtl({ databaseUrl: t.db.url, sink: warehouseSink(t.warehouse), mode: 'incremental', trigger: 'test' });
    expect(result).toMatchObject({ status: 'succeeded', mode: 'full' });
    expect(await pendingOf(t.db.url)).toBeNull();
    await expectParity();
  });

  it('of a new warehouse whose full load was skipped (lock held): stays pending, health says so, the next run loads in full', async () => {
    // A new warehouse beside the same PostgreSQL, whose watermark is well past zero.
    await t.warehouse.command(`DROP DATABASE ${t.warehouse.database} SYNC`);
    await t.warehouse.command(`CREATE DATABASE ${t.warehouse.database}`);
    const migrated = await migrateWarehouse(t.warehouse, undefined, { beforeApply: (pending) => requestWarehouseLoad(t.db.url, pending) });
    expect(migrated.applied.length).toBeGreaterThan(0);

    const lock = await holdLock();
    try {
      const skipped = await runEtl({ databaseUrl: t.db.url, sink: warehouseSink(t.warehouse), mode: 'full', trigger: 'startup' });
      expect(skipped.status).toBe('skipped');
    } finally {
      await lock.release();
    }
    const pending = await healthUntil('full_load_pending', /warehouse migrations 001_dimensions\.sql/);
    expect(pending.status).toBe(503);
    expect(pending.body.status).toBe('degraded');

    // the schedule's next run, an incremental one, loads in full
    const result = await runEtl({ databaseUrl: t.db.url, sink: warehouseSink(t.warehouse), mode: 'incremental', trigger: 'schedule' });
    expect(result).toMatchObject({ status: 'succeeded', mode: 'full' });
    expect(await pendingOf(t.db.url)).toBeNull();
    await expectParity();
    const current = await healthUntil('current');
    expect(current.status).toBe(200);
  });

  it('a newer request made during a full run survives that run', async () => {
    await requestFullLoad(t.db.url, 'first');
    let requested = false;
    const result = await runEtl({
      databaseUrl: t.db.url,
      sink: warehouseSink(t.warehouse),
      trigger: 'test',
      onProgress: () => {
        if (requested) return;
        requested = true;
        void requestFullLoad(t.db.url, 'second');
      },
    });
    expect(result.mode).toBe('full');
    // the second request may land after the run's commit; either way it is not lost
    const deadline = Date.now() + 5_000;
    while (!(await pendingOf(t.db.url)) && Date.now() < deadline) await sleep(20);
    expect(await pendingOf(t.db.url)).toMatchObject({ reason: 'second' });
    expect((await runEtl({ databaseUrl: t.db.url, sink: warehouseSink(t.warehouse), trigger: 'test' })).mode).toBe('full');
    expect(await pendingOf(t.db.url)).toBeNull();
  });
});

describe('/api/health', () => {
  it('reports current, catching up (writes not yet loaded), and a mismatch beyond that (503)', async () => {
    const current = await healthUntil('current');
    expect(current.status).toBe(200);
    expect(current.body.status).toBe('ok');
    const counts = current.body.warehouse!.counts!;
    const [pg] = await query<{ tasks: string }>(
      t.db.url,
      `SELECT count(*)::text AS tasks FROM rectification_tasks t JOIN findings f ON f.id = t.finding_id JOIN inspections i ON i.id = f.inspection_id
        WHERE t.deleted_at IS NULL AND f.deleted_at IS NULL AND i.deleted_at IS NULL`,
    );
    expect(counts.tasks).toEqual({ postgres: Number(pg.tasks), warehouse: Number(pg.tasks), pending: 0 });

    // written, not yet loaded: no alarm
    await query(
      t.db.url,
      'UPDATE rectification_tasks SET deleted_at = now() WHERE id IN (SELECT id FROM rectification_tasks WHERE deleted_at IS NULL ORDER BY id LIMIT 3)',
    );
    const catching = await healthUntil('catching_up');
    expect(catching.status).toBe(200);
    expect(catching.body.warehouse!.counts!.tasks).toMatchObject({ postgres: Number(pg.tasks) - 3, warehouse: Number(pg.tasks) });
    await t.etl();
    expect((await healthUntil('current')).status).toBe(200);

    // rows gone from the warehouse that no pending write explains: a mismatch
    await t.warehouse.command('TRUNCATE TABLE fact_tasks');
    const mismatch = await healthUntil('mismatch');
    expect(mismatch.status).toBe(503);
    expect(mismatch.body.status).toBe('degraded');
    expect(mismatch.body.warehouse!.counts!.tasks).toMatchObject({ warehouse: 0 });

    const run = await admin.send<{ status: string }>('POST', '/api/etl/run', { mode: 'full' });
    expect(run.body.status).toBe('succeeded');
    expect((await healthUntil('current')).status).toBe(200);
  });
});
