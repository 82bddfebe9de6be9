import { closeDays, isRebound, isReinspectedAfterClosure, taskFigures } from '@xuncha/etl';
import { buildFindingSummaryRebuild } from '@xuncha/etl';
import { buildQuarterSummaryBuild } from '@xuncha/etl';
import type { Scope } from '../dimensions/scope';
import { buildRectificationTasksQuery, PER_FINDING_CTE } from './metrics.queries';

const scope: Scope = { filters: { asOf: '2025-06-30' }, asOf: '2025-06-30', coverageTerms: [] };

describe('the per-task and per-finding figures: one definition, three readers', () => {
  const facts = buildRectificationTasksQuery(scope, false).query;
  const summary = buildFindingSummaryRebuild('all', 1n).query;
  const quarter = buildQuarterSummaryBuild('2025-06-30', '1').query;

  it('renders each definition over the columns a query holds', () => {
    const t = taskFigures({ status: 's', due: 'd', closedDate: 'c', original: 'o' });
    expect(t).toEqual({
      closed: "s = 'CLOSED'",
      onTime: "s = 'CLOSED' AND o IS NOT NULL AND c <= o",
      closedUndated: "s = 'CLOSED' AND o IS NULL",
      extended: 'd IS NOT NULL AND o IS NOT NULL AND d > o',
      openWithDue: "s != 'CLOSED' AND d IS NOT NULL",
      closureDay: 'max(c)',
    });
    expect(closeDays('f', 'x')).toBe("greatest(0, dateDiff('day', assumeNotNull(f), assumeNotNull(x)))");
  });

  it('is what the facts query, the summary build and the quarter build count', () => {
    const readers: [string, string, Parameters<typeof taskFigures>[0]][] = [
      ['facts', facts, { status: 'status', due: 'due', closedDate: 'closed_date', original: 'original_due_date' }],
      ['summary', summary, { status: 'status', due: 'current_due_date', closedDate: 'closed_date', original: 'original_due_date' }],
      ['quarter', quarter, { status: 's.status', due: 's.due', closedDate: "if(s.status = 'CLOSED', s.status_date, NULL)", original: 'k.original_due_date' }],
    ];
    for (const [name, sql, columns] of readers) {
      const t = taskFigures(columns);
      for (const figure of [t.closed, t.onTime, t.closedUndated, t.extended])
        expect({ name, has: sql.includes(`countIf(${figure})`) }).toEqual({ name, has: true });
      expect({ name, has: sql.includes(t.openWithDue) && sql.includes(t.closureDay) }).toEqual({ name, has: true });
    }
    expect(PER_FINDING_CTE).toContain("countIf(status = 'CLOSED') AS closed_n, max(closed_date) AS closure_day");
    for (const sql of [summary, quarter]) {
      expect(sql).toContain(`toNullable(toUInt32(${closeDays(sql === summary ? 'p.feedback_date' : 'f.feedback_date', 'p.closure_day')}))`);
      expect(sql).toContain(isReinspectedAfterClosure('v.last_date', 'p.closure_day'));
      expect(sql).toContain(isRebound('l.last_found', 'p.closure_day'));
    }
  });
});
