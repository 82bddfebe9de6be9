import type { Dimensions } from '../dimensions/dimensions.repository';
import { answerScope, slowAnswer } from './response-cache.interceptor';
import { ResponseCacheService } from './response-cache.service';

const dims = {
  regions: [
    { id: 1, code: '1', name: '市', level: 'CITY', parentId: 0, countyId: 0 },
    { id: 2, code: '2', name: '甲县', level: 'COUNTY', parentId: 1, countyId: 2 },
    { id: 3, code: '3', name: '甲县某镇', level: 'TOWNSHIP', parentId: 2, countyId: 2 },
    { id: 4, code: '4', name: '乙县', level: 'COUNTY', parentId: 1, countyId: 4 },
  ],
} as unknown as Dimensions;

/** Keeps one answer per scope; returns which of them are still kept after `changes`. */
function keptAfter(changes: Parameters<ResponseCacheService['applyRun']>[0]): string[] {
  const store = new ResponseCacheService();
  store.observe('5', dims);
  const scopes = {
    'city today': { county: null, asOf: '2026-12-03' },
    'A today': { county: 2, asOf: '2026-12-03' },
    'A last month': { county: 2, asOf: '2026-11-03' },
    'B today': { county: 4, asOf: '2026-12-03' },
  };
  for (const [key, scope] of Object.entries(scopes)) store.answer(key, scope, () => Promise.resolve(key));
  store.applyRun(changes);
  return Object.keys(scopes).filter((key) => store.answer(key, scopes[key as keyof typeof scopes], () => Promise.resolve('again')).hit);
}

describe('ResponseCacheService.applyRun', () => {
  const generation = { before: '5', after: '6' };

  it('drops the answers of the counties changed and of the city, as of the earliest changed day on', () => {
    expect(keptAfter({ everything: false, counties: [2], from: '2026-12-03', generation })).toEqual(['A last month', 'B today']);
    expect(keptAfter({ everything: false, counties: [2], from: '2026-10-01', generation })).toEqual(['B today']);
    expect(keptAfter({ everything: false, counties: [2], from: null, generation })).toEqual(['B today']);
  });

  it('drops nothing for a run that changed no figure, everything for a full one', () => {
    expect(keptAfter({ everything: false, counties: [], from: null, generation })).toEqual(['city today', 'A today', 'A last month', 'B today']);
    expect(keptAfter({ everything: true, generation })).toEqual([]);
  });

  it('drops everything when the warehouse moved on before the run by another writer', () => {
    expect(keptAfter({ everything: false, counties: [4], from: '2026-12-03', generation: { before: '7', after: '8' } })).toEqual([]);
  });

  it('drops everything for a generation it was not told of, and nothing for an older view', () => {
    const store = new ResponseCacheService();
    store.observe('5', dims);
    store.answer('k', { county: null, asOf: '2026-12-03' }, () => Promise.resolve(1));
    store.observe('4', dims);
    expect(store.size).toBe(1);
    store.observe('6', dims);
    expect(store.size).toBe(0);
  });
});

describe('answerScope', () => {
  it('names the county of the user’s limit, of the region asked for, or the city', () => {
    expect(answerScope({}, 4, dims, '2026-12-03')).toEqual({ county: 4, asOf: '2026-12-03' });
    expect(answerScope({ regionId: '3', asOf: '2026-01-31' }, null, dims, '2026-12-03')).toEqual({ county: 2, asOf: '2026-01-31' });
    expect(answerScope({ regionId: '2' }, null, dims, '2026-12-03')).toEqual({ county: 2, asOf: '2026-12-03' });
    expect(answerScope({ regionId: '1' }, null, dims, '2026-12-03')).toEqual({ county: null, asOf: '2026-12-03' });
    expect(answerScope({ regionId: '99' }, null, dims, '2026-12-03')).toEqual({ county: null, asOf: '2026-12-03' });
  });
});

describe('slowAnswer', () => {
  it('is an answer as of an earlier day, not one as of today', () => {
    expect(slowAnswer({ county: null, asOf: '2026-11-30' }, '2026-12-03')).toBe(true);
    expect(slowAnswer({ county: 2, asOf: '2026-12-03' }, '2026-12-03')).toBe(false);
  });
});
