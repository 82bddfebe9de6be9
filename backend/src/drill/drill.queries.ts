/**
 * Drill-down lists over ClickHouse: the tasks and findings behind a figure, under the
 * same filters and as-of day as the metric, a page at a time. Texts (measures,
 * descriptions, people) are fetched from PostgreSQL for the page shown.
 */
import { AGING_WINDOWS } from '../common/filters';
import type { Scope } from '../dimensions/scope';
import { findingsSubquery, PER_FINDING_CTE, recurrenceMemberIdsSubquery, taskStateCte, type SqlQuery } from '../metrics/metrics.queries';
import type { FindingListQuery, TaskListQuery } from './dto/drill.dto';

/** Days overdue of each aging bucket, from and to (none: no end). */

/** Sort keys offered to users, each mapped to an expression from an allow-list. */
const TASK_ORDER: Record<TaskListQuery['sort'], string> = {
  id: 'id',
  '-id': 'id DESC',
  dueDate: 'due ASC NULLS LAST, id',
  '-dueDate': 'due DESC NULLS LAST, id',
  daysOverdue: 'days_overdue, id',
  '-daysOverdue': 'days_overdue DESC, id',
  originalDueDate: 'original_due_date ASC NULLS LAST, id',
  '-originalDueDate': 'original_due_date DESC NULLS LAST, id',
  closedDate: 'closed_date ASC NULLS LAST, id',
  '-closedDate': 'closed_date DESC NULLS LAST, id',
};

const FINDING_ORDER: Record<FindingListQuery['sort'], string> = {
  id: 'id',
  '-id': 'id DESC',
  foundDate: 'found_date, id',
  '-foundDate': 'found_date DESC, id',
  feedbackDate: 'feedback_date ASC NULLS LAST, id',
  '-feedbackDate': 'feedback_date DESC NULLS LAST, id',
};

/**
 * With every task of the list overdue, days overdue = as-of − due date, so ordering by the
 * due date itself gives the same order without computing the days for every task first.
 */
const LATE_TASK_ORDER: Partial<Record<TaskListQuery['sort'], string>> = {
  daysOverdue: 'due DESC, id',
  '-daysOverdue': 'due, id',
};

/** Days before the due date at which a task turns yellow and orange (WARNING_YELLOW_DAYS, WARNING_ORANGE_DAYS). */
export interface WarningDays {
  yellow: number;
  orange: number;
}
export const DEFAULT_WARNING_DAYS: WarningDays = { yellow: 20, orange: 10 };

/** Whether the list's filters keep only tasks not 已销号 (each of these conditions implies `status != 'CLOSED'`). */
export function listsOpenTasksOnly(query: TaskListQuery): boolean {
  return (
    query.overdue === true ||
    query.closed === false ||
    query.agingBucket !== undefined ||
    query.dueSoon !== undefined ||
    query.warning !== undefined ||
    (query.status !== undefined && query.status.length > 0 && !query.status.includes('CLOSED'))
  );
}

/**
 * A page of the task list, in two steps: `ids` omitted, the page's ids from the few columns
 * the filters and the order need (a query for Warehouse.queryPage, which counts the list in
 * the same pass); then, with `ids`, those tasks' rows, read by their primary key, in the
 * same order.
 */
