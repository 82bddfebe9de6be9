import { areaKey, areaTarget, breadcrumb, chartLevel, regionPath, type RegionNode } from './areas';

const tree: RegionNode[] = [
  {
    id: 1,
    name: '临江市',
    level: 'CITY',
    children: [
      { id: 2, name: '市本级', level: 'MUNICIPAL', children: [] },
      { id: 3, name: '甲县', level: 'COUNTY', children: [{ id: 5, name: '东镇', level: 'TOWNSHIP' }] },
    ],
  },
];

describe('the drill levels of the by-region charts', () => {
  it('finds a region with its ancestors', () => {
    expect(regionPath(tree, 5)?.map((r) => r.id)).toEqual([1, 3, 5]);
    expect(regionPath(tree, 9)).toBeUndefined();
  });

  it('shows the level below the scope', () => {
    expect(chartLevel(undefined, undefined)).toBe('county');
    expect(chartLevel(tree[0], undefined)).toBe('county');
    expect(chartLevel(tree[0].children![1], 'SOE')).toBe('township');
    expect(chartLevel(tree[0].children![0], undefined)).toBe('unitCategory');
    expect(chartLevel(tree[0].children![0], 'SOE')).toBe('unit');
    expect(chartLevel(tree[0].children![1].children![0], undefined)).toBe('unit');
    expect(chartLevel(tree[0].children![1], undefined, true)).toBe('unit');
  });

  it('goes down a level from a row, to a unit’s profile, or nowhere from 县直单位', () => {
    const none = { unitCategory: null, unitId: null };
    expect(areaTarget({ level: 'county', regionId: 3, name: '甲县', ...none })).toEqual({ kind: 'filter', regionId: '3' });
    expect(areaTarget({ level: 'township', regionId: 5, name: '东镇', ...none })).toEqual({ kind: 'filter', regionId: '5' });
    expect(areaTarget({ level: 'unitCategory', regionId: 2, unitCategory: 'SOE', unitId: null, name: '国有企业' })).toEqual({
      kind: 'filter',
      regionId: '2',
      unitCategory: 'SOE',
    });
    expect(areaTarget({ level: 'unit', regionId: 5, unitCategory: null, unitId: 109, name: '东镇党委' })).toEqual({ kind: 'unit', unitId: 109 });
    expect(areaTarget({ level: 'countyUnits', regionId: 3, name: '县直单位', ...none })).toEqual({ kind: 'filter', regionId: '3', countyUnits: true });
    expect(areaKey({ level: 'unit', regionId: 5, unitCategory: null, unitId: 109, name: '' })).toBe('unit:109');
    expect(areaKey({ level: 'countyUnits', regionId: 3, unitCategory: null, unitId: null, name: '' })).toBe('countyUnits:3');
  });

  it('builds the breadcrumb back up, and a county user’s starts at their county', () => {
    expect(breadcrumb(tree, undefined, undefined).map((c) => [c.name, c.patch.regionId])).toEqual([['临江市', undefined]]);
    expect(breadcrumb(tree, 5, 'SOE').map((c) => [c.name, c.patch])).toEqual([
      ['临江市', { regionId: undefined }],
      ['甲县', { regionId: '3' }],
      ['东镇', { regionId: '5' }],
    ]);
    expect(breadcrumb(tree, 5, undefined).map((c) => [c.name, c.patch.regionId])).toEqual([
      ['临江市', undefined],
      ['甲县', '3'],
      ['东镇', '5'],
    ]);
    expect(breadcrumb(tree, 2, 'SOE').map((c) => [c.name, c.patch])).toEqual([
      ['临江市', { regionId: undefined, unitCategory: undefined }],
      ['市本级', { regionId: '2', unitCategory: undefined }],
      ['SOE', { regionId: '2', unitCategory: 'SOE' }],
    ]);
    expect(breadcrumb(tree, 5, undefined, 3).map((c) => [c.name, c.patch.regionId])).toEqual([
      ['甲县', '3'],
      ['东镇', '5'],
    ]);
    // a county user without a region filter: the page shows their county
    expect(breadcrumb(tree, 3, undefined, 3).map((c) => c.name)).toEqual(['甲县']);
    // a county's 县直单位: a step below the county; going up leaves it
    expect(breadcrumb(tree, 3, undefined, undefined, true).map((c) => [c.key, c.patch])).toEqual([
      ['region:1', { regionId: undefined, countyUnits: undefined }],
      ['region:3', { regionId: '3', countyUnits: undefined }],
      ['countyUnits:3', { regionId: '3', countyUnits: 'true' }],
    ]);
    expect(breadcrumb(tree, 3, undefined, 3, true).map((c) => c.key)).toEqual(['region:3', 'countyUnits:3']);
  });
});
