import type { Scope } from '../dimensions/scope';
import { buildFindingListQuery, buildTaskListQuery, listsOpenTasksOnly } from './drill.queries';
import type { FindingListQuery, TaskListQuery } from './dto/drill.dto';

const scope: Scope = { filters: { asOf: '2025-06-30' }, asOf: '2025-06-30', coverageTerms: [] };
const list = (query: Partial<TaskListQuery>): TaskListQuery => ({ page: 1, pageSize: 50, sort: 'id', ...query });

describe('task list', () => {
  it('reads the open tasks alone when its filters keep only tasks not closed', () => {
    for (const query of [
      { overdue: true },
      { closed: false },
      { agingBucket: '1-30' },
      { dueSoon: 10 },
      { status: ['IN_PROGRESS', 'NOT_STARTED'] },
    ] as Partial<TaskListQuery>[]) {
      expect(listsOpenTasksOnly(list(query))).toBe(true);
      expect(buildTaskListQuery(scope, list(query), true).query).toContain('FROM fact_open_tasks FINAL');
    }
  });

  it('reads every task otherwise', () => {
    for (const query of [{}, { overdue: false }, { closed: true }, { status: ['CLOSED', 'IN_PROGRESS'] }, { extended: true }] as Partial<TaskListQuery>[]) {
      expect(listsOpenTasksOnly(list(query))).toBe(false);
      expect(buildTaskListQuery(scope, list(query), true).query).toContain('FROM fact_tasks FINAL');
    }
  });
});

describe('task list search', () => {
  it('keeps the tasks a search found (ids as a parameter), and only with a search', () => {
    const found = buildTaskListQuery(scope, { ...list({}), searchIds: ['7', '42'] }, true);
    expect(found.query).toContain('id IN {searchIds:Array(UInt64)}');
    expect(found.params.searchIds).toEqual(['7', '42']);
    expect(buildTaskListQuery(scope, list({}), true).query).not.toContain('searchIds');
  });
});

describe('task list order', () => {
  it('orders an overdue list by the due date itself (days overdue = as-of − due), its ids alone', () => {
    for (const query of [{ overdue: true }, { agingBucket: '31-90' }] as Partial<TaskListQuery>[]) {
      expect(buildTaskListQuery(scope, list({ ...query, sort: '-daysOverdue' }), true).query).toMatch(/ORDER BY due, id\nLIMIT/);
      expect(buildTaskListQuery(scope, list({ ...query, sort: 'daysOverdue' }), true).query).toMatch(/ORDER BY due DESC, id\nLIMIT/);
    }
    expect(buildTaskListQuery(scope, list({ overdue: true, sort: '-daysOverdue' }), true).query).toMatch(/SELECT id\nFROM tasks/);
    // an aging bucket is a range of due dates
    const bucket = buildTaskListQuery(scope, list({ agingBucket: '31-90', sort: '-daysOverdue' }), true);
    expect(bucket.query).toMatch(/SELECT id\nFROM tasks/);
    expect(bucket.query).toContain('due <= subtractDays({asOf:Date}, {agingFrom:UInt32})');
    expect(bucket.query).toContain('due >= subtractDays({asOf:Date}, {agingTo:UInt32})');
    expect(bucket.params).toMatchObject({ agingFrom: 31, agingTo: 90 });
    const oldest = buildTaskListQuery(scope, list({ agingBucket: '180+' }), true);
    expect(oldest.query).not.toContain('agingTo');
    expect(oldest.params).toMatchObject({ agingFrom: 181 });
  });

  it('computes the days overdue to order by them when some tasks of the list are not overdue', () => {
    for (const query of [{}, { closed: false }, { overdue: false }] as Partial<TaskListQuery>[]) {
      const sql = buildTaskListQuery(scope, list({ ...query, sort: '-daysOverdue' }), true).query;
      expect(sql).toContain('AS days_overdue');
      expect(sql).toMatch(/ORDER BY days_overdue DESC, id\nLIMIT/);
    }
  });

  it('reads the rows of the page in the list order, with their days overdue', () => {
    const sql = buildTaskListQuery(scope, list({ overdue: true, sort: '-daysOverdue' }), true, ['3', '1']).query;
    expect(sql).toContain('AS days_overdue');
    expect(sql).toMatch(/ORDER BY days_overdue DESC, id$/);
  });
});

describe('finding list', () => {
  const findings = (query: Partial<FindingListQuery>): FindingListQuery => ({ page: 1, pageSize: 50, sort: '-foundDate', ...query });

  it('reads the open findings with their task counts when only those are wanted and the state is current', () => {
    const { query } = buildFindingListQuery(scope, findings({ closed: false, fedBack: true }), true);
    expect(query).toContain('FROM fact_open_findings FINAL');
    expect(query).not.toContain('fact_tasks');
    expect(query).toContain('feedback_date <= {asOf:Date}');
    // the total comes with the page (Warehouse.queryPage), not from a window over every row
    expect(query).not.toContain('OVER ()');
    expect(query).toMatch(/LIMIT \{limit:UInt32\} OFFSET \{offset:UInt32\}$/);
    const rows = buildFindingListQuery(scope, findings({ closed: false, fedBack: true }), true, ['7', '9']);
    expect(rows.query).toContain('id IN {ids:Array(UInt64)}');
    expect(rows.query).not.toContain('LIMIT');
    expect(rows.params.ids).toEqual(['7', '9']);
  });

  it('groups the tasks otherwise', () => {
    for (const [query, current] of [
      [{ closed: false }, false],
      [{ closed: true }, true],
      [{}, true],
    ] as const) {
      const sql = buildFindingListQuery(scope, findings(query), current).query;
      expect(sql).not.toContain('fact_open_findings');
      expect(sql).toContain('per_finding AS');
    }
  });
});
