/**
 * @xuncha/backend: the NestJS API. `createApp` builds it (scripts/start.ts serves it); the
 * rest is what the start script and the tests reach from outside: the configuration, the
 * start accounts, the response schemas, the providers a test takes from the running app,
 * and the tables (workbook columns, task transitions, labels) a test checks an answer
 * against. Other packages import from here, never from this package's src/ files.
 */
export { createApp, openApiDocument, type CreateAppOptions } from './app';
export { ConfigError, DEFAULT_DEMO_PASSWORD, loadConfig, type AppConfig } from './config/app-config';
export { APP_CONFIG } from './infra/tokens';
export { AUDIT_KEY } from './audit/audited';
export { AccountsSetupError, demoAccounts, ensureAccounts, ensureStartAccounts, hasAdmin, type DemoAccount } from './auth/bootstrap-users';
export { ensureDefaultCategories } from './masterdata/default-categories';
export type { AgingBucket, Filters, InspectionMode, TaskStatus, UnitCategory } from './common/filters';
export { MODE_LABELS, TASK_STATUS_LABELS, TRACK_LABELS, UNIT_CATEGORY_LABELS } from './common/labels';
export {
  categoriesSchema,
  coverageSchema,
  overviewSchema,
  rectificationSchema,
  recurrenceSchema,
  type CategoriesResponse,
  type CoverageResponse,
  type OverviewResponse,
  type Ratio,
  type RectificationResponse,
  type RecurrenceResponse,
} from './metrics/dto/metrics.dto';
export type { OptionsResponse } from './options/dto/options.dto';
export { DimensionsService } from './dimensions/dimensions.service';
export { QuarterStateService } from './metrics/quarter-state.service';
export { ExportsService } from './exports/exports.service';
export type { ReportedState } from './exports/dto/reported.dto';
export { MetricsService, type MetricRead } from './metrics/metrics.service';
export { MetricsRepository } from './metrics/metrics.repository';
export type { BoundSource, MetricName, ReadSource } from './metrics/read-source';
export { areaLevelOf, type AreaLevel } from './metrics/areas';
export { ScopeService } from './dimensions/scope.service';
export { SYSTEM, type Caller, type Principal } from './auth/principal';
export { CaseRecordsService } from './records/case-records.service';
export { EtlService } from './etl/etl.service';
export { WorkbookPrebuilder } from './exports/workbook-prebuild';
export { lastEndedQuarter, lastEndedQuarters, quarterPeriod, type QuarterPeriod } from './exports/quarters';
export { SIGNATURE_LINE, textWidth } from './files/sheet-writer';
export { HISTORY_COLUMNS, HISTORY_SHEET, LEDGER_COLUMNS, LEDGER_SHEET } from './records/ledger-workbook';
export { ALLOWED_TRANSITIONS, DIRECT_TRANSITIONS, REVIEWED_TRANSITIONS } from './records/task-transitions';
export { evidenceKind, sniffEvidence, type EvidenceKind } from './closure/evidence-type';
