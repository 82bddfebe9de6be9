/**
 * What the metric queries share: the filters as conditions, the tasks as of a day, the
 * findings found by it, and the tables of the precomputed sources (read-source.ts).
 */
import { taskFigures } from '@xuncha/etl';
import type { Scope } from '../../dimensions/scope';
import type { BoundSource, TableSource } from '../read-source';

/** The source a builder reads when given none: the facts; the summary builders' own, the current-state summary. */
export const FACTS: BoundSource = { kind: 'facts', current: false };
export const SUMMARY: TableSource = { kind: 'summary' };

export interface SqlQuery {
  query: string;
  params: Record<string, unknown>;
}

/** Which columns a fact table has for the shared filters. */
export interface FilterColumns {
  /** issue-category columns (findings and tasks; inspections have none) */
  categories: boolean;
}

/**
 * The shared filters as conditions on a denormalized fact table (fact_findings,
 * fact_tasks, fact_inspections); the parameter names are fixed, so several tables filtered
 * by the same scope share them.
 */
export function filterConditions(scope: Scope, columns: FilterColumns, prefix = ''): { where: string[]; params: Record<string, unknown> } {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  const c = (name: string) => `${prefix}${name}`;
  if (scope.termIds) {
    where.push(`${c('term_id')} IN {termIds:Array(UInt32)}`);
    params.termIds = scope.termIds;
  }
  if (scope.roundId !== undefined) {
    where.push(`${c('round_id')} = {roundId:UInt32}`);
    params.roundId = scope.roundId;
  }
  if (scope.countyId !== undefined) {
    where.push(`${c('county_id')} = {countyId:UInt32}`);
    params.countyId = scope.countyId;
  }
  if (scope.townshipId !== undefined) {
    where.push(`${c('region_id')} = {regionId:UInt32}`);
    params.regionId = scope.townshipId;
  }
  if (scope.unitCategory !== undefined) {
    where.push(`${c('unit_category')} = {unitCategory:String}`);
    params.unitCategory = scope.unitCategory;
  }
  if (scope.mode !== undefined) {
    where.push(`${c('mode')} = {mode:String}`);
    params.mode = scope.mode;
  }
  if (columns.categories && scope.category1Id !== undefined) {
    where.push(`${c('category1_id')} = {category1Id:UInt32}`);
    params.category1Id = scope.category1Id;
  }
  if (columns.categories && scope.category2Id !== undefined) {
    where.push(`${c('category_id')} = {category2Id:UInt32}`);
    params.category2Id = scope.category2Id;
  }
  return { where, params };
}

export const and = (conditions: readonly string[]) => conditions.join('\n    AND ');

/**
 * Whether the scope keeps a part of the city's facts, clustered by id: a county, a township
 * (or 县直单位) or a round. Their rows lie in a few id ranges (a unit's findings and tasks are
 * written together); a category, mode or unit-category filter alone keeps rows everywhere.
 */
export function narrowsFacts(scope: Scope): boolean {
  return scope.countyId !== undefined || scope.townshipId !== undefined || scope.roundId !== undefined;
}

/**
 * `<column> IN (SELECT id FROM <table> WHERE <conditions>)`: prunes a FINAL read of a fact
 * table ordered by id (or fact_task_state, by task_id) to the granules of the scope's rows.
 * Under FINAL a condition on a column outside the sort key is evaluated after the merge, on
 * every row of every granule; one on the key prunes granules first. The ids are read without
 * FINAL, every version of every row: those whose latest version passes are among them, and
 * the read they prune keeps its own conditions (FINAL), so the rows kept are the same.
 */
export function scopeIds(column: string, table: string, conditions: readonly string[]): string {
  return `${column} IN (SELECT id FROM ${table} WHERE ${and(conditions)})`;
}

export interface TaskStateOptions {
  /** Only tasks of findings fed back on or before as-of (rectification); recurrence needs all. */
  fedBack: boolean;
  /**
   * Read the tasks' current state instead of their state between events
   * (fact_task_state): right (and cheaper) when no event loaded is later than as-of.
   */
  current: boolean;
  /**
   * Only tasks not 已销号 are wanted (the caller filters them so): with `current`, read
   * fact_open_tasks, the open tasks' rows of fact_tasks, a tenth of them.
   */
  openOnly?: boolean;
  /** Only these tasks (a list page's ids: read by the primary key). */
  ids?: readonly string[];
  /** Further conditions on fact_tasks (a drill list's unit): they narrow the read as a scope does. */
  where?: readonly string[];
}

