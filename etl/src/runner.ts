import { Client } from 'pg';
import { pgClient, redactUrl, clearFullLoad, pendingFullLoad, requestFullLoad, type FullLoadRequest } from '@xuncha/prisma';
import { changedKeys, type ChangedKeys } from './extract/changed';
import { copyBatches } from './extract/copy';
import { buildFullCopy, buildKeysCopy, TABLES, type TableSpec } from './extract/tables';
import type { Sink } from './load/sink';
import { routeBatch, type Reject } from './transform/route';

/**
 * One ETL run: PostgreSQL → ClickHouse (docs/ARCHITECTURE.md, "One ETL run").
 *
 * - One run at a time across every process: a PostgreSQL advisory lock; a run that cannot
 *   take it is skipped (the schedule's incremental runs), or waits for it when asked to
 *   (`waitForLock`: a full run asked for by hand queues behind the run under way).
 * - A full load the warehouse needs (etl_state.full_load_requested_at, prisma/src/etl-state.ts)
 *   turns any run into a full one, and is cleared only with the success of that run.
 * - A full run loads into shadow tables beside the live ones and exchanges them in at its end
 *   (the sink's `beginFull`/`publishFull`), so that readers see the old warehouse or the new
 *   one; a sink without them (a ClickHouse cluster) empties the live tables first.
 * - The extract reads every table in one REPEATABLE READ snapshot: on a full run each table
 *   as one stream, loaded in batches; on an incremental run the changed keys (and the facts
 *   that copy from changed rows), in keyset batches. The
 *   new watermark is the oldest transaction still running when that snapshot was taken;
 *   the next run reads what was written by transactions from there on, so a transaction
 *   that commits late is never missed, and re-reading is harmless.
 * - Loads are idempotent (ReplacingMergeTree by record id and change sequence). The
 *   watermark moves only after every batch was confirmed by the warehouse, so a run killed
 *   at any point is simply done again by the next one.
 * - A record that fails validation is written to etl_rejects with its reasons; the run
 *   goes on. read = written + rejected, per table.
 * - The extract may read from a physical streaming replica (`readDatabaseUrl`,
 *   DATABASE_READ_URL): its snapshots are snapshots of the primary as of the replayed WAL,
 *   in the same transaction-id space, so the watermark means the same there. A replica
 *   that lags delays what a run sees; it does not make a later run skip anything. Before
 *   reading, the run checks that the replica belongs to the primary (same system
 *   identifier, same database). The lock, run history, rejects and watermark stay on the
 *   primary (`databaseUrl`).
 */
export const ETL_LOCK_KEY = 0x58554e43; // "XUNC"
/** Tables a full run reads on its second connection. */
const SECOND_LANE = new Set(['fact_task_events']);
const STATE_ID = 'main';

export type EtlMode = 'incremental' | 'full';

export interface TableStats {
  read: number;
  written: number;
  rejected: number;
}

export interface EtlProgress {
  table: string;
  stats: TableStats;
  tableIndex: number;
  tableCount: number;
}

export interface EtlOptions {
  /** The primary: the lock, run history, rejects and watermark; and the extract unless readDatabaseUrl is set. */
  databaseUrl: string;
  /** Where the extract reads: a physical streaming replica of databaseUrl (DATABASE_READ_URL). */
  readDatabaseUrl?: string;
  sink: Sink;
  mode?: EtlMode;
  /** Rows per keyset batch. */
  batchSize?: number;
  /** What started the run: schedule, api, cli, startup. */
  trigger?: string;
  onProgress?: (progress: EtlProgress) => void;
  /** Stops the run between batches (the watermark does not move). */
  signal?: AbortSignal;
  /** Attempts per warehouse insert before the run fails. */
  insertAttempts?: number;
  /** Wait for the run under way (queue behind it) instead of skipping. */
  waitForLock?: boolean;
}

