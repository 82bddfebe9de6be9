/** The recurrence metric's queries (repeats and rebounds): over the facts and over a precomputed source, side by side. */
import { isRebound, isReinspectedAfterClosure, isReinspection, isRepeat } from '@xuncha/etl';
import type { Scope } from '../../dimensions/scope';
import { areaKey, levelOf } from '../areas';
import type { TableSource } from '../read-source';
import {
  and,
  filterConditions,
  findingsSubquery,
  inspectionUnitFilter,
  narrowsFacts,
  scopeIds,
  SUMMARY,
  summaryConditions,
  TASK,
  taskStateCte,
  type SqlQuery,
} from './shared';

/**
 * `repeat_findings` CTE (after its helpers): each finding of a re-inspection (stationed after
 * an earlier inspection of its unit), and whether it repeats a level-2 category found earlier
 * at the unit (`is_repeat`). The repeat figures count these rows; the 复发 drill lists them.
 */
function repeatFindingsCtes(scope: Scope): SqlQuery {
  const findings = findingsSubquery(scope, false, 'id, unit_id, region_id, unit_category, category_id, category1_id, county_id, stationed_from');
  const history = ['is_deleted = 0', 'stationed_from <= {asOf:Date}', ...inspectionUnitFilter(scope, '')];
  // the units' earlier findings: of a county or township, read by their ids (scopeIds)
  const earlier = scope.countyId !== undefined || scope.townshipId !== undefined ? [scopeIds('id', 'fact_findings', history), ...history] : history;
  return {
    query: `f AS (
    ${findings.query}
),
first_visit AS (
  SELECT unit_id, min(stationed_from) AS first_date
  FROM fact_inspections FINAL
  WHERE ${and(history)}
  GROUP BY unit_id
),
first_found AS (
  SELECT unit_id, category_id, min(stationed_from) AS first_date
  FROM fact_findings FINAL
  WHERE ${and(earlier)}
  GROUP BY unit_id, category_id
),
repeat_findings AS (
  SELECT f.id AS id, f.county_id AS county_id, ${areaKey(levelOf(scope), 'f.')} AS area, f.category1_id AS category1_id, ${isRepeat('f.stationed_from', 'c.first_date')} AS is_repeat
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
SELECT county_id, area, category1_id,
  count() AS reinspection_findings,
  countIf(is_repeat) AS repeats
FROM repeat_findings
GROUP BY county_id, area, category1_id
ORDER BY county_id, area, category1_id`,
    params: ctes.params,
  };
}

export interface RepeatRow {
  county_id: number;
  area: string | number;
  category1_id: number;
  reinspection_findings: string;
  repeats: string;
}

/**
 * `closed` CTE: each finding closed by as-of (from its tasks alone, as in
 * buildRectificationTasksQuery: with tasks as of the day, all 已销号), with its closure day
 * (the last 销号), unit, county, area and level-1 category. As of a past day, the finding's
 * span closed on that day (fact_finding_closure, derived from the same task states by
 * etl/src/load/finding-closure.ts: one row per closed finding); with `current`, the tasks'
 * current state grouped by finding.
 */
function closedFindingsCte(scope: Scope, current: boolean): SqlQuery {
  if (!current) {
    const { where, params } = filterConditions(scope, { categories: true });
    // the spans are ordered by finding: a county's, township's or round's read by its findings' ids
    const prune = narrowsFacts(scope) ? [scopeIds('finding_id', 'fact_findings', where)] : [];
    return {
      query: `closed AS (
  SELECT finding_id AS id, unit_id, county_id, ${areaKey(levelOf(scope), 'k.')} AS area, category1_id, closure_day
  FROM fact_finding_closure AS k FINAL
  WHERE ${and([...prune, 'is_deleted = 0', 'closed_from <= {asOf:Date}', 'closed_to > {asOf:Date}', ...where])}
)`,
      params: { ...params, asOf: scope.asOf },
    };
  }
  const tasks = taskStateCte(scope, { fedBack: false, current });
  return {
    query: `${tasks.query},
closed AS (
  SELECT finding_id AS id, any(unit_id) AS unit_id, any(county_id) AS county_id, any(${areaKey(levelOf(scope), 'k.')}) AS area, any(category1_id) AS category1_id, ${TASK.closureDay} AS closure_day
  FROM tasks AS k
  GROUP BY finding_id
  HAVING countIf(${TASK.closed}) = count()
)`,
    params: tasks.params,
  };
}

/**
 * `rebound_findings` CTE (after its helpers): each finding closed by as-of (closedFindingsCte)
 * whose unit was inspected again after the closure, and whether a later finding (found after
 * the closure) names it as its recurrence (`is_rebound`). The rebound figures count these
 * rows; the 复发 drill lists them.
 */
function reboundFindingsCtes(scope: Scope, current: boolean): SqlQuery {
  const closed = closedFindingsCte(scope, current);
  return {
    query: `${closed.query},
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
  SELECT c.id AS id, c.county_id AS county_id, c.area AS area, c.category1_id AS category1_id,
    l.finding_id != 0 AND ${isRebound('l.last_found', 'c.closure_day')} AS is_rebound
  FROM closed AS c
  INNER JOIN last_visit AS v ON v.unit_id = c.unit_id
  LEFT JOIN linked AS l ON l.finding_id = c.id
  WHERE ${isReinspectedAfterClosure('v.last_date', 'c.closure_day')}
)`,
    params: closed.params,
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
SELECT county_id, area, category1_id,
  count() AS closed_reinspected,
  countIf(is_rebound) AS rebounds
FROM rebound_findings
GROUP BY county_id, area, category1_id
ORDER BY county_id, area, category1_id`,
    params: ctes.params,
  };
}

export interface ReboundRow {
  county_id: number;
  area: string | number;
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

/** buildRepeatQuery and buildReboundQuery over the summary, in one: a and b of each, by county and level-1 category. */
export function buildSummaryRecurrenceQuery(scope: Scope, source: TableSource = SUMMARY): SqlQuery {
  const { from, where, params } = summaryConditions(scope, [], source);
  return {
    query: `SELECT county_id, ${areaKey(levelOf(scope))} AS area, category1_id, sum(reinspection_findings) AS reinspection_findings, sum(repeats) AS repeats,
  sum(closed_reinspected) AS closed_reinspected, sum(rebounds) AS rebounds
FROM ${from}
WHERE ${where}
GROUP BY county_id, area, category1_id
HAVING reinspection_findings > 0 OR closed_reinspected > 0
ORDER BY county_id, area, category1_id`,
    params,
  };
}

export interface SummaryRecurrenceRow {
  county_id: number;
  area: string | number;
  category1_id: number;
  reinspection_findings: string;
  repeats: string;
  closed_reinspected: string;
  rebounds: string;
}
