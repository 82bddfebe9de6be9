import type { Dimensions } from './dimensions.repository';
import { committeeTerms, limitToCounty, resolveScope } from './scope';

const dims: Dimensions = {
  regions: [
    { id: 1, code: '990000', name: '示例市', level: 'CITY', parentId: 0, countyId: 0 },
    { id: 2, code: '990001', name: '市本级', level: 'MUNICIPAL', parentId: 1, countyId: 2 },
    { id: 3, code: '990100', name: '东城区', level: 'COUNTY', parentId: 1, countyId: 3 },
    { id: 4, code: '990101', name: '东城街道', level: 'TOWNSHIP', parentId: 3, countyId: 3 },
  ],
  categories: [
    { id: 1, code: '1', name: '一类', level: 1, parentId: 0 },
    { id: 6, code: '1.01', name: '二类', level: 2, parentId: 1 },
  ],
  terms: [
    { id: 1, committeeRegionId: 1, ordinal: 2, name: '市委第二届', startDate: '2018-01-01', endDate: '2022-12-31' },
    { id: 2, committeeRegionId: 1, ordinal: 3, name: '市委第三届', startDate: '2023-01-01', endDate: '2027-12-31' },
    { id: 3, committeeRegionId: 3, ordinal: 1, name: '区委第一届', startDate: '2019-06-01', endDate: '2024-05-31' },
    { id: 4, committeeRegionId: 3, ordinal: 2, name: '区委第二届', startDate: '2024-06-01', endDate: '2029-05-31' },
  ],
  rounds: [
    { id: 7, termId: 2, ordinal: 1, year: 2023, name: '第一轮', startDate: '2023-03-01', endDate: '2023-05-20' },
    { id: 9, termId: 3, ordinal: 1, year: 2020, name: '区委第一轮', startDate: '2020-03-01', endDate: '2020-05-20' },
  ],
  modes: ['ROUTINE'],
  unitCategories: ['VILLAGE'],
  maxEventDate: '2026-11-20',
  summary: null,
  unitCoverageBy: null,
};

describe('committeeTerms', () => {
  it("picks each committee's term containing the day, or the one before it", () => {
    expect(committeeTerms(dims.terms, '2024-06-01', 'current').map((t) => t.id)).toEqual([2, 4]);
    expect(committeeTerms(dims.terms, '2024-05-31', 'current').map((t) => t.id)).toEqual([2, 3]);
    expect(committeeTerms(dims.terms, '2024-06-01', 'previous').map((t) => t.id)).toEqual([1, 3]);
  });

  it('leaves out a committee without a term on that day', () => {
    expect(committeeTerms(dims.terms, '2019-01-01', 'current').map((t) => t.id)).toEqual([1]);
    expect(committeeTerms(dims.terms, '2019-01-01', 'previous')).toEqual([]);
  });
});

