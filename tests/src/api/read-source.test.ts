import {
  areaLevelOf,
  MetricsRepository,
  MetricsService,
  QuarterStateService,
  ScopeService,
  SYSTEM,
  type BoundSource,
  type Filters,
  type MetricName,
  type MetricRead,
  type OptionsResponse,
  type ReadSource,
} from '@xuncha/backend';
import { startTestApp, type TestApp } from '../support/app';
import { referenceCategories, referenceCoverage, referenceRecurrence, referenceRectification } from '../support/metrics-reference';
import { rounded } from '../support/rounded';
import { pinToday } from '../support/today';

jest.setTimeout(300_000);

function shiftDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

function quarterEndBefore(day: string): string {
  const [y, m] = day.split('-').map(Number);
  return new Date(Date.UTC(y, Math.floor((m - 1) / 3) * 3, 1) - 86_400_000).toISOString().slice(0, 10);
}

const METRICS: readonly MetricName[] = ['coverage', 'categories', 'rectification', 'recurrence'];
const UNCOVERED = 20;

/**
 * The read source each metric is answered from (read-source.ts), chosen from the scope: a
 * change of the scope picks the expected source on the API's path (seen in the repository
 * call it makes), the API's figure equals the plain-SQL reference on PostgreSQL, and every
 * other source that may answer the same scope gives that figure too.
 */
const SUMMARY: ReadSource = { kind: 'summary' };
const quarterOf = (quarterEnd: string): ReadSource => ({ kind: 'quarter', quarterEnd });

