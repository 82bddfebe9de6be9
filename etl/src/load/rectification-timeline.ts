/**
 * fact_rectification_timeline: the rectification figures as changes by day (see
 * migrations/011_rectification_timeline.sql), derived in the warehouse from fact_findings,
 * fact_tasks and fact_task_state by the ETL. The figures as of D are the sums of the rows
 * with day <= D: the same definitions (figures.ts) as the metric queries over the facts, each
 * evaluated once per task state interval and once per span of a finding's history in which
 * its tasks do not change, counted +1 on the span's first day and -1 on the day it ends.
 *
 * What the facts count as of D (backend/src/metrics/queries/rectification.ts):
 * - a finding found and fed back by D: from the later of the two days on;
 * - a task of such a finding in its state as of D: its state interval from
 *   fact_task_state (valid_from <= D < valid_to, with a status), from the later of the
 *   interval's start and the finding's days;
 * - a finding closed as of D: it has tasks as of D and all of them are 已销号; its days to
 *   close from its feedback to the last 销号 of those tasks.
 *
 * Rebuilt a key at a time (a key: the dimensions the dashboard filters on, township included,
 * and 立行立改): a finding's and its tasks' rows depend on them alone, and they all carry the
 * same key. A run marks dirty (etl_timeline_dirty), before and after it loads them, the keys
 * of the findings, tasks and task events it loads; each rebuilt key's days get version v + 1,
 * every day the key had before a tombstone with version v, so a day that no longer occurs
 * disappears.
 */
import { closeDays, SPAN_COLUMNS, taskFigures } from './figures';
import { STATE_OPEN_END } from './task-state';

export interface TimelineQuery {
  query: string;
  params: Record<string, unknown>;
}

const KEY = ['round_id', 'term_id', 'county_id', 'region_id', 'unit_category', 'mode', 'category1_id', 'category_id', 'is_immediate'] as const;
const key = KEY.join(', ');
/** The key as fact_tasks holds it (its finding's 立行立改 is finding_is_immediate). */
const TASK_KEY = KEY.map((column) => (column === 'is_immediate' ? 'finding_is_immediate AS is_immediate' : column)).join(', ');
/** The key in the timeline's column order (its sorting key's prefix, and the marks'). */
const ORDERED_KEY = ['county_id', 'round_id', 'term_id', 'region_id', 'unit_category', 'mode', 'category1_id', 'category_id', 'is_immediate'] as const;
/** The key over the columns of fact_findings or fact_tasks, as a tuple in ORDERED_KEY's order. */
const keyOf = (immediate: 'is_immediate' | 'finding_is_immediate') =>
  `(${ORDERED_KEY.map((column) => (column === 'is_immediate' ? immediate : column)).join(', ')})`;
/** A marked key's cell: the hash of its columns, in ORDERED_KEY's order (the rebuild's parameter). */
const CELL = `cityHash64${keyOf('is_immediate')}`;
/** The marked keys of some cells (a subquery). */
const MARKED = `SELECT ${ORDERED_KEY.join(', ')} FROM etl_timeline_dirty WHERE ${CELL} IN {cells:Array(UInt64)}`;

const FIGURES = 'findings, findings_closed, close_days, tasks, tasks_closed, tasks_on_time, tasks_closed_undated, tasks_extended, open_due';
const NO_DAYS = "CAST(map(), 'Map(UInt32, Int64)')";
const NO_DUE = "CAST(map(), 'Map(Date, Int64)')";
/** The per-task figures over the task state intervals' columns (`iv` below). */
const TASK = taskFigures({ status: 'status', due: 'due', closedDate: 'closed_date', original: 'original_due_date' });

/** `+1` on `from`, `-1` on `to` (none when the span never ends): an arrayJoin of (day, sign). */
const edges = (from: string, to: string) => `arrayJoin(arrayFilter(e -> e.1 != ${STATE_OPEN_END}, [(${from}, toInt64(1)), (${to}, toInt64(-1))]))`;