export interface EtlRunResult {
  /** `skipped`: another run held the lock (never with `waitForLock`). */
  status: 'succeeded' | 'skipped';
  /** null when skipped, or when an incremental run found nothing and left no record. */
  runId: number | null;
  mode: EtlMode;
  watermarkFrom: bigint;
  watermarkTo: bigint | null;
  tables: Record<string, TableStats>;
  read: number;
  written: number;
  rejected: number;
  seconds: number;
}

/** The tasks read in a run, and the tasks of the task events read (sorted, unique). */
async function tasksTouched(reader: Client, keys: ChangedKeys): Promise<bigint[]> {
  const { rows } = await reader.query<{ id: string }>('SELECT DISTINCT task_id::text AS id FROM task_events WHERE id = ANY($1::bigint[])', [
    keys.task_events.map((key) => key.toString()),
  ]);
  const all = new Set<bigint>([...keys.tasks, ...rows.map((row) => BigInt(row.id))]);
  return [...all].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export class EtlRunError extends Error {
  constructor(
    message: string,
    readonly runId: number,
  ) {
    super(message);
    this.name = 'EtlRunError';
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function withRetries<T>(attempts: number, work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts) throw error;
      await sleep(200 * 4 ** (attempt - 1));
    }
  }
}

/** Records that a new or upgraded warehouse (these migrations pending) needs a full load. */
export async function requestWarehouseLoad(databaseUrl: string, pending: readonly string[]): Promise<void> {
  const shown = pending.length > 3 ? `${pending.slice(0, 3).join(', ')} … (${pending.length})` : pending.join(', ');
  await requestFullLoad(databaseUrl, `数据仓库迁移 warehouse migrations ${shown}`);
}

async function readWatermark(control: Client): Promise<bigint> {
  const { rows } = await control.query<{ watermark: string }>('SELECT watermark::text FROM etl_state WHERE id = $1', [STATE_ID]);
  return rows.length ? BigInt(rows[0].watermark) : 0n;
}

async function writeWatermark(control: Client, watermark: bigint, runId: number | null): Promise<void> {
  await control.query(
    `INSERT INTO etl_state (id, watermark, last_run_id, updated_at) VALUES ($1, $2, $3, now())
     ON CONFLICT (id) DO UPDATE SET watermark = EXCLUDED.watermark,
       last_run_id = COALESCE(EXCLUDED.last_run_id, etl_state.last_run_id), updated_at = now()`,
    [STATE_ID, watermark.toString(), runId],
  );
}

async function saveRejects(control: Client, runId: number, rejects: readonly Reject[]): Promise<void> {
  if (rejects.length === 0) return;
  await control.query(
    `INSERT INTO etl_rejects (run_id, table_name, record_id, reason)
     SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[])`,
    [runId, rejects.map((r) => r.table), rejects.map((r) => r.recordId), rejects.map((r) => r.reason)],
  );
}

function totals(tables: Record<string, TableStats>): TableStats {
  const sum: TableStats = { read: 0, written: 0, rejected: 0 };
  for (const stats of Object.values(tables)) {
    sum.read += stats.read;
    sum.written += stats.written;
    sum.rejected += stats.rejected;
  }
  return sum;
}

export async function runEtl(options: EtlOptions): Promise<EtlRunResult> {
  const control = pgClient({ connectionString: options.databaseUrl, application_name: 'xuncha-etl' });
  await control.connect();
  try {
    if (options.waitForLock) {
      // PostgreSQL queues a waiting lock request ahead of later pg_try_advisory_lock calls,
      // so the schedule's incremental runs cannot overtake this one.
      await control.query('SELECT pg_advisory_lock($1)', [ETL_LOCK_KEY]);
    }
    const { rows } = options.waitForLock
      ? { rows: [{ locked: true }] }
      : await control.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [ETL_LOCK_KEY]);
    if (!rows[0].locked) {
      const mode = options.mode ?? 'incremental';
      return { status: 'skipped', runId: null, mode, watermarkFrom: 0n, watermarkTo: null, tables: {}, read: 0, written: 0, rejected: 0, seconds: 0 };
    }
    try {
      return await runLocked(control, options);
    } finally {
      await control.query('SELECT pg_advisory_unlock($1)', [ETL_LOCK_KEY]).catch(() => undefined);
    }
  } finally {
    await control.end().catch(() => undefined);
  }
}

