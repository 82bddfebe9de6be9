import type { z } from 'zod';
import type { CsvColumn } from '../files/files';
import type { clueRowSchema } from './dto/clues.dto';

/** The 导出 of the clue list (.xlsx and CSV): its columns and what the file is called. */

export type ClueRow = z.infer<typeof clueRowSchema>;

export const CLUE_RECIPIENT_LABELS = { DISCIPLINE: '纪委监委', ORGANIZATION: '组织部', OTHER: '其他' } as const;
export const CLUE_STATUS_LABELS = { PENDING: '待处置', IN_PROGRESS: '处置中', CONCLUDED: '已办结' } as const;
const WARNING_SHORT = { yellow: '黄色预警', orange: '橙色预警', red: '红色预警' } as const;

export const CLUE_FILE_COLUMNS: readonly CsvColumn<ClueRow>[] = [
  { header: '线索编号', value: (r) => r.id },
  { header: '县(市、区)', value: (r) => r.countyName },
  { header: '被巡察单位', value: (r) => r.unitName },
  { header: '巡察轮次', value: (r) => r.roundName },
  { header: '巡察编号', value: (r) => r.inspectionId },
  { header: '移交对象', value: (r) => CLUE_RECIPIENT_LABELS[r.handedTo] },
  { header: '移交日期', format: 'date', value: (r) => r.handedDate },
  { header: '涉及人数', format: 'count', value: (r) => r.persons },
  { header: '线索摘要', format: 'wrap', value: (r) => r.summary },
  { header: '处置状态', value: (r) => CLUE_STATUS_LABELS[r.disposalStatus] },
  { header: '反馈期限', format: 'date', value: (r) => r.feedbackDue },
  { header: '反馈日期', format: 'date', value: (r) => r.concludedDate },
  { header: '预警', value: (r) => (r.warning ? WARNING_SHORT[r.warning] : '') },
];

/** What a clue list holds, from its filters: 红色预警线索, 已办结线索, 问题线索清单. */
export function clueListLabel(query: { status?: keyof typeof CLUE_STATUS_LABELS; warning?: keyof typeof WARNING_SHORT }): string {
  const named = [query.warning ? WARNING_SHORT[query.warning] : '', query.status ? CLUE_STATUS_LABELS[query.status] : ''].join('');
  return named ? `${named}线索` : '问题线索清单';
}
