import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { shanghaiToday } from '@xuncha/shared';
import type { AppConfig } from '../config/app-config';
import { DimensionsService } from '../dimensions/dimensions.service';
import { APP_CONFIG } from '../infra/tokens';
import { QuarterStateService } from '../metrics/quarter-state.service';
import { ExportsService } from './exports.service';
import { lastEndedQuarters, quarterPeriod } from './quarters';

/** The first check after the start, when the ETL has had time to load what the start found. */
const FIRST_CHECK_MS = 30_000;

/**
 * Makes ahead what is asked for most once a quarter has closed, every
 * WORKBOOK_PREBUILD_MINUTES (one at a time, in the background), for the last
 * WORKBOOK_PREBUILD_QUARTERS ended quarters, the last one first: the quarter end's state the
 * metrics read as of that day (QuarterStateService: ~13 s at 10M findings for the first
 * request otherwise), then the quarter's workbooks, for the city and for each county (unless
 * WORKBOOK_STORE_DIR is off), so that the first download after a quarter closes, or after a
 * backdated change, is served as kept instead of being computed for a minute or two at 10M
 * findings. A check finding everything as its figures stand costs a few small queries.
 */
@Injectable()
export class WorkbookPrebuilder implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Workbooks');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private readonly stopping = new AbortController();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(ExportsService) private readonly exports: ExportsService,
    @Inject(DimensionsService) private readonly dimensions: DimensionsService,
    @Inject(QuarterStateService) private readonly quarterState: QuarterStateService,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.workbookPrebuildMinutes <= 0) return;
    const check = () => {
      this.running ??= this.pass()
        .catch((error) => {
          if (!this.stopping.signal.aborted)
            this.logger.warn(
              `季度报表预生成失败 making the workbooks ahead failed (next check in ${this.config.workbookPrebuildMinutes} min): ${error instanceof Error ? error.message : String(error)}`,
            );
        })
        .finally(() => (this.running = undefined));
    };
    const first = setTimeout(() => {
      check();
      this.timer = setInterval(check, this.config.workbookPrebuildMinutes * 60_000);
      this.timer.unref();
    }, FIRST_CHECK_MS);
    first.unref();
    this.timer = first;
  }

  async onApplicationShutdown(): Promise<void> {
    clearTimeout(this.timer);
    clearInterval(this.timer);
    this.stopping.abort();
    await this.running;
  }

  /**
   * One check, for each of the last WORKBOOK_PREBUILD_QUARTERS ended quarters, the last one
   * first (or for `which` alone): the quarter end's state, built where none stands under
   * its change token, then each scope's workbook of that quarter, made where it is not kept
   * as it stands.
   */
  async pass(which?: { year: number; quarter: number }): Promise<void> {
    const quarters = which ? [which] : lastEndedQuarters(shanghaiToday(), this.config.workbookPrebuildQuarters);
    for (const quarter of quarters) {
      if (this.stopping.signal.aborted) return;
      await this.quarter(quarter);
    }
  }

  private async quarter({ year, quarter }: { year: number; quarter: number }): Promise<void> {
    const { end } = quarterPeriod(year, quarter);
    const stateStarted = performance.now();
    if (await this.quarterState.prepare(end)) {
      this.logger.log(`季度末统计状态已预先生成 quarter-end state made ahead: ${end} in ${((performance.now() - stateStarted) / 1000).toFixed(1)} s`);
    }
    if (this.config.workbookStoreDir === null) return; // nowhere to keep workbooks
    const dims = await this.dimensions.get();
    const counties = dims.regions.filter((r) => r.level === 'MUNICIPAL' || r.level === 'COUNTY').map((r) => ({ countyId: r.id }));
    for (const restrict of [undefined, ...counties]) {
      if (this.stopping.signal.aborted) return;
      const started = performance.now();
      const made = await this.exports.prepareQuarterly(year, quarter, restrict, this.stopping.signal);
      if (made) {
        const scope = restrict ? `county ${restrict.countyId}` : 'city';
        this.logger.log(`季度报表已预先生成 made ahead: ${year}Q${quarter} ${scope} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      }
    }
  }
}
