import { buildMarkTimelineDirty, buildTimelineRebuild, DIRTY_CELLS } from './rectification-timeline';

describe('buildTimelineRebuild', () => {
  it('rebuilds the marked keys by their cells, values only as parameters, with tombstones one version below', () => {
    const { query, params } = buildTimelineRebuild(['17', '18446744073709551615'], 41n);
    expect(params).toEqual({ cells: ['17', '18446744073709551615'], version: '41' });
    expect(query).toContain('IN {cells:Array(UInt64)}');
    expect(query).not.toMatch(/\b18446744073709551615\b|\b41\b/);
    // the days a key had before: tombstones with the version, the rebuilt days one more
    expect(query).toMatch(/\{version:UInt64\}, 1\s+FROM fact_rectification_timeline FINAL/);
    expect(query).toContain('{version:UInt64} + 1, 0');
    // the records' ids first (no FINAL), so that the primary key prunes the FINAL reads
    expect(query).toContain('s.task_id IN (SELECT id FROM fact_tasks WHERE');
    expect(query).toContain('AND id IN (SELECT id FROM fact_findings WHERE');
  });

  it('derives every key without a parameter but the version, and without tombstones', () => {
    const { query, params } = buildTimelineRebuild('all', 1n);
    expect(params).toEqual({ version: '1' });
    expect(query).not.toContain('{cells');
    expect(query).not.toContain('FROM fact_rectification_timeline');
  });

  it('counts a task and a closed finding from the start of a span to its end, none for a state that has not ended', () => {
    const { query } = buildTimelineRebuild('all', 1n);
    expect(query).toContain("arrayFilter(e -> e.1 != toDate('2299-12-31'), [(from_day, toInt64(1)), (to_day, toInt64(-1))])");
    expect(query).toContain("arrayFilter(e -> e.1 != toDate('2299-12-31'), [(b, toInt64(1)), (e, toInt64(-1))])");
    // a task counts once its finding is found and fed back
    expect(query).toContain('greatest(s.valid_from, t.entered) AS from_day');
    expect(query).toContain('greatest(found_date, assumeNotNull(feedback_date)) AS entered');
  });
});

describe('buildMarkTimelineDirty', () => {
  it('marks the keys of findings and tasks by id, of task events by their tasks, only for events that change a state', () => {
    expect(buildMarkTimelineDirty('fact_findings', ['5'])).toMatchObject({ params: { ids: ['5'] } });
    expect(buildMarkTimelineDirty('fact_findings', ['5'])!.query).toContain('FROM fact_findings FINAL WHERE id IN {ids:Array(UInt64)}');
    expect(buildMarkTimelineDirty('fact_tasks', ['7', '7'])).toMatchObject({ params: { ids: ['7'] } });
    const events = buildMarkTimelineDirty('fact_task_events', ['100', '101'], ['7', '7'])!;
    expect(events.params).toEqual({ ids: ['100', '101'], taskIds: ['7'] });
    expect(events.query).toContain("(to_status IS NOT NULL OR type = 'EXTENSION')");
    expect(buildMarkTimelineDirty('fact_inspections', ['1'])).toBeNull();
  });

  it('reads the marked keys back as one column of cells', () => {
    expect(DIRTY_CELLS).toMatch(/^SELECT toString\(cityHash64\(county_id, round_id, .*is_immediate\)\) AS cell FROM etl_timeline_dirty/);
  });
});
