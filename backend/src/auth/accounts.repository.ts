import { Inject, Injectable } from '@nestjs/common';
import type { Db } from '@xuncha/prisma';
import { auditedTransaction, type AuditTx } from '../audit/audit-context';
import { PRISMA } from '../infra/tokens';
import type { Role } from './principal';

/** How a user is read for the accounts list: with its region and its last session's use. */
const WITH_REGION_AND_LAST_USE = { region: true, sessions: { select: { lastSeenAt: true }, orderBy: { lastSeenAt: 'desc' as const }, take: 1 } };

export type AccountRow = Awaited<ReturnType<AccountsRepository['list']>>[number];

export interface AccountChange {
  displayName?: string;
  role: Role;
  regionId: number | null;
  active?: boolean;
  passwordHash?: string;
}

/** The `users` table and the regions an account may be limited to. */
@Injectable()
export class AccountsRepository {
  constructor(@Inject(PRISMA) private readonly prisma: Db) {}

  /** A user by exact username, with its region (deleted and inactive ones included: the caller decides). */
  byUsername(username: string) {
    return this.prisma.user.findUnique({ where: { username }, include: { region: true } });
  }

  /** A user by id; throws when there is none (a signed-in user always exists). */
  byId(id: number) {
    return this.prisma.user.findUniqueOrThrow({ where: { id } });
  }

  /** A user that is not deleted, or null. */
  existing(id: number) {
    return this.prisma.user.findFirst({ where: { id, deletedAt: null } });
  }

  /** Whether a user of that name exists, letter case aside (`Staff` is `staff`). */
  async usernameTaken(username: string): Promise<boolean> {
    const same = await this.prisma.$queryRaw<{ id: number }[]>`SELECT id FROM users WHERE lower(username) = lower(${username}) LIMIT 1`;
    return same.length > 0;
  }

  list() {
    return this.prisma.user.findMany({ where: { deletedAt: null }, include: WITH_REGION_AND_LAST_USE, orderBy: [{ role: 'asc' }, { username: 'asc' }] });
  }

  region(id: number) {
    return this.prisma.region.findUnique({ where: { id } });
  }

  /** 市本级 and the counties, by code: the regions a COUNTY_STAFF account may be limited to. */
  countyRegions() {
    return this.prisma.region.findMany({
      where: { level: { in: ['MUNICIPAL', 'COUNTY'] }, deletedAt: null },
      select: { id: true, code: true, name: true, level: true },
      orderBy: { code: 'asc' },
    });
  }

  /** The city's name (填报单位 of the account list's download); '' before the regions exist. */
  async cityName(): Promise<string> {
    const city = await this.prisma.region.findFirst({ where: { level: 'CITY', deletedAt: null }, select: { name: true }, orderBy: { id: 'asc' } });
    return city?.name ?? '';
  }

  /** Creates a user in the request's audited transaction. */
  create(data: { username: string; displayName: string; role: Role; regionId: number | null; passwordHash: string }): Promise<AccountRow> {
    return auditedTransaction(this.prisma, (tx) => tx.user.create({ data, include: WITH_REGION_AND_LAST_USE }));
  }

  /** Changes a user in the request's audited transaction; `alongside` runs in it too (ending sessions). */
  update(id: number, change: AccountChange, alongside: (tx: AuditTx) => Promise<void>): Promise<AccountRow> {
    return auditedTransaction(this.prisma, async (tx) => {
      const row = await tx.user.update({ where: { id }, data: change, include: WITH_REGION_AND_LAST_USE });
      await alongside(tx);
      return row;
    });
  }

  /** Sets a user's password in one transaction with whatever `alongside` does (ending sessions, the audit entry). */
  setPassword(id: number, passwordHash: string, alongside: (tx: AuditTx) => Promise<void>): Promise<void> {
    return this.prisma.$transaction(async (tx) => {
      await tx.user.update({ where: { id }, data: { passwordHash } });
      await alongside(tx);
    });
  }
}
