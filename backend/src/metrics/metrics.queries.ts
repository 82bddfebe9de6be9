/**
 * Read queries of the metrics, as pure builders: `buildXQuery(scope) → { query, params }`.
 * Values travel only as {name:Type} parameters. The definitions they implement are
 * those of DEFINITIONS.md beside this file, which pins down every choice.
 */
import { closeDays, isRebound, isReinspectedAfterClosure, isReinspection, isRepeat, taskFigures } from '@xuncha/etl/src/load/figures';
import { LAST_BY_MODE } from '@xuncha/etl/src/load/unit-coverage';
import { AGING_WINDOWS, DUE_SOON_DAYS } from '../common/filters';
import type { Scope } from '../dimensions/scope';
import type { BoundSource, TableSource } from './read-source';

/** The source a builder reads when given none: the facts; the summary builders' own, the current-state summary. */
const FACTS: BoundSource = { kind: 'facts', current: false };
const SUMMARY: TableSource = { kind: 'summary' };

export interface SqlQuery {
  query: string;
  params: Record<string, unknown>;
}

/** Which columns a fact table has for the shared filters. */
interface FilterColumns {
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
  if (scope.regionId !== undefined) {
    where.push(`${c('region_id')} = {regionId:UInt32}`);
    params.regionId = scope.regionId;
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

const and = (conditions: readonly string[]) => conditions.join('\n    AND ');

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
}

/**
 * `tasks` CTE: the tasks (of findings found by as-of, passing the filters) as they stood at
 * the end of the as-of day, with status, due (current due date), closed_date and
 * original_due_date. A task with no status event by then did not exist yet and is absent.
 */
export function taskStateCte(scope: Scope, options: TaskStateOptions): SqlQuery {
  const { where, params } = filterConditions(scope, { categories: true });
  const base = ['is_deleted = 0', 'found_date <= {asOf:Date}', ...(options.fedBack ? ['feedback_date <= {asOf:Date}'] : []), ...where];
  if (options.ids) {
    base.push('id IN {ids:Array(UInt64)}');
    params.ids = options.ids;
  }
  const columns =
    'id, finding_id, county_id, region_id, round_id, category_id, category1_id, unit_id, unit_category, mode, finding_is_immediate, track, responsible_dept, original_due_date, feedback_date, found_date';
  if (options.current) {
    return {
      query: `tasks AS (
  SELECT ${columns}, status, current_due_date AS due, closed_date
  FROM ${options.openOnly ? 'fact_open_tasks' : 'fact_tasks'} FINAL
  WHERE ${and(base)}
)`,
      params: { ...params, asOf: scope.asOf },
    };
  }
  // The tasks passing the filters are the join's build side: the states as of D (one per
  // task) stream past them, with no second pass over the tasks to prune the states first.
  return {
    query: `tasks AS (
  SELECT ${columns.split(', ').map((name) => `t.${name} AS ${name}`).join(', ')},
    s.status AS status,
    s.due AS due,
    if(s.status = 'CLOSED', s.status_date, NULL) AS closed_date
  FROM (
    SELECT task_id, status, status_date, due
    FROM fact_task_state FINAL
    WHERE is_deleted = 0 AND status IS NOT NULL AND valid_from <= {asOf:Date} AND valid_to > {asOf:Date}${options.ids ? '\n      AND task_id IN {ids:Array(UInt64)}' : ''}
  ) AS s
  INNER JOIN (
    SELECT ${columns}
    FROM fact_tasks FINAL
    WHERE ${and(base)}
  ) AS t ON t.id = s.task_id
)`,
    params: { ...params, asOf: scope.asOf },
  };
}

/** The per-task figures over the `tasks` CTE's columns (taskStateCte). */
const TASK = taskFigures({ status: 'status', due: 'due', closedDate: 'closed_date', original: 'original_due_date' });

/** `per_finding` CTE over `tasks`: each finding's task count, closed count and closure day. */
export const PER_FINDING_CTE = `per_finding AS (
  SELECT finding_id, count() AS n, countIf(${TASK.closed}) AS closed_n, ${TASK.closureDay} AS closure_day
  FROM tasks
  GROUP BY finding_id
)`;

/** The findings (of `table`: fact_findings, or fact_open_findings, the same columns) found by as-of and passing the filters. */
export function findingsSubquery(
  scope: Scope,
  fedBack: boolean,
  columns: string,
  table: 'fact_findings' | 'fact_open_findings' = 'fact_findings',
  extra: readonly string[] = [],
): SqlQuery {
  const { where, params } = filterConditions(scope, { categories: true });
  return {
    query: `SELECT ${columns}
    FROM ${table} FINAL
    WHERE ${and(['is_deleted = 0', 'found_date <= {asOf:Date}', ...(fedBack ? ['feedback_date <= {asOf:Date}'] : []), ...where, ...extra])}`,
    params: { ...params, asOf: scope.asOf },
  };
}

// --- rectification ---------------------------------------------------------------------

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
  const dueSoon = DUE_SOON_DAYS.map((days, i) => `${aggregate(`${due} >= {asOf:Date} AND ${due} <= addDays({asOf:Date}, ${days})`)} AS ${prefix}${DUE_SOON_COLUMNS[i]}`);
  return [...aged, ...dueSoon];
}

