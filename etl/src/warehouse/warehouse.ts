import path from 'node:path';
import type { WarehousePage } from './page';

/**
 * The ClickHouse warehouse, on either engine: chDB inside this process (the default,
 * nothing to install) or a ClickHouse server over HTTP. The same SQL runs on both; values
 * always travel as `{name:Type}` parameters.
 */
export interface Warehouse {
  readonly engine: 'chdb' | 'server';
  /** The database every statement runs in (created when missing). */
  readonly database: string;
  /** Set when DDL must go `ON CLUSTER` (server engine on a ClickHouse cluster). */
  readonly cluster?: string;
  /** SELECT with {name:Type} parameters; returns typed rows (JSONEachRow). 64-bit ints come back as strings. */
  query<T>(sql: string, params?: Record<string, unknown>): Promise<T[]>;
  /**
   * A SELECT ending in LIMIT (… OFFSET …), without a SETTINGS clause: its rows, and how many
   * rows its LIMIT chose them from, counted exactly in the same pass (a page and its list's
   * total). Same parameters and row types as `query`.
   */
  queryPage<T>(sql: string, params?: Record<string, unknown>): Promise<WarehousePage<T>>;
  /** DDL / statements without result; same parameters. */
  command(sql: string, params?: Record<string, unknown>): Promise<void>;
  /** Batched insert of plain objects (JSONEachRow); one call = one INSERT, never a row per call. */
  insert(table: string, rows: readonly Record<string, unknown>[]): Promise<void>;
  /**
   * One INSERT of rows already serialized in `format` (e.g. TabSeparated lines, each ending
   * in a newline) into `columns` (all columns when omitted). The fast path for big batches:
   * no JavaScript object per row.
   */
  insertRaw(table: string, columns: readonly string[] | undefined, format: RawInsertFormat, payload: Buffer): Promise<void>;
  /**
   * The same engine opened on another database of it (created when missing): where a full
   * run loads its shadow tables. Close it when done; this warehouse stays open.
   */
  sibling?(database: string): Promise<Warehouse>;
  /**
   * A statement without parameters run while no other statement of this warehouse object is
   * under way (the full load's table exchange): a statement of this process reads every
   * table before it or every table after it. The embedded engine has it; a server's readers
   * are other processes, which it cannot hold (deploy/README.md).
   */
  commandExclusive?(sql: string): Promise<void>;
  close(): Promise<void>;
}

/** Formats `insertRaw` takes (the only ones spliced into SQL). */
export const RAW_INSERT_FORMATS = ['TabSeparated', 'JSONEachRow'] as const;
export type RawInsertFormat = (typeof RAW_INSERT_FORMATS)[number];

export interface WarehouseConfig {
  /** A ClickHouse server's HTTP URL; when absent, the embedded chDB engine is used. */
  url?: string;
  user?: string;
  password?: string;
  database: string;
  /** Where chDB keeps its data (one process per directory, one directory per process). */
  dataDir: string;
  /** A ClickHouse cluster name: DDL goes ON CLUSTER, tables become Replicated + Distributed. */
  cluster?: string;
  /** Server engine: how long one request may take before it fails (default 60 s). */
  requestTimeoutMs?: number;
  /** chDB: connections to the data directory, each running one statement at a time (default 6). */
  connections?: number;
}

export const DEFAULT_DATABASE = 'xuncha';

export function warehouseConfigFromEnv(env: NodeJS.ProcessEnv = process.env): WarehouseConfig {
  return {
    url: env.CLICKHOUSE_URL || undefined,
    user: env.CLICKHOUSE_USER || undefined,
    password: env.CLICKHOUSE_PASSWORD || undefined,
    database: env.CLICKHOUSE_DATABASE || DEFAULT_DATABASE,
    dataDir: path.resolve(env.CH_DATA_DIR || path.join(env.DATA_DIR || 'data', 'ch')),
    cluster: env.CLICKHOUSE_CLUSTER || undefined,
  };
}
