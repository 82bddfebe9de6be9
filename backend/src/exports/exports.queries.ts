/**
 * Read queries of the quarterly workbook that the metric endpoints have no grouping for,
 * as pure builders over the metrics' own CTEs (same definitions, DEFINITIONS.md): coverage
 * within the quarter and the year, findings by county × level-2 category, rectification by
 * round and unit. Values travel only as {name:Type} parameters.
 */
import type { Scope } from '../dimensions/scope';
import { findingsSubquery, PER_FINDING_CTE, taskStateCte, unitStatusCte, type CoverageOptions, type SqlQuery } from '../metrics/metrics.queries';

export interface CoveragePeriods {
  /** First day of the quarter (YYYY-MM-DD). */
  quarterStart: string;
  /** 1 January of the quarter's year. */
  yearStart: string;
}

/**
 * In scope and covered units by county and unit category, as the coverage metric counts them,
 * and of the covered ones those whose latest counting inspection (within the term, by as-of)
 * was stationed on or after the quarter's / the year's first day: inspected this quarter,
 * this year, this term.
 */
export function buildCoverageByPeriodQuery(scope: Scope, options: Pick<CoverageOptions, 'countingModes'>, periods: CoveragePeriods): SqlQuery {
  const status = unitStatusCte(scope, options);
  return {
    query: `WITH
${status.query}
SELECT s.county_id AS county_id, s.term_id AS term_id, s.unit_category AS unit_category,
  count() AS in_scope,
  countIf(s.covered) AS covered_units,
  countIf(s.covered AND c.last_counted >= {quarterStart:Date}) AS covered_quarter,
  countIf(s.covered AND c.last_counted >= {yearStart:Date}) AS covered_year
FROM unit_status AS s
LEFT JOIN counted AS c ON c.unit_id = s.unit_id
WHERE s.active OR (s.abolished_in_term AND s.covered)
GROUP BY county_id, term_id, unit_category
ORDER BY county_id, term_id, unit_category`,
    params: { ...status.params, quarterStart: periods.quarterStart, yearStart: periods.yearStart },
  };
}
export interface CoverageByPeriodRow {
  county_id: number;
  term_id: number;
  unit_category: string;
  in_scope: string;
  covered_units: string;
  covered_quarter: string;
  covered_year: string;
}

/** Findings found by as-of by county and level-2 category (the categories metric's findings). */
export function buildRegionLevel2Query(scope: Scope): SqlQuery {
  const findings = findingsSubquery(scope, false, 'county_id, category_id');
  return {
    query: `SELECT county_id, category_id, count() AS n
FROM (
    ${findings.query}
)
GROUP BY county_id, category_id
ORDER BY county_id, category_id`,
    params: findings.params,
  };
}
export interface RegionLevel2Row {
  county_id: number;
  category_id: number;
  n: string;
}

/**
 * Rectification by round and unit, as the rectification metric counts it: findings fed back
 * by as-of and how many are closed (every task 已销号), the same for 立行立改 findings, and
 * the overdue tasks of those findings; with the unit's code and name.
 */
export function buildUnitRectificationQuery(scope: Scope, current: boolean): SqlQuery {
  const tasks = taskStateCte(scope, { fedBack: true, current });
  const findings = findingsSubquery(scope, true, 'id, round_id, unit_id, county_id, is_immediate');
  const closed = 'p.n > 0 AND p.closed_n = p.n';
  return {
    query: `WITH
${tasks.query},
${PER_FINDING_CTE},
by_finding AS (
  SELECT f.round_id AS round_id, f.unit_id AS unit_id, any(f.county_id) AS county_id,
    count() AS findings,
    countIf(${closed}) AS closed,
    countIf(f.is_immediate = 1) AS immediate,
    countIf(f.is_immediate = 1 AND ${closed}) AS immediate_closed
  FROM (
    ${findings.query}
  ) AS f
  LEFT JOIN per_finding AS p ON p.finding_id = f.id
  GROUP BY round_id, unit_id
),
by_task AS (
  SELECT round_id, unit_id, countIf(status != 'CLOSED' AND due IS NOT NULL AND due < {asOf:Date}) AS overdue
  FROM tasks
  GROUP BY round_id, unit_id
)
SELECT b.round_id AS round_id, b.unit_id AS unit_id, b.county_id AS county_id, u.code AS unit_code, u.name AS unit_name,
  b.findings AS findings, b.closed AS closed, b.immediate AS immediate, b.immediate_closed AS immediate_closed, t.overdue AS overdue
FROM by_finding AS b
LEFT JOIN by_task AS t ON t.round_id = b.round_id AND t.unit_id = b.unit_id
LEFT JOIN (SELECT id, code, name FROM dim_units FINAL) AS u ON u.id = b.unit_id
ORDER BY round_id, unit_code, unit_id`,
    params: { ...tasks.params, ...findings.params },
  };
}
export interface UnitRectificationRow {
  round_id: number;
  unit_id: number;
  county_id: number;
  unit_code: string;
  unit_name: string;
  findings: string;
  closed: string;
  immediate: string;
  immediate_closed: string;
  overdue: string;
}
