/**
 * Loads the demo data into PostgreSQL in one transaction, table by table with binary COPY
 * streamed from the generator (memory stays flat at any scale). Measured at the 1m scale
 * (8.8M rows) on two cores, PostgreSQL's per-row work is the limit, so the loader spares it
 * what it can without changing the outcome:
 *
 * - Change capture: the `*_capture_change` triggers would run a PL/pgSQL function per row.
 *   The loader disables just those triggers inside its transaction, writes change_seq from
 *   a block it reserved on `change_capture_seq` (in insertion order, as the triggers would)
 *   and change_xid = pg_current_xact_id(), and enables them again before committing; other
 *   sessions never see them disabled (ALTER TABLE holds its lock to the end).
 * - Foreign keys: a per-row check costs more than the rest of the row's load. The loader
 *   drops the foreign keys of the loaded tables and adds them again before committing, from
 *   their own definitions; adding a key checks every row in one join. (`foreignKeys:
 *   'per-row'` keeps them in place instead.)
 * - The tables are truncated in the same transaction, so COPY ... FREEZE writes the rows
 *   already frozen and all-visible: no hint-bit writes or freezing VACUUM afterwards.
 *
 * Where the role may not alter the tables, the loader falls back to the triggers and
 * per-row checks.
 */
import { Client } from 'pg';
import { pgClient } from '../pg-client';
import { requestFullLoad } from '../etl-state';
import { from as copyFrom } from 'pg-copy-streams';
import { CaseSimulator } from './cases';
import { parseDay } from './dates';
import { UserError } from '@xuncha/shared';
import { buildPlan, SCALE_FINDINGS, type Plan, type Scale } from './plan';
import { COPY_HEADER, COPY_TRAILER, type BinaryRows } from './binary';
import { COLUMNS, rowsOf, TABLES, type Capture, type ChunkSource } from './rows';

export interface SeedProgress {
  table: string;
  /** Rows of `table` loaded so far. */
  rows: number;
  /** Rows of all tables loaded so far. */
  totalRows: number;
}

export interface SeedOptions {
  scale: Scale;
  seed: number;
  /** YYYY-MM-DD: the generated history ends on this day. */
  today: string;
  onProgress?: (progress: SeedProgress) => void;
  /** Replace the case records of a database that holds some (default: refuse). */
  force?: boolean;
  /** 'direct' (default): fill change_seq/change_xid while loading; 'trigger': let the triggers do it. */
  captureMode?: 'direct' | 'trigger';
  /**
   * 'revalidate' (default): the foreign keys of the loaded tables are dropped for the load
   * and added again before commit, which checks every row in one query per key;
   * 'per-row': they stay in place and check each row as it arrives (several times slower).
   */
  foreignKeys?: 'revalidate' | 'per-row';
}

export interface SeedSummary {
  /** Rows loaded per table. */
  counts: Record<string, number>;
  seconds: number;
}

/** The case-record tables, in load order; all carry change_seq and change_xid. */
export const CASE_TABLES = TABLES;

/** Bytes handed to the connection before waiting for PostgreSQL to take them. */
const IN_FLIGHT_BYTES = 4 << 20;

/** Rows per COPY statement: bounds PostgreSQL's queue of foreign-key checks per statement. */
const ROWS_PER_COPY = 1_000_000;

export async function isDatabaseEmpty(url: string): Promise<boolean> {
  const client = pgClient({ connectionString: url });
  await client.connect();
  try {
    return await caseTablesEmpty(client);
  } finally {
    await client.end();
  }
}