export function buildTaskListQuery(
  scope: Scope,
  query: TaskListQuery & { searchIds?: readonly string[] },
  current: boolean,
  ids?: readonly string[],
  ladder: WarningDays = DEFAULT_WARNING_DAYS,
): SqlQuery {
  const tasks = taskStateCte(scope, { fedBack: true, current, openOnly: listsOpenTasksOnly(query), ids });
  const open = "status != 'CLOSED'";
  const late = `${open} AND due IS NOT NULL AND due < {asOf:Date}`;
  const where: string[] = [];
  const params: Record<string, unknown> = { ...tasks.params, limit: query.pageSize, offset: (query.page - 1) * query.pageSize };
  if (query.status) {
    where.push('status IN {statuses:Array(String)}');
    params.statuses = query.status;
  }
  if (query.closed !== undefined) where.push(query.closed ? "status = 'CLOSED'" : open);
  if (query.overdue !== undefined) where.push(query.overdue ? `(${late})` : `NOT (${late})`);
  if (query.agingBucket) {
    // `from` through `to` days overdue (as-of − due) is a due date from as-of − `to` through
    // as-of − `from`: a range of the column itself, not a difference computed for every task
    const { from, to } = AGING_WINDOWS.find((w) => w.bucket === query.agingBucket)!;
    where.push(`(${late})`, 'due <= subtractDays({asOf:Date}, {agingFrom:UInt32})');
    params.agingFrom = from;
    if (to !== null) {
      where.push('due >= subtractDays({asOf:Date}, {agingTo:UInt32})');
      params.agingTo = to;
    }
  }
  if (query.dueSoon !== undefined) {
    where.push(`${open} AND due IS NOT NULL AND due >= {asOf:Date} AND due <= addDays({asOf:Date}, {dueSoon:UInt8})`);
    params.dueSoon = query.dueSoon;
  }
  if (query.warning !== undefined) {
    // red: overdue (due < as-of); orange: as-of ≤ due ≤ as-of + orange days (due today is
    // orange); yellow: as-of + orange days < due ≤ as-of + yellow days
    const soon = `${open} AND due IS NOT NULL AND due >= {asOf:Date}`;
    if (query.warning === 'red') where.push(`(${late})`);
    else if (query.warning === 'orange') where.push(`${soon} AND due <= addDays({asOf:Date}, {orangeDays:UInt16})`);
    else where.push(`${soon} AND due > addDays({asOf:Date}, {orangeDays:UInt16}) AND due <= addDays({asOf:Date}, {yellowDays:UInt16})`);
    params.orangeDays = ladder.orange;
    params.yellowDays = ladder.yellow;
  }
  if (query.extended !== undefined) {
    const extended = 'due IS NOT NULL AND original_due_date IS NOT NULL AND due > original_due_date';
    where.push(query.extended ? `(${extended})` : `NOT (${extended})`);
  }
  if (query.originalDue !== undefined) where.push(`original_due_date IS ${query.originalDue ? 'NOT ' : ''}NULL`);
  if (query.immediate !== undefined) where.push(`finding_is_immediate = ${query.immediate ? 1 : 0}`);
  if (query.searchIds) {
    // the tasks a search (q) found in PostgreSQL
    where.push('id IN {searchIds:Array(UInt64)}');
    params.searchIds = [...query.searchIds];
  }
  const daysOverdue = `if(${late}, dateDiff('day', assumeNotNull(due), {asOf:Date}), 0) AS days_overdue`;
  const filtered = (order: string) => `FROM tasks
${where.length > 0 ? `WHERE ${where.join('\n  AND ')}` : ''}
ORDER BY ${order}`;
  if (ids === undefined) {
    const allLate = query.overdue === true || query.agingBucket !== undefined || query.warning === 'red';
    const order = (allLate ? LATE_TASK_ORDER[query.sort] : undefined) ?? TASK_ORDER[query.sort];
    return {
      query: `WITH
${tasks.query}
SELECT id${order.includes('days_overdue') ? `, ${daysOverdue}` : ''}
${filtered(order)}
LIMIT {limit:UInt32} OFFSET {offset:UInt32}`,
      params,
    };
  }
  const { limit: _limit, offset: _offset, ...rowParams } = params;
  return {
    query: `WITH
${tasks.query}
SELECT id, finding_id, unit_id, unit_category, region_id, county_id, category_id, category1_id, mode, track, responsible_dept,
  status, original_due_date, due, closed_date, feedback_date,
  ${daysOverdue}
${filtered(TASK_ORDER[query.sort])}`,
    params: rowParams,
  };
}
export interface TaskPageRow {
  id: string;
}
export interface TaskListRow {
  id: string;
  finding_id: string;
  unit_id: number;
  unit_category: string;
  region_id: number;
  county_id: number;
  category_id: number;
  category1_id: number;
  mode: string;
  track: string;
  responsible_dept: string;
  status: string;
  original_due_date: string | null;
  due: string | null;
  closed_date: string | null;
  feedback_date: string | null;
  days_overdue: string;
}

/** Whether a finding list reads fact_open_findings (two steps: the page's ids, then their rows). */
export function listsOpenFindings(query: FindingListQuery, current: boolean): boolean {
  return current && query.closed === false && query.recurrence === undefined;
}

/**
 * A page of the finding list (a query for Warehouse.queryPage, which counts the list in the
 * same pass). From fact_open_findings (listsOpenFindings) in two steps like the task list:
 * `ids` omitted, the page's ids; with `ids`, their rows.
 */
