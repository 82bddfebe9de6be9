import { Inject, Injectable, Logger, StreamableFile, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { shanghaiToday } from '@xuncha/shared';
import { type Warehouse, warehouseSink, runEtl, type EtlMode, type EtlRunResult, recordingChanges, startScheduler, type Scheduler } from '@xuncha/etl';
import type { AppConfig } from '../config/app-config';
import { AppError } from '../common/http-exception.filter';
import type { Principal } from '../auth/principal';
import { APP_CONFIG, DATABASE_READ_URL, DATABASE_URL, WAREHOUSE } from '../infra/tokens';
import { DimensionsService } from '../dimensions/dimensions.service';
import { ResponseCacheService } from '../response-cache/response-cache.service';
import { EtlRepository } from './etl.repository';
import { namedFileName } from '../files/list-file';
import { csvListFile, listPages, xlsxListFile, type ListFile, type ListPage } from '../files/list-file';
import type { CsvColumn } from '../files/files';
import { ETL_REJECT_FILE_COLUMNS, ETL_RUN_FILE_COLUMNS, ETL_RUNS_LABEL, etlRejectsLabel, type EtlRejectView, type EtlRunView } from './etl-list-file';

const PAGE_SIZE_MAX = 200;

/**
 * Schedules the pipeline inside the service (every ETL_INTERVAL_SECONDS, backing off after
 * failures), runs it on request, and reports the run history. The pipeline itself lives in
 * etl/ and knows nothing of NestJS.
 */
@Injectable()
export class EtlService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ETL');
  /** Rows per read of a list downloaded whole (tests lower it to cross page boundaries). */
  fileChunk = PAGE_SIZE_MAX;
  private scheduler?: Scheduler;
  private readonly sink;
  private readonly warehouse: Warehouse;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(DATABASE_URL) private readonly databaseUrl: string,
    @Inject(DATABASE_READ_URL) private readonly databaseReadUrl: string | null,
    @Inject(WAREHOUSE) warehouse: Warehouse,
    @Inject(DimensionsService) private readonly dimensions: DimensionsService,
    @Inject(EtlRepository) private readonly repository: EtlRepository,
    @Inject(ResponseCacheService) private readonly responseCache: ResponseCacheService,
  ) {
    this.warehouse = warehouse;
    this.sink = warehouseSink(warehouse);
  }

  onApplicationBootstrap(): void {
    if (this.config.etlIntervalSeconds <= 0) return;
    this.scheduler = startScheduler({
      intervalMs: this.config.etlIntervalSeconds * 1000,
      job: async () => {
        await this.run('incremental', 'schedule');
      },
      onError: (error) => this.logger.error(`同步失败 ETL run failed (retrying with backoff): ${error instanceof Error ? error.message : String(error)}`),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    // Lets the run under way finish its batch and record itself.
    await this.scheduler?.stop();
  }

  /**
   * One run; a run that changed a figure makes the metrics re-read their dimensions, and the
   * response cache drop the answers its changes reach (also when it failed after loading
   * part of them: the next run would find those rows already there). The
   * runner turns it into a full run when the warehouse needs one (etl_state). `waitForLock`
   * queues it behind a run under way instead of skipping it.
   */
  async run(mode: EtlMode, trigger: string, waitForLock = false): Promise<EtlRunResult> {
    const recorder = recordingChanges(this.sink, this.warehouse);
    let result: EtlRunResult;
    try {
      result = await runEtl({
        databaseUrl: this.databaseUrl,
        readDatabaseUrl: this.databaseReadUrl ?? undefined,
        sink: recorder.sink,
        mode,
        trigger,
        waitForLock,
      });
    } finally {
      const changes = recorder.changes();
      // A run whose rows change no figure (progress notes, rows loaded again unchanged)
      // leaves the dimensions as they are: only the generation they agree with moves on.
      if (changes.everything || changes.counties.length > 0) this.dimensions.invalidate();
      else if (changes.generation) this.dimensions.acknowledge(changes.generation.before, changes.generation.after);
      this.responseCache.applyRun(changes);
    }
    if (result.status === 'succeeded' && (result.read > 0 || result.mode === 'full')) {
      this.logger.log(
        `同步 ETL run ${result.runId} (${result.mode}, ${trigger}): ${result.written} written, ${result.rejected} rejected in ${result.seconds.toFixed(2)} s`,
      );
    }
    return result;
  }

  /**
   * A run on request. A full run replaces the whole warehouse: the administrator's alone.
   * It waits for a run under way (the schedule's runs keep the lock most of the time while
   * writes arrive) and answers once it has run, never `skipped`.
   */
  async runNow(mode: EtlMode, principal: Principal | undefined) {
    if (mode === 'full' && principal?.role !== 'ADMIN') {
      throw new AppError(403, '全量同步仅限系统管理员 only the administrator may run a full load (mode full); run an incremental one instead');
    }
    await this.repository.recordRunRequest();
    const result = await this.run(mode, 'manual', mode === 'full');
    return {
      status: result.status,
      runId: result.runId,
      mode: result.mode,
      read: result.read,
      written: result.written,
      rejected: result.rejected,
      seconds: result.seconds,
      message:
        result.status === 'skipped'
          ? '另一个同步正在进行，本次未执行 Another ETL run is under way; this one was skipped'
          : `同步完成 ${result.written} written, ${result.rejected} rejected`,
    };
  }

  async runs(page: number, pageSize: number) {
    const { total, rows } = await this.repository.runs(page, Math.min(pageSize, PAGE_SIZE_MAX));
    return { total, page, pageSize, rows: rows.map(runView) };
  }

  async rejects(runId: number, page: number, pageSize: number) {
    const run = await this.repository.run(runId);
    if (!run) throw new AppError(404, `同步记录不存在 No ETL run with id ${runId}`);
    const { total, rows } = await this.repository.rejects(runId, page, Math.min(pageSize, PAGE_SIZE_MAX));
    return { total, page, pageSize, rows: rows.map(rejectView) };
  }

  /** The whole run history, newest first, as .xlsx or CSV (`数据同步记录_2026-12-03.xlsx`): the rows of GET /api/etl/runs. */
  async runsFile(format: 'csv' | 'xlsx'): Promise<StreamableFile> {
    const today = shanghaiToday();
    const read = async (page: number): Promise<ListPage<EtlRunView>> => this.runs(page, this.fileChunk);
    const name = namedFileName([ETL_RUNS_LABEL, today], format);
    return this.listFile(ETL_RUN_FILE_COLUMNS, read, format, { title: ETL_RUNS_LABEL, asOf: today, ascii: `etl-runs-${today}.${format}`, name });
  }

  /** One run's rejects as .xlsx or CSV (`拒收记录(批次12)_2026-12-03.xlsx`): the rows of GET /api/etl/runs/:id/rejects. */
  async rejectsFile(runId: number, format: 'csv' | 'xlsx'): Promise<StreamableFile> {
    const today = shanghaiToday();
    const read = async (page: number): Promise<ListPage<EtlRejectView>> => this.rejects(runId, page, this.fileChunk);
    const label = etlRejectsLabel(runId);
    const name = namedFileName([label, today], format);
    return this.listFile(ETL_REJECT_FILE_COLUMNS, read, format, { title: label, asOf: today, ascii: `etl-run-${runId}-rejects-${today}.${format}`, name });
  }

  /** A list read a page at a time (the first before the answer starts: a missing run is a 404, not a broken download). */
  private async listFile<T>(
    columns: readonly CsvColumn<T>[],
    read: (page: number) => Promise<ListPage<T>>,
    format: 'csv' | 'xlsx',
    file: Omit<ListFile, 'reportingUnit'>,
  ): Promise<StreamableFile> {
    const first = await read(1);
    const pages = listPages(first, read, this.fileChunk);
    if (format === 'csv') return csvListFile(columns, pages, file.ascii, file.name);
    return xlsxListFile(columns, pages, first.rows, { ...file, reportingUnit: await this.repository.cityName() });
  }

  /** For /api/health: the last run and the last successful one. */
  async lastRuns() {
    const [last, succeeded] = await Promise.all([this.repository.lastRun(), this.repository.lastSucceeded()]);
    return { last: last ? runView(last) : null, lastSucceeded: succeeded ? runView(succeeded) : null };
  }
}

type RunRecord = NonNullable<Awaited<ReturnType<EtlRepository['run']>>>;
type RejectRecord = Awaited<ReturnType<EtlRepository['rejects']>>['rows'][number];

function rejectView(r: RejectRecord): EtlRejectView {
  return { id: Number(r.id), table: r.tableName, recordId: r.recordId, reason: r.reason, createdAt: r.createdAt.toISOString() };
}

function runView(run: RunRecord) {
  return {
    id: run.id,
    mode: run.mode,
    status: run.status,
    trigger: run.trigger,
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt ? run.finishedAt.toISOString() : null,
    read: Number(run.rowsRead),
    written: Number(run.rowsWritten),
    rejected: Number(run.rowsRejected),
    error: run.error,
  };
}
