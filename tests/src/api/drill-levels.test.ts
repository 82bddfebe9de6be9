import type { CategoriesResponse, CoverageResponse, Filters, OptionsResponse, RectificationResponse, RecurrenceResponse } from '@xuncha/backend';
import { drillQuery, type DrillParents } from '@xuncha/frontend';
import { startTestApp, type TestApp } from '../support/app';
import { referenceCategories, referenceCoverage, referenceRecurrence, referenceRectification } from '../support/metrics-reference';
import { query as pgQuery } from '../support/pg';
import { rounded } from '../support/rounded';
import { pinToday } from '../support/today';

jest.setTimeout(600_000);

const TODAY = pinToday();

function shiftDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

function quarterEndBefore(day: string): string {
  const [y, m] = day.split('-').map(Number);
  return new Date(Date.UTC(y, Math.floor((m - 1) / 3) * 3, 1) - 86_400_000).toISOString().slice(0, 10);
}

const queryOf = (filters: object) =>
  new URLSearchParams(
    Object.entries(filters)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, String(v)] as [string, string]),
  ).toString();

type AreaLevel = CoverageResponse['byRegion'][number]['level'];

/**
 * Issue 18, item 9: the "各地区" series follow the region filter down one level — the city by
 * county, a county by township and 县直单位, 市本级 by 市直 unit category, a township (or 市本级
 * with a unit category) by unit — every row equal to the PostgreSQL reference (which groups
 * independently), at today, a past day and a past quarter's end (the quarter build), for a
 * county user too; and a row's drill (the heatmap's cells) lists exactly what it counts.
 * A county's 县直单位 row drills into `countyUnits=true` (its units, those whose region is the
 * county itself); a unit's heatmap cell into the findings list of that unit (`unitId`).
 */