/** Findings fed back by as-of (every filter), by county, round and 立行立改. */
export function buildFindingTotalsQuery(scope: Scope): SqlQuery {
  const findings = findingsSubquery(scope, true, 'county_id, round_id, is_immediate');
  return {
    query: `SELECT county_id, round_id, is_immediate AS immediate, count() AS findings
FROM (
    ${findings.query}
)
GROUP BY county_id, round_id, immediate
ORDER BY county_id, round_id, immediate`,
    params: findings.params,
  };
}
export interface FindingTotalsRow {
  county_id: number;
  round_id: number;
  immediate: number;
  findings: string;
}

/** The grouping sets of the rectification query, in the order `grouping()` receives their columns. */
export const CLOSED_GROUPING_COLUMNS = ['county_id', 'round_id', 'immediate', 'days'] as const;

/**
 * The tasks of the findings fed back by as-of, in one pass over them (one evaluation of
 * their state as of D), grouped by finding and then:
 * - by county, round and 立行立改: findings closed (with tasks, all 已销号), and the task-level
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
SELECT county_id, round_id, immediate, days,
  countIf(is_closed) AS closed_findings,
  sum(n_tasks) AS tasks, sum(n_closed) AS closed, sum(n_on_time) AS on_time, sum(n_overdue) AS overdue,
  ${windowSums}, sum(n_extended) AS extended,
  grouping(${CLOSED_GROUPING_COLUMNS.join(', ')}) AS g
FROM (
  SELECT finding_id, any(county_id) AS county_id, any(round_id) AS round_id, any(finding_is_immediate) AS immediate,
    count() AS n_tasks,
    countIf(${TASK.closed}) AS n_closed,
    n_closed = n_tasks AS is_closed,
    if(is_closed, ${closeDays('any(feedback_date)', TASK.closureDay)}, NULL) AS days,
    countIf(${TASK.onTime}) AS n_on_time,
    countIf(${late}) AS n_overdue,
    ${windows.join(',\n    ')},
    countIf(${TASK.extended}) AS n_extended
  FROM tasks
  GROUP BY finding_id
)
GROUP BY GROUPING SETS ((county_id, round_id, immediate), (days))`,
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
  round_id: number;
  tasks: string;
  closed: string;
  on_time: string;
  overdue: string;
  /** per aging window: AGED_COLUMNS; per due-soon window: DUE_SOON_COLUMNS */
  [window: `aged_${number}` | `due_${number}`]: string;
  extended: string;
}

// --- categories ------------------------------------------------------------------------

/** The grouping sets of the categories metric, in the order `grouping()` receives their columns. */
export const CATEGORY_GROUPING_COLUMNS = ['category_id', 'county_id', 'category1_id', 'unit_category', 'round_id', 'mode', 'quarter'] as const;
export const CATEGORY_SETS = {
  level2: ['category_id'],
  regionCategory: ['county_id', 'category1_id'],
  unitCategoryMatrix: ['unit_category', 'category1_id'],
  byRound: ['round_id'],
  byMode: ['mode'],
  quarterly: ['quarter', 'category1_id'],
} as const satisfies Record<string, readonly (typeof CATEGORY_GROUPING_COLUMNS)[number][]>;

/**
 * The value `grouping(columns…)` takes for the rows of one grouping set: bit 1 for every
 * column not in the set, the first column highest.
 */
