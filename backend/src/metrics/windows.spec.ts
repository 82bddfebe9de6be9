import { AGING_BUCKETS, AGING_WINDOWS, agingWindowOf, DUE_SOON_DAYS } from '../common/filters';
import type { Scope } from '../dimensions/scope';
import { AGED_COLUMNS, buildRectificationTasksQuery, buildSummaryTaskFiguresQuery, DUE_SOON_COLUMNS } from './metrics.queries';

const scope: Scope = { filters: { asOf: '2025-06-30' }, asOf: '2025-06-30', coverageTerms: [] };

describe('the aging and due-soon windows: one table', () => {
  it('cover every day overdue once, from the first', () => {
    expect(AGING_BUCKETS).toEqual(AGING_WINDOWS.map((w) => w.bucket));
    expect(agingWindowOf(0)).toBeNull();
    expect(agingWindowOf(-3)).toBeNull();
    for (let days = 1; days <= 400; days++) {
      const hits = AGING_WINDOWS.filter((w) => days >= w.from && (w.to === null || days <= w.to));
      expect(hits).toHaveLength(1);
      expect(agingWindowOf(days)).toBe(hits[0]);
    }
    expect([30, 31, 90, 91, 180, 181].map((d) => agingWindowOf(d)!.bucket)).toEqual(['1-30', '31-90', '31-90', '91-180', '91-180', '180+']);
  });

  it('give the facts query and the summary query one column each, by the same conditions', () => {
    const facts = buildRectificationTasksQuery(scope, true).query;
    const summary = buildSummaryTaskFiguresQuery(scope).query;
    expect(AGED_COLUMNS).toHaveLength(AGING_WINDOWS.length);
    expect(DUE_SOON_COLUMNS).toEqual(DUE_SOON_DAYS.map((d) => `due_${d}`));
    for (const [i, w] of AGING_WINDOWS.entries()) {
      const range = w.to === null ? `>= ${w.from}` : `BETWEEN ${w.from} AND ${w.to}`;
      expect(facts).toContain(`dateDiff('day', assumeNotNull(due), {asOf:Date}) ${range}) AS n_${AGED_COLUMNS[i]}`);
      expect(facts).toContain(`sum(n_${AGED_COLUMNS[i]}) AS ${AGED_COLUMNS[i]}`);
      expect(summary).toContain(`dateDiff('day', d, {asOf:Date}) ${range}, k, 0), mapKeys(due), mapValues(due))) AS ${AGED_COLUMNS[i]}`);
    }
    for (const days of DUE_SOON_DAYS) {
      expect(facts).toContain(`due <= addDays({asOf:Date}, ${days})) AS n_due_${days}`);
      expect(summary).toContain(`d <= addDays({asOf:Date}, ${days}), k, 0), mapKeys(due), mapValues(due))) AS due_${days}`);
    }
  });
});
