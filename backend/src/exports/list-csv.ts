import type { z } from 'zod';
import { MODE_LABELS, TASK_STATUS_LABELS, TRACK_LABELS, UNIT_CATEGORY_LABELS } from '../common/labels';
import type { findingRowSchema, taskRowSchema } from '../drill/dto/drill.dto';
import type { CsvColumn } from '../files/files';

/** The columns of the drill-down lists' CSV and .xlsx downloads: the API's rows, headed and labelled in Chinese. */

export type TaskRow = z.infer<typeof taskRowSchema>;
export type FindingRow = z.infer<typeof findingRowSchema>;

export const TASK_CSV_COLUMNS: readonly CsvColumn<TaskRow>[] = [
  { header: '任务编号', value: (r) => r.id },
  { header: '问题编号', value: (r) => r.findingId },
  { header: '县(市、区)', value: (r) => r.countyName },
  { header: '被巡察单位', value: (r) => r.unitName },
  { header: '单位类别', value: (r) => UNIT_CATEGORY_LABELS[r.unitCategory] },
  { header: '问题类别', value: (r) => r.categoryName },
  { header: '巡察方式', value: (r) => MODE_LABELS[r.mode] },
  { header: '整改类型', value: (r) => TRACK_LABELS[r.track] },
  { header: '整改措施', format: 'wrap', value: (r) => r.measure },
  { header: '责任部门', value: (r) => r.responsibleDept },
  { header: '责任人', value: (r) => r.responsiblePerson },
  { header: '整改状态', value: (r) => TASK_STATUS_LABELS[r.status] },
  { header: '反馈日期', format: 'date', value: (r) => r.feedbackDate },
  { header: '原定整改时限', format: 'date', value: (r) => r.originalDueDate },
  { header: '现行整改时限', format: 'date', value: (r) => r.dueDate },
  { header: '是否延期', value: (r) => r.extended },
  { header: '销号日期', format: 'date', value: (r) => r.closedDate },
  { header: '超期天数', format: 'count', value: (r) => r.daysOverdue },
  { header: '超期区间(天)', value: (r) => r.agingBucket },
];

export const FINDING_CSV_COLUMNS: readonly CsvColumn<FindingRow>[] = [
  { header: '问题编号', value: (r) => r.id },
  { header: '巡察编号', value: (r) => r.inspectionId },
  { header: '县(市、区)', value: (r) => r.countyName },
  { header: '被巡察单位', value: (r) => r.unitName },
  { header: '单位类别', value: (r) => UNIT_CATEGORY_LABELS[r.unitCategory] },
  { header: '问题类别', value: (r) => r.categoryName },
  { header: '巡察方式', value: (r) => MODE_LABELS[r.mode] },
  { header: '问题描述', format: 'wrap', value: (r) => r.description },
  { header: '立行立改', value: (r) => r.isImmediate },
  { header: '发现日期', format: 'date', value: (r) => r.foundDate },
  { header: '反馈日期', format: 'date', value: (r) => r.feedbackDate },
  { header: '整改任务数', format: 'count', value: (r) => r.tasks },
  { header: '已销号任务数', format: 'count', value: (r) => r.tasksClosed },
  { header: '是否整改完成', value: (r) => r.closed },
  { header: '整改完成日期', format: 'date', value: (r) => r.closureDate },
];

/** What a task list holds, from its filters, in the words of the dashboard's cards. */
export function taskListLabel(query: {
  warning?: 'yellow' | 'orange' | 'red';
  overdue?: boolean;
  agingBucket?: string;
  dueSoon?: number;
  closed?: boolean;
  extended?: boolean;
  immediate?: boolean;
  status?: readonly string[];
}): string {
  if (query.warning) return { yellow: '黄色预警任务', orange: '橙色预警任务', red: '红色预警任务' }[query.warning];
  if (query.agingBucket) return `超期${query.agingBucket}天任务`;
  if (query.overdue === true) return '超期任务';
  if (query.dueSoon !== undefined) return `${query.dueSoon}天内到期任务`;
  if (query.extended === true) return '延期任务';
  if (query.status?.length) return `${query.status.map((s) => TASK_STATUS_LABELS[s as keyof typeof TASK_STATUS_LABELS] ?? s).join('、')}任务`;
  if (query.closed === true) return '已销号任务';
  if (query.closed === false) return '未销号任务';
  if (query.immediate === true) return '立行立改任务';
  return '整改任务清单';
}

/** What a finding list holds. */
export function findingListLabel(query: { closed?: boolean; fedBack?: boolean; immediate?: boolean }): string {
  if (query.closed === false) return '未整改完成问题';
  if (query.closed === true) return '已整改完成问题';
  if (query.immediate === true) return '立行立改问题';
  if (query.fedBack === true) return '已反馈问题';
  return '问题清单';
}
