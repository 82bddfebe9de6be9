import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkServer, ensureDatabase, startPostgres, type PostgresInstance, migrate } from '@xuncha/prisma';
import { TEMPLATE_DATABASE } from './pg';

/**
 * Starts the PostgreSQL every integration test uses: the server in TEST_DATABASE_URL when
 * set, otherwise the embedded engine in a throwaway folder. Builds a migrated template
 * database from which each test file copies its own database.
 */
export default async function globalSetup(): Promise<void> {
  let serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    await checkServer(serverUrl, 'TEST_DATABASE_URL');
  } else {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'xuncha-test-pg-'));
    fs.chmodSync(root, 0o755);
    const instance: PostgresInstance = await startPostgres({
      dataDir: path.join(root, 'pg'),
      settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' },
    });
    (globalThis as Record<string, unknown>).__xunchaPg = { instance, root };
    serverUrl = instance.url;
  }
  const admin = new URL(serverUrl);
  admin.pathname = '/postgres';
  process.env.XUNCHA_TEST_PG_SERVER = admin.toString();
  process.env.XUNCHA_TEST_PG_ENGINE = process.env.TEST_DATABASE_URL ? 'server' : 'embedded';

  const { Client } = await import('pg');
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${TEMPLATE_DATABASE}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
  const templateUrl = await ensureDatabase(admin.toString(), TEMPLATE_DATABASE);
  await migrate(templateUrl);
}
