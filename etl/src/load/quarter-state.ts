/**
 * The state as of quarter ends (migrations/009_quarter_state.sql): a quarter's figures are
 * the figures as of its last day D, the past as-of asked for most (the quarterly workbook,
 * quarterly reviews). For such a day the metrics read two small tables instead of replaying
 * every task's history (fact_task_state) and every finding:
 *
 * - quarter_summary: fact_finding_summary's figures as of D (findings found by D, fed back
 *   by D, each task in its state as of D, recurrence against the inspections and findings of
 *   D), by the same key;
 * - quarter_units: fact_unit_coverage as of D (each unit's latest inspection by mode,
 *   stationed by D).
 *
 * **Lazily built, validated by a change token.** A quarter end's state is built on the first
 * request for it (`ensureQuarterState`), under a build id, and recorded in quarter_builds with
 * the quarter end's change token read *before* the build read anything. A build is read only
 * while the token is still that one; otherwise it is rebuilt first. So a load that changes
 * the figures as of D must change D's token once the warehouse holds it:
 *
 * - the sink marks, before and after each batch (where the rows were, where they are), the
 *   earliest day the rows can affect (etl_quarter_dirty): a finding its found, fed-back and
 *   stationed days; an inspection its stationing day; a task event its day; a unit its
 *   valid_from (a unit starting later is in no scope before); a task whose columns other
 *   than its current state (status, current due date, closed date) changed, or that is new
 *   or deleted, the later of its found day and its first event (a task exists as of D only
 *   from its first status event; its state changes come with events, marked by their own
 *   days); any other dimension (regions, terms, rounds, categories) every day. Facts
 *   re-emitted because a dimension changed mark themselves.
 * - before the watermark moves the run turns its marks into one etl_quarter_change row
 *   (from_day = the earliest day marked) when some quarter end up to today lies on or after
 *   it; a full run writes from_day 1970-01-01 (every day) and empties the built state.
 * - the token of a day D is the count and the latest changed_at of the rows with
 *   from_day <= D: rows are never deleted, so it changes with every such run, whatever the
 *   clock does. A live change (a status change today) leaves every past quarter end's
 *   token as it is.
 *
 * A build racing a load: the token is read first and written last (after every derived
 * table is refreshed), so a build that saw part of a load is recorded under the old token
 * and is stale once the load finishes.
 */
import type { Warehouse } from '../warehouse';
import { closeDays, isRebound, isReinspectedAfterClosure, isReinspection, isRepeat, taskFigures } from './figures';
import { LAST_BY_MODE } from './unit-coverage';

