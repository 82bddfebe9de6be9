import { redactUrl } from '@xuncha/prisma';
import { UserError } from '@xuncha/shared';

/**
 * The ETL's own configuration, read from the environment by whoever starts it (`npm start`,
 * `npm run etl`). Where the case records and the warehouse live is read by the engine
 * starters (DATABASE_URL in prisma/, CLICKHOUSE_* in etl/src/warehouse).
 */
export interface EtlConfig {
  /**
   * DATABASE_READ_URL: where the extract reads, a physical streaming replica of
   * DATABASE_URL (hot standby); absent: DATABASE_URL itself. The lock, the run history,
   * the rejects and the watermark stay on DATABASE_URL.
   */
  readDatabaseUrl?: string;
}

/** Parses the ETL's variables; empty counts as unset. A bad value throws a UserError naming the variable. */
export function etlConfigFromEnv(env: NodeJS.ProcessEnv = process.env): EtlConfig {
  const readUrl = env.DATABASE_READ_URL?.trim();
  if (!readUrl) return {};
  if (!env.DATABASE_URL) {
    throw new UserError(
      'DATABASE_READ_URL needs DATABASE_URL: a read replica belongs to a PostgreSQL server, not to the embedded engine (unset DATABASE_READ_URL, or set DATABASE_URL to the primary)',
    );
  }
  let parsed: URL;
  try {
    parsed = new URL(readUrl);
  } catch {
    throw new UserError(`DATABASE_READ_URL is not a valid URL (${redactUrl(readUrl)}); expected postgresql://user:password@replica-host:5432/database`);
  }
  if (parsed.protocol !== 'postgresql:' && parsed.protocol !== 'postgres:') {
    throw new UserError(`DATABASE_READ_URL must start with postgresql:// (got ${parsed.protocol}//)`);
  }
  return { readDatabaseUrl: readUrl };
}