async function runLocked(control: Client, options: EtlOptions): Promise<EtlRunResult> {
  const started = process.hrtime.bigint();
  // A full load the warehouse needs makes this run a full one.
  const needed: FullLoadRequest | null = await pendingFullLoad(control);
  const mode: EtlMode = needed ? 'full' : (options.mode ?? 'incremental');
  const batchSize = options.batchSize ?? 100_000;
  const attempts = options.insertAttempts ?? 3;

  // We hold the lock: a run still marked RUNNING belongs to a process that died.
  await control.query(
    `UPDATE etl_runs SET status = 'FAILED', finished_at = now(), error = '中断：进程在运行结束前退出 interrupted: the process stopped before the run finished'
     WHERE status = 'RUNNING'`,
  );

  const watermarkFrom = mode === 'full' ? 0n : await readWatermark(control);
  const readAll = watermarkFrom === 0n;
  options.sink.begin?.(readAll);
  const { rows: runRows } = await control.query<{ id: number }>(
    `INSERT INTO etl_runs (mode, status, watermark_from, trigger) VALUES ($1, 'RUNNING', $2, $3) RETURNING id`,
    [mode, watermarkFrom.toString(), options.trigger ?? 'cli'],
  );
  const runId = runRows[0].id;
  const tables: Record<string, TableStats> = {};
  let publishing = false;

  const sourceUrl = options.readDatabaseUrl ?? options.databaseUrl;
  const reader = pgClient({ connectionString: sourceUrl, application_name: 'xuncha-etl-extract' });
  try {
    // Connected (and a replica checked) before a full run empties the warehouse.
    await connectSource(reader, control, options.readDatabaseUrl);
    if (mode === 'full' && options.sink.beginFull) {
      // Loads beside the live tables: they keep serving, and stay consistent with the
      // watermark, until publishFull exchanges the loaded tables in.
      await withRetries(attempts, () => options.sink.beginFull!(TABLES.map((spec) => spec.target)));
    } else if (mode === 'full') {
      // Forget the watermark before emptying the warehouse: if this run dies, the next
      // one reads everything again.
      await writeWatermark(control, 0n, null);
      for (const spec of TABLES) await withRetries(attempts, () => options.sink.truncate(spec.target));
    }
    await reader.query('SET DateStyle = ISO');
    await reader.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    // The first query takes the snapshot every batch below reads from.
    const { rows: snap } = await reader.query<{ xmin: string }>('SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin');
    const watermarkTo = BigInt(snap[0].xmin);
    const keys: ChangedKeys | null = readAll ? null : await changedKeys(reader, watermarkFrom);
    if (!readAll) {
      // Keyset batches of a few keys: look each joined row up by its index. Left to
      // itself the planner hashes whole tables (a seq scan of every finding for 10k tasks).
      await reader.query('SET LOCAL enable_hashjoin = off');
      await reader.query('SET LOCAL enable_mergejoin = off');
    }

    for (const spec of TABLES) tables[spec.target] = { read: 0, written: 0, rejected: 0 };
    const copyLane = async (client: Client, specs: readonly TableSpec[]) => {
      for (const spec of specs) {
        const stats = tables[spec.target];
        await copyTable(spec, keys ? keys[spec.changedSet] : null, { reader: client, control, runId, options, batchSize, attempts, stats });
        options.onProgress?.({ table: spec.target, stats, tableIndex: TABLES.indexOf(spec), tableCount: TABLES.length });
      }
    };
    if (readAll) {
      // A full run reads the task history, the largest table, on a second connection in
      // the same snapshot, so that PostgreSQL uses both cores while the loader works.
      const { rows: exported } = await reader.query<{ id: string }>('SELECT pg_export_snapshot() AS id');
      const second = pgClient({ connectionString: sourceUrl, application_name: 'xuncha-etl-extract-2' });
      await second.connect();
      try {
        await second.query('SET DateStyle = ISO');
        await second.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        await second.query(`SET TRANSACTION SNAPSHOT '${exported[0].id.replace(/[^0-9A-F-]/gi, '')}'`);
        const [firstLane, secondLane] = await Promise.allSettled([
          copyLane(
            reader,
            TABLES.filter((spec) => !SECOND_LANE.has(spec.target)),
          ),
          copyLane(
            second,
            TABLES.filter((spec) => SECOND_LANE.has(spec.target)),
          ),
        ]);
        if (firstLane.status === 'rejected') throw firstLane.reason;
        if (secondLane.status === 'rejected') throw secondLane.reason;
        await second.query('COMMIT');
      } finally {
        await second.end().catch(() => undefined);
      }
    } else {
      await copyLane(reader, TABLES);
    }
    // The tasks whose derived state must be rebuilt: those read, and those of the events read.
    const derivedTasks: { all: true } | { taskIds: bigint[] } = keys ? { taskIds: await tasksTouched(reader, keys) } : { all: true };
    await reader.query('COMMIT');
    const refresh = options.sink.refreshDerived?.bind(options.sink);
    // Derived tables depend on the tasks and on the findings and inspections too.
    if (refresh && ('all' in derivedTasks || derivedTasks.taskIds.length > 0 || totals(tables).written > 0)) {
      await withRetries(attempts, () => refresh(derivedTasks));
    }
    if (mode === 'full' && options.sink.publishFull) {
      // Not retried: an exchange done twice would swap the old tables back in.
      publishing = true;
      await options.sink.publishFull();
      publishing = false;
    }

    const sum = totals(tables);
    // An incremental run that found nothing leaves no record (the schedule runs every
    // second or so); etl_state.updated_at says when the warehouse was last checked.
    const recorded = mode === 'full' || sum.read > 0;
    await control.query('BEGIN');
    await writeWatermark(control, watermarkTo, recorded ? runId : null);
    if (needed) await clearFullLoad(control, needed);
    if (recorded) {
      await control.query(
        `UPDATE etl_runs SET status = 'SUCCEEDED', finished_at = now(), watermark_to = $2,
           rows_read = $3, rows_written = $4, rows_rejected = $5, stats = $6 WHERE id = $1`,
        [runId, watermarkTo.toString(), sum.read, sum.written, sum.rejected, JSON.stringify(tables)],
      );
    } else {
      await control.query('DELETE FROM etl_runs WHERE id = $1', [runId]);
    }
    await control.query('COMMIT');
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return { status: 'succeeded', runId: recorded ? runId : null, mode, watermarkFrom, watermarkTo, tables, ...sum, seconds };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await control.query('ROLLBACK').catch(() => undefined);
    if (publishing) {
      // Some tables may have been exchanged and others not: only a full load repairs that.
      await requestFullLoad(control, `全量同步 ${runId} 切换失败 the full run ${runId} failed while exchanging its tables: ${message.slice(0, 300)}`).catch(
        () => undefined,
      );
    }
    const sum = totals(tables);
    await control
      .query(
        `UPDATE etl_runs SET status = 'FAILED', finished_at = now(), error = $2,
           rows_read = $3, rows_written = $4, rows_rejected = $5, stats = $6 WHERE id = $1`,
        [runId, message.slice(0, 2000), sum.read, sum.written, sum.rejected, JSON.stringify(tables)],
      )
      .catch(() => undefined);
    throw new EtlRunError(message, runId);
  } finally {
    await reader.end().catch(() => undefined);
  }
}

