import { listFileName } from '../files/list-file';
import { findingListLabel, taskListLabel } from './list-csv';

describe('list file names', () => {
  it('name the list after its filters', () => {
    expect(listFileName(taskListLabel({ overdue: true }), { region: '某县' }, '2026-12-03', 'xlsx')).toBe('超期任务_某县_2026-12-03.xlsx');
    expect(listFileName(taskListLabel({ warning: 'orange' }), { region: '某县', round: '第一轮' }, '2026-12-03', 'csv')).toBe(
      '橙色预警任务_某县_第一轮_2026-12-03.csv',
    );
    expect(listFileName(taskListLabel({ dueSoon: 10 }), {}, '2026-12-03', 'xlsx')).toBe('10天内到期任务_2026-12-03.xlsx');
    expect(listFileName(taskListLabel({ overdue: true, agingBucket: '31-90' }), {}, '2026-12-03', 'xlsx')).toBe('超期31-90天任务_2026-12-03.xlsx');
    expect(listFileName(taskListLabel({ status: ['CLOSE_REQUESTED'] }), {}, '2026-12-03', 'xlsx')).toBe('申请销号任务_2026-12-03.xlsx');
    expect(listFileName(findingListLabel({ closed: false }), { category: '一类' }, '2026-12-03', 'csv')).toBe('未整改完成问题_一类_2026-12-03.csv');
  });

  it('keep path characters and the separator out of a name', () => {
    expect(listFileName('整改任务清单', { region: 'a/b_c' }, '2026-12-03', 'csv')).toBe('整改任务清单_a-b-c_2026-12-03.csv');
  });
});
