import { Readable } from 'node:stream';
import { ClickHouseLogLevel, createClient, drainStream, type ClickHouseClient, type ClickHouseSettings } from '@clickhouse/client';
import { clickhouseError, messageOf, redactUrl, WarehouseError } from './errors';
import { insertStatement, plainIdentifier } from './identifier';
import { onCluster } from './cluster';
import { pageStatement, parsePage, type WarehousePage } from './page';
import { singleStatement } from './single-statement';
import { prepareParams, toJsonEachRow } from './values';
import { RAW_INSERT_FORMATS, type RawInsertFormat, type Warehouse, type WarehouseConfig } from './warehouse';

const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;

/** Errors of the network rather than of ClickHouse. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EPIPE']);

function isUnreachable(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  const message = messageOf(error);
  return (typeof code === 'string' && UNREACHABLE.has(code)) || /^Timeout error/i.test(message) || /socket hang up/i.test(message);
}

class ServerWarehouse implements Warehouse {
  readonly engine = 'server' as const;
  /** Opens the same server on another database (set by openServerWarehouse). */
  openSibling?: (database: string) => Promise<Warehouse>;
  /** Set while the database could not be created yet (ClickHouse was unreachable at open). */
  private bootstrap: (() => Promise<void>) | undefined;

  constructor(
    private readonly client: ClickHouseClient,
    readonly database: string,
    readonly cluster: string | undefined,
    private readonly url: string,
  ) {}

  /** Creates the database before the first statement once ClickHouse answers. */
  deferBootstrap(bootstrap: () => Promise<void>): void {
    this.bootstrap = bootstrap;
  }

  private async ready(): Promise<void> {
    if (!this.bootstrap) return;
    await this.bootstrap();
    this.bootstrap = undefined;
  }

  private fail(error: unknown, sql: string): WarehouseError {
    if (isUnreachable(error)) {
      return new WarehouseError(`cannot reach ClickHouse at ${redactUrl(this.url)}: ${messageOf(error)}`, { sql, cause: error });
    }
    return clickhouseError(error, sql);
  }

  async query<T>(sql: string, params?: Record<string, unknown>): Promise<T[]> {
    const statement = singleStatement(sql);
    const queryParams = prepareParams(statement, params);
    await this.ready();
    try {
      const result = await this.client.query({ query: statement, format: 'JSONEachRow', query_params: queryParams });
      return await result.json<T>();
    } catch (error) {
      throw this.fail(error, statement);
    }
  }

  async queryPage<T>(sql: string, params?: Record<string, unknown>): Promise<WarehousePage<T>> {
    const single = singleStatement(sql);
    const statement = pageStatement(single);
    const queryParams = prepareParams(single, params);
    await this.ready();
    let answer: { data?: T[]; rows_before_limit_at_least?: number | string };
    try {
      const result = await this.client.query({ query: statement, format: 'JSON', query_params: queryParams });
      answer = await result.json<T>();
    } catch (error) {
      throw this.fail(error, statement);
    }
    return parsePage<T>(answer, statement);
  }

  async command(sql: string, params?: Record<string, unknown>): Promise<void> {
    const statement = singleStatement(sql);
    const queryParams = prepareParams(statement, params);
    await this.ready();
    try {
      await this.client.command({ query: statement, query_params: queryParams });
    } catch (error) {
      throw this.fail(error, statement);
    }
  }

  async insert(table: string, rows: readonly Record<string, unknown>[]): Promise<void> {
    if (rows.length === 0) return;
    await this.insertRaw(table, undefined, 'JSONEachRow', await toJsonEachRow(rows));
  }

  async insertRaw(table: string, columns: readonly string[] | undefined, format: RawInsertFormat, payload: Buffer): Promise<void> {
    if (!RAW_INSERT_FORMATS.includes(format)) throw new WarehouseError(`unsupported insert format ${JSON.stringify(format)}`);
    const query = insertStatement(table, columns, format);
    if (payload.length === 0) return;
    // On a cluster, wait until the Distributed table has written to the shards: the ETL
    // advances its watermark only after ClickHouse confirmed the batch.
    const settings: ClickHouseSettings = this.cluster ? { insert_distributed_sync: 1 } : {};
    await this.ready();
    try {
      // The serialized rows are the body of one INSERT.
      const result = await this.client.exec({ query, values: Readable.from([payload], { objectMode: false }), clickhouse_settings: settings });
      await drainStream(result.stream);
    } catch (error) {
      throw this.fail(error, query);
    }
  }

  async sibling(database: string): Promise<Warehouse> {
    if (!this.openSibling) throw new WarehouseError(`cannot open database ${database} beside ${this.database}`);
    return this.openSibling(database);
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

/** Connects to a ClickHouse server over HTTP and creates the database when missing. */
export async function openServerWarehouse(config: WarehouseConfig & { url: string }): Promise<Warehouse> {
  const database = plainIdentifier(config.database, 'database');
  const shown = redactUrl(config.url);
  let protocol: string | undefined;
  try {
    protocol = new URL(config.url).protocol;
  } catch {
    protocol = undefined;
  }
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw new WarehouseError(`CLICKHOUSE_URL is not a valid URL (${shown}); expected http(s)://host:8123`);
  }
  const options = {
    url: config.url,
    // Credentials may also be in the URL (http://user:password@host:8123).
    ...(config.user === undefined ? {} : { username: config.user }),
    ...(config.password === undefined ? {} : { password: config.password }),
    request_timeout: config.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    application: 'xuncha-insight',
    // Errors are thrown to the caller, not logged by the client as well.
    log: { level: ClickHouseLogLevel.OFF },
    clickhouse_settings: {
      output_format_json_quote_64bit_integers: 1,
      input_format_skip_unknown_fields: 0,
    } satisfies ClickHouseSettings,
  };

  // The database may not exist yet, so the first statement runs without one. When
  // ClickHouse does not answer, the warehouse opens all the same (the app starts, the
  // ETL retries) and creates the database before its first statement.
  const createDatabase = async () => {
    const bootstrap = new ServerWarehouse(createClient(options), 'default', config.cluster, config.url);
    try {
      await bootstrap.command(`CREATE DATABASE IF NOT EXISTS ${database}${config.cluster ? ` ${onCluster(config.cluster)}` : ''}`);
    } catch (error) {
      if (error instanceof WarehouseError && !error.message.startsWith('cannot reach')) {
        throw new WarehouseError(`ClickHouse at ${shown} refused to create database ${database}: ${error.message}`, {
          code: error.code,
          type: error.type,
          cause: error,
        });
      }
      throw error;
    } finally {
      await bootstrap.close();
    }
  };
  const warehouse = new ServerWarehouse(createClient({ ...options, database }), database, config.cluster, config.url);
  warehouse.openSibling = (other) => openServerWarehouse({ ...config, database: other });
  try {
    await createDatabase();
  } catch (error) {
    if (!(error instanceof WarehouseError && error.message.startsWith('cannot reach'))) throw error;
    warehouse.deferBootstrap(createDatabase);
  }
  return warehouse;
}
