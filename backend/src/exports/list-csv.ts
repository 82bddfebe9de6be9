import type { z } from 'zod';
import { MODE_LABELS, TASK_STATUS_LABELS, TRACK_LABELS, UNIT_CATEGORY_LABELS } from '../common/labels';
import type { findingRowSchema, taskRowSchema } from '../drill/dto/drill.dto';
import type { CsvColumn } from './files';

/** The columns of the drill-down lists' CSV downloads: the API's rows, headed and labelled in Chinese. */

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
  { header: '整改措施', value: (r) => r.measure },
  { header: '责任部门', value: (r) => r.responsibleDept },
  { header: '责任人', value: (r) => r.responsiblePerson },
  { header: '整改状态', value: (r) => TASK_STATUS_LABELS[r.status] },
  { header: '反馈日期', value: (r) => r.feedbackDate },
  { header: '原定整改时限', value: (r) => r.originalDueDate },
  { header: '现行整改时限', value: (r) => r.dueDate },
  { header: '是否延期', value: (r) => r.extended },
  { header: '销号日期', value: (r) => r.closedDate },
  { header: '超期天数', value: (r) => r.daysOverdue },
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
  { header: '问题描述', value: (r) => r.description },
  { header: '立行立改', value: (r) => r.isImmediate },
  { header: '发现日期', value: (r) => r.foundDate },
  { header: '反馈日期', value: (r) => r.feedbackDate },
  { header: '整改任务数', value: (r) => r.tasks },
  { header: '已销号任务数', value: (r) => r.tasksClosed },
  { header: '是否整改完成', value: (r) => r.closed },
  { header: '整改完成日期', value: (r) => r.closureDate },
];
