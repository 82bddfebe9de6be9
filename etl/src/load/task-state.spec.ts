import { buildTaskStateRebuild } from './task-state';

describe('buildTaskStateRebuild', () => {
  it('rebuilds the given tasks, their ids as a parameter', () => {
    const { query, params } = buildTaskStateRebuild([3n, 9007199254740993n]);
    expect(params).toEqual({ taskIds: ['3', '9007199254740993'] });
    expect(query).toContain('WHERE task_id IN {taskIds:Array(UInt64)}');
    expect(query).toContain('WHERE id IN {taskIds:Array(UInt64)}');
  });

  it('rebuilds every task without a parameter', () => {
    const { query, params } = buildTaskStateRebuild('all');
    expect(params).toEqual({});
    expect(query).not.toContain('{taskIds');
  });

  it('chains the live events of each task by (event_date, id), and leaves a tombstone for a deleted one', () => {
    const { query } = buildTaskStateRebuild('all');
    expect(query).toContain('PARTITION BY task_id ORDER BY event_date, id');
    expect(query).toContain("leadInFrame(event_date, 1, toDate('2299-12-31'))");
    expect(query).toMatch(/FROM ev\s+WHERE is_deleted = 0/);
    expect(query).toContain('WHERE e.is_deleted = 1');
  });
});
