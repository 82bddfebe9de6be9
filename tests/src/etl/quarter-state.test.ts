import {
  buildQuarterSummaryBuild,
  buildQuarterUnitsBuild,
  ensureQuarterState,
  quarterChangeToken,
  QUARTER_STATE_TABLES,
  warehouseSink,
  runEtl,
  type EtlRunResult,
  migrateWarehouse,
  type Warehouse,
} from '@xuncha/etl';
import { seedDatabase } from '@xuncha/prisma';
import { dropTestDatabase, openTestWarehouse } from '../support/clickhouse';
import { createTestDatabase, query, type TestDatabase } from '../support/pg';
import { pinToday } from '../support/today';

const TODAY = pinToday();
const KEY = 'round_id, term_id, county_id, unit_category, mode, category1_id, category_id, is_immediate, fed_back, found_quarter';
const FIGURES = [
  'sum(findings)',
  'sum(findings_closed)',
  'sumMap(close_days)',
  'sum(tasks)',
  'sum(tasks_closed)',
  'sum(tasks_on_time)',
  'sum(tasks_closed_undated)',
  'sum(tasks_extended)',
  'sumMap(open_due)',
  'sum(reinspection_findings)',
  'sum(repeats)',
  'sum(closed_reinspected)',
  'sum(rebounds)',
].join(', ');
const UNIT_COLUMNS =
  'id, code, name, category, region_id, county_id, committee_region_id, valid_from, valid_to, last_routine, last_special, last_mobile, last_revisit';
/** The build id the check derives from scratch under (never one ensureQuarterState hands out). */
const SCRATCH = '1';

function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** The last day of the quarter before the one `day` lies in. */
function quarterEndBefore(day: string): string {
  const [y, m] = day.split('-').map(Number);
  return new Date(Date.UTC(y, Math.floor((m - 1) / 3) * 3, 1) - 86_400_000).toISOString().slice(0, 10);
}

/**
 * The state as of past quarter ends (quarter_summary, quarter_units), built on first use and
 * kept while its change token stands, equals the state derived from scratch from the facts
 * after incremental runs with every kind of change, backdated ones included; each quarter
 * end's token changes exactly when a run loaded something on or before it. (That the state
 * gives the metrics' figures is shown by the API tests, which compare the API with an
 * independent PostgreSQL computation as of quarter ends.)
 */
