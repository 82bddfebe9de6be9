import { TASK_STATUS_LABELS } from '../common/labels';
import type { CsvColumn } from '../files/files';
import type { QueueRow } from './dto/closure.dto';

/** The 导出 of the closure review queue (.xlsx and CSV): its columns and what the file is called. */

export const CLOSURE_REQUEST_STATUS_LABELS = { PENDING: '待审核', APPROVED: '已通过', RETURNED: '已退回' } as const;

export const CLOSURE_QUEUE_FILE_COLUMNS: readonly CsvColumn<QueueRow>[] = [
  { header: '申请编号', value: (r) => r.id },
  { header: '任务编号', value: (r) => r.taskId },
  { header: '县(市、区)', value: (r) => r.task.regionName },
  { header: '被巡察单位', value: (r) => r.task.unitName },
  { header: '整改措施', format: 'wrap', value: (r) => r.task.measure },
  { header: '责任部门', value: (r) => r.task.responsibleDept },
  { header: '责任人', value: (r) => r.task.responsiblePerson },
  { header: '整改期限', format: 'date', value: (r) => r.task.currentDueDate },
  { header: '任务状态', value: (r) => TASK_STATUS_LABELS[r.task.status] },
  { header: '申请人', value: (r) => r.applicant },
  { header: '申请日期', format: 'date', value: (r) => r.requestDate },
  { header: '整改情况说明', format: 'wrap', value: (r) => r.explanation },
  { header: '佐证材料(份)', format: 'count', value: (r) => r.evidence.length },
  { header: '审核状态', value: (r) => CLOSURE_REQUEST_STATUS_LABELS[r.status] },
  { header: '审核人', value: (r) => r.reviewer },
  { header: '审核意见', format: 'wrap', value: (r) => r.reviewNote },
];

/** What a queue holds, from its status: 待审核销号申请, 已通过销号申请, 已退回销号申请. */
export function closureQueueLabel(status: keyof typeof CLOSURE_REQUEST_STATUS_LABELS): string {
  return `${CLOSURE_REQUEST_STATUS_LABELS[status]}销号申请`;
}
