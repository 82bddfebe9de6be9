/**
 * The coverage metric's queries: the units in scope and covered, from every inspection (the
 * facts) or from each unit's latest inspections by mode (fact_unit_coverage, or a quarter
 * end's quarter_units), side by side in unitStatusCte.
 */
import { LAST_BY_MODE } from '@xuncha/etl';
import type { Scope } from '../../dimensions/scope';
import { areaKey, levelOf } from '../areas';
import type { BoundSource } from '../read-source';
import { and, FACTS, inspectionUnitFilter, tableOf, type SqlQuery } from './shared';

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
  if (scope.townshipId !== undefined) {
    unitFilter.push('u.region_id = {regionId:UInt32}');
    params.regionId = scope.townshipId;
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

/** In scope and covered units by county, area (the scope's level, metrics/areas.ts) and unit category. */
export function buildCoverageQuery(scope: Scope, options: CoverageOptions): SqlQuery {
  const status = unitStatusCte(scope, options);
  return {
    query: `WITH
${status.query}
SELECT county_id, ${areaKey(levelOf(scope))} AS area, term_id, unit_category, count() AS in_scope, countIf(covered) AS covered_units
FROM unit_status
WHERE active OR (abolished_in_term AND covered)
GROUP BY county_id, area, term_id, unit_category
ORDER BY county_id, area, term_id, unit_category`,
    params: status.params,
  };
}

export interface CoverageRow {
  county_id: number;
  area: string | number;
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