/**
 * `tasks` CTE: the tasks (of findings found by as-of, passing the filters) as they stood at
 * the end of the as-of day, with status, due (current due date), closed_date and
 * original_due_date. A task with no status event by then did not exist yet and is absent.
 */
export function taskStateCte(scope: Scope, options: TaskStateOptions): SqlQuery {
  const { where, params } = filterConditions(scope, { categories: true });
  const base = [
    'is_deleted = 0',
    'found_date <= {asOf:Date}',
    ...(options.fedBack ? ['feedback_date <= {asOf:Date}'] : []),
    ...where,
    ...(options.where ?? []),
  ];
  if (options.ids) {
    base.push('id IN {ids:Array(UInt64)}');
    params.ids = options.ids;
  }
  const table = options.current && options.openOnly ? 'fact_open_tasks' : 'fact_tasks';
  // A scope narrower than the city reads its tasks' ids first (one column, no FINAL), and the
  // reads below only the granules holding them (fact_task_state is ordered by task_id); a list
  // page's ids prune by themselves, and fact_open_tasks is small enough to read whole.
  const narrow = narrowsFacts(scope) || (options.where?.length ?? 0) > 0;
  const prune = narrow && !options.ids && table === 'fact_tasks' ? (column: string) => [scopeIds(column, table, base)] : () => [];
  const columns =
    'id, finding_id, county_id, region_id, round_id, category_id, category1_id, unit_id, unit_category, mode, finding_is_immediate, track, responsible_dept, original_due_date, feedback_date, found_date';
  if (options.current) {
    return {
      query: `tasks AS (
  SELECT ${columns}, status, current_due_date AS due, closed_date
  FROM ${table} FINAL
  WHERE ${and([...prune('id'), ...base])}
)`,
      params: { ...params, asOf: scope.asOf },
    };
  }
  const states = ['is_deleted = 0', 'status IS NOT NULL', 'valid_from <= {asOf:Date} AND valid_to > {asOf:Date}', ...prune('task_id')];
  if (options.ids) states.push('task_id IN {ids:Array(UInt64)}');
  // The tasks passing the filters are the join's build side: the states as of D (one per
  // task) stream past them, with no second pass over the tasks' rows to prune the states
  // first (a scope's ids, one column without FINAL, are no such pass).
  return {
    query: `tasks AS (
  SELECT ${columns
    .split(', ')
    .map((name) => `t.${name} AS ${name}`)
    .join(', ')},
    s.status AS status,
    s.due AS due,
    if(s.status = 'CLOSED', s.status_date, NULL) AS closed_date
  FROM (
    SELECT task_id, status, status_date, due
    FROM fact_task_state FINAL
    WHERE ${and(states)}
  ) AS s
  INNER JOIN (
    SELECT ${columns}
    FROM fact_tasks FINAL
    WHERE ${and([...prune('id'), ...base])}
  ) AS t ON t.id = s.task_id
)`,
    params: { ...params, asOf: scope.asOf },
  };
}

/** The per-task figures over the `tasks` CTE's columns (taskStateCte). */
export const TASK = taskFigures({ status: 'status', due: 'due', closedDate: 'closed_date', original: 'original_due_date' });

/** `per_finding` CTE over `tasks`: each finding's task count, closed count and closure day. */
export const PER_FINDING_CTE = `per_finding AS (
  SELECT finding_id, count() AS n, countIf(${TASK.closed}) AS closed_n, ${TASK.closureDay} AS closure_day
  FROM tasks
  GROUP BY finding_id
)`;

/**
 * The findings (of `table`: fact_findings, or fact_open_findings, the same columns) found by
 * as-of and passing the filters and `extra` (a drill list's unit); of fact_findings, a scope
 * narrower than the city or `extra` reads only its findings' granules (scopeIds).
 */
