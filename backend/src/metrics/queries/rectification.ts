/**
 * The rectification metric's queries: over the facts (the findings fed back, and their tasks
 * as of the day in one pass), and over a precomputed source (the summary or a quarter end's
 * build), side by side.
 */
import { closeDays } from '@xuncha/etl';
import { AGING_WINDOWS, DUE_SOON_DAYS } from '../../common/filters';
import type { Scope } from '../../dimensions/scope';
import { areaKey, levelOf } from '../areas';
import type { TableSource } from '../read-source';
import { FED_BACK, findingsSubquery, SUMMARY, summaryConditions, TASK, taskStateCte, type SqlQuery } from './shared';

/** The columns of the aging and due-soon windows (AGING_WINDOWS, DUE_SOON_DAYS), in their order. */
export const AGED_COLUMNS = AGING_WINDOWS.map((_, i) => `aged_${i}` as const);

export const DUE_SOON_COLUMNS = DUE_SOON_DAYS.map((days) => `due_${days}` as const);

/**
 * The aging and due-soon window figures of open tasks, one `<aggregate(condition)> AS <column>`
 * each, over `due` (an open task's current due date, compared) and `dueDay` (the same, not
 * nullable, for the days overdue), in the order of AGED_COLUMNS then DUE_SOON_COLUMNS.
 */
function windowFigures(aggregate: (condition: string) => string, due: string, dueDay: string, prefix = ''): string[] {
  const late = `${due} < {asOf:Date}`;
  const daysLate = `dateDiff('day', ${dueDay}, {asOf:Date})`;
  const aged = AGING_WINDOWS.map(
    (w, i) => `${aggregate(`${late} AND ${daysLate} ${w.to === null ? `>= ${w.from}` : `BETWEEN ${w.from} AND ${w.to}`}`)} AS ${prefix}${AGED_COLUMNS[i]}`,
  );
  const dueSoon = DUE_SOON_DAYS.map(
    (days, i) => `${aggregate(`${due} >= {asOf:Date} AND ${due} <= addDays({asOf:Date}, ${days})`)} AS ${prefix}${DUE_SOON_COLUMNS[i]}`,
  );
  return [...aged, ...dueSoon];
}

/** Findings fed back by as-of (every filter), by county, area (the scope's level, metrics/areas.ts), round and 立行立改. */
export function buildFindingTotalsQuery(scope: Scope): SqlQuery {
  const findings = findingsSubquery(scope, true, `county_id, ${areaKey(levelOf(scope))} AS area, round_id, is_immediate`);
  return {
    query: `SELECT county_id, area, round_id, is_immediate AS immediate, count() AS findings
FROM (
    ${findings.query}
)
GROUP BY county_id, area, round_id, immediate
ORDER BY county_id, area, round_id, immediate`,
    params: findings.params,
  };
}

export interface FindingTotalsRow {
  county_id: number;
  area: string | number;
  round_id: number;
  immediate: number;
  findings: string;
}

/** The grouping sets of the rectification query, in the order `grouping()` receives their columns. */
export const CLOSED_GROUPING_COLUMNS = ['county_id', 'area', 'round_id', 'immediate', 'days'] as const;

/**
 * The tasks of the findings fed back by as-of, in one pass over them (one evaluation of
 * their state as of D), grouped by finding and then:
 * - by county, area (the scope's level, metrics/areas.ts), round and 立行立改: findings closed (with tasks, all 已销号), and the task-level
 *   figures (closed, on time, overdue by bucket, due soon, extended);
 * - by days from feedback to the last task's 销号 (a histogram of the closed findings; days
 *   is NULL for the others).
 * A finding's tasks carry its county, round, flags and feedback day, and a deleted
 * finding's tasks are deleted with it, so no join with the findings is needed.
 */
export function buildRectificationTasksQuery(scope: Scope, current: boolean): SqlQuery {
  const tasks = taskStateCte(scope, { fedBack: true, current });
  const late = `${TASK.openWithDue} AND due < {asOf:Date}`;
  const windows = windowFigures((condition) => `countIf(${TASK.openWithDue} AND ${condition})`, 'due', 'assumeNotNull(due)', 'n_');
  const windowSums = [...AGED_COLUMNS, ...DUE_SOON_COLUMNS].map((column) => `sum(n_${column}) AS ${column}`).join(', ');
  return {
    query: `WITH
${tasks.query}
SELECT county_id, area, round_id, immediate, days,
  countIf(is_closed) AS closed_findings,
  sum(n_tasks) AS tasks, sum(n_closed) AS closed, sum(n_on_time) AS on_time, sum(n_closed_undated) AS closed_undated, sum(n_overdue) AS overdue,
  ${windowSums}, sum(n_extended) AS extended,
  grouping(${CLOSED_GROUPING_COLUMNS.join(', ')}) AS g
FROM (
  SELECT finding_id, any(county_id) AS county_id, any(${areaKey(levelOf(scope), 'k.')}) AS area, any(round_id) AS round_id, any(finding_is_immediate) AS immediate,
    count() AS n_tasks,
    countIf(${TASK.closed}) AS n_closed,
    n_closed = n_tasks AS is_closed,
    if(is_closed, ${closeDays('any(feedback_date)', TASK.closureDay)}, NULL) AS days,
    countIf(${TASK.onTime}) AS n_on_time,
    countIf(${TASK.closedUndated}) AS n_closed_undated,
    countIf(${late}) AS n_overdue,
    ${windows.join(',\n    ')},
    countIf(${TASK.extended}) AS n_extended
  FROM tasks AS k
  GROUP BY finding_id
)
GROUP BY GROUPING SETS ((county_id, area, round_id, immediate), (days))`,
    params: tasks.params,
  };
}