export function buildFindingListQuery(scope: Scope, query: FindingListQuery, current: boolean, ids?: readonly string[]): SqlQuery {
  const fedBack = query.fedBack === true;
  if (listsOpenFindings(query, current)) return buildOpenFindingListQuery(scope, query, ids);
  const unit = unitCondition(query);
  // a unit's list needs only its tasks (the others join no finding listed)
  const tasks = taskStateCte(scope, { fedBack, current, where: unit.where });
  const findings = findingsSubquery(
    scope,
    fedBack,
    'id, inspection_id, unit_id, unit_category, county_id, category_id, category1_id, mode, round_id, is_immediate, found_date, feedback_date',
    'fact_findings',
    unit.where,
  );
  const where: string[] = [];
  if (query.closed !== undefined) where.push(query.closed ? 'closed' : 'NOT closed');
  if (query.immediate !== undefined) where.push(`is_immediate = ${query.immediate ? 1 : 0}`);
  const members = query.recurrence ? recurrenceMemberIdsSubquery(scope, query.recurrence, current) : undefined;
  if (members) where.push(`id IN (\n${members.query}\n)`);
  return {
    query: `WITH
${tasks.query},
${PER_FINDING_CTE},
listed AS (
  SELECT f.*, p.n AS task_count, p.closed_n AS closed_count, (p.n > 0 AND p.closed_n = p.n) AS closed,
    if(p.n > 0 AND p.closed_n = p.n, p.closure_day, NULL) AS closure_day
  FROM (
    ${findings.query}
  ) AS f
  LEFT JOIN per_finding AS p ON p.finding_id = f.id
)
SELECT id, inspection_id, unit_id, unit_category, county_id, category_id, category1_id, mode, round_id, is_immediate, found_date, feedback_date,
  task_count, closed_count, closed, closure_day
FROM listed
${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
ORDER BY ${FINDING_ORDER[query.sort]}
LIMIT {limit:UInt32} OFFSET {offset:UInt32}`,
    params: { ...tasks.params, ...findings.params, ...members?.params, ...unit.params, limit: query.pageSize, offset: (query.page - 1) * query.pageSize },
  };
}
/**
 * The findings not closed, with the tasks' current state: fact_open_findings holds them
 * with their task counts (a tenth of the findings), so no pass over the tasks is needed.
 * The same rows as buildFindingListQuery's.
 */
function buildOpenFindingListQuery(scope: Scope, query: FindingListQuery, ids?: readonly string[]): SqlQuery {
  const unit = unitCondition(query);
  const findings = findingsSubquery(
    scope,
    query.fedBack === true,
    "id, inspection_id, unit_id, unit_category, county_id, category_id, category1_id, mode, round_id, is_immediate, found_date, feedback_date, task_count, closed_count, toUInt8(0) AS closed, CAST(NULL, 'Nullable(Date)') AS closure_day",
    'fact_open_findings',
    [...(ids ? ['id IN {ids:Array(UInt64)}'] : []), ...unit.where],
  );
  const where = query.immediate !== undefined ? [`is_immediate = ${query.immediate ? 1 : 0}`] : [];
  const body = `FROM (
    ${findings.query}
)
${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
ORDER BY ${FINDING_ORDER[query.sort]}`;
  if (ids) return { query: `SELECT *\n${body}`, params: { ...findings.params, ...unit.params, ids: [...ids] } };
  return {
    query: `SELECT id
${body}
LIMIT {limit:UInt32} OFFSET {offset:UInt32}`,
    params: { ...findings.params, ...unit.params, limit: query.pageSize, offset: (query.page - 1) * query.pageSize },
  };
}

/** The finding list's unit filter (unitId) as a condition on the findings read. */
function unitCondition(query: FindingListQuery): { where: string[]; params: Record<string, unknown> } {
  return query.unitId === undefined ? { where: [], params: {} } : { where: ['unit_id = {listUnitId:UInt32}'], params: { listUnitId: query.unitId } };
}
export interface FindingPageRow {
  id: string;
}

export interface FindingListRow {
  id: string;
  inspection_id: number;
  unit_id: number;
  unit_category: string;
  county_id: number;
  category_id: number;
  category1_id: number;
  mode: string;
  round_id: number;
  is_immediate: number;
  found_date: string;
  feedback_date: string | null;
  task_count: string;
  closed_count: string;
  closed: number;
  closure_day: string | null;
}
