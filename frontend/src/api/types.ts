import type { ResponseOf, Schemas } from './client';
import type { operations } from './schema';

export type OptionsResponse = ResponseOf<'/api/options', 'get'>;
export type OverviewResponse = ResponseOf<'/api/metrics/overview', 'get'>;
export type CoverageResponse = ResponseOf<'/api/metrics/coverage', 'get'>;
export type CategoriesResponse = ResponseOf<'/api/metrics/categories', 'get'>;
export type RectificationResponse = ResponseOf<'/api/metrics/rectification', 'get'>;
export type RecurrenceResponse = ResponseOf<'/api/metrics/recurrence', 'get'>;
export type TaskPage = ResponseOf<'/api/tasks', 'get'>;
export type TaskRow = TaskPage['rows'][number];
export type FindingPage = ResponseOf<'/api/findings', 'get'>;
export type FindingRow = FindingPage['rows'][number];
export type TaskDetail = ResponseOf<'/api/tasks/{id}', 'get'>;
export type TaskEvent = TaskDetail['events'][number];
export type EtlRuns = ResponseOf<'/api/etl/runs', 'get'>;
export type EtlRun = EtlRuns['rows'][number];
export type EtlRejects = ResponseOf<'/api/etl/runs/{id}/rejects', 'get'>;
export type EtlRunResult = ResponseOf<'/api/etl/run', 'post'>;

export type Ratio = OverviewResponse['cards']['coverage'];
export type TaskStatus = TaskRow['status'];
export type AgingBucket = NonNullable<TaskRow['agingBucket']>;
export type UnitCategory = TaskRow['unitCategory'];
export type InspectionMode = TaskRow['mode'];
export type Track = TaskRow['track'];

export type Me = ResponseOf<'/api/auth/me', 'get'>;
export type Role = Me['role'];
export type Users = ResponseOf<'/api/users', 'get'>;
export type UserView = Users['rows'][number];
export type UserRegions = ResponseOf<'/api/users/regions', 'get'>;
export type UserRegion = UserRegions['rows'][number];
export type CreateUserBody = Schemas['CreateUserDto'];
export type UpdateUserBody = Schemas['UpdateUserDto'];
export type AuditPage = ResponseOf<'/api/audit', 'get'>;
export type AuditEntry = AuditPage['rows'][number];
export type AuditQuery = NonNullable<operations['AuditLogController_list']['parameters']['query']>;

// --- 预警, 线索 (h/warnings) -------------------------------------------------------------
export type WarningSummary = ResponseOf<'/api/warnings/summary', 'get'>;
export type WarningLevel = WarningSummary['levels'][number]['level'];
export type CluePage = ResponseOf<'/api/clues', 'get'>;
export type ClueRow = CluePage['rows'][number];
export type ClueStats = ResponseOf<'/api/clues/stats', 'get'>;