export function groupingMask(set: readonly string[], columns: readonly string[] = CATEGORY_GROUPING_COLUMNS): number {
  const k = columns.length;
  return columns.reduce((mask, column, i) => (set.includes(column) ? mask : mask | (1 << (k - 1 - i))), 0);
}

/** Findings found by as-of, counted in every grouping the categories page shows, in one scan. */
export function buildCategoriesQuery(scope: Scope): SqlQuery {
  const findings = findingsSubquery(scope, false, "category_id, county_id, category1_id, unit_category, round_id, mode, concat(toString(toYear(found_date)), 'Q', toString(toQuarter(found_date))) AS quarter");
  const sets = Object.values(CATEGORY_SETS)
    .map((set) => `(${set.join(', ')})`)
    .join(', ');
  return {
    query: `SELECT ${CATEGORY_GROUPING_COLUMNS.join(', ')}, count() AS n, grouping(${CATEGORY_GROUPING_COLUMNS.join(', ')}) AS g
FROM (
    ${findings.query}
)
GROUP BY GROUPING SETS (${sets})`,
    params: findings.params,
  };
}
export interface CategoriesRow {
  category_id: number;
  county_id: number;
  category1_id: number;
  unit_category: string;
  round_id: number;
  mode: string;
  quarter: string;
  n: string;
  g: string;
}

// --- coverage --------------------------------------------------------------------------

export interface CoverageOptions {
  /** Modes counting for coverage after the mode filter (may be empty: nothing counts). */
  countingModes: string[];
  /**
   * Where the units' inspections are read (read-source.ts; default the facts): every
   * inspection, fact_unit_coverage (summary) or a quarter end's quarter_units (quarter).
   */
  source?: BoundSource;
  uncoveredLimit: number;
  uncoveredOffset: number;
}

/**
 * The region and unit-category filters as conditions on fact_inspections, whose rows carry
 * their unit's county, region and category: they prune the inspections read for units that
 * the same filters select (parameters as in unitStatusCte).
 */
function inspectionUnitFilter(scope: Scope, prefix: string): string[] {
  const where: string[] = [];
  if (scope.countyId !== undefined) where.push(`${prefix}county_id = {countyId:UInt32}`);
  if (scope.regionId !== undefined) where.push(`${prefix}region_id = {regionId:UInt32}`);
  if (scope.unitCategory !== undefined) where.push(`${prefix}unit_category = {unitCategory:String}`);
  return where;
}

/**
 * `unit_status` CTE: every unit of a committee with a chosen term, passing the region and
 * unit-category filters, with in_scope / covered and its last inspection by as-of. The
 * `counted` CTE beside it holds each covered unit's latest counting inspection
 * (`last_counted`), for coverage within a part of the term (the quarterly workbook).
 */
