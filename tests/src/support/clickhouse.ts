import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openWarehouse, type Warehouse, pidAlive } from '@xuncha/etl';

/**
 * The embedded warehouse for integration tests.
 *
 * chDB is a process singleton: one process opens one data directory at a time (another
 * one only after every session on the first is closed), and a directory belongs to one
 * process. Jest runs each test file in a fresh module registry and global object, so
 * nothing cached in JavaScript outlives a test file; what outlives it is the engine inside
 * the worker process. Hence: the directory is derived from the worker's PID, the same for
 * every test file the worker runs, so a file that leaked an open session can never make
 * the next one ask for a second directory. Within a test file, one warehouse (one chDB
 * session) is cached and shared; each test file gets its own database `xt_<pid>_<random>`.
 */

const DIR_PREFIX = 'xuncha-test-ch-';

/** Removes the test warehouse folders of processes that have ended. */
function removeStaleDirectories(): void {
  for (const name of fs.readdirSync(os.tmpdir())) {
    const pid = name.startsWith(DIR_PREFIX) ? Number(name.slice(DIR_PREFIX.length)) : NaN;
    if (Number.isInteger(pid) && pid !== process.pid && !pidAlive(pid)) {
      fs.rmSync(path.join(os.tmpdir(), name), { recursive: true, force: true });
    }
  }
}

/** This process's chDB data directory (one per Jest worker process). */
export function testWarehouseDir(): string {
  return path.join(os.tmpdir(), `${DIR_PREFIX}${process.pid}`);
}

let cached: Promise<Warehouse> | undefined;

/** The chDB warehouse of this test file, in a database of its own. Drop it in afterAll. */
export function openTestWarehouse(): Promise<Warehouse> {
  cached ??= (async () => {
    removeStaleDirectories();
    const database = `xt_${process.pid}_${randomBytes(4).toString('hex')}`;
    return openWarehouse({ database, dataDir: testWarehouseDir() });
  })();
  return cached;
}

/** Drops this test file's database and closes its session. */
export async function dropTestDatabase(): Promise<void> {
  if (!cached) return;
  const warehouse = await cached;
  cached = undefined;
  try {
    await warehouse.command(`DROP DATABASE IF EXISTS ${warehouse.database} SYNC`);
    // where a full run that failed left its shadow tables (etl/src/load/warehouse-sink.ts)
    await warehouse.command(`DROP DATABASE IF EXISTS ${warehouse.database}_full_load SYNC`);
  } finally {
    await warehouse.close();
  }
}

/** Throws unless `text` holds exactly one line; returns it. For one-line error messages. */
export function oneLine(text: string): string {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  if (lines.length !== 1) throw new Error(`expected one line, got ${lines.length}:\n${text}`);
  return lines[0];
}
