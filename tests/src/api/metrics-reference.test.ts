import { type Filters, categoriesSchema, coverageSchema, overviewSchema, rectificationSchema, recurrenceSchema } from '@xuncha/backend';
import { D1, D2, D3, FIXTURE_EXPECTED, filtersEcho, loadMetricsFixture, overviewOf, type FilteredCase } from '../support/metrics-fixture';
import { referenceCategories, referenceCoverage, referenceOverview, referenceRectification, referenceRecurrence } from '../support/metrics-reference';
import { createTestDatabase, type TestDatabase } from '../support/pg';
import { rounded } from '../support/rounded';

function filtersOf(c: FilteredCase): Filters {
  const f: Filters = { asOf: c.filters.asOf };
  if (c.filters.term !== null) f.term = c.filters.term;
  if (c.filters.roundId !== null) f.roundId = c.filters.roundId;
  if (c.filters.regionId !== null) f.regionId = c.filters.regionId;
  if (c.filters.unitCategory !== null) f.unitCategory = c.filters.unitCategory;
  if (c.filters.categoryId !== null) f.categoryId = c.filters.categoryId;
  if (c.filters.mode !== null) f.mode = c.filters.mode;
  return f;
}

// the reference SQL runs on PostgreSQL alone: seconds on a busy machine
jest.setTimeout(120_000);

describe('metrics reference (PostgreSQL) on the hand-built fixture', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase({ migrated: true });
    await loadMetricsFixture(db.url);
  });
  afterAll(async () => {
    await db.drop();
  });

  describe.each([D1, D2, D3])('as of %s', (asOf) => {
    const expected = FIXTURE_EXPECTED.asOf[asOf];

    it('coverage', async () => {
      const actual = await referenceCoverage(db.url, { asOf });
      expect(coverageSchema.parse(actual)).toEqual(actual);
      expect(rounded(actual)).toEqual(rounded(expected.coverage));
    });

    it('categories', async () => {
      const actual = await referenceCategories(db.url, { asOf });
      expect(categoriesSchema.parse(actual)).toEqual(actual);
      expect(rounded(actual)).toEqual(rounded(expected.categories));
    });

    it('rectification', async () => {
      const actual = await referenceRectification(db.url, { asOf });
      expect(rectificationSchema.parse(actual)).toEqual(actual);
      expect(rounded(actual)).toEqual(rounded(expected.rectification));
    });

    it('recurrence', async () => {
      const actual = await referenceRecurrence(db.url, { asOf });
      expect(recurrenceSchema.parse(actual)).toEqual(actual);
      expect(rounded(actual)).toEqual(rounded(expected.recurrence));
    });

    it('overview', async () => {
      const actual = await referenceOverview(db.url, { asOf });
      expect(overviewSchema.parse(actual)).toEqual(actual);
      expect(rounded(actual)).toEqual(rounded(overviewOf(expected)));
    });
  });

  describe.each(FIXTURE_EXPECTED.filtered.map((c) => [c.name, c] as const))('filtered: %s', (_name, c) => {
    const filters = filtersOf(c);
    const echo = filtersEcho(c.filters.asOf, { ...c.filters, ignored: [] });

    it('coverage', async () => {
      const actual = await referenceCoverage(db.url, filters);
      expect(actual.filters).toEqual(c.filters.categoryId !== null ? { ...echo, ignored: ['categoryId'] } : echo);
      if (c.coverage) expect(rounded(actual)).toMatchObject(rounded(c.coverage));
    });

    it('categories', async () => {
      const actual = await referenceCategories(db.url, filters);
      expect(actual.filters).toEqual(echo);
      if (c.categories) expect(rounded(actual)).toMatchObject(rounded(c.categories));
    });

    it('rectification', async () => {
      const actual = await referenceRectification(db.url, filters);
      expect(actual.filters).toEqual(echo);
      if (c.rectification) expect(rounded(actual)).toMatchObject(rounded(c.rectification));
    });

    it('recurrence', async () => {
      const actual = await referenceRecurrence(db.url, filters);
      expect(actual.filters).toEqual(echo);
      if (c.recurrence) expect(rounded(actual)).toMatchObject(rounded(c.recurrence));
    });
  });

  it('coverage with REVISIT among the counting modes', async () => {
    const actual = await referenceCoverage(db.url, { asOf: D1 }, { coverageModes: ['ROUTINE', 'SPECIAL', 'MOBILE', 'REVISIT'] });
    expect(actual.coverage).toEqual(FIXTURE_EXPECTED.coverageWithRevisitD1.coverage);
    expect(actual.uncovered.total).toBe(FIXTURE_EXPECTED.coverageWithRevisitD1.uncoveredTotal);
  });

  it('pages the uncovered units', async () => {
    const actual = await referenceCoverage(db.url, { asOf: D1 }, { uncoveredLimit: 2, uncoveredOffset: 1 });
    expect(actual.uncovered.total).toBe(FIXTURE_EXPECTED.uncoveredPageD1.total);
    expect(actual.uncovered.rows.map((row) => row.unitId)).toEqual(FIXTURE_EXPECTED.uncoveredPageD1.unitIds);
  });

  it('the overview under a filter is the four metrics under that filter', async () => {
    const filters: Filters = { asOf: D2, regionId: 3 };
    const [overview, coverage, rectification] = await Promise.all([
      referenceOverview(db.url, filters),
      referenceCoverage(db.url, filters),
      referenceRectification(db.url, filters),
    ]);
    expect(overview.filters).toEqual(filtersEcho(D2, { regionId: 3 }));
    expect(overview.cards.coverage).toEqual(coverage.coverage);
    expect(overview.charts.closureByRegion).toEqual(rectification.byRegion);
    expect(overview.cards.findings).toBe(13);
  });
});
