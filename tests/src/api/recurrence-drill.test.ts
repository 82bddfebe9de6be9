import { startTestApp, type TestApp } from '../support/app';
import { pinToday } from '../support/today';

interface Group {
  reinspectionFindings: number;
  repeats: number;
  closedReinspected: number;
  rebounds: number;
}
interface Recurrence {
  byRegion: (Group & { regionId: number })[];
  byCategory: (Group & { categoryId: number })[];
}

/**
 * The 复发 page's drills: a bar of the repeat or rebound chart opens exactly the findings it
 * counts. For every county and every category, the finding list filtered by the bar's
 * recurrence figure has the bar's count as its total (and its denominator's), today and as
 * of a past day.
 */
jest.setTimeout(300_000);

const TODAY = pinToday();

function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
const FIGURES: [keyof Group, string][] = [
  ['reinspectionFindings', 'reinspection'],
  ['repeats', 'repeat'],
  ['closedReinspected', 'closedReinspected'],
  ['rebounds', 'rebound'],
];

describe('recurrence drill', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ seed: { scale: 'tiny', today: TODAY } });
  });
  afterAll(async () => {
    await t?.close();
  });

  async function total(query: string): Promise<number> {
    const response = await t.get<{ total: number }>(`/api/findings?${query}&pageSize=1`);
    expect(response.status).toBe(200);
    return response.body.total;
  }

  it.each([
    ['today', TODAY],
    ['400 days ago', addDays(TODAY, -400)],
  ])('lists exactly what each bar counts, as of %s', async (_label, asOf) => {
    const response = await t.get<Recurrence>(`/api/metrics/recurrence?asOf=${asOf}`);
    expect(response.status).toBe(200);
    const { byRegion, byCategory } = response.body;
    // the tiny demo has repeats and rebounds to list
    expect(byCategory.reduce((n, r) => n + r.repeats, 0)).toBeGreaterThan(0);
    expect(byCategory.reduce((n, r) => n + r.rebounds, 0)).toBeGreaterThan(0);
    const expected: Record<string, number> = {};
    const actual: Record<string, number> = {};
    for (const row of byCategory) {
      for (const [figure, members] of FIGURES) {
        const key = `category ${row.categoryId} ${figure}`;
        expected[key] = row[figure];
        actual[key] = await total(`asOf=${asOf}&categoryId=${row.categoryId}&recurrence=${members}`);
      }
    }
    for (const row of byRegion) {
      for (const [figure, members] of FIGURES) {
        const key = `region ${row.regionId} ${figure}`;
        expected[key] = row[figure];
        actual[key] = await total(`asOf=${asOf}&regionId=${row.regionId}&recurrence=${members}`);
      }
    }
    expect(actual).toEqual(expected);
  });

  it('lists the same findings whichever way a county drill is narrowed', async () => {
    const { body } = await t.get<Recurrence>(`/api/metrics/recurrence?asOf=${TODAY}`);
    const county = body.byRegion.find((r) => r.repeats > 0);
    expect(county).toBeDefined();
    const scoped = await t.get<Recurrence>(`/api/metrics/recurrence?asOf=${TODAY}&regionId=${county!.regionId}`);
    for (const row of scoped.body.byCategory) {
      expect(await total(`asOf=${TODAY}&regionId=${county!.regionId}&categoryId=${row.categoryId}&recurrence=repeat`)).toBe(row.repeats);
      expect(await total(`asOf=${TODAY}&regionId=${county!.regionId}&categoryId=${row.categoryId}&recurrence=rebound`)).toBe(row.rebounds);
    }
  });
});
