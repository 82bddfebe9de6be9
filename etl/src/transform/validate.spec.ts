import { tableSpec } from '../extract/tables';
import { routeBatch } from './route';
import { MAX_TEXT, textLength, validate } from './validate';

const task = (overrides: Record<string, string | null> = {}) => ({
  id: '7',
  finding_found: '1',
  track: 'DEADLINE',
  status: 'IN_PROGRESS',
  closed_date: null,
  original_due_date: '2026-03-01',
  current_due_date: '2026-03-01',
  feedback_date: '2026-01-10',
  measure_length: '4',
  responsible_dept: '办公室',
  ...overrides,
});

describe('validate', () => {
  it('accepts a sound task', () => {
    expect(validate('fact_tasks', task())).toEqual([]);
  });

  it.each([
    ['an unknown status', { status: 'SUSPENDED' }, /未知整改状态 unknown status "SUSPENDED"/],
    ['closed without a date', { status: 'CLOSED' }, /impossible status: CLOSED without a closed date/],
    ['a closed date on an open task', { closed_date: '2026-02-01' }, /impossible status: IN_PROGRESS with closed date 2026-02-01/],
    [
      'a due date before feedback',
      { original_due_date: '2026-01-09', current_due_date: '2026-01-09' },
      /due date before feedback \(original_due_date 2026-01-09 < feedback_date 2026-01-10\)/,
    ],
    ['a missing finding', { finding_found: '0', finding_id: '99' }, /unknown finding \(finding_id 99\)/],
    ['a deadline task without due date', { original_due_date: null, current_due_date: null }, /missing due date/],
    ['an oversized measure', { measure_length: String(MAX_TEXT + 1) }, /measure too long \(10001 > 10000 characters\)/],
  ])('rejects %s', (_label, overrides, reason) => {
    const reasons = validate('fact_tasks', task(overrides));
    expect(reasons.join('; ')).toMatch(reason);
  });

  it('lets 立行立改 tasks fall due before feedback, and 长期坚持 tasks go without a due date', () => {
    expect(validate('fact_tasks', task({ track: 'IMMEDIATE', original_due_date: '2025-12-20', current_due_date: '2025-12-20' }))).toEqual([]);
    expect(validate('fact_tasks', task({ track: 'LONG_TERM', original_due_date: null, current_due_date: null }))).toEqual([]);
  });

  it('rejects a finding of an unknown unit or on a level-1 category', () => {
    const finding = {
      id: '1',
      unit_id: '5',
      unit_found: '0',
      inspection_found: '1',
      inspection_unit_id: '5',
      category_level: '1',
      category_id: '3',
      unit_category: null,
      description_length: '1',
    };
    expect(validate('fact_findings', finding)).toEqual([
      '未知单位 unknown unit (unit_id 5)',
      '问题分类须为二级 category must be a level-2 category (category_id 3)',
    ]);
  });

  it('counts escaped and non-BMP characters once', () => {
    expect(textLength('a\\tb\\\\c')).toBe(5);
    expect(textLength('𠮷a')).toBe(2);
  });
});

describe('routeBatch', () => {
  const spec = tableSpec('fact_task_events');
  const line = (id: number, type: string, found = '1') => [id, 3, type, '2026-01-01', '\\N', 'IN_PROGRESS', '\\N', 10 + id, 0, found].join('\t');

  it('passes valid lines on without the check columns and rejects the others with reasons', () => {
    const routed = routeBatch(spec, [line(1, 'STATUS_CHANGE'), line(2, 'TELEPORT'), line(3, 'PROGRESS_NOTE', '0')]);
    expect(routed.accepted).toEqual(['1\t3\tSTATUS_CHANGE\t2026-01-01\t\\N\tIN_PROGRESS\t\\N\t11\t0']);
    expect(routed.rejects).toEqual([
      { table: 'task_events', recordId: '2', reason: '未知事件类型 unknown type "TELEPORT"' },
      { table: 'task_events', recordId: '3', reason: '未知任务 unknown task (task_id 3)' },
    ]);
  });

  it('reads \\N as null and refuses a line with the wrong number of fields', () => {
    // \N is SQL NULL, which an optional status may be; any other text must be a known status
    expect(routeBatch(spec, [line(4, 'PROGRESS_NOTE').replace('IN_PROGRESS', '\\N')]).rejects).toEqual([]);
    expect(routeBatch(spec, [line(5, 'PROGRESS_NOTE').replace('IN_PROGRESS', 'N')]).rejects[0].reason).toContain('unknown to_status "N"');
    expect(() => routeBatch(spec, ['1\t2'])).toThrow('fact_task_events: expected 10 fields, got 2');
  });
});