describe('resolveScope', () => {
  it("resolves countyUnits (县直单位) to the county's units in no township, and only with a county", () => {
    const scope = resolveScope({ regionId: 3, countyUnits: true }, dims, '2026-11-24');
    expect([scope.countyId, scope.townshipId]).toEqual([3, 3]);
    expect(resolveScope({ regionId: 3, countyUnits: false }, dims, '2026-11-24').townshipId).toBeUndefined();
    for (const regionId of [undefined, 1, 2, 4])
      expect(() => resolveScope({ regionId, countyUnits: true }, dims, '2026-11-24')).toThrow(/^countyUnits: 县直单位/);
  });

  it('defaults as-of to today and restricts terms only when asked', () => {
    const scope = resolveScope({}, dims, '2026-11-24');
    expect(scope.asOf).toBe('2026-11-24');
    expect(scope.termIds).toBeUndefined();
    expect(scope.coverageTerms.map((t) => t.id)).toEqual([2, 4]);
    expect(resolveScope({ term: 'previous' }, dims, '2026-11-24').termIds).toEqual([1, 3]);
  });

  it("counts coverage under a round against the round's committee and term alone, previous or not", () => {
    expect(resolveScope({ roundId: 7 }, dims, '2026-11-24').coverageTerms.map((t) => t.id)).toEqual([2]);
    // 区委第一届 is the previous term: no term=previous needed, and term=current does not hide it
    expect(resolveScope({ roundId: 9 }, dims, '2026-11-24').coverageTerms.map((t) => t.id)).toEqual([3]);
    const current = resolveScope({ roundId: 9, term: 'current' }, dims, '2026-11-24');
    expect([current.coverageTerms.map((t) => t.id), current.termIds]).toEqual([[3], [2, 4]]);
  });

  it('maps a region by its level: county-level regions by county, townships by region, the city to nothing', () => {
    const city = resolveScope({ regionId: 1 }, dims, '2026-11-24');
    expect([city.countyId, city.townshipId]).toEqual([undefined, undefined]);
    expect(resolveScope({ regionId: 2 }, dims, '2026-11-24')).toMatchObject({ countyId: 2 });
    expect(resolveScope({ regionId: 3 }, dims, '2026-11-24')).toMatchObject({ countyId: 3 });
    const township = resolveScope({ regionId: 4 }, dims, '2026-11-24');
    expect([township.townshipId, township.countyId]).toEqual([4, undefined]);
  });

  it('maps a category by its level', () => {
    const level1 = resolveScope({ categoryId: 1 }, dims, '2026-11-24');
    const level2 = resolveScope({ categoryId: 6 }, dims, '2026-11-24');
    expect([level1.category1Id, level1.category2Id, level2.category1Id, level2.category2Id]).toEqual([1, undefined, undefined, 6]);
  });

  it('refuses unknown ids and a future as-of with a 400 naming the parameter', () => {
    const message = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return [(error as { getStatus(): number }).getStatus(), (error as Error).message];
      }
      return undefined;
    };
    expect(message(() => resolveScope({ regionId: 99 }, dims, '2026-11-24'))).toEqual([400, 'regionId: no region with id 99']);
    expect(message(() => resolveScope({ roundId: 8 }, dims, '2026-11-24'))).toEqual([400, 'roundId: no round with id 8']);
    expect(message(() => resolveScope({ categoryId: 2 }, dims, '2026-11-24'))).toEqual([400, 'categoryId: no issue category with id 2']);
    expect(message(() => resolveScope({ asOf: '2026-11-25' }, dims, '2026-11-24'))).toEqual([400, 'asOf: must not be after today (2026-11-24)']);
  });
});

describe('limitToCounty', () => {
  const county = {
    regions: [
      { id: 1, code: '1', name: '示例市', level: 'CITY', parentId: null },
      { id: 2, code: '2', name: '甲县', level: 'COUNTY', parentId: 1 },
      { id: 3, code: '3', name: '乙县', level: 'COUNTY', parentId: 1 },
      { id: 4, code: '4', name: '甲镇', level: 'TOWNSHIP', parentId: 2 },
      { id: 5, code: '5', name: '乙镇', level: 'TOWNSHIP', parentId: 3 },
    ],
    terms: [
      { id: 10, committeeRegionId: 2 },
      { id: 11, committeeRegionId: 3 },
    ],
    rounds: [
      { id: 20, termId: 10, name: '甲县第一轮' },
      { id: 21, termId: 11, name: '乙县第一轮' },
    ],
  } as never as Dimensions;

  it('defaults the region to the county and keeps regions under it', () => {
    expect(limitToCounty({}, 2, county)).toEqual({ regionId: 2 });
    expect(limitToCounty({ regionId: 4 }, 2, county)).toEqual({ regionId: 4 });
    expect(limitToCounty({ roundId: 20 }, 2, county)).toEqual({ roundId: 20, regionId: 2 });
  });

  it('refuses the city, another county, a township of another county and another county’s round', () => {
    for (const input of [{ regionId: 1 }, { regionId: 3 }, { regionId: 5 }, { roundId: 21 }, { regionId: 4, roundId: 21 }]) {
      expect(() => limitToCounty(input, 2, county)).toThrow(/不在您的辖区/);
    }
  });
});
