import type { RegionRow } from '../dimensions/dimensions.repository';
import type { Scope } from '../dimensions/scope';
import { areaKey, areaLevelOf, areaUnitCategory } from './areas';

const regions: RegionRow[] = [
  { id: 1, code: '1', name: '市', level: 'CITY', parentId: 0, countyId: 0 },
  { id: 2, code: '2', name: '市本级', level: 'MUNICIPAL', parentId: 1, countyId: 2 },
  { id: 3, code: '3', name: '甲县', level: 'COUNTY', parentId: 1, countyId: 3 },
  { id: 5, code: '5', name: '东镇', level: 'TOWNSHIP', parentId: 3, countyId: 3 },
];
const scope = (s: Partial<Scope>): Scope => ({ filters: { asOf: '2025-06-30' }, asOf: '2025-06-30', coverageTerms: [], ...s });

describe('the by-region series one level below the scope', () => {
  it('goes city → county → township, 市本级 → unit category → unit, township → unit', () => {
    expect(areaLevelOf(scope({}), { regions })).toBe('county');
    expect(areaLevelOf(scope({ countyId: 3 }), { regions })).toBe('township');
    expect(areaLevelOf(scope({ countyId: 3, unitCategory: 'SOE' }), { regions })).toBe('township');
    expect(areaLevelOf(scope({ countyId: 2 }), { regions })).toBe('unitCategory');
    expect(areaLevelOf(scope({ countyId: 2, unitCategory: 'SOE' }), { regions })).toBe('unit');
    expect(areaLevelOf(scope({ townshipId: 5 }), { regions })).toBe('unit');
  });

  it('keys each level by a number, a unit category by its place from 1', () => {
    expect(areaKey('county')).toBe('county_id');
    expect(areaKey('township', 'f.')).toBe('f.region_id');
    expect(areaKey('unit', 'k.')).toBe('k.unit_id');
    expect(areaKey('unitCategory')).toBe("indexOf(['PARTY_GOV', 'INSTITUTION', 'SOE', 'TOWNSHIP', 'VILLAGE', 'OTHER'], unit_category)");
    expect(areaUnitCategory(1)).toBe('PARTY_GOV');
    expect(areaUnitCategory(6)).toBe('OTHER');
    expect(() => areaUnitCategory(0)).toThrow();
  });
});
