import { Client, type ClientBase } from 'pg';

/**
 * The durable "the warehouse needs a full load" of etl_state (DESIGN.md, "Change capture
 * and the warehouse"). Whatever leaves the warehouse out of step with PostgreSQL in a way an
 * incremental run cannot repair — a new or upgraded warehouse, case records replaced by
 * `db:seed --force` (which reuses ids) — records the need here first; the ETL runner then
 * loads in full, whatever mode it was asked for, and clears the need only in the same
 * transaction that records that full run as succeeded. A process killed in between, or a
 * full run skipped because another run held the lock, leaves the need in place.
 */
export const ETL_STATE_ID = 'main';

export interface FullLoadRequest {
  /** When it was requested, as PostgreSQL prints it (compared as text when cleared). */
  at: string;
  reason: string;
}

type Queryable = Pick<ClientBase, 'query'>;

/** Records that the warehouse needs a full load (a later request replaces the reason). */
export async function requestFullLoad(db: Queryable | string, reason: string): Promise<void> {
  const sql = `INSERT INTO etl_state (id, watermark, full_load_requested_at, full_load_reason, updated_at) VALUES ($1, 0, clock_timestamp(), $2, now())
     ON CONFLICT (id) DO UPDATE SET full_load_requested_at = clock_timestamp(), full_load_reason = EXCLUDED.full_load_reason`;
  if (typeof db !== 'string') {
    await db.query(sql, [ETL_STATE_ID, reason]);
    return;
  }
  const client = new Client({ connectionString: db, application_name: 'xuncha-etl-state' });
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query(sql, [ETL_STATE_ID, reason]);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The pending request, or null. */
export async function pendingFullLoad(db: Queryable): Promise<FullLoadRequest | null> {
  const { rows } = await db.query<{ at: string | null; reason: string | null }>(
    'SELECT full_load_requested_at::text AS at, full_load_reason AS reason FROM etl_state WHERE id = $1',
    [ETL_STATE_ID],
  );
  const row = rows[0];
  return row?.at ? { at: row.at, reason: row.reason ?? '' } : null;
}

/** Clears `request` unless a newer one was recorded meanwhile (that one stays for the next run). */
export async function clearFullLoad(db: Queryable, request: FullLoadRequest): Promise<void> {
  await db.query(
    `UPDATE etl_state SET full_load_requested_at = NULL, full_load_reason = NULL
     WHERE id = $1 AND full_load_requested_at::text = $2`,
    [ETL_STATE_ID, request.at],
  );
}
