/**
 * fact_finding_closure: each finding's spans of days closed (see
 * migrations/012_finding_closure.sql), derived in the warehouse from fact_tasks and
 * fact_task_state by the ETL. The recurrence metric's rebound figures as of D read the
 * findings closed as of D from it (one row each) instead of every task's state as of D
 * grouped by finding: the same definition (figures.ts) as those facts give, evaluated once
 * per span of a finding's history in which its tasks do not change.
 *
 * What the facts count as closed as of D (backend/src/metrics/queries/recurrence.ts): a
 * finding whose tasks as of D (found by D, in their state interval from fact_task_state:
 * valid_from <= D < valid_to, with a status) are at least one and all 已销号; its closure
 * day the last 销号 among them. A task interval counts from the later of its start and the
 * finding's day; the bounds of a finding's intervals cut its history into spans over which
 * the same tasks hold, and a span whose tasks are all 已销号 is a row.
 *
 * Rebuilt a finding at a time: a run marks (etl_closure_dirty), before and after it loads
 * them, the findings of the findings, tasks and task events it loads; each rebuilt
 * finding's spans get version v + 1, every span it had before a tombstone with version v.
 */
import { SPAN_COLUMNS, taskFigures } from './figures';

export interface ClosureQuery {
  query: string;
  params: Record<string, unknown>;
}

/** The finding's dimensions, as its tasks carry them (the filters' columns and the areas'). */
const DIMENSIONS = ['unit_id', 'unit_category', 'region_id', 'county_id', 'round_id', 'term_id', 'mode', 'category_id', 'category1_id'] as const;
const COLUMNS = `finding_id, closed_from, closed_to, closure_day, ${DIMENSIONS.join(', ')}`;
/** The per-task figures over the task state intervals' columns (`iv` below). */
const TASK = taskFigures({ status: 'status', due: 'due', closedDate: 'closed_date', original: 'original_due_date' });

/** Rebuilds the spans of some findings (by id), or of all (the table must be empty then). */
export function buildClosureRebuild(findingIds: readonly string[] | 'all', version: bigint): ClosureQuery {
  const all = findingIds === 'all';
  // The marked findings' tasks: their ids first, from every version of the rows (no FINAL),
  // so that the primary key prunes the FINAL reads.
  const taskIds = 'SELECT id FROM fact_tasks WHERE finding_id IN {ids:Array(UInt64)}';
  const tombstones = all
    ? ''
    : `
UNION ALL
SELECT ${COLUMNS}, {version:UInt64}, 1
FROM fact_finding_closure FINAL
WHERE is_deleted = 0 AND finding_id IN {ids:Array(UInt64)}`;
  return {
    query: `INSERT INTO fact_finding_closure (${COLUMNS}, version, is_deleted)
WITH
  t AS (
    SELECT id, finding_id, ${DIMENSIONS.join(', ')}, found_date
    FROM fact_tasks FINAL
    WHERE is_deleted = 0${all ? '' : ` AND id IN (${taskIds}) AND finding_id IN {ids:Array(UInt64)}`}
  ),
  iv AS (
    SELECT t.finding_id AS finding_id, ${DIMENSIONS.map((column) => `t.${column} AS ${column}`).join(', ')},
      greatest(s.valid_from, t.found_date) AS from_day, s.valid_to AS to_day,
      assumeNotNull(s.status) AS status, if(s.status = 'CLOSED', s.status_date, NULL) AS closed_date
    FROM fact_task_state AS s FINAL
    INNER JOIN t ON t.id = s.task_id
    WHERE s.is_deleted = 0 AND s.status IS NOT NULL AND greatest(s.valid_from, t.found_date) < s.valid_to${all ? '' : ` AND s.task_id IN (${taskIds})`}
  ),
  spans AS (
    SELECT finding_id, ${DIMENSIONS.map((column) => `any(${column}) AS ${column}`).join(', ')},
      groupArray(from_day) AS fr, groupArray(to_day) AS tt, groupArray(toUInt8(${TASK.closed})) AS cl, groupArray(ifNull(closed_date, toDate(0))) AS cd,
      arraySort(arrayDistinct(arrayConcat(fr, tt))) AS bounds
    FROM iv
    GROUP BY finding_id
  )
SELECT finding_id, b, e, closure_day, ${DIMENSIONS.join(', ')}, {version:UInt64} + 1, 0
FROM (
  SELECT finding_id, ${DIMENSIONS.join(', ')}, ${SPAN_COLUMNS}
  FROM spans
  ARRAY JOIN arrayEnumerate(bounds) AS i
  WHERE n > 0 AND closed_n = n
)${tombstones}`,
    params: all ? { version: version.toString() } : { ids: [...findingIds], version: version.toString() },
  };
}

/** The version the next rebuild writes its tombstones with (its rows get one more). */
export const CLOSURE_NEXT_VERSION = 'SELECT max(version) + 1 AS v FROM fact_finding_closure';

/**
 * Marks the findings that loading rows of `table` (by id; task events by their tasks' ids)
 * may change, as the warehouse holds them now: run before the load (where the rows were)
 * and after it (where they are). Every task event: even one that changes no state splits
 * an interval, and so a span.
 */
export function buildMarkClosureDirty(table: string, ids: readonly string[], taskIds: readonly string[] = []): ClosureQuery | null {
  switch (table) {
    case 'fact_findings':
      return { query: 'INSERT INTO etl_closure_dirty (finding_id) SELECT arrayJoin({ids:Array(UInt64)})', params: { ids: [...ids] } };
    case 'fact_tasks':
      return {
        query: 'INSERT INTO etl_closure_dirty (finding_id) SELECT DISTINCT finding_id FROM fact_tasks FINAL WHERE id IN {ids:Array(UInt64)}',
        params: { ids: [...ids] },
      };
    case 'fact_task_events':
      // An event never moves to another task: its task's finding, as the task row holds it now.
      return {
        query: 'INSERT INTO etl_closure_dirty (finding_id) SELECT DISTINCT finding_id FROM fact_tasks FINAL WHERE id IN {taskIds:Array(UInt64)}',
        params: { taskIds: [...new Set(taskIds)] },
      };
    default:
      return null;
  }
}

/** The marked findings, each as its id (one column, as the marked-derived mechanism takes them). */
export const DIRTY_CLOSURE = 'SELECT toString(finding_id) AS id FROM etl_closure_dirty GROUP BY finding_id ORDER BY finding_id';

/** How many findings one rebuild statement takes. */
export const CLOSURE_CHUNK = 50_000;
