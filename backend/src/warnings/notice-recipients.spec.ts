import { recipientNames, type NoticeTask } from './notice-document';

const task = (responsiblePerson: string): NoticeTask => ({
  id: 1,
  unitName: '某局',
  categoryName: '类',
  measure: '措施',
  responsibleDept: '办公室',
  responsiblePerson,
  dueDate: null,
  daysOverdue: 0,
  level: null,
});
const none = { principalLeader: null, leaderInCharge: null };
const both = { principalLeader: '李主任', leaderInCharge: '王副主任' };

describe('recipientNames', () => {
  it('names the people of each role on the ladder where known, the role where not', () => {
    expect(recipientNames('red', both, [task('张三'), task('赵四'), task('张三')])).toBe('责任人张三、赵四，分管领导王副主任，主要负责人李主任');
    expect(recipientNames('orange', both, [task('张三')])).toBe('责任人张三，分管领导王副主任');
    expect(recipientNames('yellow', both, [task('张三')])).toBe('责任人张三');
    expect(recipientNames('red', none, [task(' ')])).toBe('责任人，分管领导，主要负责人');
    expect(recipientNames('red', { principalLeader: '李主任', leaderInCharge: null }, [task('张三')])).toBe('责任人张三，分管领导，主要负责人李主任');
  });

  it('addresses the responsible persons alone when no task is warned', () => {
    expect(recipientNames(null, both, [task('张三')])).toBe('责任人张三');
  });
});
