import type { CategoriesResponse, Filters, OverviewResponse, RectificationResponse, RecurrenceResponse } from '@xuncha/backend';
import { referenceCategories, referenceRectification, referenceRecurrence } from '../support/metrics-reference';
import { startTestApp, type TestApp } from '../support/app';
import { pinToday } from '../support/today';
import { drillQuery, type DrillParents } from '@xuncha/frontend';

/**
 * Every chart element and KPI card that opens a list opens exactly what it counts: for each
 * (frontend/src/components/cards, frontend/src/views), the drill route's total for the
 * parameters the click sends equals the figure the element shows — both from the API — and
 * that figure equals the PostgreSQL reference. Checked without filters, under each filter a
 * user can set, and as of a past day.
 *
 * The drills (the frontend composes the page's filters with the element's own parameters):
 * - 总览 问题类别 (CategoryLevel1Card), 问题 类别树 (CategoryTreeCard): /api/findings?categoryId
 * - 问题 地区×类别 (RegionCategoryHeatmapCard): its rows one level below the page's region
 *   (issue 18, item 9): a county's or a township's cell /api/findings?regionId&categoryId, a
 *   市直 unit category's ?regionId(市本级)&unitCategory&categoryId, 县直单位's
 *   ?regionId(the county)&countyUnits=true&categoryId, a unit's ?regionId&unitId&categoryId
 * - 超期账龄 (AgingBucketsCard, 总览 and 整改): /api/tasks?overdue=true&agingBucket
 * - 复发 by category (RecurrenceBarsCard): /api/findings?categoryId&recurrence
 * - KPI cards (composables/useKpiLinks): a count its list; a closure or on-time rate the list
 *   it is taken over (its denominator); the extended, repeat and rebound rates their cases
 *   (numerator); 超期任务, 20天内到期, 10天内到期 the worklist (/api/tasks?overdue, ?dueSoon).
 * The element's key is composed with the page's filters by frontend/src/lib/drill-query, the
 * function the pages use: under a township or a level-2 category filter, a county's or a
 * level-1 category's element keeps the narrower filter, and one outside it opens nothing
 * (then it must count nothing).
 * The region and round bars (ClosureByCounty, ClosureByRound, CoverageByCounty, recurrence by
 * region) set the page's filter (a unit's open its 单位画像) instead of opening a list.
 */
jest.setTimeout(600_000);

const TODAY = pinToday();

function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

type Query = Record<string, string | undefined>;

function stringsOf(filters: Filters): Query {
  return Object.fromEntries(Object.entries(filters).map(([k, v]) => [k, v === undefined ? undefined : String(v)]));
}

function queryOf(filters: Filters | Query): string {
  return Object.entries(filters)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
    .join('&');
}

interface Options {
  regions: { id: number; children: { id: number; level: string; children: { id: number }[] }[] }[];
  categories: { id: number; children: { id: number }[] }[];
}

