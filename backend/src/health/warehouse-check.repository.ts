import { Inject, Injectable } from '@nestjs/common';
import { type Db, ETL_STATE_ID } from '@xuncha/prisma';
import type { Warehouse } from '@xuncha/etl';
import { PRISMA, WAREHOUSE } from '../infra/tokens';

/** The tables whose live records /api/health counts on both sides. */
export type CountedTable = 'findings' | 'tasks';

export interface EtlStateRow {
  watermark: string;
  fullLoadAt: string | null;
  fullLoadReason: string | null;
}

export interface PostgresCounts {
  /** Live records, as the warehouse holds them (parents not deleted either). */
  live: Record<CountedTable, number>;
  /** Records written at or after the watermark (or under a parent so written): the ETL has not necessarily loaded them yet. */
  pending: Record<CountedTable, number>;
}

// The findings an incremental run from watermark $1 would reload: written since, or of an inspection written since.
const PENDING_FINDINGS = `SELECT id FROM findings WHERE change_xid >= $1::xid8
  UNION SELECT id FROM findings WHERE inspection_id IN (SELECT id FROM inspections WHERE change_xid >= $1::xid8)`;

/** The counts /api/health compares (backend/src/health/health.service.ts). */
@Injectable()
export class WarehouseCheckRepository {
  constructor(
    @Inject(PRISMA) private readonly prisma: Db,
    @Inject(WAREHOUSE) private readonly warehouse: Warehouse,
  ) {}

  async etlState(): Promise<EtlStateRow | null> {
    const rows = await this.prisma.$queryRawUnsafe<EtlStateRow[]>(
      `SELECT watermark::text AS watermark, full_load_requested_at::text AS "fullLoadAt", full_load_reason AS "fullLoadReason" FROM etl_state WHERE id = $1`,
      ETL_STATE_ID,
    );
    return rows[0] ?? null;
  }

  /** Live records in the warehouse: FINAL drops replaced and deleted versions. */
  async warehouseCounts(): Promise<Record<CountedTable, number>> {
    const [row] = await this.warehouse.query<{ findings: string; tasks: string }>(
      'SELECT (SELECT count() FROM fact_findings FINAL) AS findings, (SELECT count() FROM fact_tasks FINAL) AS tasks',
    );
    return { findings: Number(row.findings), tasks: Number(row.tasks) };
  }

  /** One statement, so one snapshot: the live counts and what is still to load from `watermark` on. */
  async postgresCounts(watermark: string): Promise<PostgresCounts> {
    const [row] = await this.prisma.$queryRawUnsafe<{ findings: bigint; tasks: bigint; pending_findings: bigint; pending_tasks: bigint }[]>(
      `SELECT
         (SELECT count(*) FROM findings f JOIN inspections i ON i.id = f.inspection_id
           WHERE f.deleted_at IS NULL AND i.deleted_at IS NULL) AS findings,
         (SELECT count(*) FROM rectification_tasks t JOIN findings f ON f.id = t.finding_id JOIN inspections i ON i.id = f.inspection_id
           WHERE t.deleted_at IS NULL AND f.deleted_at IS NULL AND i.deleted_at IS NULL) AS tasks,
         (SELECT count(*) FROM (${PENDING_FINDINGS}) p) AS pending_findings,
         (SELECT count(*) FROM (SELECT id FROM rectification_tasks WHERE change_xid >= $1::xid8
            UNION SELECT id FROM rectification_tasks WHERE finding_id IN (${PENDING_FINDINGS})) p) AS pending_tasks`,
      watermark,
    );
    return {
      live: { findings: Number(row.findings), tasks: Number(row.tasks) },
      pending: { findings: Number(row.pending_findings), tasks: Number(row.pending_tasks) },
    };
  }
}
