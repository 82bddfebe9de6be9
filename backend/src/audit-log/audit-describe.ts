import { MODE_LABELS, TASK_STATUS_LABELS, TRACK_LABELS } from '../common/labels';

/**
 * An audit entry in a clerk's words: "修改整改任务 #12（某局）的责任人" rather than
 * `PATCH /api/tasks/12` and a JSON body. Pure: the record names come from the repository.
 */

/** Every action the API records: its name, and the verb that opens the sentence. */
export const AUDIT_ACTIONS: Record<string, { label: string; verb: string }> = {
  'auth.login': { label: '登录', verb: '登录' },
  'auth.logout': { label: '退出登录', verb: '退出登录' },
  'auth.password': { label: '修改密码', verb: '修改密码' },
  'user.create': { label: '新建用户', verb: '新建' },
  'user.update': { label: '修改用户', verb: '修改' },
  'inspection.create': { label: '新建巡察', verb: '新建' },
  'inspection.update': { label: '更正巡察', verb: '更正' },
  'inspection.delete': { label: '删除巡察', verb: '删除' },
  'finding.create': { label: '新建问题', verb: '新建' },
  'finding.update': { label: '更正问题', verb: '更正' },
  'finding.delete': { label: '删除问题', verb: '删除' },
  'task.create': { label: '新建整改任务', verb: '新建' },
  'task.update': { label: '更正整改任务', verb: '更正' },
  'task.delete': { label: '删除整改任务', verb: '删除' },
  'task.status': { label: '变更任务状态', verb: '变更' },
  'task.extend': { label: '任务延期', verb: '延期' },
  'task.note': { label: '记录进展', verb: '记录进展' },
  'closure.apply': { label: '申请销号', verb: '申请销号' },
  'closure.reopen': { label: '重新打开任务', verb: '重新打开' },
  'closure.approve': { label: '销号审核通过', verb: '审核通过' },
  'closure.return': { label: '销号审核退回', verb: '退回' },
  'closure.evidence.download': { label: '下载销号佐证', verb: '下载' },
  'ledger.import': { label: '导入整改台账', verb: '导入整改台账' },
  'notice.issue': { label: '发出督办通知', verb: '发出督办通知' },
  'clue.create': { label: '新建线索', verb: '新建' },
  'clue.update': { label: '修改线索', verb: '修改' },
  'masterdata.region.create': { label: '新建地区', verb: '新建' },
  'masterdata.region.update': { label: '修改地区', verb: '修改' },
  'masterdata.region.import': { label: '导入地区', verb: '导入地区' },
  'masterdata.term.create': { label: '新建届次', verb: '新建' },
  'masterdata.term.update': { label: '修改届次', verb: '修改' },
  'masterdata.round.create': { label: '新建轮次', verb: '新建' },
  'masterdata.round.update': { label: '修改轮次', verb: '修改' },
  'masterdata.unit.create': { label: '新建单位', verb: '新建' },
  'masterdata.unit.update': { label: '修改单位', verb: '修改' },
  'masterdata.unit.import': { label: '导入单位', verb: '导入单位' },
  'masterdata.unit.abolish': { label: '撤销单位', verb: '撤销' },
  'masterdata.category.create': { label: '新建问题类别', verb: '新建' },
  'masterdata.category.rename': { label: '重命名问题类别', verb: '重命名' },
  'masterdata.category.delete': { label: '删除问题类别', verb: '删除' },
  'export.quarterly': { label: '导出季度报表', verb: '导出季度报表' },
  'export.tasks-csv': { label: '导出任务清单(CSV)', verb: '导出任务清单(CSV)' },
  'export.tasks-xlsx': { label: '导出任务清单(Excel)', verb: '导出任务清单(Excel)' },
  'export.findings-csv': { label: '导出问题清单(CSV)', verb: '导出问题清单(CSV)' },
  'export.findings-xlsx': { label: '导出问题清单(Excel)', verb: '导出问题清单(Excel)' },
  'export.audit-csv': { label: '导出审计日志(CSV)', verb: '导出审计日志(CSV)' },
  'export.audit-xlsx': { label: '导出审计日志(Excel)', verb: '导出审计日志(Excel)' },
  // exports3: the last lists' 导出, and the withdrawal of a reported quarter
  'export.uncovered-csv': { label: '导出未覆盖单位(CSV)', verb: '导出未覆盖单位(CSV)' },
  'export.uncovered-xlsx': { label: '导出未覆盖单位(Excel)', verb: '导出未覆盖单位(Excel)' },
  'export.users-csv': { label: '导出用户列表(CSV)', verb: '导出用户列表(CSV)' },
  'export.users-xlsx': { label: '导出用户列表(Excel)', verb: '导出用户列表(Excel)' },
  'export.etl-runs-csv': { label: '导出同步记录(CSV)', verb: '导出同步记录(CSV)' },
  'export.etl-runs-xlsx': { label: '导出同步记录(Excel)', verb: '导出同步记录(Excel)' },
  'export.etl-rejects-csv': { label: '导出拒收记录(CSV)', verb: '导出拒收记录(CSV)' },
  'export.etl-rejects-xlsx': { label: '导出拒收记录(Excel)', verb: '导出拒收记录(Excel)' },
  'export.quarterly-withdraw': { label: '撤回已报送', verb: '撤回已报送' },
  'export.quarterly-withdrawn': { label: '下载已撤回的报送表', verb: '下载已撤回的报送表' },
  // profileexports: 导出 of 单位画像's tables and of 行政区划
  'export.unit-profile-csv': { label: '导出单位画像(CSV)', verb: '导出单位画像(CSV)' },
  'export.unit-profile-xlsx': { label: '导出单位画像(Excel)', verb: '导出单位画像(Excel)' },
  'export.regions-csv': { label: '导出行政区划(CSV)', verb: '导出行政区划(CSV)' },
  'export.regions-xlsx': { label: '导出行政区划(Excel)', verb: '导出行政区划(Excel)' },
  'etl.run': { label: '立即同步', verb: '立即同步数据' },
};