/** A per-task condition as the edge's sign when it holds, else 0 (its NULL as false, as countIf takes it). */
const signed = (condition: string) => `edge.2 * toInt64(ifNull(${condition}, 0))`;

/** Rebuilds the timeline rows of some keys (their cells), or of all (the table must be empty then). */
export function buildTimelineRebuild(cells: readonly string[] | 'all', version: bigint): TimelineQuery {
  const all = cells === 'all';
  // The marked keys' records: their ids first, from every version of the rows (no FINAL), so
  // that the primary key prunes the FINAL reads; the timeline's own rows by its sorting key.
  const findingIds = all ? '' : `AND id IN (SELECT id FROM fact_findings WHERE ${keyOf('is_immediate')} IN (${MARKED}))`;
  const taskIds = `SELECT id FROM fact_tasks WHERE ${keyOf('finding_is_immediate')} IN (${MARKED})`;
  const tombstones = all
    ? ''
    : `
UNION ALL
SELECT ${key}, day, 0, 0, ${NO_DAYS}, 0, 0, 0, 0, 0, ${NO_DUE}, {version:UInt64}, 1
FROM fact_rectification_timeline FINAL
WHERE is_deleted = 0 AND ${keyOf('is_immediate')} IN (${MARKED})`;
  return {
    query: `INSERT INTO fact_rectification_timeline (${key}, day, ${FIGURES}, version, is_deleted)
WITH
  t AS (
    SELECT id, finding_id, ${TASK_KEY}, greatest(found_date, assumeNotNull(feedback_date)) AS entered, feedback_date, original_due_date
    FROM fact_tasks FINAL
    WHERE is_deleted = 0 AND feedback_date IS NOT NULL${all ? '' : ` AND id IN (${taskIds}) AND ${keyOf('finding_is_immediate')} IN (${MARKED})`}
  ),
  iv AS (
    SELECT t.finding_id AS finding_id, ${KEY.map((column) => `t.${column} AS ${column}`).join(', ')}, t.feedback_date AS feedback_date,
      t.original_due_date AS original_due_date, greatest(s.valid_from, t.entered) AS from_day, s.valid_to AS to_day,
      assumeNotNull(s.status) AS status, s.due AS due, if(s.status = 'CLOSED', s.status_date, NULL) AS closed_date
    FROM fact_task_state AS s FINAL
    INNER JOIN t ON t.id = s.task_id
    WHERE s.is_deleted = 0 AND s.status IS NOT NULL AND greatest(s.valid_from, t.entered) < s.valid_to${all ? '' : ` AND s.task_id IN (${taskIds})`}
  ),
  spans AS (
    SELECT finding_id, ${KEY.map((column) => `any(${column}) AS ${column}`).join(', ')}, any(feedback_date) AS feedback,
      groupArray(from_day) AS fr, groupArray(to_day) AS tt, groupArray(toUInt8(${TASK.closed})) AS cl, groupArray(ifNull(closed_date, toDate(0))) AS cd,
      arraySort(arrayDistinct(arrayConcat(fr, tt))) AS bounds
    FROM iv
    GROUP BY finding_id
  ),
  closed_spans AS (
    SELECT ${key}, feedback, ${SPAN_COLUMNS}
    FROM spans
    ARRAY JOIN arrayEnumerate(bounds) AS i
    WHERE n > 0 AND closed_n = n
  )
SELECT ${key}, day, sum(findings), sum(findings_closed), sumMap(close_days), sum(tasks), sum(tasks_closed), sum(tasks_on_time), sum(tasks_closed_undated),
  sum(tasks_extended), sumMap(open_due), {version:UInt64} + 1, 0
FROM (
  SELECT ${key}, greatest(found_date, assumeNotNull(feedback_date)) AS day,
    toInt64(count()) AS findings, toInt64(0) AS findings_closed, ${NO_DAYS} AS close_days, toInt64(0) AS tasks, toInt64(0) AS tasks_closed,
    toInt64(0) AS tasks_on_time, toInt64(0) AS tasks_closed_undated, toInt64(0) AS tasks_extended, ${NO_DUE} AS open_due
  FROM fact_findings FINAL
  WHERE is_deleted = 0 AND feedback_date IS NOT NULL ${findingIds}${all ? '' : ` AND ${keyOf('is_immediate')} IN (${MARKED})`}
  GROUP BY ${key}, day
  UNION ALL
  SELECT ${key}, edge.1 AS day, 0, edge.2, map(toUInt32(${closeDays('feedback', 'closure_day')}), edge.2), 0, 0, 0, 0, 0, ${NO_DUE}
  FROM (SELECT *, ${edges('b', 'e')} AS edge FROM closed_spans)
  UNION ALL
  SELECT ${key}, edge.1 AS day, 0, 0, ${NO_DAYS}, edge.2, ${[TASK.closed, TASK.onTime, TASK.closedUndated, TASK.extended].map(signed).join(', ')},
    if(ifNull(${TASK.openWithDue}, 0), map(assumeNotNull(due), edge.2), ${NO_DUE})
  FROM (SELECT *, ${edges('from_day', 'to_day')} AS edge FROM iv)
)
GROUP BY ${key}, day${tombstones}`,
    params: all ? { version: version.toString() } : { cells: [...cells], version: version.toString() },
  };
}

