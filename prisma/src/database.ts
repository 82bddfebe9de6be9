import path from 'node:path';
import { pgClient } from './pg-client';
import { startPostgres, type PostgresInstance } from './embedded-postgres';
import { UserError } from '@xuncha/shared';

export interface DatabaseConfig {
  /** A PostgreSQL server; when absent, the embedded engine is started. */
  databaseUrl?: string;
  /** Where the embedded engine keeps its data. */
  dataDir: string;
  /** The database created in the embedded engine. */
  databaseName?: string;
}

export interface DatabaseHandle {
  url: string;
  embedded: boolean;
  /** One line for the person starting the product: where the data lives. */
  describe: string;
  stop(): Promise<void>;
}

export function databaseConfigFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: path.resolve(env.PG_DATA_DIR || path.join(env.DATA_DIR || 'data', 'pg')),
  };
}

/** Hides the password of a connection string for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}

/** Checks a PostgreSQL connection string and that the server answers; one-line errors. */
export async function checkServer(url: string, variable = 'DATABASE_URL'): Promise<void> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UserError(`${variable} is not a valid URL; expected postgresql://user:password@host:5432/database`);
  }
  if (parsed.protocol !== 'postgresql:' && parsed.protocol !== 'postgres:') {
    throw new UserError(`${variable} must start with postgresql:// (got ${parsed.protocol}//)`);
  }
  const client = pgClient({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new UserError(`cannot connect to ${variable} (${redactUrl(url)}): ${message.split('\n')[0]}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** Creates the database on the server when it does not exist yet. */
export async function ensureDatabase(serverUrl: string, database: string): Promise<string> {
  if (!/^[a-z_][a-z0-9_]*$/.test(database)) throw new UserError(`invalid database name "${database}"`);
  const client = pgClient({ connectionString: serverUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE "${database}"`).catch((error: { code?: string }) => {
        if (error.code !== '42P04') throw error; // created meanwhile by another process
      });
    }
  } finally {
    await client.end();
  }
  return withDatabase(serverUrl, database);
}

export async function openDatabase(config: DatabaseConfig, onLog?: (line: string) => void): Promise<DatabaseHandle> {
  if (config.databaseUrl) {
    await checkServer(config.databaseUrl);
    return {
      url: config.databaseUrl,
      embedded: false,
      describe: `PostgreSQL server ${redactUrl(config.databaseUrl)}`,
      stop: () => Promise.resolve(),
    };
  }
  const instance: PostgresInstance = await startPostgres({ dataDir: config.dataDir, onLog });
  try {
    const url = await ensureDatabase(instance.url, config.databaseName ?? 'xuncha');
    return {
      url,
      embedded: true,
      describe: `embedded PostgreSQL on 127.0.0.1:${instance.port}, data in ${instance.dataDir}`,
      stop: () => instance.stop(),
    };
  } catch (error) {
    await instance.stop();
    throw error;
  }
}
