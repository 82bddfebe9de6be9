import type { AddressInfo } from 'node:net';
import { type Filters, createApp, loadConfig } from '@xuncha/backend';
import { D1, D2, D3, FIXTURE_EXPECTED, loadMetricsFixture, overviewOf, type FilteredCase } from '../support/metrics-fixture';
import { startTestApp, TEST_APP_ENV, type TestApp } from '../support/app';
import { rounded } from '../support/rounded';

function queryOf(filters: Partial<Record<keyof Filters, unknown>>, extra: Record<string, string | number> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...filters, ...extra })) if (value !== null && value !== undefined) params.set(key, String(value));
  return params.toString();
}

jest.setTimeout(300_000);

/**
 * The API (ClickHouse) against the hand-built fixture's hand-computed figures: every
 * metric at three as-of days, and under filters (the definitions' edge cases are in the fixture).
 */
describe('metrics API on the hand-built fixture', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ prepare: loadMetricsFixture });
  });
  afterAll(async () => {
    await t?.close();
  });

  const get = async <T>(metric: string, query: string) => {
    const response = await t.get<T>(`/api/metrics/${metric}?${query}`);
    if (response.status !== 200) throw new Error(`${metric}?${query} → ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  };

  describe.each([D1, D2, D3])('as of %s', (asOf) => {
    const expected = FIXTURE_EXPECTED.asOf[asOf];
    it.each(['coverage', 'categories', 'rectification', 'recurrence'] as const)('%s', async (metric) => {
      const actual = await get(metric, queryOf({ asOf }, metric === 'coverage' ? { uncoveredLimit: 50 } : {}));
      expect(rounded(actual)).toEqual(rounded(expected[metric]));
    });
    it('overview', async () => {
      expect(rounded(await get('overview', queryOf({ asOf })))).toEqual(rounded(overviewOf(expected)));
    });
  });

  // Each filtered case is checked for the metrics it has hand-computed figures for, and only those.
  describe.each(FIXTURE_EXPECTED.filtered.map((c) => [c.name, c] as const))('filtered: %s', (_name, c: FilteredCase) => {
    const query = queryOf(c.filters);
    const metrics = (['coverage', 'categories', 'rectification', 'recurrence'] as const).filter((metric) => c[metric] !== undefined);
    it.each(metrics)('%s', async (metric) => {
      const actual = await get<Record<string, unknown>>(metric, query);
      expect(rounded(actual)).toMatchObject(rounded(c[metric] as Record<string, unknown>));
      expect((actual.filters as { asOf: string }).asOf).toBe(c.filters.asOf);
    });
  });

  it('pages the uncovered units', async () => {
    const actual = await get<{ uncovered: { total: number; rows: { unitId: number }[] } }>(
      'coverage',
      queryOf({ asOf: D1 }, { uncoveredLimit: 2, uncoveredOffset: 1 }),
    );
    expect(actual.uncovered.total).toBe(FIXTURE_EXPECTED.uncoveredPageD1.total);
    expect(actual.uncovered.rows.map((row) => row.unitId)).toEqual(FIXTURE_EXPECTED.uncoveredPageD1.unitIds);
  });

  it('counts 回头看 for coverage when COVERAGE_MODES says so', async () => {
    const app = await createApp({
      config: loadConfig({ ...TEST_APP_ENV, COVERAGE_MODES: 'ROUTINE,SPECIAL,MOBILE,REVISIT' }),
      databaseUrl: t.db.url,
      warehouse: t.warehouse,
      logger: false,
    });
    await app.listen(0, '127.0.0.1');
    try {
      const { port } = app.getHttpServer().address() as AddressInfo;
      const response = await fetch(`http://127.0.0.1:${port}/api/metrics/coverage?asOf=${D1}`, { headers: { cookie: t.cookie } });
      const body = (await response.json()) as { coverage: unknown; uncovered: { total: number } };
      expect(body.coverage).toEqual(FIXTURE_EXPECTED.coverageWithRevisitD1.coverage);
      expect(body.uncovered.total).toBe(FIXTURE_EXPECTED.coverageWithRevisitD1.uncoveredTotal);
    } finally {
      await app.close();
    }
  });
});
