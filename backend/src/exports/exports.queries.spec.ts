import type { Scope } from '../dimensions/scope';
import { buildCoverageQuery } from '../metrics/metrics.queries';
import { buildCoverageByPeriodQuery, buildRegionLevel2Query, buildUnitRectificationQuery } from './exports.queries';

const term = { id: 2, committeeRegionId: 1, ordinal: 3, name: '', startDate: '2023-01-01', endDate: '2027-12-31' };
const base: Scope = { filters: { asOf: '2025-09-30' }, asOf: '2025-09-30', coverageTerms: [term] };
const county: Scope = { ...base, countyId: 3 };
const periods = { quarterStart: '2025-07-01', yearStart: '2025-01-01' };

/** Every {name:Type} placeholder of a query. */
const placeholders = (sql: string) => [...new Set([...sql.matchAll(/\{(\w+):[^}]+\}/g)].map((m) => m[1]))].sort();

describe('quarterly workbook queries', () => {
  const builders = {
    coverageByPeriod: buildCoverageByPeriodQuery(county, { countingModes: ['ROUTINE', 'SPECIAL'] }, periods),
    regionLevel2: buildRegionLevel2Query(county),
    unitRectificationReplay: buildUnitRectificationQuery(county, false),
    unitRectificationCurrent: buildUnitRectificationQuery(base, true),
  };

  it.each(Object.entries(builders))('%s: every placeholder has its parameter and no parameter is unused', (_name, sql) => {
    expect(placeholders(sql.query)).toEqual(Object.keys(sql.params).sort());
  });

  it('coverage by period counts the coverage metric’s units, and of the covered ones the latest counting inspection from the quarter’s / year’s first day', () => {
    const { query, params } = builders.coverageByPeriod;
    // the same unit statuses and scope condition as the coverage metric
    const metric = buildCoverageQuery(county, { countingModes: ['ROUTINE', 'SPECIAL'], uncoveredLimit: 0, uncoveredOffset: 0 });
    expect(query.startsWith(metric.query.slice(0, metric.query.indexOf('\nSELECT county_id')))).toBe(true);
    expect(query).toContain('WHERE s.active OR (s.abolished_in_term AND s.covered)');
    expect(query).toContain('countIf(s.covered AND c.last_counted >= {quarterStart:Date}) AS covered_quarter');
    expect(query).toContain('countIf(s.covered AND c.last_counted >= {yearStart:Date}) AS covered_year');
    expect(query).toContain('max(i.stationed_from) AS last_counted');
    expect(query).toContain('u.county_id = {countyId:UInt32}');
    expect(params).toEqual({
      asOf: '2025-09-30',
      coverageTermIds: [2],
      countingModes: ['ROUTINE', 'SPECIAL'],
      countyId: 3,
      quarterStart: '2025-07-01',
      yearStart: '2025-01-01',
    });
  });

  it('findings by county and level-2 category: found by as-of, the shared filters', () => {
    const { query, params } = builders.regionLevel2;
    expect(query).toContain('found_date <= {asOf:Date}');
    expect(query).not.toContain('feedback_date');
    expect(query).toContain('county_id = {countyId:UInt32}');
    expect(query).toContain('GROUP BY county_id, category_id');
    expect(params).toEqual({ asOf: '2025-09-30', countyId: 3 });
  });

  it('rectification by round and unit: fed-back findings, closed when every task is, 立行立改 apart, overdue tasks; replaying events unless current', () => {
    const replay = builders.unitRectificationReplay.query;
    expect(replay).toContain('feedback_date <= {asOf:Date}');
    expect(replay).toContain('countIf(p.n > 0 AND p.closed_n = p.n) AS closed');
    expect(replay).toContain('countIf(f.is_immediate = 1 AND p.n > 0 AND p.closed_n = p.n) AS immediate_closed');
    expect(replay).toContain("countIf(status != 'CLOSED' AND due IS NOT NULL AND due < {asOf:Date}) AS overdue");
    expect(replay).toContain('GROUP BY round_id, unit_id');
    expect(replay).not.toContain('current_due_date AS due');
    expect(builders.unitRectificationReplay.params).toEqual({ asOf: '2025-09-30', countyId: 3 });
    expect(builders.unitRectificationCurrent.query).toContain('current_due_date AS due');
    expect(builders.unitRectificationCurrent.params).toEqual({ asOf: '2025-09-30' });
  });

  it('never splices a value into the text', () => {
    const evil = "2025-07-01' OR 1=1 --";
    const sql = buildCoverageByPeriodQuery(base, { countingModes: [evil] }, { quarterStart: evil, yearStart: evil });
    expect(sql.query).not.toContain('OR 1=1');
  });
});
