import { buildFindingSummaryRebuild, warehouseSink, runEtl, type EtlRunResult, migrateWarehouse, type Warehouse } from '@xuncha/etl';
import { seedDatabase } from '@xuncha/prisma';
import { dropTestDatabase, openTestWarehouse } from '../support/clickhouse';
import { createTestDatabase, query, type TestDatabase } from '../support/pg';

const TODAY = '2026-06-30';
const KEY = 'round_id, term_id, county_id, unit_category, mode, category1_id, category_id, is_immediate, fed_back, found_quarter';
const FIGURES =
  'findings, findings_closed, close_days, tasks, tasks_closed, tasks_on_time, tasks_closed_undated, tasks_extended, open_due, reinspection_findings, repeats, closed_reinspected, rebounds, max_found, max_feedback';

/**
 * fact_finding_summary, kept up to date round by round by each incremental run, equals the
 * summary derived from scratch from the facts (and fact_open_tasks, fact_open_findings,
 * fact_unit_coverage equal the open tasks and findings and the units' latest inspections) after every kind of change: status changes,
 * reopening, extensions, deletions of tasks and findings, a new finding naming an earlier
 * one as its recurrence, a new inspection of a unit, an inspection moved to another round.
 * (That the summary gives the metrics' figures is shown by the API tests, which compare the
 * API with an independent PostgreSQL computation.)
 */
