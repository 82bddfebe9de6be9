import { changesOf, describeAudit, recordOf } from './audit-describe';

describe('describeAudit', () => {
  it('names the record a path points at, with its name', () => {
    expect(recordOf('/api/tasks/12/status')).toEqual({ kind: 'task', id: '12' });
    expect(recordOf('/api/masterdata/units/7')).toEqual({ kind: 'unit', id: '7' });
    expect(recordOf('/api/units/7/profile.csv')).toEqual({ kind: 'unit', id: '7' });
    expect(recordOf('/api/tasks')).toBeNull();
    expect(recordOf(null)).toBeNull();
  });

  it('says what a correction changed, before and after, in a clerk’s words', () => {
    const entry = {
      action: 'task.update',
      target: '/api/tasks/12',
      success: true,
      detail: {
        changes: [
          { field: 'track', before: 'DEADLINE', after: 'LONG_TERM' },
          { field: 'originalDueDate', before: '2026-01-31', after: null },
        ],
      },
    };
    expect(describeAudit(entry, '某局')).toEqual({
      actionLabel: '更正整改任务',
      record: '整改任务 #12（某局）',
      summary: '更正整改任务 #12（某局）的整改类型、整改时限',
      changes: [
        { field: 'track', label: '整改类型', before: '限期整改', after: '长期坚持' },
        { field: 'originalDueDate', label: '整改时限', before: '2026-01-31', after: '—' },
      ],
    });
  });

  it('names an action without a record, and an unknown action as it is', () => {
    expect(describeAudit({ action: 'auth.login', target: '/api/auth/login', success: false, detail: null }, null).summary).toBe('登录（未成功）');
    expect(describeAudit({ action: 'something.new', target: '/api/tasks/3', success: true, detail: null }, null).summary).toBe('something.new 整改任务 #3');
  });

  it('ignores a detail whose changes are not a list of fields', () => {
    expect(changesOf({ changes: 'x' })).toEqual([]);
    expect(changesOf({ changes: [{ before: 1 }] })).toEqual([]);
  });
});
