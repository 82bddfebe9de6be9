import { MODE_LABELS, TASK_STATUS_LABELS } from '../common/labels';
import { CLUE_RECIPIENT_LABELS, CLUE_STATUS_LABELS } from '../clues/clue-list-file';
import type { CsvColumn } from '../files/files';
import type { UnitProfile, UnitProfileTable } from './dto/unit-profile.dto';

/**
 * The 导出 of the 单位画像 page (.xlsx and CSV), one download per table: the columns of
 * each table as the page shows it, and what the file is called.
 */

const ROLE_LABELS = { PRINCIPAL: '主要负责人', IN_CHARGE: '分管领导', RESPONSIBLE: '责任人' } as const;

type Rows<K extends keyof UnitProfile> = UnitProfile[K] extends readonly (infer R)[] ? R : never;

const INSPECTION_COLUMNS: readonly CsvColumn<Rows<'inspections'>>[] = [
  { header: '巡察编号', value: (r) => r.id },
  { header: '届次', value: (r) => r.termName },
  { header: '轮次', value: (r) => r.roundName },
  { header: '巡察方式', value: (r) => MODE_LABELS[r.mode] },
  { header: '交叉巡察', value: (r) => r.isCross },
  { header: '进驻日期', format: 'date', value: (r) => r.stationedFrom },
  { header: '撤离日期', format: 'date', value: (r) => r.stationedTo },
  { header: '反馈日期', format: 'date', value: (r) => r.feedbackDate },
  { header: '问题数', format: 'count', value: (r) => r.findings },
];

const CATEGORY_COLUMNS: readonly CsvColumn<Rows<'categories'>>[] = [
  { header: '问题大类', value: (r) => r.parentName },
  { header: '问题类别', value: (r) => r.categoryName },
  { header: '问题数', format: 'count', value: (r) => r.findings },
  { header: '重复问题', format: 'count', value: (r) => r.repeats },
  { header: '反弹问题', format: 'count', value: (r) => r.rebounds },
];

const FINDING_COLUMNS: readonly CsvColumn<Rows<'findings'>>[] = [
  { header: '问题编号', value: (r) => r.id },
  { header: '巡察编号', value: (r) => r.inspectionId },
  { header: '问题类别', value: (r) => r.categoryName },
  { header: '问题描述', format: 'wrap', value: (r) => r.description },
  { header: '发现日期', format: 'date', value: (r) => r.foundDate },
  { header: '重复问题', value: (r) => r.isRepeat },
  { header: '反弹问题', value: (r) => r.isRebound },
];

const TASK_COLUMNS: readonly CsvColumn<Rows<'tasks'>>[] = [
  { header: '任务编号', value: (r) => r.id },
  { header: '问题编号', value: (r) => r.findingId },
  { header: '问题类别', value: (r) => r.categoryName },
  { header: '整改措施', format: 'wrap', value: (r) => r.measure },
  { header: '责任部门', value: (r) => r.responsibleDept },
  { header: '责任人', value: (r) => r.responsiblePerson },
  { header: '状态', value: (r) => TASK_STATUS_LABELS[r.status] },
  { header: '原定时限', format: 'date', value: (r) => r.originalDueDate },
  { header: '整改时限', format: 'date', value: (r) => r.dueDate },
  { header: '延期次数', format: 'count', value: (r) => r.extensions },
  { header: '超期天数', format: 'count', value: (r) => r.daysOverdue },
  { header: '销号日期', format: 'date', value: (r) => r.closedDate },
];

const CLUE_COLUMNS: readonly CsvColumn<Rows<'clues'>>[] = [
  { header: '线索编号', value: (r) => r.id },
  { header: '巡察编号', value: (r) => r.inspectionId },
  { header: '移交对象', value: (r) => CLUE_RECIPIENT_LABELS[r.handedTo] },
  { header: '移交日期', format: 'date', value: (r) => r.handedDate },
  { header: '涉及人数', format: 'count', value: (r) => r.persons },
  { header: '线索摘要', format: 'wrap', value: (r) => r.summary },
  { header: '处置状态', value: (r) => CLUE_STATUS_LABELS[r.disposalStatus] },
  { header: '反馈日期', format: 'date', value: (r) => r.concludedDate },
];

const PERSON_COLUMNS: readonly CsvColumn<Rows<'persons'>>[] = [
  { header: '身份', value: (r) => ROLE_LABELS[r.role] },
  { header: '姓名', value: (r) => r.name },
  { header: '责任部门', value: (r) => r.dept },
  // the directory's leaders carry no tasks of their own: empty, as the page shows —
  { header: '整改任务数', format: 'count', value: (r) => (r.role === 'RESPONSIBLE' ? r.tasks : null) },
  { header: '未销号任务数', format: 'count', value: (r) => (r.role === 'RESPONSIBLE' ? r.openTasks : null) },
];

/** Makes a file of some rows under their columns (CSV or .xlsx). */
export type TableWriter<F> = <T>(columns: readonly CsvColumn<T>[], rows: T[]) => F;

/** One table of the page: what it is called, and its rows of a profile written under its columns. */
export interface ProfileTableFile {
  label: string;
  write<F>(profile: UnitProfile, writer: TableWriter<F>): F;
}

function table<T>(label: string, rows: (profile: UnitProfile) => T[], columns: readonly CsvColumn<T>[]): ProfileTableFile {
  return { label, write: (profile, writer) => writer(columns, rows(profile)) };
}

export const PROFILE_TABLE_FILES: Record<UnitProfileTable, ProfileTableFile> = {
  inspections: table('历次巡察', (p) => p.inspections, INSPECTION_COLUMNS),
  categories: table('问题类别', (p) => p.categories, CATEGORY_COLUMNS),
  findings: table('问题清单', (p) => p.findings, FINDING_COLUMNS),
  tasks: table('整改任务', (p) => p.tasks, TASK_COLUMNS),
  clues: table('问题线索', (p) => p.clues, CLUE_COLUMNS),
  persons: table('责任人', (p) => p.persons, PERSON_COLUMNS),
};
