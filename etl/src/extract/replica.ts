import { pgClient } from '@xuncha/prisma';

export interface ReplayWait {
  /** Whether the replica had replayed the primary's WAL as of the call before the time ran out. */
  caughtUp: boolean;
  /** Bytes of WAL still to replay when the wait ended (0 when caught up or not a replica; Infinity: unknown). */
  behindBytes: number;
}

/**
 * Waits until the replica at `readUrl` has replayed the primary's WAL up to where it stood
 * when called: after `npm start` has migrated the primary (and maybe loaded demo data), so
 * that the first extract on the replica finds the new tables and columns. A server that is
 * not in recovery (the primary itself) returns at once. Never throws for lag: a run on a
 * lagging replica is only late, and the caller says so.
 */
export async function waitForReplay(primaryUrl: string, readUrl: string, timeoutMs = 60_000): Promise<ReplayWait> {
  const primary = pgClient({ connectionString: primaryUrl, application_name: 'xuncha-etl-replay-wait' });
  const replica = pgClient({ connectionString: readUrl, application_name: 'xuncha-etl-replay-wait' });
  await primary.connect();
  try {
    await replica.connect();
    try {
      const { rows: recovery } = await replica.query<{ standby: boolean }>('SELECT pg_is_in_recovery() AS standby');
      if (!recovery[0].standby) return { caughtUp: true, behindBytes: 0 };
      // The insert position: with asynchronous commit a commit may not be written out yet.
      const { rows: target } = await primary.query<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn');
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const { rows } = await replica.query<{ behind: string | null }>('SELECT pg_wal_lsn_diff($1::pg_lsn, pg_last_wal_replay_lsn())::text AS behind', [
          target[0].lsn,
        ]);
        // NULL: nothing replayed yet since the replica started
        const behind = rows[0].behind === null ? Number.POSITIVE_INFINITY : Math.max(0, Number(rows[0].behind));
        if (behind === 0) return { caughtUp: true, behindBytes: 0 };
        if (Date.now() >= deadline) return { caughtUp: false, behindBytes: behind };
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    } finally {
      await replica.end().catch(() => undefined);
    }
  } finally {
    await primary.end().catch(() => undefined);
  }
}