export function unitStatusCte(scope: Scope, options: Pick<CoverageOptions, 'countingModes' | 'source'>): SqlQuery {
  const unitFilter: string[] = ['u.is_deleted = 0'];
  const params: Record<string, unknown> = {
    asOf: scope.asOf,
    coverageTermIds: scope.coverageTerms.map((t) => t.id),
  };
  if (scope.countyId !== undefined) {
    unitFilter.push('u.county_id = {countyId:UInt32}');
    params.countyId = scope.countyId;
  }
  if (scope.regionId !== undefined) {
    unitFilter.push('u.region_id = {regionId:UInt32}');
    params.regionId = scope.regionId;
  }
  if (scope.unitCategory !== undefined) {
    unitFilter.push('u.category = {unitCategory:String}');
    params.unitCategory = scope.unitCategory;
  }
  const terms = `terms AS (
  SELECT id AS term_id, committee_region_id, start_date, least(end_date, {asOf:Date}) AS e
  FROM dim_terms FINAL
  WHERE is_deleted = 0 AND id IN {coverageTermIds:Array(UInt32)}
)`;
  const source = options.source ?? FACTS;
  if (source.kind !== 'facts') {
    if (scope.roundId !== undefined) throw new Error('fact_unit_coverage has no round');
    // Every inspection loaded (quarter_units: kept) lies on or before as-of, and each term contains
    // as-of (e = as-of): a unit has a counting inspection in [term start, e] when its latest of a
    // counting mode is.
    const table = tableOf(source, 'units');
    unitFilter.splice(0, 1, ...table.where);
    Object.assign(params, table.params);
    const inTerm = options.countingModes.map((mode) => {
      const column = LAST_BY_MODE[mode as keyof typeof LAST_BY_MODE];
      if (!column) throw new Error(`unknown mode ${mode}`);
      return `coalesce(u.${column} >= t.start_date AND u.${column} <= t.e, 0)`;
    });
    const latest = Object.values(LAST_BY_MODE).map((column) => `coalesce(u.${column}, toDate(0))`);
    return {
      query: `${terms},
unit_status AS (
  SELECT u.id AS unit_id, u.code AS code, u.name AS name, u.category AS unit_category, u.region_id AS region_id,
    u.county_id AS county_id, t.term_id AS term_id, t.start_date AS term_start, t.e AS e, u.valid_from AS valid_from, u.valid_to AS valid_to,
    toUInt8(${inTerm.length > 0 ? inTerm.join(' OR ') : '0'}) AS covered,
    (u.valid_from <= t.e AND (u.valid_to IS NULL OR u.valid_to >= t.e)) AS active,
    (u.valid_to IS NOT NULL AND u.valid_to >= t.start_date AND u.valid_to < t.e) AS abolished_in_term,
    nullIf(greatest(${latest.join(', ')}), toDate(0)) AS last_date
  FROM ${table.from}
  INNER JOIN terms AS t ON t.committee_region_id = u.committee_region_id
  WHERE ${and(unitFilter)}
)`,
      params,
    };
  }
  params.countingModes = options.countingModes;
  const inspectionFilter = ['i.is_deleted = 0', 'i.mode IN {countingModes:Array(String)}', 'i.stationed_from >= t.start_date', 'i.stationed_from <= t.e'];
  if (scope.roundId !== undefined) {
    inspectionFilter.push('i.round_id = {roundId:UInt32}');
    params.roundId = scope.roundId;
  }
  inspectionFilter.push(...inspectionUnitFilter(scope, 'i.'));
  return {
    query: `${terms},
units AS (
  SELECT u.id AS unit_id, u.code AS code, u.name AS name, u.category AS unit_category, u.region_id AS region_id,
    u.county_id AS county_id, t.term_id AS term_id, t.start_date AS term_start, t.e AS e, u.valid_from AS valid_from, u.valid_to AS valid_to
  FROM dim_units AS u FINAL
  INNER JOIN terms AS t ON t.committee_region_id = u.committee_region_id
  WHERE ${and(unitFilter)}
),
counted AS (
  SELECT i.unit_id AS unit_id, max(i.stationed_from) AS last_counted
  FROM fact_inspections AS i FINAL
  INNER JOIN terms AS t ON t.committee_region_id = i.committee_region_id
  WHERE ${and(inspectionFilter)}
  GROUP BY unit_id
),
unit_status AS (
  SELECT u.unit_id AS unit_id, u.code AS code, u.name AS name, u.unit_category AS unit_category, u.region_id AS region_id,
    u.county_id AS county_id, u.term_id AS term_id, u.term_start AS term_start, u.e AS e, u.valid_from AS valid_from, u.valid_to AS valid_to,
    c.unit_id != 0 AS covered,
    (u.valid_from <= u.e AND (u.valid_to IS NULL OR u.valid_to >= u.e)) AS active,
    (u.valid_to IS NOT NULL AND u.valid_to >= u.term_start AND u.valid_to < u.e) AS abolished_in_term
  FROM units AS u
  LEFT JOIN counted AS c ON c.unit_id = u.unit_id
)`,
    params,
  };
}

/** In scope and covered units by county and unit category. */
export function buildCoverageQuery(scope: Scope, options: CoverageOptions): SqlQuery {
  const status = unitStatusCte(scope, options);
  return {
    query: `WITH
${status.query}
SELECT county_id, term_id, unit_category, count() AS in_scope, countIf(covered) AS covered_units
FROM unit_status
WHERE active OR (abolished_in_term AND covered)
GROUP BY county_id, term_id, unit_category
ORDER BY county_id, term_id, unit_category`,
    params: status.params,
  };
}
export interface CoverageRow {
  county_id: number;
  term_id: number;
  unit_category: string;
  in_scope: string;
  covered_units: string;
}

