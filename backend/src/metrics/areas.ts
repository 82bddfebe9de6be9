/**
 * The areas the "各地区" series of a metric are counted by: one level below the scope's region
 * (issue 18, item 9). The city: each county-level region (市本级 and the counties); a county:
 * each township, plus its units that belong to no township (县直单位: the county's own
 * region); 市本级: each unit category of its units (市直单位类别); a township, or 市本级 with a
 * unit-category filter: each unit.
 */
import { UNIT_CATEGORIES, type UnitCategory } from '../common/filters';
import type { Dimensions } from '../dimensions/dimensions.repository';
import type { AreaLevel, Scope } from '../dimensions/scope';

export { AREA_LEVELS, type AreaLevel } from '../dimensions/scope';

/** The level one below the scope's region. */
export function areaLevelOf(scope: Scope, dims: Pick<Dimensions, 'regions'>): AreaLevel {
  if (scope.townshipId !== undefined) return 'unit';
  if (scope.countyId === undefined) return 'county';
  const region = dims.regions.find((r) => r.id === scope.countyId);
  if (region?.level === 'MUNICIPAL') return scope.unitCategory === undefined ? 'unitCategory' : 'unit';
  return 'township';
}

/**
 * The grouping key of a level, a number, as a ClickHouse expression over a row that carries
 * county_id, region_id, unit_category and unit_id (with `prefix`): the county, the unit's
 * region (a township, or the county itself for 县直单位), the unit category's position in
 * UNIT_CATEGORIES from 1 (areaUnitCategory), the unit.
 */
export function areaKey(level: AreaLevel, prefix = ''): string {
  switch (level) {
    case 'county':
      return `${prefix}county_id`;
    case 'township':
      return `${prefix}region_id`;
    case 'unitCategory':
      return `indexOf([${UNIT_CATEGORIES.map((c) => `'${c}'`).join(', ')}], ${prefix}unit_category)`;
    case 'unit':
      return `${prefix}unit_id`;
  }
}

/** The unit category an areaKey of level unitCategory stands for. */
export function areaUnitCategory(key: number): UnitCategory {
  const category = UNIT_CATEGORIES[key - 1];
  if (!category) throw new Error(`no unit category at position ${key}`);
  return category;
}

/** The scope's level (the metrics service sets it; county when unset, as the workbook reads). */
export const levelOf = (scope: Scope): AreaLevel => scope.area ?? 'county';

/** Whether a level needs columns the precomputed summaries lack (they are by county and unit category). */
export const belowSummary = (level: AreaLevel): boolean => level === 'township' || level === 'unit';
