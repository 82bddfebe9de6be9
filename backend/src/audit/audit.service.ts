import { Inject, Injectable, Logger } from '@nestjs/common';
import { Prisma, type Db } from '@xuncha/prisma';
import { PRISMA } from '../infra/tokens';
import type { AuditClient, AuditSqlClient } from './audit-context';

/** Who an entry names: the signed-in user (auth's Principal has these fields and more). */
export interface AuditActor {
  userId: number;
  username: string;
}

export interface AuditEntry {
  action: string;
  /** Who acted: the signed-in user, or for a sign-in attempt the username tried. */
  principal?: AuditActor;
  username?: string;
  target?: string;
  detail?: Record<string, unknown>;
  ip?: string;
  success: boolean;
}

/** Fields never written to the audit log, wherever they appear in a body. */
const SECRET_FIELDS = /password/i;
const MAX_DETAIL_CHARS = 4000;

const MAX_DEPTH = 6;

/**
 * Removes secrets from a request body and keeps the entry small: long texts cut, long lists
 * and deep nesting elided, NUL characters (which PostgreSQL cannot store) made visible.
 */
export function auditDetail(value: unknown, depth = 0): unknown {
  if (Array.isArray(value)) return depth >= MAX_DEPTH ? '[…]' : value.slice(0, 20).map((v) => auditDetail(v, depth + 1));
  if (value && typeof value === 'object') {
    if (depth >= MAX_DEPTH) return '{…}';
    return Object.fromEntries(
      Object.entries(value)
        .slice(0, 50)
        .map(([key, v]) => [key, SECRET_FIELDS.test(key) ? '[hidden]' : auditDetail(v, depth + 1)]),
    );
  }
  if (typeof value === 'string') {
    const text = value.replace(/\u0000/g, '\\0');
    return text.length > 500 ? `${text.slice(0, 500)}…` : text;
  }
  return value;
}

/** A node-postgres connection, not a Prisma transaction (a property read: Prisma's clients are proxies). */
function isSqlClient(client: AuditClient): client is AuditSqlClient {
  return (client as { auditLog?: unknown }).auditLog === undefined;
}

/** The audit log (PostgreSQL audit_logs): every write, import, export and sign-in attempt. */
@Injectable()
export class AuditService {
  private readonly logger = new Logger('Audit');

  constructor(@Inject(PRISMA) private readonly prisma: Db) {}

  async record(entry: AuditEntry): Promise<void> {
    try {
      await this.insert(this.prisma, entry);
    } catch (error) {
      // The action itself has happened (or failed) already; an audit row that cannot be
      // written is logged loudly rather than turning the answer into an error.
      this.logger.error(
        `audit entry not written: ${entry.action} ${entry.target ?? ''} by ${entry.principal?.username ?? entry.username ?? '?'}: ${(error as Error).message}`,
      );
    }
  }

  /**
   * Adds what the write's answer told (its changes, a backdated day, an import's counts) to
   * the entry its transaction inserted. The entry itself committed with the write; should
   * this addition fail, the entry stands without it and the failure is logged.
   */
  async addDetail(id: bigint, extra: Record<string, unknown>): Promise<void> {
    try {
      const row = await this.prisma.auditLog.findUnique({ where: { id }, select: { detail: true } });
      const stored = row?.detail;
      const previous: Record<string, unknown> = stored && typeof stored === 'object' && !Array.isArray(stored) ? stored : {};
      let detail = auditDetail({ ...previous, ...extra }) as Record<string, unknown>;
      if (JSON.stringify(detail).length > MAX_DETAIL_CHARS) detail = { truncated: JSON.stringify(detail).slice(0, MAX_DETAIL_CHARS) };
      await this.prisma.auditLog.update({ where: { id }, data: { detail: detail as Prisma.InputJsonValue } });
    } catch (error) {
      this.logger.error(`audit entry ${id} not completed: ${(error as Error).message}`);
    }
  }

  /**
   * Inserts one entry with `client` — inside a write's transaction, the transaction's
   * client (see audit-context.ts): then a failure here rolls the write back.
   */
  async insert(client: AuditClient, entry: AuditEntry): Promise<bigint> {
    let detail = entry.detail === undefined ? undefined : (auditDetail(entry.detail) as Record<string, unknown>);
    if (detail && JSON.stringify(detail).length > MAX_DETAIL_CHARS) detail = { truncated: JSON.stringify(detail).slice(0, MAX_DETAIL_CHARS) };
    const username = (entry.principal?.username ?? entry.username ?? null)?.slice(0, 64) ?? null;
    const target = entry.target?.slice(0, 256) ?? null;
    const ip = entry.ip?.slice(0, 64) ?? null;
    if (isSqlClient(client)) {
      // a transaction opened with SQL on a connection of the write's own (auditedSqlTransaction)
      const { rows } = await client.query<{ id: string }>(
        'INSERT INTO audit_logs (action, user_id, username, target, detail, ip, success) VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7) RETURNING id::text AS id',
        [entry.action, entry.principal?.userId ?? null, username, target, detail === undefined ? null : JSON.stringify(detail), ip, entry.success],
      );
      return BigInt(rows[0].id);
    }
    const created = await client.auditLog.create({
      data: {
        action: entry.action,
        userId: entry.principal?.userId ?? null,
        username,
        target,
        detail: detail === undefined ? Prisma.DbNull : (detail as Prisma.InputJsonValue),
        ip,
        success: entry.success,
      },
    });
    return created.id;
  }
}