/** The version the next rebuild writes its tombstones with (its rows get one more). */
export const TIMELINE_NEXT_VERSION = 'SELECT max(version) + 1 AS v FROM fact_rectification_timeline';

/**
 * Marks dirty the keys that loading rows of `table` (by id; task events also by their
 * tasks' ids) may change, as the warehouse holds them now: run before the load (where the
 * rows were) and after it (where they are).
 */
export function buildMarkTimelineDirty(table: string, ids: readonly string[], taskIds: readonly string[] = []): TimelineQuery | null {
  const mark = (from: 'fact_findings' | 'fact_tasks', idList: readonly string[]) => {
    const columns = ORDERED_KEY.map((column) => (column === 'is_immediate' && from === 'fact_tasks' ? 'finding_is_immediate' : column)).join(', ');
    return {
      query: `INSERT INTO etl_timeline_dirty (${ORDERED_KEY.join(', ')}) SELECT DISTINCT ${columns} FROM ${from} FINAL WHERE id IN {ids:Array(UInt64)}`,
      params: { ids: [...new Set(idList)] },
    };
  };
  switch (table) {
    case 'fact_findings':
      return mark('fact_findings', ids);
    case 'fact_tasks':
      return mark('fact_tasks', ids);
    case 'fact_task_events': {
      // An event never moves to another task: its task's key, as the task row holds it now.
      // Only events that change a task's state (a status, an extension): a progress note
      // splits a state interval in two with the same state, whose changes cancel out.
      const columns = ORDERED_KEY.map((column) => (column === 'is_immediate' ? 'finding_is_immediate' : column)).join(', ');
      return {
        query: `INSERT INTO etl_timeline_dirty (${ORDERED_KEY.join(', ')})
SELECT DISTINCT ${columns} FROM fact_tasks FINAL
WHERE id IN (
  SELECT task_id FROM fact_task_events FINAL
  WHERE task_id IN {taskIds:Array(UInt64)} AND id IN {ids:Array(UInt64)} AND (to_status IS NOT NULL OR type = 'EXTENSION')
)`,
        params: { ids: [...ids], taskIds: [...new Set(taskIds)] },
      };
    }
    default:
      return null;
  }
}

/** The marked keys, each as its cell (one column, as the marked-derived mechanism takes them). */
export const DIRTY_CELLS = `SELECT toString(${CELL}) AS cell FROM etl_timeline_dirty GROUP BY cell ORDER BY cell`;

/** How many keys one rebuild statement takes. */
export const TIMELINE_CELL_CHUNK = 20_000;
