import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { withDatabase, startPostgres, type PostgresInstance } from '@xuncha/prisma';

/**
 * A PostgreSQL primary with a physical streaming replica (hot standby), both on the
 * embedded engine's binaries, for tests of DATABASE_READ_URL. The standby is a copy of the
 * primary's data folder taken while the primary was stopped cleanly, started with
 * standby.signal and a primary_conninfo: from there on it replays the primary's WAL over
 * a replication connection, as a replica made by pg_basebackup would.
 */
export interface ReplicaPair {
  /** Superuser URLs of the `postgres` database on each server. */
  primaryUrl: string;
  standbyUrl: string;
  /** The same database on the primary and on the standby. */
  urls(database: string): { primary: string; standby: string };
  stop(): Promise<void>;
}

const QUIET = { fsync: 'off', synchronous_commit: 'off' };

export async function startReplicaPair(): Promise<ReplicaPair> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'xuncha-test-replica-'));
  fs.chmodSync(root, 0o755); // the postgres user (when started by root) must enter it
  const primaryDir = path.join(root, 'primary');
  const standbyDir = path.join(root, 'standby');
  const running: PostgresInstance[] = [];
  try {
    const first = await startPostgres({ dataDir: primaryDir, settings: QUIET });
    const port = first.port;
    await first.stop();
    // cp -a keeps the owner (the postgres user under root) and the folder's mode 0700
    const copied = spawnSync('cp', ['-a', primaryDir, standbyDir], { encoding: 'utf8' });
    if (copied.status !== 0) throw new Error(`copying the primary's data folder failed: ${copied.stderr}`);
    fs.copyFileSync(`${primaryDir}.password`, `${standbyDir}.password`);
    fs.writeFileSync(path.join(standbyDir, 'standby.signal'), '');

    const primary = await startPostgres({ dataDir: primaryDir, port, settings: QUIET });
    running.push(primary);
    const password = decodeURIComponent(new URL(primary.url).password);
    const standby = await startPostgres({
      dataDir: standbyDir,
      settings: {
        ...QUIET,
        hot_standby: 'on',
        primary_conninfo: `host=127.0.0.1 port=${port} user=postgres password=${password} application_name=xuncha_test_standby`,
      },
    });
    running.push(standby);
    return {
      primaryUrl: primary.url,
      standbyUrl: standby.url,
      urls: (database) => ({ primary: withDatabase(primary.url, database), standby: withDatabase(standby.url, database) }),
      stop: async () => {
        await standby.stop();
        await primary.stop();
        fs.rmSync(root, { recursive: true, force: true });
      },
    };
  } catch (error) {
    for (const instance of running.reverse()) await instance.stop().catch(() => undefined);
    fs.rmSync(root, { recursive: true, force: true });
    throw error;
  }
}