interface ServerIdentity {
  system: string;
  database: string;
}

const IDENTITY = 'SELECT system_identifier::text AS system, current_database() AS database FROM pg_control_system()';

/**
 * Connects the extract's reader. A replica (DATABASE_READ_URL) must be a physical copy of
 * the primary's database: same system identifier (shared by a primary and its streaming
 * replicas, different on any other server, a logical replica or a restored dump included)
 * and same database. Elsewhere the watermark, a transaction id of the primary, would mean
 * nothing, and runs could skip changes.
 */
async function connectSource(reader: Client, control: Client, readDatabaseUrl: string | undefined): Promise<void> {
  if (readDatabaseUrl === undefined) {
    await reader.connect();
    return;
  }
  const shown = redactUrl(readDatabaseUrl);
  try {
    await reader.connect();
  } catch (error) {
    throw new Error(`cannot connect to DATABASE_READ_URL (${shown}): ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`, {
      cause: error,
    });
  }
  const identity = async (client: Client, variable: string): Promise<ServerIdentity> => {
    try {
      return (await client.query<ServerIdentity>(IDENTITY)).rows[0];
    } catch (error) {
      if ((error as { code?: string }).code !== '42501') throw error;
      throw new Error(
        `cannot check that DATABASE_READ_URL is a replica of DATABASE_URL: the role of ${variable} may not call pg_control_system(); ` +
          'grant it on the primary (GRANT EXECUTE ON FUNCTION pg_control_system() TO <role>), or unset DATABASE_READ_URL',
        { cause: error },
      );
    }
  };
  const primary = await identity(control, 'DATABASE_URL');
  const replica = await identity(reader, 'DATABASE_READ_URL');
  if (replica.system !== primary.system) {
    throw new Error(
      `DATABASE_READ_URL (${shown}) is not a streaming replica of DATABASE_URL: system identifier ${replica.system}, the primary's is ${primary.system}; ` +
        'the ETL reads only from the primary or a physical (streaming) replica of it',
    );
  }
  if (replica.database !== primary.database) {
    throw new Error(
      `DATABASE_READ_URL (${shown}) names database "${replica.database}", DATABASE_URL "${primary.database}": the extract must read the same database`,
    );
  }
}

