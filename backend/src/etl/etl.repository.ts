import { Inject, Injectable } from '@nestjs/common';
import type { Db } from '@xuncha/prisma';
import { auditedTransaction } from '../audit/audit-context';
import { PRISMA } from '../infra/tokens';

/** ETL run history and rejects, read from PostgreSQL (the runner writes them). */
@Injectable()
export class EtlRepository {
  constructor(@Inject(PRISMA) private readonly prisma: Db) {}

  /**
   * Commits the audit entry of a run request (POST /api/etl/run) before the run starts:
   * the run's own record is written by the pipeline on its own connection, which no
   * transaction of ours can share, so the request is on record before anything runs.
   */
  async recordRunRequest(): Promise<void> {
    await auditedTransaction(this.prisma, () => Promise.resolve(undefined));
  }

  async runs(page: number, pageSize: number) {
    const [total, rows] = await Promise.all([
      this.prisma.etlRun.count(),
      this.prisma.etlRun.findMany({ orderBy: { id: 'desc' }, skip: (page - 1) * pageSize, take: pageSize }),
    ]);
    return { total, rows };
  }

  /** The city's name (填报单位 of the history's download); '' before the regions exist. */
  async cityName(): Promise<string> {
    const city = await this.prisma.region.findFirst({ where: { level: 'CITY', deletedAt: null }, select: { name: true }, orderBy: { id: 'asc' } });
    return city?.name ?? '';
  }

  async run(id: number) {
    return this.prisma.etlRun.findUnique({ where: { id } });
  }

  async rejects(runId: number, page: number, pageSize: number) {
    const where = { runId };
    const [total, rows] = await Promise.all([
      this.prisma.etlReject.count({ where }),
      this.prisma.etlReject.findMany({ where, orderBy: { id: 'asc' }, skip: (page - 1) * pageSize, take: pageSize }),
    ]);
    return { total, rows };
  }

  async lastRun() {
    return this.prisma.etlRun.findFirst({ orderBy: { id: 'desc' } });
  }

  async lastSucceeded() {
    return this.prisma.etlRun.findFirst({ where: { status: 'SUCCEEDED' }, orderBy: { id: 'desc' } });
  }
}