describe('ETL: the current-state finding summary and open tasks', () => {
  let db: TestDatabase;
  let warehouse: Warehouse;
  const etl = (mode: 'incremental' | 'full' = 'incremental'): Promise<EtlRunResult> =>
    runEtl({ databaseUrl: db.url, sink: warehouseSink(warehouse), mode, batchSize: 700, trigger: 'test' });

  const rows = (table: string) =>
    warehouse.query<Record<string, unknown>>(`SELECT ${KEY}, ${FIGURES} FROM ${table} FINAL WHERE is_deleted = 0 ORDER BY ${KEY}`);

  /** The summary as it is, and as a rebuild from scratch derives it. */
  async function expectUpToDate(): Promise<void> {
    await warehouse.command('DROP TABLE IF EXISTS summary_check');
    await warehouse.command('CREATE TABLE summary_check AS fact_finding_summary');
    const rebuild = buildFindingSummaryRebuild('all', 1n);
    await warehouse.command(rebuild.query.replace('INSERT INTO fact_finding_summary', 'INSERT INTO summary_check'), rebuild.params);
    const expected = await rows('summary_check');
    expect(expected.length).toBeGreaterThan(0);
    const actual = await rows('fact_finding_summary');
    expect(actual).toEqual(expected);
    const [dirty] = await warehouse.query<{ n: string }>('SELECT count() AS n FROM etl_summary_dirty');
    expect(dirty.n).toBe('0');
    // and the open tasks are fact_tasks' rows of the tasks not closed
    const open = await warehouse.query('SELECT * FROM fact_open_tasks FINAL ORDER BY id');
    const expectedOpen = await warehouse.query("SELECT * FROM fact_tasks FINAL WHERE status != 'CLOSED' ORDER BY id");
    expect(expectedOpen.length).toBeGreaterThan(0);
    expect(open).toEqual(expectedOpen);
    // and the open findings are fact_findings' rows of the findings not closed, with their task counts
    const openFindings = await warehouse.query('SELECT * EXCEPT (version, is_deleted) FROM fact_open_findings FINAL ORDER BY id');
    const expectedFindings = await warehouse.query(
      `SELECT f.* EXCEPT (version, is_deleted), p.n AS task_count, p.closed_n AS closed_count
       FROM fact_findings AS f FINAL
       LEFT JOIN (SELECT finding_id, count() AS n, countIf(status = 'CLOSED') AS closed_n FROM fact_tasks FINAL GROUP BY finding_id) AS p ON p.finding_id = f.id
       WHERE NOT (p.n > 0 AND p.closed_n = p.n)
       ORDER BY f.id`,
    );
    expect(expectedFindings.length).toBeGreaterThan(0);
    expect(openFindings).toEqual(expectedFindings);
    const [dirtyFindings] = await warehouse.query<{ n: string }>('SELECT count() AS n FROM etl_findings_dirty');
    expect(dirtyFindings.n).toBe('0');
    // and each unit's latest inspection day by mode
    const units = await warehouse.query('SELECT * EXCEPT (version, is_deleted) FROM fact_unit_coverage FINAL ORDER BY id');
    const expectedUnits = await warehouse.query(
      `SELECT u.id AS id, u.code AS code, u.name AS name, u.category AS category, u.region_id AS region_id, u.county_id AS county_id,
         u.committee_region_id AS committee_region_id, u.valid_from AS valid_from, u.valid_to AS valid_to,
         i.r AS last_routine, i.s AS last_special, i.m AS last_mobile, i.v AS last_revisit
       FROM dim_units AS u FINAL
       LEFT JOIN (
         SELECT unit_id, maxIfOrNull(stationed_from, mode = 'ROUTINE') AS r, maxIfOrNull(stationed_from, mode = 'SPECIAL') AS s,
           maxIfOrNull(stationed_from, mode = 'MOBILE') AS m, maxIfOrNull(stationed_from, mode = 'REVISIT') AS v
         FROM fact_inspections FINAL GROUP BY unit_id
       ) AS i ON i.unit_id = u.id
       ORDER BY id`,
    );
    expect(expectedUnits.length).toBeGreaterThan(0);
    expect(units).toEqual(expectedUnits);
    const [dirtyUnits] = await warehouse.query<{ n: string }>('SELECT count() AS n FROM etl_units_dirty');
    expect(dirtyUnits.n).toBe('0');
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedDatabase(db.url, { scale: 'tiny', seed: 11, today: TODAY });
    warehouse = await openTestWarehouse();
    await migrateWarehouse(warehouse);
  });
  afterAll(async () => {
    await dropTestDatabase();
    await db.drop();
  });

  it('a full load derives it, with every finding and task counted once', async () => {
    expect((await etl('full')).status).toBe('succeeded');
    await expectUpToDate();
    const [ch] = await warehouse.query<{ findings: string; tasks: string; fact_findings: string; fact_tasks: string }>(
      `SELECT sum(findings) AS findings, sum(tasks) AS tasks,
         (SELECT count() FROM fact_findings FINAL WHERE is_deleted = 0) AS fact_findings,
         (SELECT count() FROM fact_tasks FINAL WHERE is_deleted = 0) AS fact_tasks
       FROM fact_finding_summary FINAL WHERE is_deleted = 0`,
    );
    expect(Number(ch.findings)).toBeGreaterThan(0);
    expect(ch.findings).toBe(ch.fact_findings);
    expect(ch.tasks).toBe(ch.fact_tasks);
  });

  it('incremental runs keep it equal to a rebuild: status changes, extensions, deletions, recurrences, inspections', async () => {
    const open = await query<{ id: string; status: string; current_due_date: string | null }>(
      db.url,
      `SELECT t.id::text, t.status::text, t.current_due_date::text FROM rectification_tasks t
       WHERE t.deleted_at IS NULL AND t.status IN ('IN_PROGRESS', 'NOT_STARTED', 'CLOSE_REQUESTED') AND t.current_due_date IS NOT NULL
       ORDER BY t.id LIMIT 6`,
    );
    expect(open).toHaveLength(6);
    const [close1, close2, extend, remove] = open;
    // status changes (one of them closes the last open task of its finding, perhaps), recorded as the app does
    for (const task of [close1, close2]) {
      await query(db.url, `UPDATE rectification_tasks SET status = 'CLOSED', closed_date = DATE '${TODAY}' WHERE id = $1`, [task.id]);
      await query(
        db.url,
        `INSERT INTO task_events (task_id, type, event_date, from_status, to_status, actor) VALUES ($1, 'STATUS_CHANGE', DATE '${TODAY}', $2::task_status, 'CLOSED', 'test')`,
        [task.id, task.status],
      );
    }
    // an extension
    await query(db.url, `UPDATE rectification_tasks SET current_due_date = current_due_date + 90 WHERE id = $1`, [extend.id]);
    await query(
      db.url,
      `INSERT INTO task_events (task_id, type, event_date, new_due_date, actor) SELECT id, 'EXTENSION', DATE '${TODAY}', current_due_date, 'test' FROM rectification_tasks WHERE id = $1`,
      [extend.id],
    );
    // a deleted task
    await query(db.url, 'UPDATE rectification_tasks SET deleted_at = now() WHERE id = $1', [remove.id]);
    // a reopened task
    const [closed] = await query<{ id: string }>(
      db.url,
      `SELECT id::text FROM rectification_tasks WHERE deleted_at IS NULL AND status = 'CLOSED' ORDER BY id DESC LIMIT 1`,
    );
    await query(db.url, `UPDATE rectification_tasks SET status = 'IN_PROGRESS', closed_date = NULL WHERE id = $1`, [closed.id]);
    await query(
      db.url,
      `INSERT INTO task_events (task_id, type, event_date, from_status, to_status, actor) VALUES ($1, 'STATUS_CHANGE', DATE '${TODAY}', 'CLOSED', 'IN_PROGRESS', 'test')`,
      [closed.id],
    );
    // a deleted finding
    const [gone] = await query<{ id: string }>(db.url, `SELECT id::text FROM findings WHERE deleted_at IS NULL ORDER BY id LIMIT 1 OFFSET 5`);
    await query(db.url, 'UPDATE findings SET deleted_at = now() WHERE id = $1', [gone.id]);
    // a later finding naming a closed one (of an earlier round) as its recurrence, with a task
    const [earlier] = await query<{ id: string; unit_id: number; category_id: number; inspection_id: number }>(
      db.url,
      `SELECT f.id::text, f.unit_id, f.category_id, latest.id AS inspection_id
       FROM findings f
       JOIN inspections i ON i.id = f.inspection_id
       JOIN LATERAL (SELECT id FROM inspections j WHERE j.unit_id = f.unit_id AND j.deleted_at IS NULL AND j.stationed_from > i.stationed_from ORDER BY j.stationed_from DESC LIMIT 1) latest ON true
       WHERE f.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM rectification_tasks t WHERE t.finding_id = f.id AND t.status <> 'CLOSED')
         AND EXISTS (SELECT 1 FROM rectification_tasks t WHERE t.finding_id = f.id)
       ORDER BY f.id LIMIT 1`,
    );
    expect(earlier).toBeDefined();
    const [again] = await query<{ id: string }>(
      db.url,
      `INSERT INTO findings (inspection_id, unit_id, category_id, description, found_date, recurrence_of_id) VALUES ($1, $2, $3, '又出现了', DATE '${TODAY}', $4) RETURNING id::text`,
      [earlier.inspection_id, earlier.unit_id, earlier.category_id, earlier.id],
    );
    await query(
      db.url,
      `INSERT INTO rectification_tasks (finding_id, measure, responsible_dept, responsible_person, track, original_due_date, current_due_date, status)
       VALUES ($1, '再整改', '办公室', '李四', 'DEADLINE', DATE '${TODAY}' + 30, DATE '${TODAY}' + 30, 'NOT_STARTED')`,
      [again.id],
    );
    const [fresh] = await query<{ id: number }>(
      db.url,
      `INSERT INTO org_units (code, name, category, region_id, committee_region_id, valid_from)
       SELECT code || '-新', name || '（新设）', category, region_id, committee_region_id, DATE '${TODAY}' FROM org_units ORDER BY id LIMIT 1
       RETURNING id`,
    );

    const first = await etl();
    expect(first.status).toBe('succeeded');
    expect(first.written).toBeGreaterThan(0);
    await expectUpToDate();

    // A new inspection of a unit whose last inspection found a finding that is closed now:
    // that finding is now re-inspected after its closure. In a run of its own, so that only
    // the unit marks the finding's round.
    const [unit] = await query<{ unit_id: number; round_id: number }>(
      db.url,
      `SELECT i.unit_id, i.round_id FROM inspections i
       WHERE i.deleted_at IS NULL
         AND i.stationed_from = (SELECT max(j.stationed_from) FROM inspections j WHERE j.unit_id = i.unit_id AND j.deleted_at IS NULL)
         AND EXISTS (SELECT 1 FROM findings f JOIN rectification_tasks t ON t.finding_id = f.id AND t.deleted_at IS NULL
                     WHERE f.inspection_id = i.id AND f.deleted_at IS NULL
                     GROUP BY f.id HAVING bool_and(t.status = 'CLOSED'))
       ORDER BY i.id LIMIT 1`,
    );
    expect(unit).toBeDefined();
    const before = await warehouse.query<{ n: string }>('SELECT sum(closed_reinspected) AS n FROM fact_finding_summary FINAL WHERE is_deleted = 0');
    await query(
      db.url,
      `INSERT INTO inspections (round_id, unit_id, team, mode, stationed_from, stationed_to, feedback_date) VALUES ($1, $2, '第九组', 'SPECIAL', DATE '${TODAY}', DATE '${TODAY}', NULL)`,
      [unit.round_id, unit.unit_id],
    );
    const visit = await etl();
    expect(visit.tables.fact_inspections.read).toBe(1);
    expect(visit.tables.fact_findings.read).toBe(0);
    await expectUpToDate();
    const after = await warehouse.query<{ n: string }>('SELECT sum(closed_reinspected) AS n FROM fact_finding_summary FINAL WHERE is_deleted = 0');
    expect(Number(after[0].n)).toBeGreaterThan(Number(before[0].n));

    // an inspection moved to another round of its term: its findings leave their round
    const [moved] = await query<{ id: number; other: number }>(
      db.url,
      `SELECT i.id, o.id AS other FROM inspections i JOIN rounds r ON r.id = i.round_id
       JOIN rounds o ON o.term_id = r.term_id AND o.id <> r.id
       WHERE i.deleted_at IS NULL AND EXISTS (SELECT 1 FROM findings f WHERE f.inspection_id = i.id AND f.deleted_at IS NULL)
       ORDER BY i.id LIMIT 1`,
    );
    expect(moved).toBeDefined();
    await query(db.url, 'UPDATE inspections SET round_id = $1 WHERE id = $2', [moved.other, moved.id]);
    // the recurrence is withdrawn and the new inspection deleted
    await query(db.url, 'UPDATE findings SET deleted_at = now() WHERE id = $1', [again.id]);
    await query(db.url, `UPDATE inspections SET deleted_at = now() WHERE unit_id = $1 AND team = '第九组'`, [unit.unit_id]);

    // a unit abolished and renamed; a new unit, never inspected, renamed too
    const [abolished] = await query<{ id: number }>(db.url, 'SELECT id FROM org_units WHERE deleted_at IS NULL AND valid_to IS NULL ORDER BY id LIMIT 1');
    await query(db.url, `UPDATE org_units SET valid_to = DATE '${TODAY}', name = name || '（撤并）' WHERE id = $1`, [abolished.id]);
    await query(db.url, `UPDATE org_units SET name = name || '（更名）' WHERE id = $1`, [fresh.id]);

    const second = await etl();
    expect(second.status).toBe('succeeded');
    expect(second.written).toBeGreaterThan(0);
    await expectUpToDate();

    // nothing changed: nothing is rebuilt, and the summary stays as it is
    const third = await etl();
    expect(third.read).toBe(0);
    await expectUpToDate();
  });
});