/** The uncovered units in scope, never inspected first, then by their last inspection. */
export function buildUncoveredQuery(scope: Scope, options: CoverageOptions): SqlQuery {
  const status = unitStatusCte(scope, options);
  if ((options.source ?? FACTS).kind !== 'facts') {
    return {
      query: `WITH
${status.query}
SELECT unit_id, code, name, unit_category, region_id, county_id, last_date
FROM unit_status
WHERE active AND NOT covered
ORDER BY (last_date IS NULL) DESC, last_date, unit_id
LIMIT {limit:UInt32} OFFSET {offset:UInt32}`,
      params: { ...status.params, limit: options.uncoveredLimit, offset: options.uncoveredOffset },
    };
  }
  return {
    query: `WITH
${status.query},
uncovered AS (
  SELECT unit_id, code, name, unit_category, region_id, county_id
  FROM unit_status
  WHERE active AND NOT covered
),
last_seen AS (
  SELECT unit_id, max(stationed_from) AS last_date
  FROM fact_inspections FINAL
  WHERE ${and(['is_deleted = 0', 'stationed_from <= {asOf:Date}', ...inspectionUnitFilter(scope, '')])}
  GROUP BY unit_id
)
SELECT u.unit_id AS unit_id, u.code AS code, u.name AS name, u.unit_category AS unit_category, u.region_id AS region_id,
  u.county_id AS county_id, if(l.unit_id = 0, NULL, l.last_date) AS last_date
FROM uncovered AS u
LEFT JOIN last_seen AS l ON l.unit_id = u.unit_id
ORDER BY (l.unit_id = 0) DESC, l.last_date, u.unit_id
LIMIT {limit:UInt32} OFFSET {offset:UInt32}`,
    params: { ...status.params, limit: options.uncoveredLimit, offset: options.uncoveredOffset },
  };
}
export interface UncoveredRow {
  unit_id: number;
  code: string;
  name: string;
  unit_category: string;
  region_id: number;
  county_id: number;
  last_date: string | null;
}

// --- recurrence ------------------------------------------------------------------------

/**
 * `repeat_findings` CTE (after its helpers): each finding of a re-inspection (stationed after
 * an earlier inspection of its unit), and whether it repeats a level-2 category found earlier
 * at the unit (`is_repeat`). The repeat figures count these rows; the 复发 drill lists them.
 */
function repeatFindingsCtes(scope: Scope): SqlQuery {
  const findings = findingsSubquery(scope, false, 'id, unit_id, category_id, category1_id, county_id, stationed_from');
  return {
    query: `f AS (
    ${findings.query}
),
first_visit AS (
  SELECT unit_id, min(stationed_from) AS first_date
  FROM fact_inspections FINAL
  WHERE ${and(['is_deleted = 0', 'stationed_from <= {asOf:Date}', ...inspectionUnitFilter(scope, '')])}
  GROUP BY unit_id
),
first_found AS (
  SELECT unit_id, category_id, min(stationed_from) AS first_date
  FROM fact_findings FINAL
  WHERE ${and(['is_deleted = 0', 'stationed_from <= {asOf:Date}', ...inspectionUnitFilter(scope, '')])}
  GROUP BY unit_id, category_id
),
repeat_findings AS (
  SELECT f.id AS id, f.county_id AS county_id, f.category1_id AS category1_id, ${isRepeat('f.stationed_from', 'c.first_date')} AS is_repeat
  FROM f
  INNER JOIN first_visit AS v ON v.unit_id = f.unit_id
  LEFT JOIN first_found AS c ON c.unit_id = f.unit_id AND c.category_id = f.category_id
  WHERE ${isReinspection('f.stationed_from', 'v.first_date')}
)`,
    params: findings.params,
  };
}

/**
 * Findings of re-inspections and how many repeat a level-2 category found earlier at the
 * unit, by county and level-1 category.
 */
export function buildRepeatQuery(scope: Scope): SqlQuery {
  const ctes = repeatFindingsCtes(scope);
  return {
    query: `WITH
${ctes.query}
SELECT county_id, category1_id,
  count() AS reinspection_findings,
  countIf(is_repeat) AS repeats
FROM repeat_findings
GROUP BY county_id, category1_id
ORDER BY county_id, category1_id`,
    params: ctes.params,
  };
}
export interface RepeatRow {
  county_id: number;
  category1_id: number;
  reinspection_findings: string;
  repeats: string;
}

/**
 * `rebound_findings` CTE (after its helpers): each finding closed by as-of (from its tasks
 * alone, as in buildRectificationTasksQuery) whose unit was inspected again after the
 * closure, and whether a later finding (found after the closure) names it as its
 * recurrence (`is_rebound`). The rebound figures count these rows; the 复发 drill lists them.
 */
