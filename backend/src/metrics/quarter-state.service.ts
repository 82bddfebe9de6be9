import { Inject, Injectable } from '@nestjs/common';
import { ensureQuarterState, isQuarterEnd, type Warehouse } from '@xuncha/etl';
import { shanghaiToday } from '@xuncha/shared';
import { WAREHOUSE } from '../infra/tokens';

/** A quarter end's state: the quarter_summary and quarter_units rows of build `build` of day `asOf`. */
export interface QuarterBuild {
  asOf: string;
  build: string;
}

/**
 * The state as of past quarter ends (etl/src/load/quarter-state.ts) for the metrics: for
 * as-of = a quarter's last day before today, the build recorded under that day's current
 * change token, built first when there is none (the first request after the day ended, after
 * a full load, or after a load that changed something on or before that day). Concurrent
 * requests for the same day share one check and one build. Other days: null (the metrics
 * read the facts, or the current-state tables).
 */
@Injectable()
export class QuarterStateService {
  private readonly inflight = new Map<string, Promise<{ build: string; built: boolean }>>();

  constructor(@Inject(WAREHOUSE) private readonly warehouse: Warehouse) {}

  /** Whether `asOf` has a quarter-end state: a quarter's last day, before `today`. */
  static covers(asOf: string, today: string): boolean {
    return isQuarterEnd(asOf) && asOf < today;
  }

  get(asOf: string): Promise<QuarterBuild> {
    return this.ensure(asOf).then(({ build }) => ({ asOf, build }));
  }

  /**
   * Builds the state as of `asOf` ahead of the first request for it, unless it stands under
   * its current token: true when it was built. Days without a quarter-end state: false.
   */
  async prepare(asOf: string): Promise<boolean> {
    if (!QuarterStateService.covers(asOf, shanghaiToday())) return false;
    return (await this.ensure(asOf)).built;
  }

  private ensure(asOf: string): Promise<{ build: string; built: boolean }> {
    let pending = this.inflight.get(asOf);
    if (!pending) {
      pending = ensureQuarterState(this.warehouse, asOf);
      this.inflight.set(asOf, pending);
      const done = () => {
        if (this.inflight.get(asOf) === pending) this.inflight.delete(asOf);
      };
      pending.then(done, done);
    }
    return pending;
  }
}
