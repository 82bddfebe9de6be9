import type { Filters, OptionsResponse } from '@xuncha/backend';
import { startTestApp, type TestApp } from '../support/app';
import { referenceCategories, referenceCoverage, referenceRecurrence, referenceRectification } from '../support/metrics-reference';
import { rounded } from '../support/rounded';
import { pinToday } from '../support/today';

function shiftDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

function quarterEndBefore(day: string): string {
  const [y, m] = day.split('-').map(Number);
  return new Date(Date.UTC(y, Math.floor((m - 1) / 3) * 3, 1) - 86_400_000).toISOString().slice(0, 10);
}

jest.setTimeout(300_000);

/**
 * Every metric from the API (ClickHouse) equals the independent plain-SQL computation on
 * PostgreSQL over the demo data, under filter combinations covering county, township,
 * unit category, round, term, issue category, mode and three as-of days.
 */
describe('metrics API = plain SQL on PostgreSQL, demo data', () => {
  const today = pinToday();
  let t: TestApp;
  let combos: Filters[] = [];

  beforeAll(async () => {
    t = await startTestApp({ seed: { scale: 'demo', seed: 7, today } });
    const options = (await t.get<OptionsResponse>('/api/options')).body;
    const city = options.regions[0];
    const counties = city.children.filter((r) => r.level === 'COUNTY');
    const municipal = city.children.find((r) => r.level === 'MUNICIPAL')!;
    const township = counties[1].children[0];
    const category1 = options.categories[1];
    const category2 = options.categories[2].children[1];
    const countyRound = options.rounds.find((r) => r.committeeRegionId === counties[0].id)!;
    const lastQuarter = quarterEndBefore(today);
    const yearAgo = shiftDays(today, -400);
    const olderQuarter = quarterEndBefore(yearAgo);
    combos = [
      { asOf: today },
      { asOf: lastQuarter },
      { asOf: yearAgo },
      { asOf: today, regionId: counties[0].id },
      { asOf: lastQuarter, regionId: counties[2].id, unitCategory: 'VILLAGE' },
      { asOf: yearAgo, regionId: municipal.id },
      { asOf: today, regionId: township.id },
      { asOf: today, unitCategory: 'PARTY_GOV' },
      { asOf: lastQuarter, unitCategory: 'SOE', mode: 'ROUTINE' },
      { asOf: today, categoryId: category1.id },
      { asOf: yearAgo, categoryId: category2.id },
      { asOf: lastQuarter, categoryId: category1.id, regionId: counties[1].id },
      { asOf: today, roundId: countyRound.id },
      { asOf: lastQuarter, roundId: countyRound.id, unitCategory: 'VILLAGE' },
      { asOf: today, mode: 'REVISIT' },
      { asOf: yearAgo, mode: 'SPECIAL' },
      { asOf: today, term: 'previous' },
      { asOf: lastQuarter, term: 'current', regionId: counties[3].id },
      { asOf: yearAgo, term: 'current', unitCategory: 'TOWNSHIP' },
      { asOf: today, term: 'previous', categoryId: category2.id, regionId: counties[0].id },
      { asOf: lastQuarter, mode: 'MOBILE', categoryId: category1.id },
      { asOf: today, regionId: counties[4].id, unitCategory: 'INSTITUTION', mode: 'ROUTINE' },
      { asOf: olderQuarter },
      { asOf: olderQuarter, regionId: counties[1].id, categoryId: category2.id, term: 'current' },
      { asOf: olderQuarter, regionId: township.id },
      { asOf: olderQuarter, term: 'previous', unitCategory: 'VILLAGE' },
    ];
  });
  afterAll(async () => {
    await t?.close();
  });

  const queryOf = (filters: Filters, extra: Record<string, number> = {}) =>
    new URLSearchParams(Object.entries({ ...filters, ...extra }).map(([k, v]) => [k, String(v)] as [string, string])).toString();

  const check = async (metric: string, reference: (url: string, filters: Filters) => Promise<unknown>, extra: Record<string, number> = {}) => {
    expect(combos.length).toBeGreaterThanOrEqual(20);
    const mismatches: string[] = [];
    for (const filters of combos) {
      const api = await t.get(`/api/metrics/${metric}?${queryOf(filters, extra)}`);
      const expected = await reference(t.db.url, filters);
      if (api.status !== 200) mismatches.push(`${queryOf(filters)} → ${api.status}`);
      else if (JSON.stringify(rounded(api.body)) !== JSON.stringify(rounded(expected))) {
        expect({ filters, api: rounded(api.body) }).toEqual({ filters, api: rounded(expected) });
      }
    }
    expect(mismatches).toEqual([]);
  };

  it('coverage', () => check('coverage', (url, f) => referenceCoverage(url, f, { uncoveredLimit: 20 }), { uncoveredLimit: 20 }));
  it('categories', () => check('categories', referenceCategories));
  it('rectification', () => check('rectification', referenceRectification));
  it('recurrence', () => check('recurrence', referenceRecurrence));

  it('read the quarter ends from their precomputed state, one build each', async () => {
    // on its own too: every metric at both quarter ends, twice, builds each quarter end's state once
    const quarterEnds = [quarterEndBefore(shiftDays(today, -400)), quarterEndBefore(today)];
    for (let pass = 0; pass < 2; pass++) {
      for (const asOf of quarterEnds) {
        for (const metric of ['coverage', 'categories', 'rectification', 'recurrence', 'overview']) {
          expect((await t.get(`/api/metrics/${metric}?asOf=${asOf}`)).status).toBe(200);
        }
      }
    }
    const rows = await t.warehouse.query<{ as_of: string; n: string }>(
      'SELECT toString(as_of) AS as_of, count() AS n FROM quarter_builds GROUP BY as_of ORDER BY as_of',
    );
    expect(rows).toEqual(quarterEnds.map((as_of) => ({ as_of, n: '1' })));
  });
});