async function presentTables(client: Client): Promise<string[]> {
  const present = await client.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND c.relname = ANY($1)`,
    [CASE_TABLES],
  );
  return present.rows.map((row) => row.name);
}

async function missingTables(client: Client): Promise<string[]> {
  const present = new Set(await presentTables(client));
  return CASE_TABLES.filter((table) => !present.has(table));
}

/** No case-record table holds a row (tables not created yet count as empty). */
async function caseTablesEmpty(client: Client): Promise<boolean> {
  const present = await presentTables(client);
  if (present.length === 0) return true;
  const sql = present.map((name) => `EXISTS (SELECT 1 FROM ${ident(name)})`).join(' OR ');
  const result = await client.query<{ any: boolean }>(`SELECT ${sql} AS any`);
  return !result.rows[0].any;
}

function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function checkSeedOptions(options: SeedOptions): number {
  if (!Object.prototype.hasOwnProperty.call(SCALE_FINDINGS, options.scale)) {
    throw new UserError(`unknown scale "${options.scale}"; expected one of ${Object.keys(SCALE_FINDINGS).join(', ')}`);
  }
  if (!Number.isSafeInteger(options.seed) || options.seed < 0) throw new UserError(`seed must be a non-negative integer (got ${options.seed})`);
  const today = parseDay(options.today);
  if (today === undefined || options.today < '2000-01-01' || options.today > '2199-12-31') {
    throw new UserError(`today must be a date YYYY-MM-DD between 2000 and 2199 (got "${options.today}")`);
  }
  return today;
}

export async function seedDatabase(url: string, options: SeedOptions): Promise<SeedSummary> {
  const started = process.hrtime.bigint();
  const today = checkSeedOptions(options);
  const plan = buildPlan(options.scale, options.seed, today);
  const sim = new CaseSimulator(plan, options.seed);

  const client = pgClient({ connectionString: url });
  // a connection lost mid-load fails the pending query; keep it from surfacing twice
  client.on('error', () => undefined);
  await client.connect();
  const counts: Record<string, number> = {};
  try {
    // one commit at the end; losing it in a crash only means seeding again
    await client.query('SET synchronous_commit = off');
    const missing = await missingTables(client);
    if (missing.length > 0) throw new UserError(`the database lacks the case-record tables (${missing.join(', ')}): run npm run db:migrate first`);
    await client.query('BEGIN');
    try {
      // a second seeder waits here, then finds the tables filled
      await client.query(`LOCK TABLE ${CASE_TABLES.map(ident).join(', ')} IN EXCLUSIVE MODE`);
      const empty = await caseTablesEmpty(client);
      if (!empty && !options.force) {
        throw new UserError('the database already holds case records; seed an empty database, or pass --force to replace them');
      }
      const { regionScopes, freezable } = await clearCaseRecords(client, empty);
      const direct = options.captureMode !== 'trigger' && (await disableCaptureTriggers(client));
      const capture = await changeCapture(client, direct, plan);
      const foreignKeys = options.foreignKeys === 'per-row' ? [] : await dropForeignKeys(client);

      let totalRows = 0;
      for (const table of CASE_TABLES) {
        const counter = { rows: 0 };
        const columns = direct ? [...COLUMNS[table], 'change_seq', 'change_xid'] : [...COLUMNS[table]];
        const source = rowsOf(table, plan, sim, options.seed, capture, counter);
        await copyTable(client, table, columns, freezable.has(table), source, counter, (rows) =>
          options.onProgress?.({ table, rows, totalRows: totalRows + rows }),
        );
        counts[table] = counter.rows;
        totalRows += counter.rows;
        options.onProgress?.({ table, rows: counter.rows, totalRows });
      }

      await restoreForeignKeys(client, foreignKeys);
      if (direct) {
        await enableCaptureTriggers(client);
        await capture.finish();
      }
      for (const table of CASE_TABLES) {
        await client.query(`SELECT setval(pg_get_serial_sequence($1, 'id'), GREATEST($2::bigint, 1), $2::bigint > 0)`, [ident(table), counts[table]]);
      }
      await restoreRegionScopes(client, regionScopes);
      // The replaced records vanished without a deletion an incremental run could read, and
      // their ids now belong to other records (a task event to another task): the
      // warehouse is reloaded in full. Committed
      // with the records: no window where the new records stand without the need recorded.
      if (!empty) await requestFullLoad(client, '示例数据已替换 case records replaced by db:seed --force');
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
    await client.query(`ANALYZE ${CASE_TABLES.map(ident).join(', ')}`);
  } finally {
    await client.end();
  }
  return { counts, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

/**
 * Empties the case-record tables. TRUNCATE where possible (and then COPY ... FREEZE writes
 * the rows already frozen, sparing the first readers and VACUUM the work); regions are
 * deleted instead, since users may point at them: their scopes are kept by region code.
 */
async function clearCaseRecords(client: Client, empty: boolean): Promise<{ regionScopes: { id: number; code: string }[]; freezable: Set<string> }> {
  const others = CASE_TABLES.filter((table) => table !== 'regions');
  let freezable: Set<string>;
  await client.query('SAVEPOINT clear_case_records');
  try {
    await client.query(`TRUNCATE ${others.map(ident).join(', ')}`);
    await client.query('RELEASE SAVEPOINT clear_case_records');
    freezable = new Set(others);
  } catch {
    // another table refers to these: delete instead (children first)
    await client.query('ROLLBACK TO SAVEPOINT clear_case_records');
    for (const table of [...others].reverse()) await client.query(`DELETE FROM ${ident(table)}`);
    freezable = new Set();
  }
  if (empty) return { regionScopes: [], freezable };
  const scopes = await client.query<{ id: number; code: string }>('SELECT u.id, r.code FROM users u JOIN regions r ON r.id = u.region_id');
  await client.query('UPDATE users SET region_id = NULL WHERE region_id IS NOT NULL');
  await client.query('DELETE FROM regions');
  return { regionScopes: scopes.rows, freezable };
}

async function restoreRegionScopes(client: Client, scopes: { id: number; code: string }[]): Promise<void> {
  for (const scope of scopes) {
    await client.query('UPDATE users SET region_id = (SELECT id FROM regions WHERE code = $2) WHERE id = $1', [scope.id, scope.code]);
  }
}

interface ForeignKey {
  table: string;
  name: string;
  definition: string;
}

/**
 * Drops the foreign keys of the loaded tables, returning their definitions (as PostgreSQL
 * prints them) for restoreForeignKeys(). Per-row checks would cost PostgreSQL more than the
 * whole rest of the load; re-adding a key validates all rows in one join instead. Falls
 * back to per-row checks (returns []) when the role may not alter the tables.
 */
async function dropForeignKeys(client: Client): Promise<ForeignKey[]> {
  const keys = await client.query<ForeignKey>(
    `SELECT r.relname AS table, c.conname AS name, pg_get_constraintdef(c.oid) AS definition
       FROM pg_constraint c
       JOIN pg_class r ON r.oid = c.conrelid
       JOIN pg_namespace n ON n.oid = r.relnamespace
      WHERE c.contype = 'f' AND n.nspname = current_schema() AND r.relname = ANY($1)
      ORDER BY r.relname, c.conname`,
    [CASE_TABLES],
  );
  await client.query('SAVEPOINT foreign_keys');
  try {
    for (const key of keys.rows) await client.query(`ALTER TABLE ${ident(key.table)} DROP CONSTRAINT ${ident(key.name)}`);
    await client.query('RELEASE SAVEPOINT foreign_keys');
    return keys.rows;
  } catch {
    await client.query('ROLLBACK TO SAVEPOINT foreign_keys');
    return [];
  }
}

async function restoreForeignKeys(client: Client, keys: ForeignKey[]): Promise<void> {
  for (const key of keys) {
    await client.query(`ALTER TABLE ${ident(key.table)} ADD CONSTRAINT ${ident(key.name)} ${key.definition}`);
  }
}

const trigger = (table: string) => ident(`${table}_capture_change`);

async function disableCaptureTriggers(client: Client): Promise<boolean> {
  await client.query('SAVEPOINT capture_triggers');
  try {
    for (const table of CASE_TABLES) await client.query(`ALTER TABLE ${ident(table)} DISABLE TRIGGER ${trigger(table)}`);
    await client.query('RELEASE SAVEPOINT capture_triggers');
    return true;
  } catch {
    await client.query('ROLLBACK TO SAVEPOINT capture_triggers');
    return false;
  }
}

async function enableCaptureTriggers(client: Client): Promise<void> {
  for (const table of CASE_TABLES) await client.query(`ALTER TABLE ${ident(table)} ENABLE TRIGGER ${trigger(table)}`);
}

/**
 * The ending of each row. Direct mode: reserves a block of change_capture_seq large
 * enough for any row count the plan can produce, numbers the rows from it in insertion
 * order, and afterwards gives back what it did not use (when nobody else drew from the
 * sequence meanwhile).
 */
async function changeCapture(client: Client, direct: boolean, plan: Plan): Promise<Capture & { finish(): Promise<void> }> {
  if (!direct) return { fields: 0, write: () => undefined, finish: () => Promise.resolve() };
  const xid = (await client.query<{ xid: string }>('SELECT pg_current_xact_id()::text AS xid')).rows[0].xid;
  const bound = plan.regions.length + plan.terms.length + plan.rounds.length + plan.units.count + 100 + plan.inspections.count * (1 + 2 + 15 + 45 + 45 * 16);
  const first = Number((await client.query<{ v: string }>(`SELECT nextval('change_capture_seq') AS v`)).rows[0].v);
  const reservedTo = first + bound - 1;
  await client.query(`SELECT setval('change_capture_seq', $1::bigint)`, [reservedTo]);
  let next = first;
  const xid8 = Number(xid);
  if (!Number.isSafeInteger(xid8)) throw new Error(`unexpected transaction id ${xid}`);
  return {
    fields: 2,
    write: (rows: BinaryRows) => {
      rows.int8(next++);
      rows.int8(xid8);
    },
    finish: async () => {
      const last = Math.max(first, next - 1);
      // give the unused part of the block back unless someone drew from the sequence since
      await client.query(`SELECT setval('change_capture_seq', $1::bigint) FROM change_capture_seq WHERE last_value = $2::bigint`, [last, reservedTo]);
    },
  };
}

/** Streams a table's chunks into COPY statements of at most ROWS_PER_COPY rows each. */
async function copyTable(
  client: Client,
  table: string,
  columns: string[],
  freeze: boolean,
  source: ChunkSource,
  counter: { rows: number },
  progress: (rows: number) => void,
): Promise<void> {
  const sql = `COPY ${ident(table)} (${columns.map(ident).join(', ')}) FROM STDIN WITH (FORMAT binary${freeze ? ', FREEZE' : ''})`;
  let stream: ReturnType<typeof copyFrom> | undefined;
  let failure: unknown;
  const open = () => {
    const copy = client.query(copyFrom(sql, { highWaterMark: IN_FLIGHT_BYTES }));
    copy.on('error', (error: unknown) => {
      failure ??= error;
    });
    copy.write(COPY_HEADER);
    return copy;
  };
  const finish = async (copy: ReturnType<typeof copyFrom>) => {
    const done = settled(copy, 'finish');
    copy.end(COPY_TRAILER);
    await done;
  };
  try {
    let batchStart = 0;
    for (const chunk of source) {
      stream ??= open();
      // keep a few megabytes in flight, and let the socket take them while the next chunk is made
      if (!stream.write(chunk)) await settled(stream, 'drain');
      else await new Promise<void>((resolve) => setImmediate(resolve));
      if (failure) throw asError(failure);
      progress(counter.rows);
      if (counter.rows - batchStart >= ROWS_PER_COPY) {
        await finish(stream);
        stream = undefined;
        batchStart = counter.rows;
      }
    }
    if (stream) await finish(stream);
    stream = undefined;
    if (failure) throw asError(failure);
  } catch (error) {
    if (stream && !stream.destroyed) stream.destroy();
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`loading ${table} failed: ${message}`, { cause: error });
  }
}

/** Resolves on `event`, rejects on the stream's error; leaves no listener behind. */
function settled(stream: NodeJS.EventEmitter, event: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onEvent = () => {
      stream.off('error', onError);
      resolve();
    };
    const onError = (error: unknown) => {
      stream.off(event, onEvent);
      reject(asError(error));
    };
    stream.once(event, onEvent);
    stream.once('error', onError);
  });
}

/** What was thrown or emitted, as an Error. */
function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}
