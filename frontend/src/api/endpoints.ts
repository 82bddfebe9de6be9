import type { Filters } from '../lib/filters';
import { api, unwrap, failure, postForm, ApiError, type ResponseOf } from './client';
import type { operations } from './schema';
import type {
  AuditPage,
  AuditQuery,
  CategoriesResponse,
  CreateUserBody,
  Me,
  UpdateUserBody,
  UserRegions,
  Users,
  UserView,
  CoverageResponse,
  EtlRejects,
  EtlRunResult,
  EtlRuns,
  FindingPage,
  OptionsResponse,
  OverviewResponse,
  RecurrenceResponse,
  RectificationResponse,
  TaskDetail,
  TaskPage,
  TaskStatus,
  ClueRow,
  CluePage,
  ClueStats,
  WarningSummary,
} from './types';
import { listParams } from '../lib/download';

/**
 * One function per endpoint the dashboard calls. Filters go straight from the URL into the
 * query; every failure is an ApiError with the API's message.
 */
export type Signal = AbortSignal | undefined;

// --- accounts -------------------------------------------------------------------------

export const getMe = (signal?: Signal) => unwrap<Me>(api.GET('/api/auth/me', { signal }));
export const signIn = (username: string, password: string) => unwrap<Me>(api.POST('/api/auth/login', { body: { username, password } }));
export const signOut = () => unwrap<unknown>(api.POST('/api/auth/logout'));
export const changePassword = (currentPassword: string, newPassword: string) =>
  unwrap<unknown>(api.POST('/api/auth/password', { body: { currentPassword, newPassword } }));

export const getUsers = (signal?: Signal) => unwrap<Users>(api.GET('/api/users', { signal }));
export const getUserRegions = (signal?: Signal) => unwrap<UserRegions>(api.GET('/api/users/regions', { signal }));
export const createUser = (body: CreateUserBody) => unwrap<UserView>(api.POST('/api/users', { body }));
export const updateUser = (id: number, body: UpdateUserBody) => unwrap<UserView>(api.PATCH('/api/users/{id}', { params: { path: { id: String(id) } }, body }));
export const getAudit = (query: AuditQuery, signal?: Signal) => unwrap<AuditPage>(api.GET('/api/audit', { params: { query }, signal }));

// --- figures and lists ------------------------------------------------------------------

export const getOptions = (signal?: Signal) => unwrap<OptionsResponse>(api.GET('/api/options', { signal }));
export const getOverview = (q: Filters, signal?: Signal) => unwrap<OverviewResponse>(api.GET('/api/metrics/overview', { params: { query: q }, signal }));
export const getCoverage = (q: Filters & { uncoveredLimit?: string; uncoveredOffset?: string }, signal?: Signal) =>
  unwrap<CoverageResponse>(api.GET('/api/metrics/coverage', { params: { query: q }, signal }));
export const getCategories = (q: Filters, signal?: Signal) => unwrap<CategoriesResponse>(api.GET('/api/metrics/categories', { params: { query: q }, signal }));
export const getRectification = (q: Filters, signal?: Signal) =>
  unwrap<RectificationResponse>(api.GET('/api/metrics/rectification', { params: { query: q }, signal }));
export const getRecurrence = (q: Filters, signal?: Signal) => unwrap<RecurrenceResponse>(api.GET('/api/metrics/recurrence', { params: { query: q }, signal }));

export type TaskListQuery = NonNullable<operations['DrillController_tasks']['parameters']['query']>;
export type FindingListQuery = NonNullable<operations['DrillController_findings']['parameters']['query']>;

export const getTasks = (q: TaskListQuery, signal?: Signal) => unwrap<TaskPage>(api.GET('/api/tasks', { params: { query: q }, signal }));
export const getFindings = (q: FindingListQuery, signal?: Signal) => unwrap<FindingPage>(api.GET('/api/findings', { params: { query: q }, signal }));
export const getTask = (id: number, signal?: Signal) => unwrap<TaskDetail>(api.GET('/api/tasks/{id}', { params: { path: { id: String(id) } }, signal }));

export const getEtlRuns = (page: number, pageSize: number, signal?: Signal) =>
  unwrap<EtlRuns>(api.GET('/api/etl/runs', { params: { query: { page: String(page), pageSize: String(pageSize) } }, signal }));
export const getEtlRejects = (id: number, page: number, pageSize: number, signal?: Signal) =>
  unwrap<EtlRejects>(
    api.GET('/api/etl/runs/{id}/rejects', { params: { path: { id: String(id) }, query: { page: String(page), pageSize: String(pageSize) } }, signal }),
  );
