import { Inject, Injectable } from '@nestjs/common';
import type { Db } from '@xuncha/prisma';
import type { Warehouse } from '@xuncha/etl';
import { PRISMA, WAREHOUSE } from '../infra/tokens';
import { EtlService } from '../etl/etl.service';
import { WarehouseCheckRepository, type CountedTable } from './warehouse-check.repository';

const CHECK_TIMEOUT_MS = 3_000;
/**
 * How long a comparison of PostgreSQL's and the warehouse's counts is reused: it counts every
 * live finding and task on both sides (tens of ms for the tiny test city; more with scale), so at
 * least 5 s and at least 20 times as long as the last one took.
 */
const COUNTS_REUSE_MS = 5_000;
const COUNTS_REUSE_FACTOR = 20;

/**
 * Whether the warehouse holds what PostgreSQL holds:
 * - current: the live findings and tasks counted on both sides agree;
 * - catching_up: they differ by no more than the records written since the ETL watermark
 *   (or under a parent so written), which the next run loads: no alarm while writes arrive;
 * - mismatch: they differ by more than that, which no incremental run repairs;
 * - full_load_pending: a full load is recorded as needed (new or upgraded warehouse, reseed)
 *   and has not succeeded yet.
 * - unknown: the counting has not answered within the check's time (it goes on; the next
 *   probe may have its answer).
 * `mismatch` and `full_load_pending` make /api/health answer `degraded` (503).
 */
export type WarehouseState = 'current' | 'catching_up' | 'mismatch' | 'full_load_pending' | 'unknown';

export interface WarehouseHealth {
  state: WarehouseState;
  fullLoad: { requestedAt: string; reason: string } | null;
  counts: Record<CountedTable, { postgres: number; warehouse: number; pending: number }> | null;
  error: string | null;
}

const TABLES: readonly CountedTable[] = ['findings', 'tasks'];

async function check(probe: () => Promise<unknown>): Promise<{ ok: boolean; ms: number; error: string | null }> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      }),
    ]);
    return { ok: true, ms: Date.now() - started, error: null };
  } catch (error) {
    return { ok: false, ms: Date.now() - started, error: (error instanceof Error ? error.message : String(error)).split('\n')[0].slice(0, 300) };
  } finally {
    clearTimeout(timer);
  }
}

/** Whether PostgreSQL and ClickHouse answer, and how the ETL last ran. */
@Injectable()
export class HealthService {
  constructor(
    @Inject(PRISMA) private readonly prisma: Db,
    @Inject(WAREHOUSE) private readonly warehouse: Warehouse,
    @Inject(EtlService) private readonly etl: EtlService,
    @Inject(WarehouseCheckRepository) private readonly counts: WarehouseCheckRepository,
  ) {}

  private lastCheck: { at: number; result: Promise<WarehouseHealth> } | undefined;
  private lastCheckMs = 0;
  private lastResult: WarehouseHealth | undefined;

  async health() {
    const [postgres, clickhouse] = await Promise.all([check(() => this.prisma.$queryRaw`SELECT 1`), check(() => this.warehouse.query('SELECT 1 AS ok'))]);
    const etl = postgres.ok ? await this.etl.lastRuns().catch(() => ({ last: null, lastSucceeded: null })) : { last: null, lastSucceeded: null };
    const warehouse = postgres.ok && clickhouse.ok ? await this.warehouseHealth() : null;
    const consistent = warehouse !== null && warehouse.state !== 'mismatch' && warehouse.state !== 'full_load_pending';
    return {
      status: postgres.ok && clickhouse.ok && consistent ? ('ok' as const) : ('degraded' as const),
      postgres,
      clickhouse: { ...clickhouse, engine: this.warehouse.engine },
      etl,
      warehouse,
    };
  }

  /**
   * The comparison, reused for a while (probes may come every second). A probe waits for it
   * at most CHECK_TIMEOUT_MS, then answers with the last one that finished (or `unknown`);
   * one that never finishes is replaced when its time is up.
   */
  private async warehouseHealth(): Promise<WarehouseHealth> {
    const now = Date.now();
    const reuseMs = Math.max(COUNTS_REUSE_MS, COUNTS_REUSE_FACTOR * this.lastCheckMs);
    if (!this.lastCheck || now - this.lastCheck.at >= reuseMs) {
      const result = this.compare().then((health) => {
        this.lastCheckMs = Date.now() - now;
        this.lastResult = health;
        return health;
      });
      this.lastCheck = { at: now, result };
    }
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<WarehouseHealth>((resolve) => {
      timer = setTimeout(
        () => resolve(this.lastResult ?? { state: 'unknown', fullLoad: null, counts: null, error: `counting took longer than ${CHECK_TIMEOUT_MS} ms` }),
        CHECK_TIMEOUT_MS,
      );
    });
    try {
      return await Promise.race([this.lastCheck.result, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async compare(): Promise<WarehouseHealth> {
    try {
      // The watermark first: whatever a run loads after it was read is counted as pending below.
      const state = await this.counts.etlState();
      const fullLoad = state?.fullLoadAt ? { requestedAt: new Date(state.fullLoadAt).toISOString(), reason: state.fullLoadReason ?? '' } : null;
      const warehouse = await this.counts.warehouseCounts();
      const postgres = await this.counts.postgresCounts(state?.watermark ?? '0');
      const counts = Object.fromEntries(
        TABLES.map((table) => [table, { postgres: postgres.live[table], warehouse: warehouse[table], pending: postgres.pending[table] }]),
      ) as WarehouseHealth['counts'] & object;
      const off = TABLES.map((table) => Math.abs(counts[table].postgres - counts[table].warehouse));
      const state_: WarehouseState = fullLoad
        ? 'full_load_pending'
        : TABLES.some((table, i) => off[i] > counts[table].pending)
          ? 'mismatch'
          : off.some((n) => n > 0)
            ? 'catching_up'
            : 'current';
      return { state: state_, fullLoad, counts, error: null };
    } catch (error) {
      this.lastCheck = undefined;
      return { state: 'mismatch', fullLoad: null, counts: null, error: (error instanceof Error ? error.message : String(error)).split('\n')[0].slice(0, 300) };
    }
  }
}
