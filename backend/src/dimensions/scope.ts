import { AppError } from '../common/http-exception.filter';
import type { Filters, FiltersInput, InspectionMode, UnitCategory } from '../common/filters';
import type { Dimensions, TermRow } from './dimensions.repository';

/** The levels the metrics' by-region series are grouped at (metrics/areas.ts says how). */
export const AREA_LEVELS = ['county', 'township', 'unitCategory', 'unit'] as const;
export type AreaLevel = (typeof AREA_LEVELS)[number];

/**
 * Filters resolved against the dimensions: what the warehouse queries need. Ids that do
 * not exist are refused here, with a 400 naming the parameter.
 */
export interface Scope {
  filters: Filters;
  asOf: string;
  /** Set when a term filter was given: the selected term of every committee that has one. */
  termIds?: number[];
  /**
   * The term each committee is counted against for coverage (current unless term=previous);
   * with a round filter, the round's term alone (its committee's units are the denominator).
   */
  coverageTerms: TermRow[];
  roundId?: number;
  /** A MUNICIPAL or COUNTY region: units whose county it is. */
  countyId?: number;
  /**
   * A TOWNSHIP region, or with `countyUnits` (县直单位) the county itself: units whose region
   * it is. (The API's `regionId` names any region; resolved, a county-level one becomes
   * `countyId`, a township this.)
   */
  townshipId?: number;
  unitCategory?: UnitCategory;
  category1Id?: number;
  category2Id?: number;
  mode?: InspectionMode;
  /**
   * The level the metrics' by-region series are grouped at (metrics/areas.ts), one below the
   * region in scope; unset: by county.
   */
  area?: AreaLevel;
}

export function badParameter(name: string, message: string): AppError {
  return new AppError(400, `${name}: ${message}`, [{ field: name, message }]);
}

/** Each committee's term containing `day`, or with `previous`, the one before it. */
export function committeeTerms(terms: readonly TermRow[], day: string, which: 'current' | 'previous'): TermRow[] {
  const byCommittee = new Map<number, TermRow[]>();
  for (const term of terms) byCommittee.set(term.committeeRegionId, [...(byCommittee.get(term.committeeRegionId) ?? []), term]);
  const chosen: TermRow[] = [];
  for (const list of byCommittee.values()) {
    const current = list.find((t) => t.startDate <= day && day <= t.endDate);
    if (!current) continue;
    if (which === 'current') {
      chosen.push(current);
      continue;
    }
    const earlier = list.filter((t) => t.endDate < current.startDate).sort((a, b) => (a.endDate < b.endDate ? 1 : -1));
    if (earlier[0]) chosen.push(earlier[0]);
  }
  return chosen.sort((a, b) => a.committeeRegionId - b.committeeRegionId);
}

export function resolveScope(input: FiltersInput, dims: Dimensions, today: string): Scope {
  const asOf = input.asOf ?? today;
  if (asOf > today) throw badParameter('asOf', `must not be after today (${today})`);
  const filters: Filters = { ...input, asOf };
  const scope: Scope = {
    filters,
    asOf,
    coverageTerms: committeeTerms(dims.terms, asOf, input.term ?? 'current'),
    unitCategory: input.unitCategory,
    mode: input.mode,
  };
  if (input.term) scope.termIds = scope.coverageTerms.map((t) => t.id);
  if (input.roundId !== undefined) {
    const round = dims.rounds.find((r) => r.id === input.roundId);
    if (!round) throw badParameter('roundId', `no round with id ${input.roundId}`);
    scope.roundId = input.roundId;
    // Coverage of a round: the units of its committee over the round's term, current or
    // previous, whatever the term filter says.
    scope.coverageTerms = dims.terms.filter((t) => t.id === round.termId);
  }
  if (input.regionId !== undefined) {
    const region = dims.regions.find((r) => r.id === input.regionId);
    if (!region) throw badParameter('regionId', `no region with id ${input.regionId}`);
    if (region.level === 'MUNICIPAL' || region.level === 'COUNTY') scope.countyId = region.id;
    else if (region.level === 'TOWNSHIP') scope.townshipId = region.id;
  }
  if (input.countyUnits) {
    const region = input.regionId === undefined ? undefined : dims.regions.find((r) => r.id === input.regionId);
    // 县直单位: the county's units in no township, those whose region is the county itself
    if (region?.level !== 'COUNTY') throw badParameter('countyUnits', '县直单位须与某个县的 regionId 一同使用 must go with the regionId of a county');
    scope.townshipId = region.id;
  }
  if (input.categoryId !== undefined) {
    const category = dims.categories.find((c) => c.id === input.categoryId);
    if (!category) throw badParameter('categoryId', `no issue category with id ${input.categoryId}`);
    if (category.level === 1) scope.category1Id = category.id;
    else scope.category2Id = category.id;
  }
  return scope;
}

/**
 * A county user's filters: the region defaults to their county, and a region, round or term
 * outside it is refused (403, naming the parameter). Everything the warehouse answers is
 * then limited to units of that county.
 */
export function limitToCounty(input: FiltersInput, countyId: number, dims: Dimensions): FiltersInput {
  const outside = (name: string, what: string) =>
    new AppError(403, `${name}: ${what}不在您的辖区 is outside your county`, [{ field: name, message: 'outside your county' }]);
  const region = input.regionId === undefined ? undefined : dims.regions.find((r) => r.id === input.regionId);
  if (region && region.id !== countyId && region.parentId !== countyId) throw outside('regionId', `区划 ${region.name} `);
  if (input.roundId !== undefined) {
    const round = dims.rounds.find((r) => r.id === input.roundId);
    const term = round && dims.terms.find((t) => t.id === round.termId);
    if (term && term.committeeRegionId !== countyId) throw outside('roundId', `轮次 ${round.name} `);
  }
  return input.regionId === undefined ? { ...input, regionId: countyId } : input;
}

/** What a county user may see of the dimensions: the city, their county and its townships, their committee's terms and rounds. */
export function countyDimensions(dims: Dimensions, countyId: number): Dimensions {
  const terms = dims.terms.filter((t) => t.committeeRegionId === countyId);
  const termIds = new Set(terms.map((t) => t.id));
  return {
    ...dims,
    regions: dims.regions.filter((r) => r.level === 'CITY' || r.id === countyId || r.parentId === countyId),
    terms,
    rounds: dims.rounds.filter((r) => termIds.has(r.termId)),
  };
}