describe('the by-region series one level below the scope', () => {
  let t: TestApp;
  let parents: DrillParents;
  const levels: [string, Omit<Filters, 'asOf'>, AreaLevel[]][] = [];
  const days = [TODAY, shiftDays(TODAY, -400), quarterEndBefore(TODAY)];

  beforeAll(async () => {
    t = await startTestApp({ seed: { scale: 'tiny', today: TODAY } });
    const options = (await t.get<OptionsResponse>('/api/options')).body;
    const city = options.regions[0];
    const municipal = city.children.find((r) => r.level === 'MUNICIPAL')!;
    // the county with the most townships, and its first township with findings
    const county = [...city.children.filter((r) => r.level === 'COUNTY')].sort((a, b) => b.children.length - a.children.length)[0];
    expect(county.children.length).toBeGreaterThan(0);
    const categories = (await t.get<CategoriesResponse>(`/api/metrics/categories?regionId=${county.id}`)).body;
    const township = categories.byRegion.find((r) => r.level === 'township')!;
    expect(township).toBeDefined();
    // the county has units in no township (县直单位) with findings: its row is drilled below
    expect(categories.byRegion.some((r) => r.level === 'countyUnits')).toBe(true);
    const regionParent = new Map<number, number>();
    for (const c of city.children) {
      regionParent.set(c.id, city.id);
      for (const child of c.children) regionParent.set(child.id, c.id);
    }
    parents = { region: (id) => regionParent.get(id), category: () => undefined };
    levels.push(
      ['the city', {}, ['county']],
      ['a county', { regionId: county.id }, ['countyUnits', 'township']],
      ["a county's 县直单位", { regionId: county.id, countyUnits: true }, ['unit']],
      ['a township', { regionId: township.regionId }, ['unit']],
      ['市本级', { regionId: municipal.id }, ['unitCategory']],
      ['a 市直 unit category', { regionId: municipal.id, unitCategory: 'PARTY_GOV' }, ['unit']],
    );
  });
  afterAll(async () => {
    await t?.close();
  });

  const check = async <T extends { byRegion: { level: AreaLevel }[]; filters: { countyUnits: boolean } }>(
    metric: string,
    reference: (url: string, filters: Filters) => Promise<T>,
    pick: (r: T) => unknown,
  ) => {
    let rows = 0;
    for (const [label, given, expectedLevels] of levels)
      for (const asOf of days) {
        const filters: Filters = { ...given, asOf };
        const api = await t.get<T>(`/api/metrics/${metric}?${queryOf(filters)}`);
        expect(api.status).toBe(200);
        const expected = await reference(t.db.url, filters);
        expect({ label, asOf, rows: rounded(pick(api.body)) }).toEqual({ label, asOf, rows: rounded(pick(expected)) });
        // the level is echoed back: 县直单位 is the county's regionId with countyUnits
        expect({ label, countyUnits: api.body.filters.countyUnits }).toEqual({ label, countyUnits: given.countyUnits === true });
        for (const row of api.body.byRegion)
          expect({ label, level: row.level, in: expectedLevels.includes(row.level) }).toEqual({ label, level: row.level, in: true });
        rows += api.body.byRegion.length;
      }
    // the comparison is not vacuous: rows at each level
    expect(rows).toBeGreaterThan(levels.length * 2);
  };

  it('coverage', () =>
    check<CoverageResponse>(
      'coverage',
      (url, f) => referenceCoverage(url, f, { uncoveredLimit: 0 }),
      (r) => [r.byRegion, r.coverage],
    ));
  it('categories', () => check<CategoriesResponse>('categories', referenceCategories, (r) => [r.byRegion, r.regionCategory, r.total]));
  it('rectification', () => check<RectificationResponse>('rectification', referenceRectification, (r) => [r.byRegion, r.findingClosure, r.taskClosure]));
  it('recurrence', () => check<RecurrenceResponse>('recurrence', referenceRecurrence, (r) => [r.byRegion, r.repeat, r.rebound]));

  it('a county user sees their townships, as the county filter shows them', async () => {
    const county = levels[1][1].regionId!;
    const options = (await t.get<OptionsResponse>('/api/options')).body;
    const code = options.regions[0].children.find((r) => r.id === county)!.code;
    const user = await t.as(`county-${code}`);
    for (const metric of ['coverage', 'categories', 'rectification', 'recurrence']) {
      const mine = await user.get<{ byRegion: unknown[] }>(`/api/metrics/${metric}?asOf=${TODAY}`);
      const filtered = await t.get<{ byRegion: unknown[] }>(`/api/metrics/${metric}?asOf=${TODAY}&regionId=${county}`);
      expect(mine.status).toBe(200);
      expect({ metric, rows: mine.body.byRegion }).toEqual({ metric, rows: filtered.body.byRegion });
      expect((mine.body.byRegion as { level: string }[]).some((r) => r.level === 'township')).toBe(true);
    }
  });

  it('every cell of the heatmap lists exactly what it counts, 县直单位 and units too', async () => {
    const expected: Record<string, number> = {};
    const actual: Record<string, number> = {};
    for (const [label, given] of levels)
      for (const asOf of [TODAY, days[1]]) {
        const filters = { ...given, asOf };
        const { body } = await t.get<CategoriesResponse>(`/api/metrics/categories?${queryOf(filters)}`);
        for (const cell of body.regionCategory) {
          // what the heatmap's cell sends (RegionCategoryHeatmapCard): its area and category on the page's filters
          const element: Record<string, string> = { regionId: String(cell.regionId), categoryId: String(cell.categoryId) };
          if (cell.unitCategory) element.unitCategory = cell.unitCategory;
          if (cell.level === 'countyUnits') element.countyUnits = 'true';
          if (cell.unitId !== null) element.unitId = String(cell.unitId);
          const page = Object.fromEntries(Object.entries(filters).map(([k, v]) => [k, String(v)]));
          const query = drillQuery(page, element, parents);
          const key = `${label} ${asOf}: ${cell.level} ${cell.name} × ${cell.categoryId}`;
          expected[key] = cell.count;
          actual[key] = query ? (await t.get<{ total: number }>(`/api/findings?${queryOf(query)}&pageSize=1`)).body.total : 0;
        }
      }
    for (const level of ['township', 'unitCategory', 'countyUnits', 'unit'])
      expect({ level, found: Object.keys(expected).some((k) => k.includes(`: ${level} `)) }).toEqual({ level, found: true });
    expect(actual).toEqual(expected);
  });

  it("the 县直单位 bar's drawer holds exactly its findings, and countyUnits needs a county", async () => {
    const county = levels[1][1].regionId!;
    const { body } = await t.get<CategoriesResponse>(`/api/metrics/categories?regionId=${county}&asOf=${TODAY}`);
    const row = body.byRegion.find((r) => r.level === 'countyUnits')!;
    const drawer = await t.get<{ total: number; rows: { unitId: number }[] }>(`/api/findings?regionId=${county}&countyUnits=true&asOf=${TODAY}&pageSize=200`);
    expect(drawer.body.total).toBe(row.count);
    // independently: the findings of the county's units whose region is the county itself
    const [{ n }] = await pgQuery<{ n: string }>(
      t.db.url,
      `SELECT count(*)::text AS n FROM findings f JOIN inspections i ON i.id = f.inspection_id AND i.deleted_at IS NULL
         JOIN org_units u ON u.id = f.unit_id WHERE f.deleted_at IS NULL AND u.region_id = $1 AND f.found_date <= $2`,
      [county, TODAY],
    );
    expect(drawer.body.total).toBe(Number(n));
    const options = (await t.get<OptionsResponse>('/api/options')).body;
    const municipal = options.regions[0].children.find((r) => r.level === 'MUNICIPAL')!;
    const township = options.regions[0].children.find((r) => r.id === county)!.children[0];
    for (const query of ['countyUnits=true', `countyUnits=true&regionId=${municipal.id}`, `countyUnits=true&regionId=${township.id}`, 'countyUnits=yes']) {
      const refused = await t.get<{ message: string }>(`/api/findings?${query}`);
      expect({ query, status: refused.status, field: refused.body.message.split(':')[0] }).toEqual({ query, status: 400, field: 'countyUnits' });
    }
    // a county user: 县直单位 of their own county answers, another county's is outside it
    const code = options.regions[0].children.find((r) => r.id === county)!.code;
    const other = options.regions[0].children.find((r) => r.level === 'COUNTY' && r.id !== county)!;
    const user = await t.as(`county-${code}`);
    expect((await user.get<{ total: number }>(`/api/findings?countyUnits=true&asOf=${TODAY}&pageSize=1`)).body.total).toBe(row.count);
    expect((await user.get(`/api/findings?countyUnits=true&regionId=${other.id}`)).status).toBe(403);
  });
});
