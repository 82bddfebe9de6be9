/** The categories metric's queries: over the facts and over a precomputed source, side by side. */
import type { Scope } from '../../dimensions/scope';
import { areaKey, levelOf } from '../areas';
import type { TableSource } from '../read-source';
import { findingsSubquery, SUMMARY, summaryConditions, type SqlQuery } from './shared';

/** The grouping sets of the categories metric, in the order `grouping()` receives their columns. */
export const CATEGORY_GROUPING_COLUMNS = ['category_id', 'area', 'category1_id', 'unit_category', 'round_id', 'mode', 'quarter'] as const;

export const CATEGORY_SETS = {
  level2: ['category_id'],
  /** area (the scope's level, metrics/areas.ts) × level-1 category */
  regionCategory: ['area', 'category1_id'],
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
  const findings = findingsSubquery(
    scope,
    false,
    `category_id, ${areaKey(levelOf(scope))} AS area, category1_id, unit_category, round_id, mode, concat(toString(toYear(found_date)), 'Q', toString(toQuarter(found_date))) AS quarter`,
  );
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
  area: string | number;
  category1_id: number;
  unit_category: string;
  round_id: number;
  mode: string;
  quarter: string;
  n: string;
  g: string;
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
    SELECT category_id, ${areaKey(levelOf(scope))} AS area, category1_id, unit_category, round_id, mode,
      concat(toString(toYear(found_quarter)), 'Q', toString(toQuarter(found_quarter))) AS quarter, findings
    FROM ${from}
    WHERE ${where}
)
GROUP BY GROUPING SETS (${sets})`,
    params,
  };
}