describe('chart and KPI drills list exactly what the element counts', () => {
  let t: TestApp;
  const contexts: [string, Filters][] = [];
  let parents: DrillParents;

  beforeAll(async () => {
    t = await startTestApp({ seed: { scale: 'tiny', today: TODAY } });
    const { body } = await t.get<RectificationResponse>(`/api/metrics/rectification?asOf=${TODAY}`);
    const county = [...body.byRegion].sort((a, b) => b.tasks - a.tasks)[0];
    const round = [...body.byRound].sort((a, b) => b.tasks - a.tasks)[0];
    const options = (await t.get<Options>('/api/options')).body;
    const municipal = options.regions[0].children.find((r) => r.level === 'MUNICIPAL');
    expect(municipal).toBeDefined();
    const regionParent = new Map<number, number>();
    for (const city of options.regions)
      for (const c of city.children) {
        regionParent.set(c.id, city.id);
        for (const township of c.children) regionParent.set(township.id, c.id);
      }
    const categoryParent = new Map(options.categories.flatMap((c) => c.children.map((child) => [child.id, c.id] as const)));
    parents = { region: (id) => regionParent.get(id), category: (id) => categoryParent.get(id) };
    // a township with findings, and the level-2 category with the most findings
    const township = (await t.get<{ rows: { regionId: number }[] }>(`/api/tasks?asOf=${TODAY}&regionId=${county.regionId}&pageSize=200`)).body.rows
      .map((r) => r.regionId)
      .find((id) => regionParent.get(id) === county.regionId);
    expect(township).toBeDefined();
    const categories = (await t.get<CategoriesResponse>(`/api/metrics/categories?asOf=${TODAY}`)).body;
    const level2 = [...categories.level2].sort((a, b) => b.count - a.count)[0];
    contexts.push(
      ['no filter', { asOf: TODAY }],
      ['400 days ago', { asOf: addDays(TODAY, -400) }],
      ['a county', { asOf: TODAY, regionId: county.regionId }],
      ["a county's 县直单位", { asOf: TODAY, regionId: county.regionId, countyUnits: true }],
      ['a round', { asOf: TODAY, roundId: round.roundId }],
      ['a unit category', { asOf: TODAY, unitCategory: 'TOWNSHIP' }],
      ['a mode', { asOf: TODAY, mode: 'ROUTINE' }],
      ['the previous term', { asOf: TODAY, term: 'previous' }],
      ['a township', { asOf: TODAY, regionId: township! }],
      ['市本级', { asOf: TODAY, regionId: municipal!.id }],
      ['市本级 400 days ago', { asOf: addDays(TODAY, -400), regionId: municipal!.id }],
      ['a 市直 unit category', { asOf: TODAY, regionId: municipal!.id, unitCategory: 'PARTY_GOV' }],
      ['a level-1 category', { asOf: TODAY, categoryId: level2.parentId }],
      ['a level-2 category', { asOf: TODAY, categoryId: level2.categoryId }],
    );
  });
  afterAll(async () => {
    await t?.close();
  });

  async function total(path: string, query: string): Promise<number> {
    const response = await t.get<{ total: number }>(`${path}?${query}&pageSize=1`);
    expect(response.status).toBe(200);
    return response.body.total;
  }

  /** The total of the list a chart element opens under the page's filters (0: it opens nothing). */
  async function drilled(path: string, filters: Filters, element: Query): Promise<number> {
    const query = drillQuery(stringsOf(filters), element, parents);
    return query ? total(path, queryOf(query)) : 0;
  }

  it('categories: the level-1 and level-2 nodes and the county × category cells', async () => {
    for (const [label, filters] of contexts) {
      const q = queryOf(filters);
      const { body } = await t.get<CategoriesResponse>(`/api/metrics/categories?${q}`);
      const reference = await referenceCategories(t.db.url, filters);
      expect({ label, level1: body.level1, level2: body.level2, regionCategory: body.regionCategory }).toEqual({
        label,
        level1: reference.level1,
        level2: reference.level2,
        regionCategory: reference.regionCategory,
      });
      const expected: Record<string, number> = {};
      const actual: Record<string, number> = {};
      for (const node of [...body.level1, ...body.level2]) {
        expected[`${label}: category ${node.categoryId}`] = node.count;
        actual[`${label}: category ${node.categoryId}`] = await drilled('/api/findings', filters, { categoryId: String(node.categoryId) });
      }
      for (const cell of body.regionCategory) {
        const key = `${label}: ${cell.level} ${cell.regionId}${cell.unitCategory ? ` ${cell.unitCategory}` : ''} × category ${cell.categoryId}`;
        expected[key] = cell.count;
        actual[key] = await drilled('/api/findings', filters, {
          regionId: String(cell.regionId),
          categoryId: String(cell.categoryId),
          ...(cell.unitCategory ? { unitCategory: cell.unitCategory } : {}),
          ...(cell.level === 'countyUnits' ? { countyUnits: 'true' } : {}),
          ...(cell.level === 'unit' && cell.unitId !== null ? { unitId: String(cell.unitId) } : {}),
        });
      }
      expected[`${label}: findings card`] = body.total;
      actual[`${label}: findings card`] = await total('/api/findings', q);
      expect(actual).toEqual(expected);
    }
  });

  it('overview: its category chart, its aging buckets and its KPI cards', async () => {
    for (const [label, filters] of contexts) {
      const q = queryOf(filters);
      const { body } = await t.get<OverviewResponse>(`/api/metrics/overview?${q}`);
      const expected: Record<string, number> = {};
      const actual: Record<string, number> = {};
      for (const node of body.charts.categoriesLevel1) {
        expected[`${label}: category ${node.categoryId}`] = node.count;
        actual[`${label}: category ${node.categoryId}`] = await drilled('/api/findings', filters, { categoryId: String(node.categoryId) });
      }
      for (const b of body.charts.overdueBuckets) {
        expected[`${label}: bucket ${b.bucket}`] = b.count;
        actual[`${label}: bucket ${b.bucket}`] = await total('/api/tasks', `${q}&overdue=true&agingBucket=${encodeURIComponent(b.bucket)}`);
      }
      const cards = body.cards;
      const pairs: [string, number, string, string][] = [
        ['findings', cards.findings, '/api/findings', ''],
        ['findingClosure', cards.findingClosure.denominator, '/api/findings', 'fedBack=true'],
        ['taskClosure', cards.taskClosure.denominator, '/api/tasks', ''],
        ['immediateClosure', cards.immediateClosure.denominator, '/api/findings', 'fedBack=true&immediate=true'],
        ['onTime', cards.onTime.denominator, '/api/tasks', 'closed=true&originalDue=true'],
        ['overdue', cards.overdue, '/api/tasks', 'overdue=true'],
        ['dueSoon20', cards.dueSoon20, '/api/tasks', 'dueSoon=20'],
        ['repeat', cards.repeat.numerator, '/api/findings', 'recurrence=repeat'],
        ['rebound', cards.rebound.numerator, '/api/findings', 'recurrence=rebound'],
      ];
      for (const [card, value, path, extra] of pairs) {
        expected[`${label}: ${card} card`] = value;
        actual[`${label}: ${card} card`] = await total(path, extra ? `${q}&${extra}` : q);
      }
      expect(actual).toEqual(expected);
    }
  });

  it('rectification: aging buckets and KPI cards, equal to the reference', async () => {
    for (const [label, filters] of contexts) {
      const q = queryOf(filters);
      const { body } = await t.get<RectificationResponse>(`/api/metrics/rectification?${q}`);
      const reference = await referenceRectification(t.db.url, filters);
      expect({ label, overdue: body.overdue, dueSoon: body.dueSoon, taskClosure: body.taskClosure, onTime: body.onTime, extended: body.extended }).toEqual({
        label,
        overdue: reference.overdue,
        dueSoon: reference.dueSoon,
        taskClosure: reference.taskClosure,
        onTime: reference.onTime,
        extended: reference.extended,
      });
      const expected: Record<string, number> = {};
      const actual: Record<string, number> = {};
      for (const b of body.overdue.buckets) {
        expected[`${label}: bucket ${b.bucket}`] = b.count;
        actual[`${label}: bucket ${b.bucket}`] = await total('/api/tasks', `${q}&overdue=true&agingBucket=${encodeURIComponent(b.bucket)}`);
      }
      const pairs: [string, number, string, string][] = [
        ['findingClosure', body.findingClosure.denominator, '/api/findings', 'fedBack=true'],
        ['taskClosure', body.taskClosure.denominator, '/api/tasks', ''],
        ['immediateClosure', body.immediateClosure.denominator, '/api/findings', 'fedBack=true&immediate=true'],
        ['onTime', body.onTime.denominator, '/api/tasks', 'closed=true&originalDue=true'],
        ['extended', body.extended.numerator, '/api/tasks', 'extended=true'],
        ['overdue', body.overdue.count, '/api/tasks', 'overdue=true'],
        ['dueSoon20', body.dueSoon.within20, '/api/tasks', 'dueSoon=20'],
        ['dueSoon10', body.dueSoon.within10, '/api/tasks', 'dueSoon=10'],
      ];
      for (const [card, value, path, extra] of pairs) {
        expected[`${label}: ${card} card`] = value;
        actual[`${label}: ${card} card`] = await total(path, extra ? `${q}&${extra}` : q);
      }
      expect(actual).toEqual(expected);
    }
  });

  it('recurrence: the category bars and the KPI cards, equal to the reference', async () => {
    for (const [label, filters] of contexts) {
      const q = queryOf(filters);
      const { body } = await t.get<RecurrenceResponse>(`/api/metrics/recurrence?${q}`);
      const reference = await referenceRecurrence(t.db.url, filters);
      expect({ label, byCategory: body.byCategory }).toEqual({ label, byCategory: reference.byCategory });
      const expected: Record<string, number> = {};
      const actual: Record<string, number> = {};
      for (const row of body.byCategory) {
        for (const [figure, member] of [
          ['repeats', 'repeat'],
          ['rebounds', 'rebound'],
        ] as const) {
          expected[`${label}: category ${row.categoryId} ${figure}`] = row[figure];
          actual[`${label}: category ${row.categoryId} ${figure}`] = await drilled('/api/findings', filters, {
            categoryId: String(row.categoryId),
            recurrence: member,
          });
        }
      }
      expected[`${label}: repeat card`] = body.repeat.numerator;
      actual[`${label}: repeat card`] = await total('/api/findings', `${q}&recurrence=repeat`);
      expected[`${label}: rebound card`] = body.rebound.numerator;
      actual[`${label}: rebound card`] = await total('/api/findings', `${q}&recurrence=rebound`);
      expect(actual).toEqual(expected);
    }
  });
});
