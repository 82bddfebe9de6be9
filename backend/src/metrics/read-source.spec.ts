import type { Scope } from '../dimensions/scope';
import { chooseReadSource, type ChoiceInput, type MetricName } from './read-source';

const today = '2025-08-15';
/** Loaded: task events up to 2025-08-10, every day of the summary up to 2025-08-12, findings found up to 2025-08-01, inspections up to 2025-07-20. */
const dims = { summary: { foundBy: '2025-08-01', allBy: '2025-08-12' }, unitCoverageBy: '2025-07-20' };
const maxEventDate = '2025-08-10';

function input(asOf: string, filters: Partial<Scope> = {}, term?: 'current' | 'previous'): ChoiceInput {
  const scope: Scope = { filters: { asOf, ...(term ? { term } : {}) }, asOf, coverageTerms: [], ...filters };
  return { scope, current: asOf >= maxEventDate, dims };
}
const choose = (metric: MetricName, i: ChoiceInput) => chooseReadSource(metric, i, today);
const findingMetrics = ['rectification', 'recurrence'] as const;

describe('chooseReadSource', () => {
  it('reads the current-state tables from the day they hold every day loaded', () => {
    expect(choose('coverage', input('2025-07-20'))).toEqual({ kind: 'summary' });
    expect(choose('categories', input('2025-08-01'))).toEqual({ kind: 'summary' });
    for (const metric of findingMetrics) {
      expect(choose(metric, input('2025-08-12'))).toEqual({ kind: 'summary' });
      expect(choose(metric, input(today))).toEqual({ kind: 'summary' });
    }
  });

  it('reads the facts the day before, with the tasks replayed before the last event', () => {
    expect(choose('coverage', input('2025-07-19'))).toEqual({ kind: 'facts', current: false });
    expect(choose('categories', input('2025-07-31'))).toEqual({ kind: 'facts', current: false });
    for (const metric of findingMetrics) {
      // after the last task event but before the last day of the summary: the tasks' current state
      expect(choose(metric, input('2025-08-11'))).toEqual({ kind: 'facts', current: true });
    }
    expect(choose('recurrence', input('2025-08-09'))).toEqual({ kind: 'facts', current: false });
  });

  it('reads rectification from its timeline where the facts would replay the tasks', () => {
    expect(choose('rectification', input('2025-08-09'))).toEqual({ kind: 'timeline' });
    expect(choose('rectification', input('2025-06-29'))).toEqual({ kind: 'timeline' });
    expect(choose('rectification', input('2024-02-29', { countyId: 3, roundId: 7 }))).toEqual({ kind: 'timeline' });
    // a township, which the summaries have no column for
    expect(choose('rectification', input('2025-06-30', { townshipId: 12 }))).toEqual({ kind: 'timeline' });
    // after the last task event the facts read the tasks' current state: no replay
    expect(choose('rectification', input(today, { townshipId: 12 }))).toEqual({ kind: 'facts', current: true });
  });

  it('reads a past quarter end from its build, where the current-state tables do not hold it', () => {
    for (const metric of ['coverage', 'categories', ...findingMetrics] as const) {
      expect(choose(metric, input('2025-06-30'))).toEqual({ kind: 'quarter', quarterEnd: '2025-06-30' });
      expect(choose(metric, input('2024-12-31'))).toEqual({ kind: 'quarter', quarterEnd: '2024-12-31' });
    }
    for (const metric of ['coverage', 'categories', 'recurrence'] as const) {
      // not a quarter end
      expect(choose(metric, input('2025-06-29'))).toEqual({ kind: 'facts', current: false });
    }
    // a quarter end that is today has no build yet
    expect(chooseReadSource('recurrence', input('2025-06-30'), '2025-06-30')).toEqual({ kind: 'facts', current: false });
    expect(chooseReadSource('rectification', input('2025-06-30'), '2025-06-30')).toEqual({ kind: 'timeline' });
  });

  it('reads the facts for what the precomputed tables have no column for', () => {
    // a township filter: the finding summaries are by county (coverage's units carry their township)
    for (const metric of ['categories', ...findingMetrics] as const) {
      expect(choose(metric, input(today, { townshipId: 12 }))).toEqual({ kind: 'facts', current: true });
    }
    for (const metric of ['categories', 'recurrence'] as const) {
      expect(choose(metric, input('2025-06-30', { townshipId: 12 }))).toEqual({ kind: 'facts', current: false });
    }
    expect(choose('coverage', input(today, { townshipId: 12 }))).toEqual({ kind: 'summary' });
    expect(choose('coverage', input('2025-06-30', { townshipId: 12 }))).toEqual({ kind: 'quarter', quarterEnd: '2025-06-30' });
    // series by township (a county in scope) or by unit: the finding summaries have neither; by 市直 unit category they do
    for (const metric of ['categories', ...findingMetrics] as const) {
      expect(choose(metric, input(today, { countyId: 3, area: 'township' }))).toEqual({ kind: 'facts', current: true });
      expect(choose(metric, input('2025-06-30', { countyId: 2, unitCategory: 'SOE', area: 'unit' }))).toEqual({ kind: 'facts', current: false });
      expect(choose(metric, input('2025-06-30', { countyId: 2, area: 'unitCategory' }))).toEqual({ kind: 'quarter', quarterEnd: '2025-06-30' });
    }
    expect(choose('coverage', input(today, { countyId: 3, area: 'township' }))).toEqual({ kind: 'summary' });
    expect(choose('coverage', input('2025-06-30', { countyId: 2, area: 'unit' }))).toEqual({ kind: 'quarter', quarterEnd: '2025-06-30' });
    // a round or the previous term: coverage's tables hold each unit's latest inspections over whole terms
    for (const asOf of [today, '2025-06-30']) {
      expect(choose('coverage', input(asOf, { roundId: 3 }))).toEqual({ kind: 'facts', current: asOf >= maxEventDate });
      expect(choose('coverage', input(asOf, {}, 'previous'))).toEqual({ kind: 'facts', current: asOf >= maxEventDate });
      expect(choose('coverage', input(asOf, {}, 'current'))).not.toEqual(expect.objectContaining({ kind: 'facts' }));
      // the finding summaries have a round column
      expect(choose('rectification', input(asOf, { roundId: 3 }))).not.toEqual(expect.objectContaining({ kind: 'facts' }));
    }
  });

  it('reads the facts while the current-state tables are not derived yet', () => {
    const none = { summary: null, unitCoverageBy: null };
    for (const metric of ['coverage', 'categories', ...findingMetrics] as const) {
      expect(chooseReadSource(metric, { ...input(today), dims: none }, today)).toEqual({ kind: 'facts', current: true });
      expect(chooseReadSource(metric, { ...input('2025-06-30'), dims: none }, today)).toEqual({ kind: 'quarter', quarterEnd: '2025-06-30' });
    }
  });
});
