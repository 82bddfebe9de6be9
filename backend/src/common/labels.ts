import type { InspectionMode, TaskStatus, UnitCategory } from './filters';

/** Chinese names of the enum values, as the office writes them. */
export const UNIT_CATEGORY_LABELS: Record<UnitCategory, string> = {
  PARTY_GOV: '党政机关',
  INSTITUTION: '事业单位',
  SOE: '国有企业',
  TOWNSHIP: '乡镇(街道)',
  VILLAGE: '村(社区)',
  OTHER: '其他',
};
export const MODE_LABELS: Record<InspectionMode, string> = { ROUTINE: '常规巡察', SPECIAL: '专项巡察', MOBILE: '机动巡察', REVISIT: '回头看' };
export const TASK_STATUS_LABELS: Record<TaskStatus, string> = {
  NOT_STARTED: '未开始',
  IN_PROGRESS: '整改中',
  CLOSE_REQUESTED: '申请销号',
  CLOSED: '已销号',
  BASICALLY_DONE: '基本完成(持续整改)',
  NOT_DONE: '未完成',
};
export const TRACK_LABELS = { IMMEDIATE: '立行立改', DEADLINE: '限期整改', LONG_TERM: '长期坚持' } as const;
