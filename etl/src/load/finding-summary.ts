/**
 * fact_finding_summary: the current state of the findings and their tasks, pre-aggregated
 * by the dashboard's filter dimensions (see migrations/004_finding_summary.sql), derived in
 * the warehouse from fact_findings, fact_tasks and fact_inspections by the ETL.
 *
 * It holds what the metric queries compute when as-of lies on or after every day loaded
 * (then every "on or before as-of" condition holds for every row, and each task's state is
 * its current one): the same definitions (backend/src/metrics/DEFINITIONS.md), taken from
 * figures.ts as the metric queries take them, evaluated once per finding, summed per key.
 *
 * Rebuilt a round at a time: a finding's figures depend on its own tasks, on its unit's
 * inspections and findings (re-inspection, repeat, rebound) and on the findings naming it
 * as their recurrence. So a run marks dirty (etl_summary_dirty), before and after it loads
 * them, the rounds of the findings and tasks it loads and of the findings they name, and
 * the units of the findings and inspections it loads; the rebuild takes every round of a
 * dirty unit too. Each rebuilt key gets version v + 1; every key the round had before gets
 * a tombstone with version v, so a key that no longer occurs disappears.
 */
import { closeDays, isRebound, isReinspectedAfterClosure, isReinspection, isRepeat, taskFigures } from './figures';

export interface SummaryQuery {
  query: string;
  params: Record<string, unknown>;
}

const KEY = ['round_id', 'term_id', 'county_id', 'unit_category', 'mode', 'category1_id', 'category_id', 'is_immediate', 'fed_back', 'found_quarter'] as const;
const key = KEY.join(', ');
const FIGURES =
  'findings, findings_closed, close_days, tasks, tasks_closed, tasks_on_time, tasks_closed_undated, tasks_extended, open_due, reinspection_findings, repeats, closed_reinspected, rebounds, max_found, max_feedback';
const NO_DAYS = "CAST(map(), 'Map(UInt32, UInt64)')";
const NO_DUE = "CAST(map(), 'Map(Date, UInt64)')";
const NO_DAY = "CAST(NULL, 'Nullable(Date)')";
/** The per-task figures over fact_tasks' columns: each task in its current state. */
const TASK = taskFigures({ status: 'status', due: 'current_due_date', closedDate: 'closed_date', original: 'original_due_date' });

