import { Inject, Injectable } from '@nestjs/common';
import type { Db } from '@xuncha/prisma/src/client';
import type { Warehouse } from '@xuncha/etl/src/warehouse';
import { PRISMA, WAREHOUSE } from '../infra/tokens';
import { EtlService } from '../etl/etl.service';

const CHECK_TIMEOUT_MS = 3_000;

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
  ) {}

  async health() {
    const [postgres, clickhouse] = await Promise.all([check(() => this.prisma.$queryRaw`SELECT 1`), check(() => this.warehouse.query('SELECT 1 AS ok'))]);
    const etl = postgres.ok ? await this.etl.lastRuns().catch(() => ({ last: null, lastSucceeded: null })) : { last: null, lastSucceeded: null };
    return {
      status: postgres.ok && clickhouse.ok ? ('ok' as const) : ('degraded' as const),
      postgres,
      clickhouse: { ...clickhouse, engine: this.warehouse.engine },
      etl,
    };
  }
}
