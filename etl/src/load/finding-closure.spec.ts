import { buildClosureRebuild, buildMarkClosureDirty, DIRTY_CLOSURE } from './finding-closure';

describe('buildClosureRebuild', () => {
  it('rebuilds the marked findings by id, values only as parameters, with tombstones one version below', () => {
    const { query, params } = buildClosureRebuild(['17', '18446744073709551615'], 41n);
    expect(params).toEqual({ ids: ['17', '18446744073709551615'], version: '41' });
    expect(query).not.toMatch(/\b18446744073709551615\b|\b41\b/);
    // the spans a finding had before: tombstones with the version, the rebuilt spans one more
    expect(query).toMatch(/\{version:UInt64\}, 1\s+FROM fact_finding_closure FINAL\s+WHERE is_deleted = 0 AND finding_id IN \{ids:Array\(UInt64\)\}/);
    expect(query).toContain('{version:UInt64} + 1, 0');
    // the tasks' ids first (no FINAL), so that the primary key prunes the FINAL reads
    expect(query).toContain('s.task_id IN (SELECT id FROM fact_tasks WHERE finding_id IN {ids:Array(UInt64)})');
  });

  it('derives every finding without a parameter but the version, and without tombstones', () => {
    const { query, params } = buildClosureRebuild('all', 1n);
    expect(params).toEqual({ version: '1' });
    expect(query).not.toContain('{ids');
    expect(query).not.toContain('FROM fact_finding_closure');
  });

  it('keeps the spans whose tasks are at least one and all 已销号, a task from its finding’s day on', () => {
    const { query } = buildClosureRebuild('all', 1n);
    expect(query).toContain('greatest(s.valid_from, t.found_date) AS from_day');
    expect(query).toContain('WHERE n > 0 AND closed_n = n');
    expect(query).toContain("if(i < length(bounds), bounds[i + 1], toDate('2299-12-31')) AS e");
  });
});

describe('buildMarkClosureDirty', () => {
  it('marks findings by id, the findings of tasks and of task events (every event) by their tasks', () => {
    expect(buildMarkClosureDirty('fact_findings', ['5'])).toMatchObject({ params: { ids: ['5'] } });
    expect(buildMarkClosureDirty('fact_tasks', ['7'])!.query).toContain('SELECT DISTINCT finding_id FROM fact_tasks FINAL WHERE id IN {ids:Array(UInt64)}');
    const events = buildMarkClosureDirty('fact_task_events', ['100', '101'], ['7', '7'])!;
    expect(events.params).toEqual({ taskIds: ['7'] });
    expect(events.query).not.toContain('to_status');
    expect(buildMarkClosureDirty('fact_inspections', ['1'])).toBeNull();
    expect(DIRTY_CLOSURE).toMatch(/^SELECT toString\(finding_id\) AS id FROM etl_closure_dirty/);
  });
});