function reboundFindingsCtes(scope: Scope, current: boolean): SqlQuery {
  const tasks = taskStateCte(scope, { fedBack: false, current });
  return {
    query: `${tasks.query},
closed AS (
  SELECT finding_id AS id, any(unit_id) AS unit_id, any(county_id) AS county_id, any(category1_id) AS category1_id, ${TASK.closureDay} AS closure_day
  FROM tasks
  GROUP BY finding_id
  HAVING countIf(${TASK.closed}) = count()
),
last_visit AS (
  SELECT unit_id, max(stationed_from) AS last_date
  FROM fact_inspections FINAL
  WHERE ${and(['is_deleted = 0', 'stationed_from <= {asOf:Date}', ...inspectionUnitFilter(scope, '')])}
  GROUP BY unit_id
),
linked AS (
  SELECT assumeNotNull(recurrence_of_id) AS finding_id, max(found_date) AS last_found
  FROM fact_findings FINAL
  WHERE is_deleted = 0 AND found_date <= {asOf:Date} AND recurrence_of_id IS NOT NULL
  GROUP BY finding_id
),
rebound_findings AS (
  SELECT c.id AS id, c.county_id AS county_id, c.category1_id AS category1_id,
    l.finding_id != 0 AND ${isRebound('l.last_found', 'c.closure_day')} AS is_rebound
  FROM closed AS c
  INNER JOIN last_visit AS v ON v.unit_id = c.unit_id
  LEFT JOIN linked AS l ON l.finding_id = c.id
  WHERE ${isReinspectedAfterClosure('v.last_date', 'c.closure_day')}
)`,
    params: tasks.params,
  };
}

/**
 * Findings closed by as-of whose unit was inspected again after the closure, and how many
 * of them a later finding (found after the closure) names as its recurrence.
 */
export function buildReboundQuery(scope: Scope, current: boolean): SqlQuery {
  const ctes = reboundFindingsCtes(scope, current);
  return {
    query: `WITH
${ctes.query}
SELECT county_id, category1_id,
  count() AS closed_reinspected,
  countIf(is_rebound) AS rebounds
FROM rebound_findings
GROUP BY county_id, category1_id
ORDER BY county_id, category1_id`,
    params: ctes.params,
  };
}

export interface ReboundRow {
  county_id: number;
  category1_id: number;
  closed_reinspected: string;
  rebounds: string;
}

/** The recurrence figures' members, as the 复发 drill lists them. */
export type RecurrenceMembers = 'reinspection' | 'repeat' | 'closedReinspected' | 'rebound';

/**
 * A subquery of the ids of the findings one recurrence figure counts under `scope`: the
 * same CTEs as buildRepeatQuery and buildReboundQuery, so a drill lists exactly what the
 * clicked bar counts.
 */
export function recurrenceMemberIdsSubquery(scope: Scope, members: RecurrenceMembers, current: boolean): SqlQuery {
  const repeat = members === 'reinspection' || members === 'repeat';
  const ctes = repeat ? repeatFindingsCtes(scope) : reboundFindingsCtes(scope, current);
  const condition = { reinspection: '', repeat: 'WHERE is_repeat', closedReinspected: '', rebound: 'WHERE is_rebound' }[members];
  return {
    query: `WITH
${ctes.query}
SELECT id FROM ${repeat ? 'repeat_findings' : 'rebound_findings'} ${condition}`,
    params: ctes.params,
  };
}

// --- the current-state summary, and the state as of quarter ends ---------------------------

/**
 * The table of a precomputed source: the current-state summary (fact_finding_summary, and
 * for coverage fact_unit_coverage, versioned: FINAL) or one quarter end's build (quarter_summary
 * and quarter_units, built by etl/src/load/quarter-state.ts: plain MergeTree tables, no
 * versions, every read sums). `units` reads the units' table, aliased `u`.
 */
