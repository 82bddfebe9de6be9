/**
 * @xuncha/etl: PostgreSQL → ClickHouse. The warehouse (either engine, its migrations), one
 * ETL run, the scheduler, and the derived tables' builds that the API reads. Other packages
 * import from here, never from this package's src/ files. The CLI (src/cli.ts) is not exported.
 */
export * from './warehouse';
export { pidAlive } from './warehouse/pid';
export { etlConfigFromEnv, type EtlConfig } from './config';
export {
  ETL_LOCK_KEY,
  EtlRunError,
  requestWarehouseLoad,
  runEtl,
  type EtlMode,
  type EtlOptions,
  type EtlProgress,
  type EtlRunResult,
  type TableStats,
} from './runner';
export { recordingChanges, type RunChanges } from './run-changes';
export { startScheduler, type Scheduler, type SchedulerOptions } from './scheduler';
export { waitForReplay, type ReplayWait } from './extract/replica';
export type { Sink } from './load/sink';
export { DERIVED_BY_MIGRATION, nextGeneration, rebuildDerived, warehouseSink, type DerivedTable, type WarehouseSinkOptions } from './load/warehouse-sink';
export { buildFindingSummaryRebuild, type SummaryQuery } from './load/finding-summary';
export {
  buildQuarterState,
  buildQuarterSummaryBuild,
  buildQuarterUnitsBuild,
  ensureQuarterState,
  isQuarterEnd,
  quarterChangeToken,
  QUARTER_STATE_TABLES,
  type QuarterQuery,
} from './load/quarter-state';
export { LAST_BY_MODE } from './load/unit-coverage';
export { closeDays, isRebound, isReinspectedAfterClosure, isReinspection, isRepeat, taskFigures, type TaskColumns } from './load/figures';
