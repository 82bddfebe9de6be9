import { Inject, Injectable } from '@nestjs/common';
import type { Db, Prisma } from '@xuncha/prisma';
import { PRISMA } from '../infra/tokens';
import type { RecordKind, RecordRef } from './audit-describe';
import type { AuditFilters } from './dto/audit.dto';

export interface AuditRow {
  id: bigint;
  at: Date;
  username: string | null;
  displayName: string | null;
  action: string;
  target: string | null;
  ip: string | null;
  success: boolean;
  detail: Record<string, unknown> | null;
}

/** The first instant of a Beijing day, and of the day after it. */
function beijingStart(day: string): Date {
  return new Date(`${day}T00:00:00+08:00`);
}
function beijingEnd(day: string): Date {
  return new Date(beijingStart(day).getTime() + 24 * 3600_000);
}

/** The audit log's reads (PostgreSQL audit_logs); its writes are AuditService's. */
@Injectable()
export class AuditLogRepository {
  constructor(@Inject(PRISMA) private readonly prisma: Db) {}

  private where(filters: AuditFilters): Prisma.AuditLogWhereInput {
    return {
      ...(filters.username ? { username: filters.username } : {}),
      ...(filters.action ? { action: { startsWith: filters.action } } : {}),
      ...(filters.success ? { success: filters.success === 'true' } : {}),
      ...(filters.from || filters.to
        ? { at: { ...(filters.from ? { gte: beijingStart(filters.from) } : {}), ...(filters.to ? { lt: beijingEnd(filters.to) } : {}) } }
        : {}),
    };
  }

  count(filters: AuditFilters): Promise<number> {
    return this.prisma.auditLog.count({ where: this.where(filters) });
  }

  /** Entries newest first; `afterId` continues a walk below an id already read (downloads). */
  async list(filters: AuditFilters, page: { skip?: number; take: number; belowId?: bigint }): Promise<AuditRow[]> {
    const where = this.where(filters);
    const rows = await this.prisma.auditLog.findMany({
      where: page.belowId === undefined ? where : { AND: [where, { id: { lt: page.belowId } }] },
      orderBy: { id: 'desc' },
      skip: page.skip,
      take: page.take,
      include: { user: { select: { displayName: true } } },
    });
    return rows.map((r) => ({
      id: r.id,
      at: r.at,
      username: r.username,
      displayName: r.user?.displayName ?? null,
      action: r.action,
      target: r.target,
      ip: r.ip,
      success: r.success,
      detail: r.detail && typeof r.detail === 'object' && !Array.isArray(r.detail) ? (r.detail as Record<string, unknown>) : null,
    }));
  }

  /**
   * The names of the records a page of entries is about, keyed `kind:id`: a task or a finding
   * by its unit, an inspection by its unit and round, master data by its name. Deleted
   * records keep their names (the log outlives them).
   */
  async names(refs: readonly RecordRef[]): Promise<Map<string, string>> {
    const ids = (kind: RecordKind) => [...new Set(refs.filter((r) => r.kind === kind).map((r) => r.id))];
    const ints = (kind: RecordKind) =>
      ids(kind)
        .map(Number)
        .filter((n) => Number.isSafeInteger(n) && n <= 2 ** 31 - 1);
    const bigs = (kind: RecordKind) => ids(kind).map((id) => BigInt(id));
    const out = new Map<string, string>();
    const put = (kind: RecordKind, id: number | bigint, name: string) => out.set(`${kind}:${id.toString()}`, name);
    const [tasks, findings, inspections, users, regions, terms, rounds, units, categories, clues, closures] = await Promise.all([
      this.prisma.rectificationTask.findMany({
        where: { id: { in: bigs('task') } },
        select: { id: true, finding: { select: { unit: { select: { name: true } } } } },
      }),
      this.prisma.finding.findMany({ where: { id: { in: bigs('finding') } }, select: { id: true, unit: { select: { name: true } } } }),
      this.prisma.inspection.findMany({
        where: { id: { in: ints('inspection') } },
        select: { id: true, unit: { select: { name: true } }, round: { select: { name: true } } },
      }),
      this.prisma.user.findMany({ where: { id: { in: ints('user') } }, select: { id: true, username: true, displayName: true } }),
      this.prisma.region.findMany({ where: { id: { in: ints('region') } }, select: { id: true, name: true } }),
      this.prisma.term.findMany({ where: { id: { in: ints('term') } }, select: { id: true, name: true } }),
      this.prisma.round.findMany({ where: { id: { in: ints('round') } }, select: { id: true, name: true } }),
      this.prisma.orgUnit.findMany({ where: { id: { in: ints('unit') } }, select: { id: true, name: true } }),
      this.prisma.issueCategory.findMany({ where: { id: { in: ints('category') } }, select: { id: true, name: true } }),
      this.prisma.clue.findMany({ where: { id: { in: ints('clue') } }, select: { id: true, inspection: { select: { unit: { select: { name: true } } } } } }),
      this.prisma.closureRequest.findMany({ where: { id: { in: bigs('closureRequest') } }, select: { id: true, taskId: true } }),
    ]);
    for (const t of tasks) put('task', t.id, t.finding.unit.name);
    for (const f of findings) put('finding', f.id, f.unit.name);
    for (const i of inspections) put('inspection', i.id, `${i.unit.name} · ${i.round.name}`);
    for (const u of users) put('user', u.id, `${u.displayName} ${u.username}`);
    for (const r of regions) put('region', r.id, r.name);
    for (const t of terms) put('term', t.id, t.name);
    for (const r of rounds) put('round', r.id, r.name);
    for (const u of units) put('unit', u.id, u.name);
    for (const c of categories) put('category', c.id, c.name);
    for (const c of clues) put('clue', c.id, c.inspection.unit.name);
    for (const c of closures) put('closureRequest', c.id, `整改任务 #${c.taskId.toString()}`);
    return out;
  }

  /** The city's name: 填报单位 of the log's download. */
  async cityName(): Promise<string> {
    return (await this.prisma.region.findFirst({ where: { level: 'CITY' }, select: { name: true } }))?.name ?? '';
  }
}