export interface RectificationTasksRow extends TaskFiguresRow {
  immediate: number;
  days: string | null;
  closed_findings: string;
  g: string;
}

/** Task-level figures by county and round: closed, on time, overdue by bucket, due soon, extended (the summary's). */
export interface TaskFiguresRow {
  county_id: number;
  area: string | number;
  round_id: number;
  tasks: string;
  closed: string;
  on_time: string;
  /** closed tasks without an original due date (left out of the on-time rate) */
  closed_undated: string;
  overdue: string;
  /** per aging window: AGED_COLUMNS; per due-soon window: DUE_SOON_COLUMNS */
  [window: `aged_${number}` | `due_${number}`]: string;
  extended: string;
}

/** Findings fed back and how many of them are closed, by county, round and 立行立改 (buildFindingTotalsQuery, and buildRectificationTasksQuery's closed findings). */
export function buildSummaryFindingClosureQuery(scope: Scope, source: TableSource = SUMMARY): SqlQuery {
  const { from, where, params } = summaryConditions(scope, [FED_BACK], source);
  return {
    query: `SELECT county_id, ${areaKey(levelOf(scope))} AS area, round_id, is_immediate AS immediate, sum(findings) AS n_findings, sum(findings_closed) AS n_closed
FROM ${from}
WHERE ${where}
GROUP BY county_id, area, round_id, immediate
HAVING n_findings > 0
ORDER BY county_id, area, round_id, immediate`,
    params,
  };
}

export interface SummaryFindingClosureRow {
  county_id: number;
  area: string | number;
  round_id: number;
  immediate: number;
  n_findings: string;
  n_closed: string;
}

/** The days-to-close histogram of the closed findings fed back (buildRectificationTasksQuery's days set). */
export function buildSummaryCloseDaysQuery(scope: Scope, source: TableSource = SUMMARY): SqlQuery {
  const { from, where, params } = summaryConditions(scope, [FED_BACK], source);
  return {
    query: `SELECT days, n
FROM (
  SELECT sumMap(close_days) AS m
  FROM ${from}
  WHERE ${where}
)
ARRAY JOIN mapKeys(m) AS days, mapValues(m) AS n
WHERE n > 0
ORDER BY days`,
    params,
  };
}

export interface SummaryCloseDaysRow {
  days: number;
  n: string;
}

/**
 * The task-level figures of buildRectificationTasksQuery over the summary, by county and round. The open tasks' due dates (a map
 * to their counts) give overdue, aging and due soon as of the as-of day.
 */
export function buildSummaryTaskFiguresQuery(scope: Scope, source: TableSource = SUMMARY): SqlQuery {
  const { from, where, params } = summaryConditions(scope, [FED_BACK], source);
  const over = (condition: string) => `arraySum(arrayMap((d, k) -> if(${condition}, k, 0), mapKeys(due), mapValues(due)))`;
  return {
    query: `SELECT county_id, area, round_id, n_tasks AS tasks, n_closed AS closed, n_on_time AS on_time, n_closed_undated AS closed_undated,
  ${over('d < {asOf:Date}')} AS overdue,
  ${windowFigures(over, 'd', 'd').join(',\n  ')},
  n_extended AS extended
FROM (
  SELECT county_id, ${areaKey(levelOf(scope))} AS area, round_id, sum(tasks) AS n_tasks, sum(tasks_closed) AS n_closed, sum(tasks_on_time) AS n_on_time, sum(tasks_closed_undated) AS n_closed_undated,
    sum(tasks_extended) AS n_extended, sumMap(open_due) AS due
  FROM ${from}
  WHERE ${where}
  GROUP BY county_id, area, round_id
  HAVING n_tasks > 0
)
ORDER BY county_id, area, round_id`,
    params: { ...params, asOf: scope.asOf },
  };
}