describe('read sources: the scope picks the source, every source gives the reference figure', () => {
  const today = pinToday();
  const lastQuarter = quarterEndBefore(today);
  let t: TestApp;
  let metrics: MetricsService;
  let repository: MetricsRepository;
  let scopes: ScopeService;
  let quarters: QuarterStateService;
  let county: number;
  let municipal: number;
  let township: number;
  let round: number;

  beforeAll(async () => {
    t = await startTestApp({ seed: { scale: 'tiny', seed: 5, today } });
    metrics = t.app.get(MetricsService);
    repository = t.app.get(MetricsRepository);
    scopes = t.app.get(ScopeService);
    quarters = t.app.get(QuarterStateService);
    const options = (await t.get<OptionsResponse>('/api/options')).body;
    const counties = options.regions[0].children.filter((r) => r.level === 'COUNTY');
    const withTownships = counties.find((c) => c.children.length > 0)!;
    county = counties[0].id;
    municipal = options.regions[0].children.find((r) => r.level === 'MUNICIPAL')!.id;
    township = withTownships.children[0].id;
    round = options.rounds.find((r) => r.committeeRegionId === county)!.id;
  });
  afterAll(async () => {
    await t?.close();
  });

  const reference = (metric: MetricName, filters: Filters): Promise<unknown> => {
    switch (metric) {
      case 'coverage':
        return referenceCoverage(t.db.url, filters, { uncoveredLimit: UNCOVERED });
      case 'categories':
        return referenceCategories(t.db.url, filters);
      case 'rectification':
        return referenceRectification(t.db.url, filters);
      case 'recurrence':
        return referenceRecurrence(t.db.url, filters);
    }
  };

  /** The metric by a given read, as the service assembles it for the API. */
  const figuresFrom = (metric: MetricName, read: MetricRead): Promise<unknown> => {
    switch (metric) {
      case 'coverage':
        return metrics.coverageFrom(read, UNCOVERED, 0);
      case 'categories':
        return metrics.categoriesFrom(read);
      case 'rectification':
        return metrics.rectificationFrom(read);
      case 'recurrence':
        return metrics.recurrenceFrom(read);
    }
  };

  /** The metric from the API, and the source its repository call read. */
  const fromApi = async (metric: MetricName, filters: Filters): Promise<{ body: unknown; source: BoundSource }> => {
    const spy = jest.spyOn(repository, metric);
    try {
      const query = new URLSearchParams(
        Object.entries({ ...filters, ...(metric === 'coverage' ? { uncoveredLimit: UNCOVERED } : {}) }).map(([k, v]) => [k, String(v)] as [string, string]),
      );
      const response = await t.get(`/api/metrics/${metric}?${query.toString()}`);
      expect(response.status).toBe(200);
      expect(spy).toHaveBeenCalledTimes(1);
      const arg = spy.mock.calls[0][1] as BoundSource | { source: BoundSource };
      return { body: response.body, source: 'kind' in arg ? arg : arg.source };
    } finally {
      spy.mockRestore();
    }
  };

  /**
   * For each filter set: the API read `expected`'s source; its figure equals the reference;
   * so does the figure read from each of `also`.
   */
  const check = async (cases: { metric: MetricName; filters: Filters; expected: ReadSource; also: ReadSource[] }[]) => {
    for (const { metric, filters, expected, also } of cases) {
      const api = await fromApi(metric, filters);
      const chosen: ReadSource = api.source.kind === 'quarter' ? { kind: 'quarter', quarterEnd: api.source.quarterEnd } : api.source;
      expect({ metric, filters, source: chosen }).toEqual({ metric, filters, source: expected });
      const want = rounded(await reference(metric, filters));
      expect({ metric, filters, figure: rounded(api.body) }).toEqual({ metric, filters, figure: want });
      const resolved = await scopes.resolve(SYSTEM, filters);
      // the by-region series one level below the scope's region, as the metrics service sets it
      const scope = { ...resolved.scope, area: areaLevelOf(resolved.scope, resolved.dims) };
      for (const other of also) {
        const source: BoundSource = other.kind === 'quarter' ? { ...other, build: (await quarters.get(other.quarterEnd)).build } : other;
        const figure = await figuresFrom(metric, { scope, dims: resolved.dims, source });
        expect({ metric, filters, source: other, figure: rounded(figure) }).toEqual({ metric, filters, source: other, figure: want });
      }
    }
  };

  const FACTS_CURRENT: ReadSource = { kind: 'facts', current: true };
  const FACTS_REPLAYED: ReadSource = { kind: 'facts', current: false };
  const TIMELINE: ReadSource = { kind: 'timeline' };

  it('summary: as of today, after the last event loaded, every metric reads the current-state tables', async () => {
    const dims = (await scopes.resolve(SYSTEM, {})).dims;
    // as of today every day loaded lies on or before as-of
    expect(dims.maxEventDate! <= today && dims.summary!.allBy <= today && dims.unitCoverageBy! <= today).toBe(true);
    // 市本级: its series are by unit category, a column of the summaries (a county's, by township, are not)
    const cases = [{ asOf: today }, { asOf: today, regionId: municipal }, { asOf: today, unitCategory: 'VILLAGE' as const, mode: 'ROUTINE' as const }].flatMap(
      (filters) =>
        METRICS.map((metric) => ({
          metric,
          filters,
          expected: SUMMARY,
          // the facts, with the tasks' current state or replayed to the end of today, answer it too
          also: [FACTS_CURRENT, FACTS_REPLAYED],
        })),
    );
    // the finding summaries hold the round: a round filter keeps them
    cases.push(
      ...(['categories', 'rectification', 'recurrence'] as const).map((metric) => ({
        metric,
        filters: { asOf: today, roundId: round },
        expected: SUMMARY,
        also: [FACTS_CURRENT],
      })),
    );
    await check(cases);
  });

  it('quarter: as of a past quarter end, before the last event, every metric reads its build', async () => {
    const quarterCases = [{ asOf: lastQuarter }, { asOf: lastQuarter, regionId: municipal }].flatMap((filters) =>
      METRICS.map((metric) => ({
        metric,
        filters,
        expected: quarterOf(lastQuarter),
        also: metric === 'rectification' ? [FACTS_REPLAYED, TIMELINE] : [FACTS_REPLAYED],
      })),
    );
    await check(quarterCases);
  });

  it('facts: a township or a county (series by unit or township), a coverage round or previous term, or an as-of that is no quarter end before the last event reads the facts (rectification its timeline, but not by unit)', async () => {
    const dayBefore = shiftDays(lastQuarter, -1);
    const dims = (await scopes.resolve(SYSTEM, {})).dims;
    // before the last event loaded: the tasks are replayed
    expect(dayBefore < dims.maxEventDate!).toBe(true);
    const cases: { metric: MetricName; filters: Filters; expected: ReadSource; also: ReadSource[] }[] = [
      // the day before the quarter end: no build holds it
      ...METRICS.map((metric) =>
        metric === 'rectification'
          ? { metric, filters: { asOf: dayBefore }, expected: TIMELINE, also: [FACTS_REPLAYED] }
          : { metric, filters: { asOf: dayBefore }, expected: FACTS_REPLAYED, also: [] },
      ),
      // a township: the finding summaries are by county (coverage's units carry their township)
      ...(['categories', 'rectification', 'recurrence'] as const).map((metric) => ({
        metric,
        filters: { asOf: today, regionId: township },
        expected: FACTS_CURRENT,
        also: [FACTS_REPLAYED],
      })),
      ...(['categories', 'recurrence'] as const).map((metric) => ({
        metric,
        filters: { asOf: lastQuarter, regionId: township },
        expected: FACTS_REPLAYED,
        also: [],
      })),
      // a township's series are by unit, a column the timeline lacks too
      { metric: 'rectification', filters: { asOf: lastQuarter, regionId: township }, expected: FACTS_REPLAYED, also: [] },
      // a county: its series are by township, a column of neither the summaries nor the quarter builds
      // (coverage's units carry their township); rectification's timeline has the township
      ...(['categories', 'recurrence'] as const).map((metric) => ({
        metric,
        filters: { asOf: today, regionId: county },
        expected: FACTS_CURRENT,
        also: [FACTS_REPLAYED],
      })),
      { metric: 'rectification', filters: { asOf: today, regionId: county }, expected: FACTS_CURRENT, also: [FACTS_REPLAYED] },
      { metric: 'coverage', filters: { asOf: today, regionId: county }, expected: { kind: 'summary' }, also: [FACTS_CURRENT] },
      ...(['categories', 'recurrence'] as const).map((metric) => ({
        metric,
        filters: { asOf: lastQuarter, regionId: county, unitCategory: 'VILLAGE' as const },
        expected: FACTS_REPLAYED,
        also: [],
      })),
      {
        metric: 'rectification',
        filters: { asOf: lastQuarter, regionId: county, unitCategory: 'VILLAGE' as const },
        expected: TIMELINE,
        also: [FACTS_REPLAYED],
      },
      {
        metric: 'coverage',
        filters: { asOf: lastQuarter, regionId: county, unitCategory: 'VILLAGE' as const },
        expected: quarterOf(lastQuarter),
        also: [FACTS_REPLAYED],
      },
      { metric: 'coverage', filters: { asOf: today, regionId: township }, expected: { kind: 'summary' }, also: [FACTS_CURRENT] },
      // coverage within a round, or against the previous term
      { metric: 'coverage', filters: { asOf: today, roundId: round }, expected: FACTS_CURRENT, also: [] },
      { metric: 'coverage', filters: { asOf: today, term: 'previous' }, expected: FACTS_CURRENT, also: [] },
      { metric: 'coverage', filters: { asOf: lastQuarter, term: 'previous' }, expected: FACTS_REPLAYED, also: [] },
      { metric: 'coverage', filters: { asOf: lastQuarter, roundId: round }, expected: FACTS_REPLAYED, also: [] },
    ];
    await check(cases);
  });
});
