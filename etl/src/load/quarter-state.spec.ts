import {
  buildQuarterMarkAfter,
  buildQuarterMarkBefore,
  buildQuarterSummaryBuild,
  buildQuarterUnitsBuild,
  isQuarterEnd,
  quarterEndOnOrBefore,
  RECORD_QUARTER_CHANGE,
} from './quarter-state';

/** Every {name:Type} placeholder of a query. */
const placeholders = (sql: string) => [...new Set([...sql.matchAll(/\{(\w+):[^}]+\}/g)].map((m) => m[1]))].sort();

describe('quarter ends', () => {
  it('knows the last day of each quarter', () => {
    expect(['2025-03-31', '2025-06-30', '2025-09-30', '2025-12-31'].map(isQuarterEnd)).toEqual([true, true, true, true]);
    expect(['2025-03-30', '2025-06-31', '2025-10-01', '2025-12-30', 'x'].map(isQuarterEnd)).toEqual([false, false, false, false, false]);
  });

  it('finds the latest quarter end up to a day', () => {
    expect(quarterEndOnOrBefore('2026-11-24')).toBe('2026-09-30');
    expect(quarterEndOnOrBefore('2026-09-30')).toBe('2026-09-30');
    expect(quarterEndOnOrBefore('2026-01-01')).toBe('2025-12-31');
    expect(quarterEndOnOrBefore('2024-03-01')).toBe('2023-12-31');
  });
});

describe('marking the earliest day a batch can affect', () => {
  it('a finding: its found, fed-back and stationed days, before and after the load', () => {
    for (const build of [buildQuarterMarkBefore, buildQuarterMarkAfter]) {
      const mark = build('fact_findings', ['5', '9007199254740993']);
      expect(mark?.query).toContain('min(least(found_date, stationed_from, ifNull(feedback_date, found_date)))');
      expect(mark?.params).toEqual({ ids: ['5', '9007199254740993'] });
    }
  });

  it('a task event: its day, read by the sorting key (task, id)', () => {
    const mark = buildQuarterMarkBefore('fact_task_events', ['11', '12'], ['3', '3']);
    expect(mark?.query).toContain('min(event_date)');
    expect(mark?.query).toContain('task_id IN {taskIds:Array(UInt64)} AND id IN {ids:Array(UInt64)}');
    expect(mark?.params).toEqual({ ids: ['11', '12'], taskIds: ['3'] });
  });

  it('a task: kept before the load, compared after it; a change of its current state alone marks nothing', () => {
    const before = buildQuarterMarkBefore('fact_tasks', ['7']);
    expect(before?.query).toContain('INSERT INTO etl_tasks_before');
    const after = buildQuarterMarkAfter('fact_tasks', ['7']);
    expect(after?.query).toContain('HAVING uniqExact(h) > 1 OR uniqExact(side) = 1');
    expect(after?.query).toContain('greatest(c.found, e.first_day)');
    for (const column of ['status', 'current_due_date', 'closed_date', 'version'])
      expect(before?.query).not.toMatch(new RegExp(`tuple\\([^)]*\\b${column}\\b`));
    expect(before?.query).toMatch(/tuple\([^)]*\boriginal_due_date\b/);
    expect(before?.query).toMatch(/tuple\([^)]*\bresponsible_dept\b/);
  });

  it('units from their valid_from, inspections from their stationing, other dimensions every day, clues nothing', () => {
    expect(buildQuarterMarkAfter('dim_units', ['4'])?.query).toContain('min(valid_from)');
    expect(buildQuarterMarkAfter('dim_units', ['4'])?.params).toEqual({ ids: [4] });
    expect(buildQuarterMarkAfter('fact_inspections', ['4'])?.query).toContain('min(stationed_from)');
    for (const table of ['dim_regions', 'dim_terms', 'dim_rounds', 'dim_categories']) {
      expect(buildQuarterMarkAfter(table, ['1'])?.query).toContain("VALUES ('1970-01-01')");
    }
    expect(buildQuarterMarkAfter('fact_clues', ['1'])).toBeNull();
  });

  it('records a change only when a quarter end up to today lies on or after the earliest day marked', () => {
    expect(RECORD_QUARTER_CHANGE).toContain('HAVING count() > 0 AND min(from_day) <= {latest:Date}');
  });
});

describe('building a quarter end', () => {
  it('takes the day and the build id as parameters, in every statement', () => {
    for (const { query, params } of [buildQuarterSummaryBuild('2025-06-30', '42'), buildQuarterUnitsBuild('2025-06-30', '42')]) {
      expect(placeholders(query)).toEqual(['asOf', 'build']);
      expect(params).toEqual({ asOf: '2025-06-30', build: '42' });
    }
  });

  it('evaluates each task as of the day, once, and the findings found and fed back by then', () => {
    const { query } = buildQuarterSummaryBuild('2025-06-30', '42');
    expect(query.match(/FROM fact_task_state FINAL/g)).toHaveLength(1);
    expect(query).toContain('valid_from <= {asOf:Date} AND valid_to > {asOf:Date}');
    expect(query).toContain('toUInt8(ifNull(f.feedback_date <= {asOf:Date}, 0)) AS fed_back');
    expect(query).toContain('WHERE is_deleted = 0 AND found_date <= {asOf:Date}');
  });

  it('keeps the units that can be in scope by then', () => {
    expect(buildQuarterUnitsBuild('2025-06-30', '42').query).toContain('u.valid_from <= {asOf:Date}');
  });
});