export interface QuarterQuery {
  query: string;
  params: Record<string, unknown>;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `day` (YYYY-MM-DD) is the last day of a quarter. */
export function isQuarterEnd(day: string): boolean {
  const m = DAY.exec(day);
  if (!m) return false;
  return ['03-31', '06-30', '09-30', '12-31'].includes(`${m[2]}-${m[3]}`);
}

/** The latest quarter end on or before `day` (`day` itself when it is one). */
export function quarterEndOnOrBefore(day: string): string {
  const m = DAY.exec(day);
  if (!m) throw new Error(`not a day: ${day}`);
  if (isQuarterEnd(day)) return day;
  const [y, month] = [Number(m[1]), Number(m[2])];
  return new Date(Date.UTC(y, Math.floor((month - 1) / 3) * 3, 1) - 86_400_000).toISOString().slice(0, 10);
}

// --- marking what a run loads ----------------------------------------------------------

/** The columns of fact_tasks other than its identity, its current state and its version. */
const TASK_ATTRIBUTES = [
  'finding_id',
  'inspection_id',
  'unit_id',
  'unit_category',
  'region_id',
  'county_id',
  'committee_region_id',
  'round_id',
  'term_id',
  'round_year',
  'mode',
  'category_id',
  'category1_id',
  'finding_is_immediate',
  'track',
  'responsible_dept',
  'original_due_date',
  'found_date',
  'feedback_date',
] as const;
const TASK_HASH = `cityHash64(toString(tuple(${TASK_ATTRIBUTES.join(', ')})))`;

/** Tables whose rows mark every day: dimensions the facts copy from, and the app's option lists show. */
const EVERY_DAY = new Set(['dim_regions', 'dim_categories', 'dim_terms', 'dim_rounds']);

/**
 * What to run before loading rows of `table` (ids: the rows' ids; taskIds: fact_task_events'
 * task_id of each row): marks the earliest day the rows as the warehouse holds them now can
 * affect (fact_tasks: keeps the rows, compared after the load).
 */
export function buildQuarterMarkBefore(table: string, ids: readonly string[], taskIds: readonly string[] = []): QuarterQuery | null {
  if (table === 'fact_tasks') {
    return {
      query: `INSERT INTO etl_tasks_before (id, found_date, h)
SELECT id, found_date, ${TASK_HASH} FROM fact_tasks FINAL WHERE id IN {ids:Array(UInt64)}`,
      params: { ids: [...ids] },
    };
  }
  return buildQuarterMark(table, ids, taskIds);
}

/** What to run after loading rows of `table`: marks the earliest day the rows as they are now can affect. */
export function buildQuarterMarkAfter(table: string, ids: readonly string[], taskIds: readonly string[] = []): QuarterQuery | null {
  if (table === 'fact_tasks') {
    // A task whose row is new, gone (deleted rows leave FINAL) or changed beyond its current
    // state: from the later of its found day (before or after) and its first event (any
    // version: an earlier bound is only more cautious). A task without events exists on no day.
    return {
      query: `INSERT INTO etl_quarter_dirty (from_day)
SELECT min(greatest(c.found, e.first_day))
FROM (
  SELECT id, min(found_date) AS found
  FROM (
    SELECT id, found_date, h, 1 AS side FROM etl_tasks_before WHERE id IN {ids:Array(UInt64)}
    UNION ALL
    SELECT id, found_date, ${TASK_HASH} AS h, 2 AS side FROM fact_tasks FINAL WHERE id IN {ids:Array(UInt64)}
  )
  GROUP BY id
  HAVING uniqExact(h) > 1 OR uniqExact(side) = 1
) AS c
INNER JOIN (
  SELECT task_id, min(event_date) AS first_day FROM fact_task_events WHERE task_id IN {ids:Array(UInt64)} GROUP BY task_id
) AS e ON e.task_id = c.id
HAVING count() > 0`,
      params: { ids: [...ids] },
    };
  }
  return buildQuarterMark(table, ids, taskIds);
}

function buildQuarterMark(table: string, ids: readonly string[], taskIds: readonly string[]): QuarterQuery | null {
  const mark = (from: string, idType: string, where = `id IN {ids:Array(${idType})}`) => ({
    query: `INSERT INTO etl_quarter_dirty (from_day) SELECT min(${from}) FROM ${table} FINAL WHERE ${where} HAVING count() > 0`,
    params: { ids: idType === 'UInt64' ? [...ids] : ids.map(Number), ...(taskIds.length > 0 ? { taskIds: [...new Set(taskIds)] } : {}) },
  });
  switch (table) {
    case 'fact_findings':
      return mark('least(found_date, stationed_from, ifNull(feedback_date, found_date))', 'UInt64');
    case 'fact_inspections':
      return mark('stationed_from', 'UInt32');
    case 'fact_task_events':
      // the sorting key is (task_id, id): the task ids make it a primary-key read
      return mark('event_date', 'UInt64', 'task_id IN {taskIds:Array(UInt64)} AND id IN {ids:Array(UInt64)}');
    case 'dim_units':
      return mark('valid_from', 'UInt32');
    default:
      return EVERY_DAY.has(table) ? { query: "INSERT INTO etl_quarter_dirty (from_day) VALUES ('1970-01-01')", params: {} } : null;
  }
}

/**
 * Turns the marks of an incremental run into a change of the tokens of the quarter ends on
 * or after the earliest day marked, when one of them lies on or before today (`latest`: the
 * latest quarter end up to today). A later quarter end cannot have been read yet: its
 * figures are computed after this load anyway.
 */
export const RECORD_QUARTER_CHANGE = `INSERT INTO etl_quarter_change (from_day, changed_at)
SELECT min(from_day), now64(6) FROM etl_quarter_dirty
HAVING count() > 0 AND min(from_day) <= {latest:Date}`;

/** Records that a full run changed every day. */
export const RECORD_FULL_CHANGE = "INSERT INTO etl_quarter_change (from_day, changed_at) VALUES ('1970-01-01', now64(6))";

/** The marking tables, emptied once the change is recorded; the built state, emptied by a full run. */
export const QUARTER_MARK_TABLES = ['etl_quarter_dirty', 'etl_tasks_before'] as const;
export const QUARTER_STATE_TABLES = ['quarter_summary', 'quarter_units', 'quarter_builds'] as const;

// --- the change token -------------------------------------------------------------------

/**
 * A token of everything loaded that affects the figures as of `asOf` (YYYY-MM-DD): the same
 * string until a run loads something that can change them (a backdated change, a full
 * run); a run that changes only later days leaves it as it is. For keying caches of
 * figures as of a past day (the quarterly workbooks).
 */
export async function quarterChangeToken(warehouse: Warehouse, asOf: string): Promise<string> {
  if (!DAY.test(asOf)) throw new Error(`not a day: ${asOf}`);
  const [row] = await warehouse.query<{ n: string; at: string }>(
    'SELECT count() AS n, toString(max(changed_at)) AS at FROM etl_quarter_change WHERE from_day <= {asOf:Date}',
    { asOf },
  );
  return `${row?.n ?? '0'}@${row?.at ?? ''}`;
}

// --- building a quarter end's state ---------------------------------------------------------

const KEY = ['round_id', 'term_id', 'county_id', 'unit_category', 'mode', 'category1_id', 'category_id', 'is_immediate', 'fed_back', 'found_quarter'] as const;
const key = KEY.join(', ');
const FIGURES =
  'findings, findings_closed, close_days, tasks, tasks_closed, tasks_on_time, tasks_closed_undated, tasks_extended, open_due, reinspection_findings, repeats, closed_reinspected, rebounds';
/** The per-task figures over a task's state as of the day (`s`, fact_task_state) and its row (`k`, fact_tasks). */
const TASK = taskFigures({ status: 's.status', due: 's.due', closedDate: "if(s.status = 'CLOSED', s.status_date, NULL)", original: 'k.original_due_date' });

/**
 * quarter_summary's rows of one build: the definitions (backend/src/metrics/DEFINITIONS.md,
 * the per-task and per-finding figures of figures.ts, as the metric queries over the facts
 * take them) evaluated once per finding as of `asOf`, summed per key, with every filter left
 * to the key. One statement: each task in its state as of the day, read once and reduced to its
 * finding's figures (task count, closed, on time, extended, closure day, open tasks' due
 * dates), then every finding found by the day with those figures and its unit's history.
 * A finding's key comes from its own row (a task's copies of it are the same): carrying the
 * key through the tasks' grouping instead takes longer.
 */
export function buildQuarterSummaryBuild(asOf: string, build: string): QuarterQuery {
  // A map from each value of an array to how many times it occurs: one sumMap over the
  // collected array (a sumMap per row, merged per key, takes several times longer).
  const counted = (values: string, name: string) =>
    `mapFromArrays((arrayReduce('sumMap', [${values} AS ${name}], [arrayMap(x -> toUInt64(1), ${name})]) AS ${name}_counts).1, ${name}_counts.2)`;
  return {
    query: `INSERT INTO quarter_summary (as_of, build, ${key}, ${FIGURES})
WITH
  per_finding AS (
    SELECT k.finding_id AS finding_id, 1 AS hit, count() AS n,
      countIf(${TASK.closed}) AS closed_n,
      countIf(${TASK.onTime}) AS on_time_n,
      countIf(${TASK.closedUndated}) AS closed_undated_n,
      countIf(${TASK.extended}) AS extended_n,
      ${TASK.closureDay} AS closure_day,
      groupArrayIf(assumeNotNull(s.due), ${TASK.openWithDue}) AS open_due
    FROM (
      SELECT task_id, status, status_date, due
      FROM fact_task_state FINAL
      WHERE is_deleted = 0 AND status IS NOT NULL AND valid_from <= {asOf:Date} AND valid_to > {asOf:Date}
    ) AS s
    INNER JOIN (
      SELECT id, finding_id, original_due_date
      FROM fact_tasks FINAL
      WHERE is_deleted = 0 AND found_date <= {asOf:Date}
    ) AS k ON k.id = s.task_id
    GROUP BY finding_id
  ),
  visits AS (
    SELECT unit_id, min(stationed_from) AS first_date, max(stationed_from) AS last_date, 1 AS hit
    FROM fact_inspections FINAL
    WHERE is_deleted = 0 AND stationed_from <= {asOf:Date}
    GROUP BY unit_id
  ),
  first_found AS (
    SELECT unit_id, category_id, min(stationed_from) AS first_date
    FROM fact_findings FINAL
    WHERE is_deleted = 0 AND stationed_from <= {asOf:Date}
    GROUP BY unit_id, category_id
  ),
  linked AS (
    SELECT assumeNotNull(recurrence_of_id) AS finding_id, max(found_date) AS last_found, 1 AS hit
    FROM fact_findings FINAL
    WHERE is_deleted = 0 AND found_date <= {asOf:Date} AND recurrence_of_id IS NOT NULL
    GROUP BY finding_id
  ),
  state AS (
    SELECT f.round_id AS round_id, f.term_id AS term_id, f.county_id AS county_id, f.unit_category AS unit_category, f.mode AS mode,
      f.category1_id AS category1_id, f.category_id AS category_id, f.is_immediate AS is_immediate,
      toUInt8(ifNull(f.feedback_date <= {asOf:Date}, 0)) AS fed_back, toStartOfQuarter(f.found_date) AS found_quarter,
      v.hit = 1 AND ${isReinspection('f.stationed_from', 'v.first_date')} AS reinspection,
      reinspection AND ${isRepeat('f.stationed_from', 'c.first_date')} AS repeat,
      p.n AS n, p.closed_n AS closed_n, p.on_time_n AS on_time_n, p.closed_undated_n AS closed_undated_n, p.extended_n AS extended_n, p.open_due AS open_due,
      p.hit = 1 AND p.closed_n = p.n AS closed,
      closed AND v.hit = 1 AND ${isReinspectedAfterClosure('v.last_date', 'p.closure_day')} AS reinspected,
      reinspected AND l.hit = 1 AND ${isRebound('l.last_found', 'p.closure_day')} AS rebound,
      if(closed AND fed_back = 1, toNullable(toUInt32(${closeDays('f.feedback_date', 'p.closure_day')})), NULL) AS days
    FROM (
      SELECT id, unit_id, round_id, term_id, county_id, unit_category, mode, category1_id, category_id, is_immediate, found_date, feedback_date, stationed_from
      FROM fact_findings FINAL
      WHERE is_deleted = 0 AND found_date <= {asOf:Date}
    ) AS f
    LEFT JOIN per_finding AS p ON p.finding_id = f.id
    LEFT JOIN visits AS v ON v.unit_id = f.unit_id
    LEFT JOIN first_found AS c ON c.unit_id = f.unit_id AND c.category_id = f.category_id
    LEFT JOIN linked AS l ON l.finding_id = f.id
  )
SELECT {asOf:Date}, {build:UInt64}, ${key},
  count(), countIf(closed), ${counted('groupArrayIf(assumeNotNull(days), days IS NOT NULL)', 'close_day_list')},
  sum(n), sum(closed_n), sum(on_time_n), sum(closed_undated_n), sum(extended_n), ${counted('groupArrayArray(open_due)', 'due_list')},
  countIf(reinspection), countIf(repeat), countIf(reinspected), countIf(rebound)
FROM state
GROUP BY ${key}`,
    params: { asOf, build },
  };
}

/** quarter_units' rows of one build: the units that can be in scope as of `asOf`, with their latest inspection by mode by then. */
export function buildQuarterUnitsBuild(asOf: string, build: string): QuarterQuery {
  const lasts = Object.entries(LAST_BY_MODE);
  return {
    query: `INSERT INTO quarter_units (as_of, build, id, code, name, category, region_id, county_id, committee_region_id, valid_from, valid_to,
  ${lasts.map(([, column]) => column).join(', ')})
SELECT {asOf:Date}, {build:UInt64}, u.id, u.code, u.name, u.category, u.region_id, u.county_id, u.committee_region_id, u.valid_from, u.valid_to,
  ${lasts.map(([, column]) => `i.${column}`).join(', ')}
FROM dim_units AS u FINAL
LEFT JOIN (
  SELECT unit_id, ${lasts.map(([mode, column]) => `maxIfOrNull(stationed_from, mode = '${mode}') AS ${column}`).join(', ')}
  FROM fact_inspections FINAL
  WHERE is_deleted = 0 AND stationed_from <= {asOf:Date}
  GROUP BY unit_id
) AS i ON i.unit_id = u.id
WHERE u.is_deleted = 0 AND u.valid_from <= {asOf:Date}`,
    params: { asOf, build },
  };
}

/** The build of `asOf` made under `token`, if any (the latest). */
export async function currentQuarterBuild(warehouse: Warehouse, asOf: string, token: string): Promise<string | null> {
  const [row] = await warehouse.query<{ build: string }>(
    'SELECT toString(build) AS build FROM quarter_builds WHERE as_of = {asOf:Date} AND token = {token:String} ORDER BY built_at DESC, build DESC LIMIT 1',
    { asOf, token },
  );
  return row?.build ?? null;
}

let lastBuild = 0n;
/** A build id: increasing within a process (microseconds), unique across processes in practice. */
function nextBuildId(): string {
  const now = BigInt(Date.now()) * 1000n + BigInt(Math.floor(Math.random() * 1000));
  lastBuild = now > lastBuild ? now : lastBuild + 1n;
  return lastBuild.toString();
}

/**
 * Builds the state as of `asOf` now, whatever is there: reads the token, writes both tables
 * under a new build id, records the build, and drops the rows of this day's builds but the
 * latest two (a reader may still be on the one before). Returns the build id.
 */
export async function buildQuarterState(warehouse: Warehouse, asOf: string): Promise<string> {
  if (!DAY.test(asOf)) throw new Error(`not a day: ${asOf}`);
  const token = await quarterChangeToken(warehouse, asOf);
  const build = nextBuildId();
  try {
    for (const statement of [buildQuarterSummaryBuild(asOf, build), buildQuarterUnitsBuild(asOf, build)]) {
      await warehouse.command(statement.query, statement.params);
    }
  } catch (error) {
    // Not recorded, so never read; its rows are removed here, as no later cleanup lists them.
    for (const table of QUARTER_STATE_TABLES) {
      await warehouse.command(`DELETE FROM ${table} WHERE as_of = {asOf:Date} AND build = {build:UInt64}`, { asOf, build }).catch(() => undefined);
    }
    throw error;
  }
  await warehouse.command('INSERT INTO quarter_builds (as_of, build, token, built_at) VALUES ({asOf:Date}, {build:UInt64}, {token:String}, now64(6))', {
    asOf,
    build,
    token,
  });
  const older = await warehouse.query<{ build: string }>(
    'SELECT toString(build) AS build FROM quarter_builds WHERE as_of = {asOf:Date} ORDER BY build DESC LIMIT 100 OFFSET 2',
    { asOf },
  );
  if (older.length > 0) {
    const builds = older.map((r) => r.build);
    for (const table of QUARTER_STATE_TABLES) {
      await warehouse.command(`DELETE FROM ${table} WHERE as_of = {asOf:Date} AND build IN {builds:Array(UInt64)}`, { asOf, builds });
    }
  }
  return build;
}

/**
 * The build to read for `asOf`: the one recorded under the day's current token, or a new
 * one built now. Callers single-flight it per day (backend QuarterStateService).
 */
export async function ensureQuarterState(warehouse: Warehouse, asOf: string): Promise<{ build: string; built: boolean }> {
  const token = await quarterChangeToken(warehouse, asOf);
  const build = await currentQuarterBuild(warehouse, asOf, token);
  if (build !== null) return { build, built: false };
  return { build: await buildQuarterState(warehouse, asOf), built: true };
}