interface CopyContext {
  reader: Client;
  control: Client;
  runId: number;
  options: EtlOptions;
  batchSize: number;
  attempts: number;
  stats: TableStats;
}

/**
 * Reads one table (every record when `keys` is null, else those keys) and loads it batch
 * by batch. One insert may be in flight while the next batch is read and validated; each
 * is awaited before the next starts, and all before the table is done.
 */
async function copyTable(spec: TableSpec, keys: readonly bigint[] | null, ctx: CopyContext): Promise<void> {
  const columns = spec.columns.map((c) => c.name);
  const tableIndex = TABLES.indexOf(spec);
  let inflight: Promise<void> = Promise.resolve();
  const handle = async (lines: string[]) => {
    if (ctx.options.signal?.aborted) throw new Error('已停止 stopped before the run finished');
    const batch = routeBatch(spec, lines);
    await inflight;
    if (batch.accepted.length > 0) {
      inflight = withRetries(ctx.attempts, () => ctx.options.sink.insertTsv(spec.target, columns, batch.accepted)).then(() => {
        ctx.stats.written += batch.accepted.length;
      });
      inflight.catch(() => undefined); // awaited below; do not report it as unhandled meanwhile
    }
    await saveRejects(ctx.control, ctx.runId, batch.rejects);
    ctx.stats.read += lines.length;
    ctx.stats.rejected += batch.rejects.length;
    ctx.options.onProgress?.({ table: spec.target, stats: ctx.stats, tableIndex, tableCount: TABLES.length });
  };
  try {
    if (keys === null) {
      await copyBatches(ctx.reader, buildFullCopy(spec), ctx.batchSize, handle);
    } else {
      for (let i = 0; i < keys.length; i += ctx.batchSize) {
        await copyBatches(ctx.reader, buildKeysCopy(spec, keys.slice(i, i + ctx.batchSize)), ctx.batchSize, handle);
      }
    }
  } catch (error) {
    await inflight.catch(() => undefined);
    throw error;
  }
  await inflight;
}
