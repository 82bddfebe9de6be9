/**
 * The levels of the "各地区" charts (issue 18, item 9): the API groups a metric's by-region
 * rows one level below the region in scope, and each row says which (backend/src/metrics/areas.ts).
 * Clicking a row goes down a level by setting the filters; the breadcrumb goes back up.
 */

export type AreaLevel = 'county' | 'township' | 'countyUnits' | 'unitCategory' | 'unit';

/** What a by-region row says about its area. */
export interface AreaRow {
  level: AreaLevel;
  regionId: number;
  unitCategory: string | null;
  unitId: number | null;
  name: string;
}

/** The level the charts show under a scope: by county, township, 市直 unit category or unit. */
export type ChartLevel = 'county' | 'township' | 'unitCategory' | 'unit';

/** A region as the filter bar's options give it. */
export interface RegionNode {
  id: number;
  name: string;
  level: string;
  children?: RegionNode[];
}

/** A region of the tree with its ancestors, top first (undefined: not in the tree). */
export function regionPath(roots: readonly RegionNode[], id: number): RegionNode[] | undefined {
  for (const root of roots) {
    if (root.id === id) return [root];
    const below = regionPath(root.children ?? [], id);
    if (below) return [root, ...below];
  }
  return undefined;
}

/**
 * The level below the scope: the region filter (or a county user's own county when none is
 * set) and, under 市本级, the unit-category filter; a county's 县直单位 (countyUnits) by unit.
 * As the API decides it.
 */
export function chartLevel(region: RegionNode | undefined, unitCategory: string | undefined, countyUnits = false): ChartLevel {
  if (!region || region.level === 'CITY') return 'county';
  if (region.level === 'COUNTY' && countyUnits) return 'unit';
  if (region.level === 'TOWNSHIP') return 'unit';
  if (region.level === 'MUNICIPAL') return unitCategory ? 'unit' : 'unitCategory';
  return 'township';
}

/** A row's key, unique within a response's by-region rows. */
export function areaKey(row: AreaRow): string {
  return `${row.level}:${row.unitId ?? row.unitCategory ?? row.regionId}`;
}

/** Where a click on a row leads: a narrower filter (县直单位: the county's with countyUnits), the unit's 单位画像, or nowhere. */
export type AreaTarget =
  { kind: 'filter'; regionId: string; unitCategory?: string; countyUnits?: boolean } | { kind: 'unit'; unitId: number } | { kind: 'none' };

export function areaTarget(row: AreaRow): AreaTarget {
  switch (row.level) {
    case 'county':
    case 'township':
      return { kind: 'filter', regionId: String(row.regionId) };
    case 'unitCategory':
      return row.unitCategory ? { kind: 'filter', regionId: String(row.regionId), unitCategory: row.unitCategory } : { kind: 'none' };
    case 'unit':
      return row.unitId ? { kind: 'unit', unitId: row.unitId } : { kind: 'none' };
    case 'countyUnits':
      return { kind: 'filter', regionId: String(row.regionId), countyUnits: true };
  }
}

/** One step of the breadcrumb: its label and the filters it sets (a key given undefined: cleared; absent: kept). */
export interface Crumb {
  key: string;
  /** a region's name, or a unit category's code (the caller names it); empty for 县直单位 (the caller names it) */
  name: string;
  unitCategory?: string;
  countyUnits?: boolean;
  patch: { regionId: string | undefined; unitCategory?: string | undefined; countyUnits?: string | undefined };
}

/**
 * The breadcrumb of a scope: the city (or the county user's own region: they may go no
 * higher), each region down to the filter's, and under 市本级 the unit category, under a county
 * its 县直单位 (countyUnits). The last is where the page is.
 */
export function breadcrumb(
  roots: readonly RegionNode[],
  regionId: number | undefined,
  unitCategory: string | undefined,
  floor?: number,
  countyUnits = false,
): Crumb[] {
  const path = regionId === undefined ? roots.slice(0, 1) : (regionPath(roots, regionId) ?? roots.slice(0, 1));
  const start =
    floor === undefined
      ? 0
      : Math.max(
          0,
          path.findIndex((r) => r.id === floor),
        );
  const last = path[path.length - 1];
  // under 市本级 the unit category is a level: going above it clears it; elsewhere it is the user's filter, kept
  const categoryLevel = last?.level === 'MUNICIPAL' && unitCategory !== undefined;
  const unitsLevel = last?.level === 'COUNTY' && countyUnits;
  const crumbs: Crumb[] = path.slice(start).map((r, i) => ({
    key: `region:${r.id}`,
    name: r.name,
    // the top clears the region filter (a county user's top is their region all the same)
    patch: {
      regionId: i === 0 && start === 0 && r.level === 'CITY' ? undefined : String(r.id),
      ...(categoryLevel ? { unitCategory: undefined } : {}),
      ...(unitsLevel ? { countyUnits: undefined } : {}),
    },
  }));
  if (unitsLevel) crumbs.push({ key: `countyUnits:${last.id}`, name: '', countyUnits: true, patch: { regionId: String(last.id), countyUnits: 'true' } });
  if (categoryLevel) crumbs.push({ key: `category:${unitCategory}`, name: unitCategory, unitCategory, patch: { regionId: String(last.id), unitCategory } });
  return crumbs;
}