describe('ETL: the state as of quarter ends and its change tokens', () => {
  let db: TestDatabase;
  let warehouse: Warehouse;
  const etl = (mode: 'incremental' | 'full' = 'incremental', quarterMarks = true): Promise<EtlRunResult> =>
    runEtl({ databaseUrl: db.url, sink: warehouseSink(warehouse, { quarterMarks }), mode, batchSize: 700, trigger: 'test' });

  // The last three quarter ends before today, and one two years back.
  const qLast = quarterEndBefore(TODAY);
  const qPrev = quarterEndBefore(qLast);
  const qThird = quarterEndBefore(qPrev);
  const qOld = quarterEndBefore(quarterEndBefore(quarterEndBefore(quarterEndBefore(quarterEndBefore(qThird)))));
  const QUARTERS = [qOld, qThird, qPrev, qLast];

  const summaryRows = (asOf: string, build: string) =>
    warehouse.query<Record<string, unknown>>(
      `SELECT ${KEY}, ${FIGURES} FROM quarter_summary WHERE as_of = {asOf:Date} AND build = {build:UInt64} GROUP BY ${KEY} ORDER BY ${KEY}`,
      { asOf, build },
    );
  const unitRows = (asOf: string, build: string) =>
    warehouse.query<Record<string, unknown>>(`SELECT ${UNIT_COLUMNS} FROM quarter_units WHERE as_of = {asOf:Date} AND build = {build:UInt64} ORDER BY id`, {
      asOf,
      build,
    });

  /** The state as of `asOf` the metrics would read now, and the same derived from scratch. */
  async function stateAndScratch(asOf: string): Promise<{ built: boolean; actual: unknown; expected: unknown }> {
    const { build, built } = await ensureQuarterState(warehouse, asOf);
    for (const table of QUARTER_STATE_TABLES) {
      await warehouse.command(`DELETE FROM ${table} WHERE as_of = {asOf:Date} AND build = {build:UInt64}`, { asOf, build: SCRATCH });
    }
    for (const statement of [buildQuarterSummaryBuild(asOf, SCRATCH), buildQuarterUnitsBuild(asOf, SCRATCH)]) {
      await warehouse.command(statement.query, statement.params);
    }
    const expected = { summary: await summaryRows(asOf, SCRATCH), units: await unitRows(asOf, SCRATCH) };
    expect(expected.summary.length).toBeGreaterThan(0);
    expect(expected.units.length).toBeGreaterThan(0);
    return { built, actual: { summary: await summaryRows(asOf, build), units: await unitRows(asOf, build) }, expected };
  }

  const tokens = async () => Object.fromEntries(await Promise.all(QUARTERS.map(async (q) => [q, await quarterChangeToken(warehouse, q)] as const)));

  /**
   * One incremental run, then: the quarter ends on or after `from` have a new token and are
   * rebuilt on use, the others keep theirs and their build; every one equals its state from
   * scratch.
   */
  async function loadAndExpect(before: Record<string, string>, from: string | null): Promise<Record<string, string>> {
    await etl();
    return expectAfterRun(before, from);
  }

  /** After a run: as loadAndExpect describes. */
  async function expectAfterRun(before: Record<string, string>, from: string | null): Promise<Record<string, string>> {
    const after = await tokens();
    for (const q of QUARTERS) {
      const affected = from !== null && q >= from;
      if (affected) expect({ q, token: after[q] }).not.toEqual({ q, token: before[q] });
      else expect({ q, token: after[q] }).toEqual({ q, token: before[q] });
      const { built, actual, expected } = await stateAndScratch(q);
      expect({ q, built }).toEqual({ q, built: affected });
      expect(actual).toEqual(expected);
    }
    const [dirty] = await warehouse.query<{ n: string }>('SELECT (SELECT count() FROM etl_quarter_dirty) + (SELECT count() FROM etl_tasks_before) AS n');
    expect(dirty.n).toBe('0');
    return after;
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedDatabase(db.url, { scale: 'tiny', seed: 5, today: TODAY });
    warehouse = await openTestWarehouse();
    await migrateWarehouse(warehouse);
  });
  afterAll(async () => {
    await dropTestDatabase();
    await db.drop();
  });

  let loaded: Promise<void> | undefined;
  /**
   * Each test's starting point, whatever ran before it (the tests do not depend on their
   * order): the warehouse loaded, every quarter end's state built, and their tokens.
   */
  async function baseline(): Promise<Record<string, string>> {
    loaded ??= etl('full').then((run) => {
      expect(run.status).toBe('succeeded');
    });
    await loaded;
    for (const q of QUARTERS) await ensureQuarterState(warehouse, q);
    return tokens();
  }

  it('a full load changes every token; each quarter end is built on first use, then reused', async () => {
    const empty = await tokens();
    expect((await etl('full')).status).toBe('succeeded');
    const current = await tokens();
    for (const q of QUARTERS) {
      expect(current[q]).not.toEqual(empty[q]);
      const first = await stateAndScratch(q);
      expect(first.built).toBe(true);
      expect(first.actual).toEqual(first.expected);
      const again = await ensureQuarterState(warehouse, q);
      expect(again.built).toBe(false);
    }
    // every finding found by the quarter end is counted once
    const [counts] = await warehouse.query<{ state: string; facts: string }>(
      `SELECT (SELECT sum(findings) FROM quarter_summary WHERE as_of = {q:Date} AND build = {build:UInt64}) AS state,
         (SELECT count() FROM fact_findings FINAL WHERE is_deleted = 0 AND found_date <= {q:Date}) AS facts`,
      { q: qPrev, build: (await ensureQuarterState(warehouse, qPrev)).build },
    );
    expect(Number(counts.facts)).toBeGreaterThan(0);
    expect(counts.state).toBe(counts.facts);
  });

  it('today’s work (closures, extensions, a new finding with a task, a status change without event) leaves every past quarter end as it is', async () => {
    const before = await baseline();
    const open = await query<{ id: string; status: string }>(
      db.url,
      `SELECT id::text, status::text FROM rectification_tasks
       WHERE deleted_at IS NULL AND status IN ('IN_PROGRESS', 'NOT_STARTED', 'CLOSE_REQUESTED') AND current_due_date IS NOT NULL
       ORDER BY id LIMIT 4`,
    );
    expect(open).toHaveLength(4);
    await query(db.url, `UPDATE rectification_tasks SET status = 'CLOSED', closed_date = $2::date WHERE id = $1`, [open[0].id, TODAY]);
    await query(
      db.url,
      `INSERT INTO task_events (task_id, type, event_date, from_status, to_status, actor) VALUES ($1, 'STATUS_CHANGE', $3::date, $2::task_status, 'CLOSED', 'test')`,
      [open[0].id, open[0].status, TODAY],
    );
    await query(db.url, 'UPDATE rectification_tasks SET current_due_date = current_due_date + 60 WHERE id = $1', [open[1].id]);
    await query(
      db.url,
      `INSERT INTO task_events (task_id, type, event_date, new_due_date, actor) SELECT id, 'EXTENSION', $2::date, current_due_date, 'test' FROM rectification_tasks WHERE id = $1`,
      [open[1].id, TODAY],
    );
    // the bench's change: the status alone, no event
    await query(db.url, `UPDATE rectification_tasks SET status = 'CLOSE_REQUESTED' WHERE id = $1`, [open[2].id]);
    // a text the warehouse does not hold: the task row is loaded again, unchanged there
    await query(db.url, `UPDATE rectification_tasks SET measure = measure || '。' WHERE id = $1`, [open[3].id]);
    const [inspection] = await query<{ id: number; unit_id: number }>(
      db.url,
      `SELECT id, unit_id FROM inspections WHERE deleted_at IS NULL AND stationed_from > $1::date ORDER BY stationed_from DESC, id LIMIT 1`,
      [qLast],
    );
    if (inspection) {
      const [fresh] = await query<{ id: string }>(
        db.url,
        `INSERT INTO findings (inspection_id, unit_id, category_id, description, found_date)
         SELECT $1, $2, id, '今天发现', $3::date FROM issue_categories WHERE level = 2 ORDER BY id LIMIT 1 RETURNING id::text`,
        [inspection.id, inspection.unit_id, TODAY],
      );
      await query(
        db.url,
        `INSERT INTO rectification_tasks (finding_id, measure, responsible_dept, responsible_person, track, original_due_date, current_due_date, status)
         VALUES ($1, '整改', '办公室', '张三', 'DEADLINE', $2::date + 30, $2::date + 30, 'NOT_STARTED')`,
        [fresh.id, TODAY],
      );
    }
    const run = await etl();
    expect(run.written).toBeGreaterThan(0);
    await expectAfterRun(before, null);
  });

  it('a backdated status event changes the quarter ends from its day on', async () => {
    const before = await baseline();
    // a task that existed well before the event's day
    const day = addDays(qPrev, -10);
    const [task] = await query<{ id: string }>(
      db.url,
      `SELECT t.id::text FROM rectification_tasks t
       WHERE t.deleted_at IS NULL AND (SELECT min(e.event_date) FROM task_events e WHERE e.task_id = t.id) < $1::date - 30
       ORDER BY t.id LIMIT 1`,
      [day],
    );
    expect(task).toBeDefined();
    await query(
      db.url,
      `INSERT INTO task_events (task_id, type, event_date, from_status, to_status, actor) VALUES ($1, 'STATUS_CHANGE', $2::date, 'IN_PROGRESS', 'BASICALLY_DONE', 'test')`,
      [task.id, day],
    );
    await loadAndExpect(before, day);
  });

  it('a finding recorded late, found in a past quarter, changes the quarter ends from its stationing on', async () => {
    const before = await baseline();
    const [inspection] = await query<{ id: number; unit_id: number; stationed_from: string }>(
      db.url,
      `SELECT id, unit_id, stationed_from::text FROM inspections
       WHERE deleted_at IS NULL AND stationed_from > $1::date AND stationed_from < $2::date - 10 AND feedback_date IS NOT NULL
       ORDER BY id LIMIT 1`,
      [qPrev, qLast],
    );
    expect(inspection).toBeDefined();
    const [finding] = await query<{ id: string }>(
      db.url,
      `INSERT INTO findings (inspection_id, unit_id, category_id, description, found_date)
       SELECT $1, $2, id, '补录', $3::date FROM issue_categories WHERE level = 2 ORDER BY id DESC LIMIT 1 RETURNING id::text`,
      [inspection.id, inspection.unit_id, addDays(inspection.stationed_from, 3)],
    );
    expect(finding).toBeDefined();
    await loadAndExpect(before, inspection.stationed_from);
  });

  it('an inspection moved, a finding deleted, a task reassigned: from the earliest day each concerns', async () => {
    let current = await baseline();
    // an inspection of the last quarter, moved five days later
    const [moved] = await query<{ id: number; stationed_from: string }>(
      db.url,
      `SELECT i.id, i.stationed_from::text FROM inspections i
       WHERE i.deleted_at IS NULL AND i.stationed_from > $1::date AND i.stationed_from < $2::date - 30
         AND (i.stationed_to IS NULL OR i.stationed_to > i.stationed_from + 6) AND (i.feedback_date IS NULL OR i.feedback_date > i.stationed_from + 6)
         AND NOT EXISTS (SELECT 1 FROM findings f WHERE f.inspection_id = i.id AND f.found_date <= $1::date)
       ORDER BY i.id LIMIT 1`,
      [qPrev, qLast],
    );
    expect(moved).toBeDefined();
    await query(db.url, 'UPDATE inspections SET stationed_from = stationed_from + 5 WHERE id = $1', [moved.id]);
    current = await loadAndExpect(current, moved.stationed_from);

    // a finding of an inspection stationed between the third and the second last quarter end, deleted
    const [gone] = await query<{ id: string; day: string }>(
      db.url,
      `SELECT f.id::text, least(f.found_date, i.stationed_from, coalesce(i.feedback_date, f.found_date))::text AS day
       FROM findings f JOIN inspections i ON i.id = f.inspection_id
       WHERE f.deleted_at IS NULL AND i.stationed_from > $1::date AND f.found_date <= $2::date
       ORDER BY f.id LIMIT 1`,
      [qThird, qPrev],
    );
    expect(gone).toBeDefined();
    await query(db.url, 'UPDATE findings SET deleted_at = now() WHERE id = $1', [gone.id]);
    current = await loadAndExpect(current, gone.day);

    // a task handed to another department: from its found day, or its first event when later
    const [task] = await query<{ id: string; day: string }>(
      db.url,
      `SELECT t.id::text, greatest(f.found_date, (SELECT min(e.event_date) FROM task_events e WHERE e.task_id = t.id))::text AS day
       FROM rectification_tasks t JOIN findings f ON f.id = t.finding_id
       WHERE t.deleted_at IS NULL AND f.deleted_at IS NULL AND f.found_date > $1::date AND f.found_date <= $2::date
         AND EXISTS (SELECT 1 FROM task_events e WHERE e.task_id = t.id)
       ORDER BY t.id LIMIT 1`,
      [qThird, qPrev],
    );
    expect(task).toBeDefined();
    await query(db.url, `UPDATE rectification_tasks SET responsible_dept = responsible_dept || '（调整）' WHERE id = $1`, [task.id]);
    await loadAndExpect(current, task.day);
  });

  it('a unit moved to another county: its facts, re-emitted, change the quarter ends from their earliest day', async () => {
    const before = await baseline();
    const [unit] = await query<{ id: number; region_id: number; other: number; day: string }>(
      db.url,
      `SELECT u.id, u.region_id, o.id AS other,
         least(u.valid_from, (SELECT min(i.stationed_from) FROM inspections i WHERE i.unit_id = u.id AND i.deleted_at IS NULL),
           (SELECT min(f.found_date) FROM findings f WHERE f.unit_id = u.id AND f.deleted_at IS NULL))::text AS day
       FROM org_units u JOIN regions r ON r.id = u.region_id
       JOIN regions o ON o.level = r.level AND o.id <> r.id AND o.parent_id IS NOT DISTINCT FROM r.parent_id
       WHERE u.deleted_at IS NULL AND r.level = 'COUNTY' AND u.committee_region_id = u.region_id
         AND EXISTS (SELECT 1 FROM findings f WHERE f.unit_id = u.id AND f.deleted_at IS NULL AND f.found_date <= $1::date)
       ORDER BY u.id LIMIT 1`,
      [qOld],
    );
    expect(unit).toBeDefined();
    await query(db.url, 'UPDATE org_units SET region_id = $2, committee_region_id = $2 WHERE id = $1', [unit.id, unit.other]);
    await loadAndExpect(before, unit.day);
  });

  it('a full run changes every token again', async () => {
    const before = await baseline();
    await etl('full');
    await expectAfterRun(before, '1970-01-01');
  });

  it('without the marks, a backdated change leaves a stale state that this check catches', async () => {
    const current = await baseline();
    const day = addDays(qLast, -3);
    const [task] = await query<{ id: string }>(
      db.url,
      `SELECT t.id::text FROM rectification_tasks t
       WHERE t.deleted_at IS NULL AND t.status <> 'CLOSED' AND (SELECT min(e.event_date) FROM task_events e WHERE e.task_id = t.id) < $1::date - 30
         AND NOT EXISTS (SELECT 1 FROM task_events e WHERE e.task_id = t.id AND e.event_date >= $1::date)
       ORDER BY t.id LIMIT 1`,
      [day],
    );
    expect(task).toBeDefined();
    await query(
      db.url,
      `INSERT INTO task_events (task_id, type, event_date, from_status, to_status, actor) VALUES ($1, 'STATUS_CHANGE', $2::date, 'IN_PROGRESS', 'CLOSED', 'test')`,
      [task.id, day],
    );
    try {
      await etl('incremental', false);
      expect(await quarterChangeToken(warehouse, qLast)).toEqual(current[qLast]);
      const { built, actual, expected } = await stateAndScratch(qLast);
      expect(built).toBe(false);
      expect(actual).not.toEqual(expected);
    } finally {
      // leave no stale state to a test that runs after this one
      await etl('full');
    }
  });
});