/** Rebuilds the summary rows of some rounds (or of all: the table must be empty then). */
export function buildFindingSummaryRebuild(rounds: readonly number[] | 'all', version: bigint): SummaryQuery {
  const byRound = rounds === 'all' ? '' : 'AND round_id IN {rounds:Array(UInt32)}';
  // Pruning only: the units (and findings) whose history the rebuilt findings are compared
  // with, a superset read without FINAL (every version of the rows of the rounds: a cheap
  // scan of two columns, where `f` and `t` would be evaluated again, with FINAL, each time).
  const ofUnits = rounds === 'all' ? '' : 'AND unit_id IN (SELECT unit_id FROM fact_findings WHERE round_id IN {rounds:Array(UInt32)})';
  const ofTaskUnits = rounds === 'all' ? '' : 'AND unit_id IN (SELECT unit_id FROM fact_tasks WHERE round_id IN {rounds:Array(UInt32)})';
  const ofTaskFindings =
    rounds === 'all' ? '' : 'AND assumeNotNull(recurrence_of_id) IN (SELECT finding_id FROM fact_tasks WHERE round_id IN {rounds:Array(UInt32)})';
  const tombstones =
    rounds === 'all'
      ? ''
      : `
UNION ALL
SELECT ${key}, 0, 0, ${NO_DAYS}, 0, 0, 0, 0, 0, ${NO_DUE}, 0, 0, 0, 0, toDate(0), ${NO_DAY}, {version:UInt64}, 1
FROM fact_finding_summary FINAL
WHERE is_deleted = 0 AND round_id IN {rounds:Array(UInt32)}`;
  return {
    query: `INSERT INTO fact_finding_summary (${key}, ${FIGURES}, version, is_deleted)
WITH
  f AS (
    SELECT id, unit_id, round_id, term_id, county_id, unit_category, mode, category1_id, category_id, is_immediate,
      toUInt8(feedback_date IS NOT NULL) AS fed_back, toStartOfQuarter(found_date) AS found_quarter, found_date, feedback_date, stationed_from
    FROM fact_findings FINAL
    WHERE is_deleted = 0 ${byRound}
  ),
  first_visit AS (
    SELECT unit_id, min(stationed_from) AS first_date, 1 AS hit
    FROM fact_inspections FINAL
    WHERE is_deleted = 0 ${ofUnits}
    GROUP BY unit_id
  ),
  first_found AS (
    SELECT unit_id, category_id, min(stationed_from) AS first_date
    FROM fact_findings FINAL
    WHERE is_deleted = 0 ${ofUnits}
    GROUP BY unit_id, category_id
  ),
  t AS (
    SELECT finding_id, unit_id, round_id, term_id, county_id, unit_category, mode, category1_id, category_id, finding_is_immediate AS is_immediate,
      toUInt8(feedback_date IS NOT NULL) AS fed_back, toStartOfQuarter(found_date) AS found_quarter, feedback_date,
      status, original_due_date, current_due_date, closed_date
    FROM fact_tasks FINAL
    WHERE is_deleted = 0 ${byRound}
  ),
  per_finding AS (
    SELECT finding_id, any(unit_id) AS unit_id, any(round_id) AS round_id, any(term_id) AS term_id, any(county_id) AS county_id,
      any(unit_category) AS unit_category, any(mode) AS mode, any(category1_id) AS category1_id, any(category_id) AS category_id,
      any(is_immediate) AS is_immediate, any(fed_back) AS fed_back, any(found_quarter) AS found_quarter, any(feedback_date) AS feedback_date,
      count() AS n,
      countIf(${TASK.closed}) AS closed_n,
      countIf(${TASK.onTime}) AS on_time_n,
      countIf(${TASK.closedUndated}) AS closed_undated_n,
      countIf(${TASK.extended}) AS extended_n,
      ${TASK.closureDay} AS closure_day
    FROM t
    GROUP BY finding_id
  ),
  last_visit AS (
    SELECT unit_id, max(stationed_from) AS last_date, 1 AS hit
    FROM fact_inspections FINAL
    WHERE is_deleted = 0 ${ofTaskUnits}
    GROUP BY unit_id
  ),
  linked AS (
    SELECT assumeNotNull(recurrence_of_id) AS finding_id, max(found_date) AS last_found, 1 AS hit
    FROM fact_findings FINAL
    WHERE is_deleted = 0 AND recurrence_of_id IS NOT NULL ${ofTaskFindings}
    GROUP BY finding_id
  ),
  finding_state AS (
    SELECT p.*, p.closed_n = p.n AS closed,
      closed AND v.hit = 1 AND ${isReinspectedAfterClosure('v.last_date', 'p.closure_day')} AS reinspected,
      reinspected AND l.hit = 1 AND ${isRebound('l.last_found', 'p.closure_day')} AS rebound,
      if(closed AND p.fed_back = 1, toNullable(toUInt32(${closeDays('p.feedback_date', 'p.closure_day')})), NULL) AS days
    FROM per_finding AS p
    LEFT JOIN last_visit AS v ON v.unit_id = p.unit_id
    LEFT JOIN linked AS l ON l.finding_id = p.finding_id
  )
SELECT ${key}, sum(findings), sum(findings_closed), sumMap(close_days), sum(tasks), sum(tasks_closed), sum(tasks_on_time), sum(tasks_closed_undated), sum(tasks_extended),
  sumMap(open_due), sum(reinspection_findings), sum(repeats), sum(closed_reinspected), sum(rebounds), max(max_found), max(max_feedback),
  {version:UInt64} + 1, 0
FROM (
  SELECT f.round_id AS round_id, f.term_id AS term_id, f.county_id AS county_id, f.unit_category AS unit_category, f.mode AS mode,
    f.category1_id AS category1_id, f.category_id AS category_id, f.is_immediate AS is_immediate, f.fed_back AS fed_back, f.found_quarter AS found_quarter,
    count() AS findings, 0 AS findings_closed, ${NO_DAYS} AS close_days, 0 AS tasks, 0 AS tasks_closed, 0 AS tasks_on_time, 0 AS tasks_closed_undated, 0 AS tasks_extended,
    ${NO_DUE} AS open_due,
    countIf(v.hit = 1 AND ${isReinspection('f.stationed_from', 'v.first_date')}) AS reinspection_findings,
    countIf(v.hit = 1 AND ${isReinspection('f.stationed_from', 'v.first_date')} AND ${isRepeat('f.stationed_from', 'c.first_date')}) AS repeats,
    0 AS closed_reinspected, 0 AS rebounds, max(f.found_date) AS max_found, max(f.feedback_date) AS max_feedback
  FROM f
  LEFT JOIN first_visit AS v ON v.unit_id = f.unit_id
  LEFT JOIN first_found AS c ON c.unit_id = f.unit_id AND c.category_id = f.category_id
  GROUP BY ${key}
  UNION ALL
  SELECT ${key}, 0, sum(closed_findings), mapFromArrays(groupArrayIf(assumeNotNull(days), days IS NOT NULL), groupArrayIf(closed_findings, days IS NOT NULL)),
    sum(tasks), sum(tasks_closed), sum(tasks_on_time), sum(tasks_closed_undated), sum(tasks_extended), ${NO_DUE}, 0, 0, sum(closed_reinspected), sum(rebounds), toDate(0), ${NO_DAY}
  FROM (
    SELECT ${key}, days, countIf(closed) AS closed_findings, sum(n) AS tasks, sum(closed_n) AS tasks_closed, sum(on_time_n) AS tasks_on_time, sum(closed_undated_n) AS tasks_closed_undated,
      sum(extended_n) AS tasks_extended, countIf(reinspected) AS closed_reinspected, countIf(rebound) AS rebounds
    FROM finding_state
    GROUP BY ${key}, days
  )
  GROUP BY ${key}
  UNION ALL
  SELECT ${key}, 0, 0, ${NO_DAYS}, 0, 0, 0, 0, 0, mapFromArrays(groupArray(due), groupArray(n)), 0, 0, 0, 0, toDate(0), ${NO_DAY}
  FROM (
    SELECT ${key}, assumeNotNull(current_due_date) AS due, count() AS n
    FROM t
    WHERE ${TASK.openWithDue}
    GROUP BY ${key}, due
  )
  GROUP BY ${key}
)
GROUP BY ${key}${tombstones}`,
    params: rounds === 'all' ? { version: version.toString() } : { rounds: [...rounds], version: version.toString() },
  };
}

