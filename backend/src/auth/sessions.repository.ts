import { Inject, Injectable } from '@nestjs/common';
import type { Db } from '@xuncha/prisma';
import type { AuditTx } from '../audit/audit-context';
import { PRISMA } from '../infra/tokens';

/** A session row with its user, as SessionsService checks it. */
export type SessionWithUser = NonNullable<Awaited<ReturnType<SessionsRepository['withUser']>>>;

/** The `sessions` table: rows keyed by the SHA-256 of the cookie's token. */
@Injectable()
export class SessionsRepository {
  constructor(@Inject(PRISMA) private readonly prisma: Db) {}

  async create(row: { id: string; userId: number; ip?: string; userAgent?: string; expiresAt: Date }): Promise<void> {
    await this.prisma.session.create({ data: row });
  }

  withUser(id: string) {
    return this.prisma.session.findUnique({ where: { id }, include: { user: true } });
  }

  /** Records a use: the idle limit counts again from `now`. */
  async touch(id: string, now: Date, expiresAt: Date): Promise<void> {
    await this.prisma.session.update({ where: { id }, data: { lastSeenAt: now, expiresAt } });
  }

  async delete(id: string): Promise<void> {
    await this.prisma.session.deleteMany({ where: { id } });
  }

  /** Deletes every session of a user but, optionally, one; with `tx`, inside that transaction. */
  async deleteAllOf(userId: number, except?: string, tx?: Pick<AuditTx, 'session'>): Promise<void> {
    await (tx ?? this.prisma).session.deleteMany({ where: { userId, ...(except ? { id: { not: except } } : {}) } });
  }

  /** Deletes the sessions idle since before `idleBefore` or opened before `openedBefore`; returns how many. */
  async deleteEnded(idleBefore: Date, openedBefore: Date): Promise<number> {
    const { count } = await this.prisma.session.deleteMany({ where: { OR: [{ expiresAt: { lte: idleBefore } }, { createdAt: { lte: openedBefore } }] } });
    return count;
  }
}
