import { Inject, Injectable } from '@nestjs/common';
import type { Db } from '@xuncha/prisma/src/client';
import { PRISMA } from '../infra/tokens';

/** ETL run history and rejects, read from PostgreSQL (the runner writes them). */
@Injectable()
export class EtlRepository {
  constructor(@Inject(PRISMA) private readonly prisma: Db) {}

  async runs(page: number, pageSize: number) {
    const [total, rows] = await Promise.all([
      this.prisma.etlRun.count(),
      this.prisma.etlRun.findMany({ orderBy: { id: 'desc' }, skip: (page - 1) * pageSize, take: pageSize }),
    ]);
    return { total, rows };
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
