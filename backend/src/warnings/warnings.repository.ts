import { Inject, Injectable } from '@nestjs/common';
import { Prisma, type Db } from '@xuncha/prisma';
import { PRISMA } from '../infra/tokens';
import type { Principal } from '../auth/principal';
import { auditedTransaction } from '../audit/audit-context';
import type { UnitLeaders } from './notice-document';

/** The interactive-transaction client. */
type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];

export interface Escalation {
  number: string;
  title: string;
  taskIds: readonly number[];
  eventDate: Date;
  actor: string;
  principal?: Pick<Principal, 'userId' | 'username'>;
  detail: Record<string, unknown>;
}

/** Issued notices: their escalation events and audit entries, in PostgreSQL. */
@Injectable()
export class WarningsRepository {
  constructor(@Inject(PRISMA) private readonly prisma: Db) {}

  /** The 主要负责人 and 分管领导 of the given units, from the unit directory. */
  async unitLeaders(unitIds: readonly number[]): Promise<Map<number, UnitLeaders>> {
    const rows = await this.prisma.orgUnit.findMany({ where: { id: { in: [...unitIds] } }, select: { id: true, principalLeader: true, leaderInCharge: true } });
    return new Map(rows.map((r) => [r.id, { principalLeader: r.principalLeader, leaderInCharge: r.leaderInCharge }]));
  }

  /**
   * In one transaction: the next 文号 of the year (`prefix〔year〕n号`, counted from the notices
   * issued before), `work` with it, then an ESCALATION event on every task and the audit entry.
   */
  async issue<T>(
    year: number,
    prefix: string,
    build: (number: string) => Promise<T>,
    record: (number: string, result: T) => Omit<Escalation, 'number'>,
  ): Promise<{ number: string; result: T }> {
    return auditedTransaction(
      this.prisma,
      async (tx: Tx) => {
        // one issuer at a time, so that two notices never share a number
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('xuncha.notice-number'))`;
        const issued = await tx.auditLog.count({ where: { action: 'notice.escalation', detail: { path: ['year'], equals: year } } });
        const number = `${prefix}〔${year}〕${issued + 1}号`;
        const result = await build(number);
        const escalation = record(number, result);
        await tx.taskEvent.createMany({
          data: escalation.taskIds.map((id) => ({
            taskId: BigInt(id),
            type: 'ESCALATION' as const,
            eventDate: escalation.eventDate,
            note: `${escalation.title} ${number}`,
            actor: escalation.actor,
          })),
        });
        await tx.auditLog.create({
          data: {
            action: 'notice.escalation',
            userId: escalation.principal?.userId ?? null,
            username: escalation.principal?.username ?? null,
            target: number,
            detail: { ...escalation.detail, year, number } as Prisma.InputJsonValue,
            success: true,
          },
        });
        return { number, result };
      },
      { maxWait: 10_000, timeout: 120_000 },
    );
  }
}