/** 数据更新于: the end of the last successful ETL run (null before the first). */
export const getEtlFreshness = (signal?: Signal) => unwrap<{ lastSucceededAt: string | null }>(api.GET('/api/etl/freshness', { signal }));
export const runEtl = (mode: 'incremental' | 'full' = 'incremental') => unwrap<EtlRunResult>(api.POST('/api/etl/run', { body: { mode } }));

// --- task writes (case records) -----------------------------------------------------

export type TaskWriteResult = ResponseOf<'/api/tasks/{id}/notes', 'post'>;

/** 补录: the day a task write takes effect when it is recorded late, and why (both absent: today). */
export interface Backdate {
  effectiveDate?: string;
  backdateReason?: string;
}
export const changeTaskStatus = (id: number, status: TaskStatus, note?: string, backdate: Backdate = {}) =>
  unwrap<TaskWriteResult>(
    api.POST('/api/tasks/{id}/status', { params: { path: { id: String(id) } }, body: { status, ...(note ? { note } : {}), ...backdate } }),
  );
export const extendTask = (id: number, newDueDate: string, reason: string, backdate: Backdate = {}) =>
  unwrap<TaskWriteResult>(api.POST('/api/tasks/{id}/extensions', { params: { path: { id: String(id) } }, body: { newDueDate, reason, ...backdate } }));
export const addTaskNote = (id: number, note: string) =>
  unwrap<TaskWriteResult>(api.POST('/api/tasks/{id}/notes', { params: { path: { id: String(id) } }, body: { note } }));

// --- export ---------------------------------------------------------------------------

/**
 * The quarterly workbook as a file: its bytes and the name the server gave it. A quarter
 * marked 已报送 comes as reported unless `version` is `current` (computed now, labelled so).
 */
export async function downloadQuarterly(
  year: number,
  quarter: number,
  regionId?: number,
  version?: 'reported' | 'current',
): Promise<{ blob: Blob; filename: string }> {
  let response: Response;
  try {
    response = await fetch(
      `/api/exports/quarterly?year=${year}&quarter=${quarter}${regionId ? `&regionId=${regionId}` : ''}${version ? `&version=${version}` : ''}`,
    );
  } catch (cause) {
    throw new ApiError(0, cause instanceof Error ? cause.message : String(cause));
  }
  if (!response.ok) {
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      body = undefined;
    }
    throw failure(response, body);
  }
  const blob = await response.blob();
  return { blob, filename: filenameOf(response.headers.get('content-disposition')) ?? `巡察统计-${year}Q${quarter}.xlsx` };
}

// --- 已报送 reported quarters ----------------------------------------------------------------

export type ReportedState = ResponseOf<'/api/exports/quarterly/report', 'get'>;
export type ReportedCorrection = ReportedState['corrections'][number];

/** A quarter's 报送 state for the city's workbook, or a county-level region's. */
export const getReportedState = (year: number, quarter: number, regionId?: number, signal?: Signal) =>
  unwrap<ReportedState>(
    api.GET('/api/exports/quarterly/report', {
      params: { query: { year: String(year), quarter: String(quarter), ...(regionId ? { regionId: String(regionId) } : {}) } },
      signal,
    }),
  );
/** 标记已报送: the workbook and its figures are kept as they are now. */
export const reportQuarter = (year: number, quarter: number, regionId?: number) =>
  unwrap<ReportedState>(api.POST('/api/exports/quarterly/report', { body: { year, quarter, ...(regionId ? { regionId } : {}) } }));

export type WithdrawnReport = ReportedState['withdrawn'][number];
/** 撤回已报送 (ADMIN): the report is kept as 已撤回 with the reason, and the quarter may be reported again. */
export const withdrawReport = (year: number, quarter: number, regionId: number | undefined, reason: string) =>
  unwrap<ReportedState>(api.POST('/api/exports/quarterly/report/withdraw', { body: { year, quarter, reason, ...(regionId ? { regionId } : {}) } }));
/** A withdrawn report's workbook, as it was reported. */
export const withdrawnReportUrl = (id: number) => `/api/exports/quarterly/report/withdrawn/${id}`;