function tableOf(source: TableSource, of: 'findings' | 'units'): { from: string; where: string[]; params: Record<string, unknown> } {
  const prefix = of === 'units' ? 'u.' : '';
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
 * conditions hold for every row; a quarter build only for its day.
 */
function summaryConditions(scope: Scope, extra: readonly string[], source: TableSource): { from: string; where: string; params: Record<string, unknown> } {
  if (scope.regionId !== undefined) throw new Error('the finding summary has no township column');
  if (source.kind === 'quarter' && source.quarterEnd !== scope.asOf) throw new Error(`a quarter build of ${source.quarterEnd} read as of ${scope.asOf}`);
  const { where, params } = filterConditions(scope, { categories: true });
  const table = tableOf(source, 'findings');
  return { from: table.from, where: and([...table.where, ...extra, ...where]), params: { ...params, ...table.params } };
}

/** buildCategoriesQuery over the summary: the same rows. */
export function buildSummaryCategoriesQuery(scope: Scope, source: TableSource = SUMMARY): SqlQuery {
  const { from, where, params } = summaryConditions(scope, [], source);
  const sets = Object.values(CATEGORY_SETS)
    .map((set) => `(${set.join(', ')})`)
    .join(', ');
  return {
    query: `SELECT ${CATEGORY_GROUPING_COLUMNS.join(', ')}, sum(findings) AS n, grouping(${CATEGORY_GROUPING_COLUMNS.join(', ')}) AS g
FROM (
    SELECT category_id, county_id, category1_id, unit_category, round_id, mode,
      concat(toString(toYear(found_quarter)), 'Q', toString(toQuarter(found_quarter))) AS quarter, findings
    FROM ${from}
    WHERE ${where}
)
GROUP BY GROUPING SETS (${sets})`,
    params,
  };
}

/** Findings fed back and how many of them are closed, by county, round and 立行立改 (buildFindingTotalsQuery, and buildRectificationTasksQuery's closed findings). */
export function buildSummaryFindingClosureQuery(scope: Scope, source: TableSource = SUMMARY): SqlQuery {
  const { from, where, params } = summaryConditions(scope, ['fed_back = 1'], source);
  return {
    query: `SELECT county_id, round_id, is_immediate AS immediate, sum(findings) AS n_findings, sum(findings_closed) AS n_closed
FROM ${from}
WHERE ${where}
GROUP BY county_id, round_id, immediate
HAVING n_findings > 0
ORDER BY county_id, round_id, immediate`,
    params,
  };
}
export interface SummaryFindingClosureRow {
  county_id: number;
  round_id: number;
  immediate: number;
  n_findings: string;
  n_closed: string;
}

/** The days-to-close histogram of the closed findings fed back (buildRectificationTasksQuery's days set). */
export function buildSummaryCloseDaysQuery(scope: Scope, source: TableSource = SUMMARY): SqlQuery {
  const { from, where, params } = summaryConditions(scope, ['fed_back = 1'], source);
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
  const { from, where, params } = summaryConditions(scope, ['fed_back = 1'], source);
  const over = (condition: string) => `arraySum(arrayMap((d, k) -> if(${condition}, k, 0), mapKeys(due), mapValues(due)))`;
  return {
    query: `SELECT county_id, round_id, n_tasks AS tasks, n_closed AS closed, n_on_time AS on_time,
  ${over('d < {asOf:Date}')} AS overdue,
  ${windowFigures(over, 'd', 'd').join(',\n  ')},
  n_extended AS extended
FROM (
  SELECT county_id, round_id, sum(tasks) AS n_tasks, sum(tasks_closed) AS n_closed, sum(tasks_on_time) AS n_on_time,
    sum(tasks_extended) AS n_extended, sumMap(open_due) AS due
  FROM ${from}
  WHERE ${where}
  GROUP BY county_id, round_id
  HAVING n_tasks > 0
)
ORDER BY county_id, round_id`,
    params: { ...params, asOf: scope.asOf },
  };
}

/** buildRepeatQuery and buildReboundQuery over the summary, in one: a and b of each, by county and level-1 category. */
export function buildSummaryRecurrenceQuery(scope: Scope, source: TableSource = SUMMARY): SqlQuery {
  const { from, where, params } = summaryConditions(scope, [], source);
  return {
    query: `SELECT county_id, category1_id, sum(reinspection_findings) AS reinspection_findings, sum(repeats) AS repeats,
  sum(closed_reinspected) AS closed_reinspected, sum(rebounds) AS rebounds
FROM ${from}
WHERE ${where}
GROUP BY county_id, category1_id
HAVING reinspection_findings > 0 OR closed_reinspected > 0
ORDER BY county_id, category1_id`,
    params,
  };
}
export interface SummaryRecurrenceRow {
  county_id: number;
  category1_id: number;
  reinspection_findings: string;
  repeats: string;
  closed_reinspected: string;
  rebounds: string;
}
