import { AsyncLocalStorage } from 'node:async_hooks';
import type { Db, pgClient } from '@xuncha/prisma';

/** The interactive-transaction client of the Prisma client. */
export type AuditTx = Parameters<Parameters<Db['$transaction']>[0]>[0];
/** A node-postgres connection of a write's own (a bulk import writing with COPY). */
export type AuditSqlClient = Pick<ReturnType<typeof pgClient>, 'query'>;
/** What an entry is inserted with: a Prisma transaction, or the connection of a transaction opened with SQL. */
export type AuditClient = Pick<AuditTx, 'auditLog'> | AuditSqlClient;

/**
 * The audit entry of the @Audited request under way, prepared by the AuditInterceptor
 * before the handler runs. A write joins it to its transaction with `auditedTransaction`
 * (or `joinAudit` inside a transaction of its own): the entry is inserted by the same
 * transaction as the write and commits or rolls back with it, so a committed write always
 * has its entry, whatever happens to the process a moment later.
 *
 * How a new write path joins: run the write through `RecordsRepository.transaction` (which
 * calls `auditedTransaction`), or call `auditedTransaction(prisma, tx => …)` yourself. No
 * per-route code is needed beyond that; the decorator stays `@Audited('thing.action')`.
 * A write route that succeeds without joining still gets its entry, written on its own
 * afterwards and marked `outsideTransaction` (tests/src/api/audit-atomicity.test.ts fails
 * on such a route).
 */
export interface PendingAudit {
  /** Inserts the success entry with `tx`. */
  insert(tx: AuditClient): Promise<void>;
  /** Set by the transaction that inserted the entry, once it has committed. */
  committed: boolean;
  /** Set while a transaction holding the entry is open (not yet committed). */
  inserting: boolean;
}

export const auditContext = new AsyncLocalStorage<PendingAudit>();

/** Inserts the request's pending audit entry with `tx`, once per request; a no-op outside an @Audited request. */
export async function joinAudit(tx: AuditClient): Promise<void> {
  const pending = auditContext.getStore();
  if (!pending || pending.committed || pending.inserting) return;
  pending.inserting = true;
  await pending.insert(tx);
}

/**
 * Runs `work` in one PostgreSQL transaction that also inserts the @Audited request's
 * audit entry (when there is one): both commit together or neither does.
 */
export async function auditedTransaction<T>(prisma: Db, work: (tx: AuditTx) => Promise<T>, options: { maxWait?: number; timeout?: number } = {}): Promise<T> {
  const pending = auditContext.getStore();
  const joins = pending !== undefined && !pending.committed && !pending.inserting;
  try {
    const result = await prisma.$transaction(async (tx) => {
      const value = await work(tx);
      if (joins) await joinAudit(tx);
      return value;
    }, options);
    if (joins) pending.committed = true;
    return result;
  } finally {
    if (joins) pending.inserting = false;
  }
}

/**
 * auditedTransaction on a node-postgres connection of the caller's (a bulk import that
 * writes with COPY, which Prisma cannot): BEGIN, `work`, the audit entry, COMMIT on
 * `client`; ROLLBACK when anything fails. The caller owns the connection.
 */
export async function auditedSqlTransaction<T>(client: AuditSqlClient, work: () => Promise<T>): Promise<T> {
  const pending = auditContext.getStore();
  const joins = pending !== undefined && !pending.committed && !pending.inserting;
  await client.query('BEGIN');
  try {
    const value = await work();
    if (joins) await joinAudit(client);
    await client.query('COMMIT');
    if (joins) pending.committed = true;
    return value;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    if (joins) pending.inserting = false;
  }
}