/** The file name in a Content-Disposition header (filename* first, UTF-8). */
export function filenameOf(header: string | null): string | undefined {
  if (!header) return undefined;
  const star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header);
  if (star) {
    try {
      return decodeURIComponent(star[1].trim());
    } catch {
      // fall through to the plain name
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(header);
  return plain?.[1]?.trim();
}

// --- closure review (销号审核) -------------------------------------------------------------

export type ClosureRequest = ResponseOf<'/api/closure-requests/{id}/approve', 'post'>['request'];
export type ClosureWrite = ResponseOf<'/api/closure-requests/{id}/approve', 'post'>;
export type ClosureQueue = ResponseOf<'/api/closure-requests', 'get'>;
export type ClosureQueueQuery = NonNullable<operations['ClosureController_queue']['parameters']['query']>;

export const getClosureRequests = (taskId: number, signal?: Signal) =>
  unwrap<{ rows: ClosureRequest[] }>(api.GET('/api/tasks/{id}/closure-requests', { params: { path: { id: String(taskId) } }, signal }));
export const getClosureQueue = (query: ClosureQueueQuery, signal?: Signal) =>
  unwrap<ClosureQueue>(api.GET('/api/closure-requests', { params: { query }, signal }));
export const approveClosure = (id: number, note?: string) =>
  unwrap<ClosureWrite>(api.POST('/api/closure-requests/{id}/approve', { params: { path: { id: String(id) } }, body: note ? { note } : {} }));
export const returnClosure = (id: number, reason: string) =>
  unwrap<ClosureWrite>(api.POST('/api/closure-requests/{id}/return', { params: { path: { id: String(id) } }, body: { reason } }));
export const reopenTask = (taskId: number, reason: string) =>
  unwrap<TaskWriteResult>(api.POST('/api/tasks/{id}/reopen', { params: { path: { id: String(taskId) } }, body: { reason } }));
/** Where an evidence file downloads from (an audited GET). */
export const evidenceUrl = (id: number) => `/api/closure-evidence/${id}`;

/** 申请销号: the explanation and the files as one multipart form (openapi-fetch sends JSON only). */
export async function applyForClosure(taskId: number, explanation: string, files: File[]): Promise<ClosureWrite> {
  const form = new FormData();
  form.append('explanation', explanation);
  for (const file of files) form.append('files', file, file.name);
  return postForm<ClosureWrite>(`/api/tasks/${taskId}/closure-requests`, form);
}
// --- 预警, 督办单, list downloads, 线索 (h/warnings) -------------------------------------

export const getWarningSummary = (q: Filters, signal?: Signal) => unwrap<WarningSummary>(api.GET('/api/warnings/summary', { params: { query: q }, signal }));

/** A file from the API: its bytes and the name the server gave it; a refusal as an ApiError. */
async function fileOf(request: Promise<Response>, fallback: string): Promise<{ blob: Blob; filename: string }> {
  let response: Response;
  try {
    response = await request;
  } catch (cause) {
    throw new ApiError(0, cause instanceof Error ? cause.message : String(cause));
  }
  if (!response.ok) {
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      body = undefined;
    }
    throw failure(response, body);
  }
  return { blob: await response.blob(), filename: filenameOf(response.headers.get('content-disposition')) ?? fallback };
}

/** Every row of a list (its filters, without paging) as .xlsx or CSV. */
/** A list downloaded whole: the drill-down lists (tasks, findings), the case-record lists (inspections, records/findings), the clues and the audit log. */
export type ListKind =
  | 'tasks'
  | 'findings'
  | 'inspections'
  | 'records/findings'
  | 'clues'
  | 'audit'
  | 'closure-requests'
  | 'masterdata/units'
  | 'masterdata/regions'
  | `units/${number}/profile`
  | 'uncovered-units'
  | 'users'
  | 'etl/runs'
  | `etl/runs/${number}/rejects`;
export const downloadList = (kind: ListKind, format: 'xlsx' | 'csv', query: Record<string, unknown>) =>
  fileOf(fetch(`/api/${kind}.${format}?${listParams(query)}`), `${kind.replaceAll('/', '-')}.${format}`);

export type NoticeKind = 'WARNING' | 'SUPERVISION';
/** 预警函 / 督办单 for every task of the list: a .docx, or a zip of several. Records an escalation on each task. */
export const issueNotices = (query: Record<string, unknown>, body: { kind: NoticeKind; groupBy: 'unit' | 'dept' }) =>
  fileOf(
    fetch(`/api/notices?${listParams(query)}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    'notices.docx',
  );

export type ClueListQuery = NonNullable<operations['CluesController_list']['parameters']['query']>;
export type ClueBody = {
  inspectionId: number;
  handedTo: ClueRow['handedTo'];
  handedDate: string;
  persons: number;
  summary: string;
  disposalStatus: ClueRow['disposalStatus'];
  concludedDate: string | null;
};
export const getClues = (q: ClueListQuery, signal?: Signal) => unwrap<CluePage>(api.GET('/api/clues', { params: { query: q }, signal }));
export const getClueStats = (regionId: string | undefined, signal?: Signal) =>
  unwrap<ClueStats>(api.GET('/api/clues/stats', { params: { query: regionId ? { regionId } : {} }, signal }));
export const createClue = (body: ClueBody) => unwrap<ClueRow>(api.POST('/api/clues', { body }));
export const updateClue = (id: number, body: Partial<ClueBody>) =>
  unwrap<ClueRow>(api.PATCH('/api/clues/{id}', { params: { path: { id: String(id) } }, body }));