export function findingsSubquery(
  scope: Scope,
  fedBack: boolean,
  columns: string,
  table: 'fact_findings' | 'fact_open_findings' = 'fact_findings',
  extra: readonly string[] = [],
): SqlQuery {
  const { where, params } = filterConditions(scope, { categories: true });
  const conditions = ['is_deleted = 0', 'found_date <= {asOf:Date}', ...(fedBack ? ['feedback_date <= {asOf:Date}'] : []), ...where, ...extra];
  return {
    query: `SELECT ${columns}
    FROM ${table} FINAL
    WHERE ${and((narrowsFacts(scope) || extra.length > 0) && table === 'fact_findings' ? [scopeIds('id', table, conditions), ...conditions] : conditions)}`,
    params: { ...params, asOf: scope.asOf },
  };
}

/**
 * The region and unit-category filters as conditions on fact_inspections, whose rows carry
 * their unit's county, region and category: they prune the inspections read for units that
 * the same filters select (parameters as in unitStatusCte).
 */
export function inspectionUnitFilter(scope: Scope, prefix: string): string[] {
  const where: string[] = [];
  if (scope.countyId !== undefined) where.push(`${prefix}county_id = {countyId:UInt32}`);
  if (scope.townshipId !== undefined) where.push(`${prefix}region_id = {regionId:UInt32}`);
  if (scope.unitCategory !== undefined) where.push(`${prefix}unit_category = {unitCategory:String}`);
  return where;
}

/**
 * The table of a precomputed source: the current-state summary (fact_finding_summary, and
 * for coverage fact_unit_coverage, versioned: FINAL) or one quarter end's build (quarter_summary
 * and quarter_units, built by etl/src/load/quarter-state.ts: plain MergeTree tables, no
 * versions, every read sums). `units` reads the units' table, aliased `u`.
 */
export function tableOf(source: TableSource, of: 'findings' | 'units'): { from: string; where: string[]; params: Record<string, unknown> } {
  const prefix = of === 'units' ? 'u.' : '';
  if (source.kind === 'timeline') {
    if (of === 'units') throw new Error('the rectification timeline has no units');
    return { from: 'fact_rectification_timeline FINAL', where: ['is_deleted = 0', 'day <= {asOf:Date}'], params: {} };
  }
  if (source.kind === 'summary') {
    return { from: of === 'units' ? 'fact_unit_coverage AS u FINAL' : 'fact_finding_summary FINAL', where: [`${prefix}is_deleted = 0`], params: {} };
  }
  return {
    from: of === 'units' ? 'quarter_units AS u' : 'quarter_summary',
    where: [`${prefix}as_of = {quarterAsOf:Date}`, `${prefix}build = {quarterBuild:UInt64}`],
    params: { quarterAsOf: source.quarterEnd, quarterBuild: source.build },
  };
}

/**
 * The table and conditions of a summary read: fact_finding_summary (see
 * etl/src/load/finding-summary.ts), or a quarter end's quarter_summary (the same columns,
 * figures as of that day); the same filters as on the facts, by the same column names. Both
 * are by county: not for a township filter. chooseReadSource picks the current-state summary
 * only when as-of lies on or after every day it depends on, so that the "on or before as-of"
 * conditions hold for every row; a quarter build only for its day. The rectification
 * timeline (etl/src/load/rectification-timeline.ts) has the rectification columns, changes
 * by day summed up to as-of, and the township: `fedBack` (only findings fed back by as-of)
 * is a condition on the summaries, what the timeline's rows are.
 */
export function summaryConditions(
  scope: Scope,
  extra: readonly string[],
  source: TableSource,
): { from: string; where: string; params: Record<string, unknown> } {
  if (scope.townshipId !== undefined && source.kind !== 'timeline') throw new Error('the finding summary has no township column');
  if (source.kind === 'quarter' && source.quarterEnd !== scope.asOf) throw new Error(`a quarter build of ${source.quarterEnd} read as of ${scope.asOf}`);
  const { where, params } = filterConditions(scope, { categories: true });
  const table = tableOf(source, 'findings');
  const conditions = source.kind === 'timeline' ? extra.filter((condition) => condition !== FED_BACK) : extra;
  return {
    from: table.from,
    where: and([...table.where, ...conditions, ...where]),
    params: { ...params, ...table.params, ...(source.kind === 'timeline' ? { asOf: scope.asOf } : {}) },
  };
}

/** The summaries' condition for the findings fed back (by as-of): every row of the rectification timeline is. */
export const FED_BACK = 'fed_back = 1';