/** The version the next rebuild writes its tombstones with (its rows get one more). */
export const SUMMARY_NEXT_VERSION = 'SELECT max(version) + 1 AS v FROM fact_finding_summary';

/**
 * Marks dirty what loading rows of `table` (by id) may change, as the warehouse holds
 * them now: run before the load (where the rows were) and after it (where they are).
 */
export function buildMarkDirty(table: string, ids: readonly string[]): SummaryQuery | null {
  const params = { ids: [...ids] };
  switch (table) {
    case 'fact_findings':
      return {
        query: `INSERT INTO etl_summary_dirty (round_id, unit_id)
SELECT DISTINCT round_id, unit_id FROM fact_findings FINAL WHERE id IN {ids:Array(UInt64)}
UNION ALL
SELECT DISTINCT round_id, 0 FROM fact_findings FINAL
WHERE id IN (SELECT assumeNotNull(recurrence_of_id) FROM fact_findings FINAL WHERE id IN {ids:Array(UInt64)} AND recurrence_of_id IS NOT NULL)`,
        params,
      };
    case 'fact_tasks':
      return {
        query: 'INSERT INTO etl_summary_dirty (round_id, unit_id) SELECT DISTINCT round_id, 0 FROM fact_tasks FINAL WHERE id IN {ids:Array(UInt64)}',
        params,
      };
    case 'fact_inspections':
      return {
        query: 'INSERT INTO etl_summary_dirty (round_id, unit_id) SELECT DISTINCT 0, unit_id FROM fact_inspections FINAL WHERE id IN {ids:Array(UInt64)}',
        params,
      };
    default:
      return null;
  }
}

/** The rounds to rebuild: those marked, and every round with a finding of a marked unit. */
export const DIRTY_ROUNDS = `SELECT DISTINCT round_id FROM (
  SELECT round_id FROM etl_summary_dirty WHERE round_id != 0
  UNION ALL
  SELECT round_id FROM fact_findings FINAL WHERE unit_id IN (SELECT unit_id FROM etl_summary_dirty WHERE unit_id != 0)
)
ORDER BY round_id`;

/** How many rounds one rebuild statement takes. */
export const SUMMARY_ROUND_CHUNK = 200;