/** The kinds of record an API path names, and what the log calls each. */
export const RECORD_KINDS = {
  task: '整改任务',
  finding: '问题',
  inspection: '巡察',
  user: '用户',
  region: '地区',
  term: '届次',
  round: '轮次',
  unit: '单位',
  category: '问题类别',
  clue: '线索',
  closureRequest: '销号申请',
  evidence: '销号佐证',
} as const;
export type RecordKind = keyof typeof RECORD_KINDS;

/** The record a path names, e.g. `/api/tasks/12/status` → task 12. */
export interface RecordRef {
  kind: RecordKind;
  id: string;
}

const PATHS: [RegExp, RecordKind][] = [
  [/^\/api\/tasks\/(\d+)(?:\/|$)/, 'task'],
  [/^\/api\/findings\/(\d+)(?:\/|$)/, 'finding'],
  [/^\/api\/inspections\/(\d+)(?:\/|$)/, 'inspection'],
  [/^\/api\/users\/(\d+)(?:\/|$)/, 'user'],
  [/^\/api\/masterdata\/regions\/(\d+)(?:\/|$)/, 'region'],
  [/^\/api\/masterdata\/terms\/(\d+)(?:\/|$)/, 'term'],
  [/^\/api\/masterdata\/rounds\/(\d+)(?:\/|$)/, 'round'],
  [/^\/api\/masterdata\/units\/(\d+)(?:\/|$)/, 'unit'],
  // 单位画像 and its downloads (`/api/units/7/profile.csv`)
  [/^\/api\/units\/(\d+)(?:\/|$)/, 'unit'],
  [/^\/api\/masterdata\/categories\/(\d+)(?:\/|$)/, 'category'],
  [/^\/api\/clues\/(\d+)(?:\/|$)/, 'clue'],
  [/^\/api\/closure-requests\/(\d+)(?:\/|$)/, 'closureRequest'],
  [/^\/api\/closure-evidence\/(\d+)(?:\/|$)/, 'evidence'],
];

/** The record an entry's path names, if it names one. */
export function recordOf(target: string | null): RecordRef | null {
  if (!target) return null;
  for (const [pattern, kind] of PATHS) {
    const match = pattern.exec(target);
    if (match) return { kind, id: match[1] };
  }
  return null;
}

