/**
 * fact_unit_coverage: each unit with the day of its latest inspection of each mode (see
 * migrations/008_unit_coverage.sql), derived by the ETL for the units a run touched: the
 * unit's latest dim_units row (deleted ones included: a tombstone) with its inspections'
 * latest days. Every row a refresh writes gets version v (one more than the table's
 * highest), so it replaces what the table held for the unit.
 */
export interface UnitCoverageQuery {
  query: string;
  params: Record<string, unknown>;
}

/** The modes and the column holding each one's latest inspection day. */
export const LAST_BY_MODE = { ROUTINE: 'last_routine', SPECIAL: 'last_special', MOBILE: 'last_mobile', REVISIT: 'last_revisit' } as const;

export function buildUnitCoverageRebuild(unitIds: readonly number[] | 'all', version: bigint): UnitCoverageQuery {
  const all = unitIds === 'all';
  const units = all ? 'SELECT * FROM dim_units FINAL' : 'SELECT * FROM dim_units WHERE id IN {ids:Array(UInt32)} ORDER BY id, version DESC LIMIT 1 BY id';
  const lasts = Object.entries(LAST_BY_MODE);
  return {
    query: `INSERT INTO fact_unit_coverage (id, code, name, category, region_id, county_id, committee_region_id, valid_from, valid_to,
  ${lasts.map(([, column]) => column).join(', ')}, version, is_deleted)
SELECT u.id, u.code, u.name, u.category, u.region_id, u.county_id, u.committee_region_id, u.valid_from, u.valid_to,
  ${lasts.map(([, column]) => `i.${column}`).join(', ')}, {version:UInt64}, u.is_deleted
FROM (${units}) AS u
LEFT JOIN (
  SELECT unit_id, ${lasts.map(([mode, column]) => `maxIfOrNull(stationed_from, mode = '${mode}') AS ${column}`).join(', ')}
  FROM fact_inspections FINAL
  WHERE is_deleted = 0${all ? '' : ' AND unit_id IN {ids:Array(UInt32)}'}
  GROUP BY unit_id
) AS i ON i.unit_id = u.id${all ? '\nWHERE u.is_deleted = 0' : ''}`,
    params: all ? { version: version.toString() } : { ids: [...unitIds], version: version.toString() },
  };
}

export const UNIT_COVERAGE_NEXT_VERSION = 'SELECT max(version) + 1 AS v FROM fact_unit_coverage';

/** Marks the units that loading these rows (by id) may change, as the warehouse holds them now. */
export function buildMarkUnitsDirty(table: string, ids: readonly string[]): UnitCoverageQuery | null {
  const params = { ids: ids.map(Number) };
  if (table === 'dim_units') return { query: 'INSERT INTO etl_units_dirty (unit_id) SELECT arrayJoin({ids:Array(UInt32)})', params };
  if (table === 'fact_inspections') {
    return { query: 'INSERT INTO etl_units_dirty (unit_id) SELECT DISTINCT unit_id FROM fact_inspections FINAL WHERE id IN {ids:Array(UInt32)}', params };
  }
  return null;
}

export const DIRTY_UNITS = 'SELECT unit_id FROM etl_units_dirty GROUP BY unit_id ORDER BY unit_id';

/** How many units one refresh statement takes. */
export const UNIT_COVERAGE_CHUNK = 50_000;
