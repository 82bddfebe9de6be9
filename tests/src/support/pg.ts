import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { withDatabase } from '@xuncha/prisma';

/** The migrated database that each test's database is copied from (built by the global setup). */
export const TEMPLATE_DATABASE = 'xuncha_test_template';

export function testServerUrl(): string {
  const url = process.env.XUNCHA_TEST_PG_SERVER;
  if (!url) throw new Error('XUNCHA_TEST_PG_SERVER is not set: run integration tests through jest (global setup)');
  return url;
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

async function admin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: testServerUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * A database of its own for one test file: migrated (copied from the template) unless
 * `migrated: false`, which gives an empty one. Drop it in afterAll.
 */
export async function createTestDatabase(options: { migrated?: boolean } = {}): Promise<TestDatabase> {
  const name = `xt_${process.pid}_${randomBytes(4).toString('hex')}`;
  const template = options.migrated === false ? 'template0' : TEMPLATE_DATABASE;
  await admin((client) => client.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
  return {
    name,
    url: withDatabase(testServerUrl(), name),
    drop: () => admin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}

/** Runs one query on a database and returns its rows. */
export async function query<T extends Record<string, unknown>>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}