/** What every correctable field is called (records' PATCH bodies, users, master data). */
export const FIELD_LABELS: Record<string, string> = {
  measure: '整改措施',
  responsibleDept: '责任部门',
  responsiblePerson: '责任人',
  track: '整改类型',
  originalDueDate: '整改时限',
  roundId: '轮次',
  unitId: '被巡察单位',
  team: '巡察组',
  mode: '巡察方式',
  isCross: '交叉巡察',
  isElevated: '提级巡察',
  stationedFrom: '进驻日期',
  stationedTo: '进驻结束日期',
  feedbackDate: '反馈日期',
  categoryId: '问题类别',
  description: '问题描述',
  isImmediate: '立行立改',
  isKeyConcern: '重点关注',
  recurrenceOfId: '复发所指问题',
  foundDate: '发现日期',
  displayName: '姓名',
  role: '角色',
  regionId: '地区',
  active: '启用',
  name: '名称',
  code: '编码',
  status: '状态',
  summary: '线索摘要',
  disposalStatus: '处置状态',
};

const VALUE_LABELS: Record<string, Record<string, string>> = {
  track: TRACK_LABELS,
  mode: MODE_LABELS,
  status: TASK_STATUS_LABELS,
};

/** A value as a clerk reads it: 是/否, a label for a code, — for nothing. */
export function valueText(field: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (typeof value === 'string' && VALUE_LABELS[field]?.[value]) return VALUE_LABELS[field][value];
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value) ?? '—';
}

export interface ChangeView {
  field: string;
  label: string;
  before: string;
  after: string;
}

/** The before/after of a correction as stored in the entry's detail (`changes`). */
export function changesOf(detail: Record<string, unknown> | null): ChangeView[] {
  const changes = detail?.changes;
  if (!Array.isArray(changes)) return [];
  return changes
    .filter(
      (c): c is { field: string; before: unknown; after: unknown } => !!c && typeof c === 'object' && typeof (c as { field?: unknown }).field === 'string',
    )
    .map((c) => ({ field: c.field, label: FIELD_LABELS[c.field] ?? c.field, before: valueText(c.field, c.before), after: valueText(c.field, c.after) }));
}

/** The body fields of a write that are named in its sentence (a PATCH without `changes`). */
function bodyFields(detail: Record<string, unknown> | null): string[] {
  const body = detail?.body;
  if (!body || typeof body !== 'object' || Array.isArray(body)) return [];
  return Object.keys(body).filter((k) => FIELD_LABELS[k] && k !== 'password');
}

export interface AuditDescription {
  /** The action's name (an unknown action as it is). */
  actionLabel: string;
  /** The record the entry is about, named: `整改任务 #12（某局）`. */
  record: string | null;
  /** One sentence: `更正整改任务 #12（某局）的责任人`. */
  summary: string;
  changes: ChangeView[];
}

/**
 * An entry in words. `recordName` is the name the repository found for the entry's record
 * (null when the path names none or the record is gone).
 */
export function describeAudit(
  entry: { action: string; target: string | null; success: boolean; detail: Record<string, unknown> | null },
  recordName: string | null,
): AuditDescription {
  const known = AUDIT_ACTIONS[entry.action];
  const actionLabel = known?.label ?? entry.action;
  const ref = recordOf(entry.target);
  const record = ref ? `${RECORD_KINDS[ref.kind]} #${ref.id}${recordName ? `（${recordName}）` : ''}` : null;
  const changes = changesOf(entry.detail);
  const fields =
    entry.action === 'task.status'
      ? ['状态']
      : changes.length > 0
        ? changes.map((c) => c.label)
        : entry.action.endsWith('.update')
          ? bodyFields(entry.detail).map((k) => FIELD_LABELS[k])
          : [];
  let summary: string;
  if (!known) summary = record ? `${entry.action} ${record}` : entry.action;
  else if (record && known.verb === known.label) summary = `${known.verb}：${record}`;
  else if (record) summary = `${known.verb}${record}${fields.length > 0 ? `的${fields.join('、')}` : ''}`;
  else summary = known.label;
  if (entry.action === 'task.status') {
    const status = (entry.detail?.body as { status?: unknown } | undefined)?.status;
    if (typeof status === 'string') summary += `为「${valueText('status', status)}」`;
  }
  if (!entry.success) summary += '（未成功）';
  return { actionLabel, record, summary, changes };
}
