/**
 * Validation of extracted records: pure functions from a row (column → text, null for
 * SQL NULL) to the reasons it must not be loaded. A record with reasons goes to the
 * reject table; the run goes on without it.
 */
export type Row = Readonly<Record<string, string | null>>;

/** Longest text we load into the warehouse (characters). */
export const MAX_TEXT = 10_000;

export const UNIT_CATEGORIES = new Set(['PARTY_GOV', 'INSTITUTION', 'SOE', 'TOWNSHIP', 'VILLAGE', 'OTHER']);
export const INSPECTION_MODES = new Set(['ROUTINE', 'SPECIAL', 'MOBILE', 'REVISIT']);
export const TASK_TRACKS = new Set(['IMMEDIATE', 'DEADLINE', 'LONG_TERM']);
export const TASK_STATUSES = new Set(['NOT_STARTED', 'IN_PROGRESS', 'CLOSE_REQUESTED', 'CLOSED', 'BASICALLY_DONE', 'NOT_DONE']);
export const TASK_EVENT_TYPES = new Set(['CREATED', 'STATUS_CHANGE', 'EXTENSION', 'PROGRESS_NOTE', 'ESCALATION']);
export const CLUE_RECIPIENTS = new Set(['DISCIPLINE', 'ORGANIZATION', 'OTHER']);
export const CLUE_STATUSES = new Set(['PENDING', 'IN_PROGRESS', 'CONCLUDED']);

/** Length in characters of a COPY text-format field (escapes count as one). */
export function textLength(field: string): number {
  let length = 0;
  for (let i = 0; i < field.length; i += 1) {
    if (field.charCodeAt(i) === 92 /* \ */) i += 1;
    // a surrogate pair is one character
    const code = field.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) i += 1;
    length += 1;
  }
  return length;
}

type Check = (row: Row, reasons: string[]) => void;

const oneOf =
  (column: string, allowed: Set<string>, label: string, optional = false): Check =>
  (row, reasons) => {
    const value = row[column];
    if (value === null || value === undefined) {
      if (!optional) reasons.push(`缺少${label} missing ${column}`);
    } else if (!allowed.has(value)) {
      reasons.push(`未知${label} unknown ${column} "${value}"`);
    }
  };

/** A referenced record (checked by a join in the extract) exists. */
const found =
  (column: string, label: string, idColumn: string): Check =>
  (row, reasons) => {
    if (row[column] !== '1') reasons.push(`未知${label} unknown ${idColumn.replace(/_id$/, '')} (${idColumn} ${row[idColumn] ?? 'null'})`);
  };

const maxText =
  (column: string, label: string): Check =>
  (row, reasons) => {
    const value = row[column];
    if (value !== null && value !== undefined) {
      const length = textLength(value);
      if (length > MAX_TEXT) reasons.push(`${label}超长 ${column} too long (${length} > ${MAX_TEXT} characters)`);
    }
  };

/** The same for a text that stays in PostgreSQL, whose length the extract reads. */
const maxLength =
  (lengthColumn: string, column: string, label: string): Check =>
  (row, reasons) => {
    const length = Number(row[lengthColumn] ?? 0);
    if (length > MAX_TEXT) reasons.push(`${label}超长 ${column} too long (${length} > ${MAX_TEXT} characters)`);
  };

const notBefore =
  (later: string, earlier: string, message: string): Check =>
  (row, reasons) => {
    const a = row[later];
    const b = row[earlier];
    if (a && b && a < b) reasons.push(`${message} (${later} ${a} < ${earlier} ${b})`);
  };

const CHECKS: Record<string, Check[]> = {
  dim_regions: [],
  dim_units: [found('region_found', '区划', 'region_id'), oneOf('category', UNIT_CATEGORIES, '单位类别')],
  dim_categories: [],
  dim_terms: [notBefore('end_date', 'start_date', '届期结束早于开始 term ends before it starts')],
  dim_rounds: [notBefore('end_date', 'start_date', '轮次结束早于开始 round ends before it starts')],
  fact_inspections: [
    found('unit_found', '单位', 'unit_id'),
    found('round_found', '轮次', 'round_id'),
    oneOf('mode', INSPECTION_MODES, '巡察方式'),
    oneOf('unit_category', UNIT_CATEGORIES, '单位类别'),
    notBefore('stationed_to', 'stationed_from', '进驻结束早于进驻开始 stationing ends before it starts'),
    notBefore('feedback_date', 'stationed_from', '反馈早于进驻 feedback before stationing'),
  ],
  fact_findings: [
    found('unit_found', '单位', 'unit_id'),
    found('inspection_found', '巡察', 'inspection_id'),
    (row, reasons) => {
      if (row.category_level !== '2') reasons.push(`问题分类须为二级 category must be a level-2 category (category_id ${row.category_id})`);
    },
    (row, reasons) => {
      if (row.unit_found === '1' && row.inspection_found === '1' && row.inspection_unit_id !== row.unit_id) {
        reasons.push(`问题单位与巡察对象不一致 finding's unit ${row.unit_id} is not the inspected unit ${row.inspection_unit_id}`);
      }
    },
    oneOf('unit_category', UNIT_CATEGORIES, '单位类别', true),
    maxLength('description_length', 'description', '问题描述'),
  ],
  fact_tasks: [
    found('finding_found', '问题', 'finding_id'),
    oneOf('track', TASK_TRACKS, '整改类型'),
    oneOf('status', TASK_STATUSES, '整改状态'),
    (row, reasons) => {
      const closed = row.status === 'CLOSED';
      if (closed && !row.closed_date) reasons.push('状态不可能：已销号但无销号日期 impossible status: CLOSED without a closed date');
      if (!closed && row.closed_date && TASK_STATUSES.has(row.status ?? '')) {
        reasons.push(`状态不可能：未销号却有销号日期 impossible status: ${row.status} with closed date ${row.closed_date}`);
      }
      if (row.track !== 'LONG_TERM' && TASK_TRACKS.has(row.track ?? '') && (!row.original_due_date || !row.current_due_date)) {
        reasons.push('缺少整改期限 missing due date (only 长期坚持 tasks may have none)');
      }
    },
    (row, reasons) => {
      // 立行立改 items may fall due before the formal feedback; the others may not.
      if (row.track !== 'IMMEDIATE') notBefore('original_due_date', 'feedback_date', '整改期限早于反馈日期 due date before feedback')(row, reasons);
    },
    notBefore('current_due_date', 'original_due_date', '当前期限早于原定期限 current due date before the original'),
    maxLength('measure_length', 'measure', '整改措施'),
    maxText('responsible_dept', '责任部门'),
  ],
  fact_task_events: [
    found('task_found', '任务', 'task_id'),
    oneOf('type', TASK_EVENT_TYPES, '事件类型'),
    oneOf('from_status', TASK_STATUSES, '整改状态', true),
    oneOf('to_status', TASK_STATUSES, '整改状态', true),
  ],
  fact_clues: [
    found('inspection_found', '巡察', 'inspection_id'),
    oneOf('handed_to', CLUE_RECIPIENTS, '移交对象'),
    oneOf('disposal_status', CLUE_STATUSES, '处置状态'),
  ],
};

/** The reasons a record of `target` must not be loaded; empty when it is fine. */
export function validate(target: string, row: Row): string[] {
  const checks = CHECKS[target];
  if (!checks) throw new Error(`no validation for ${target}`);
  const reasons: string[] = [];
  for (const check of checks) check(row, reasons);
  return reasons;
}
