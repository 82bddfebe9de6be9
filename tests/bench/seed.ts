/**
 * npm run bench -- seed: seeds the 1m scale (1,000,000 findings with their tasks, events and
 * everything around them) into a throwaway embedded PostgreSQL and reports the time and
 * the rate over the rows of all tables:
 *
 *   BENCH seed-1m-seconds <s> s
 *   BENCH seed-1m-rows-per-second <n> rows/s
 *
 * The clock covers seedDatabase() as the product runs it: generation, COPY, revalidating
 * the foreign keys, commit and ANALYZE. A fixed `today` keeps runs comparable.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureDatabase, startPostgres, migrate, seedDatabase } from '@xuncha/prisma';
import { runCli } from '@xuncha/shared';

const TODAY = '2026-06-30';

export async function benchSeed(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'xuncha-bench-seed-'));
  fs.chmodSync(root, 0o755); // under root, PostgreSQL runs as the postgres user and must enter it
  try {
    const pg = await startPostgres({ dataDir: path.join(root, 'pg') });
    try {
      const url = await ensureDatabase(pg.url, 'xuncha_bench');
      await migrate(url);
      const summary = await seedDatabase(url, { scale: '1m', seed: 1, today: TODAY });
      const rows = Object.values(summary.counts).reduce((sum, n) => sum + n, 0);
      console.log(`BENCH seed-1m-seconds ${summary.seconds.toFixed(1)} s`);
      console.log(`BENCH seed-1m-rows-per-second ${Math.round(rows / summary.seconds)} rows/s`);
    } finally {
      await pg.stop();
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

if (require.main === module) runCli(benchSeed);
