/**
 * npm run db:seed -- --scale demo|1m|10m --seed N [--today YYYY-MM-DD] [--force]
 *
 * Fills the database (embedded PostgreSQL unless DATABASE_URL) with the demo data of the
 * fictional city 示例市. Refuses a database that already holds case records unless --force,
 * which replaces them.
 */
import { databaseConfigFromEnv, openDatabase } from '../database';
import { runCli, UserError } from '@xuncha/shared';
import { migrate } from '../migrate';
import { isDatabaseEmpty, parseSeedArgs, seedDatabase, SEED_USAGE, type SeedProgress } from '../seed';

const number = (n: number) => n.toLocaleString('en-US');

/** One updating line on a terminal; a line every few seconds otherwise (logs, CI). */
class Progress {
  private readonly started = Date.now();
  private last = this.started;
  private shown = false;

  constructor(private readonly tty: boolean) {}

  update = (p: SeedProgress): void => {
    const now = Date.now();
    if (now - this.last < (this.tty ? 200 : 5000)) return;
    this.last = now;
    const seconds = (now - this.started) / 1000;
    const rate = Math.round(p.totalRows / Math.max(seconds, 0.001));
    const text = `  ${p.table.padEnd(20)} ${number(p.rows).padStart(11)} rows | total ${number(p.totalRows).padStart(11)} rows | ${number(rate)} rows/s`;
    if (this.tty) {
      process.stdout.write(`\r${text}\x1b[K`);
      this.shown = true;
    } else {
      process.stdout.write(`${text}\n`);
    }
  };

  done(): void {
    if (this.shown) process.stdout.write('\r\x1b[K');
  }
}

runCli(async () => {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(SEED_USAGE);
    return;
  }
  const args = parseSeedArgs(argv);
  const db = await openDatabase(databaseConfigFromEnv());
  try {
    console.log(`数据库 Database: ${db.describe}`);
    await migrate(db.url, undefined, (line) => console.log(line));
    if (!args.force && !(await isDatabaseEmpty(db.url))) {
      throw new UserError('the database already holds case records (数据库中已有案件数据); pass --force to replace them');
    }
    console.log(`生成演示数据 Seeding: scale ${args.scale}, seed ${args.seed}, today ${args.today}${args.force ? ', replacing existing case records' : ''}`);
    const progress = new Progress(Boolean(process.stdout.isTTY));
    const summary = await seedDatabase(db.url, { ...args, onProgress: progress.update });
    progress.done();

    const total = Object.values(summary.counts).reduce((sum, n) => sum + n, 0);
    console.log(`  ${'表 table'.padEnd(20)} ${'行数 rows'.padStart(11)}`);
    for (const [table, rows] of Object.entries(summary.counts)) console.log(`  ${table.padEnd(20)} ${number(rows).padStart(11)}`);
    console.log(
      `  ${'合计 total'.padEnd(20)} ${number(total).padStart(11)} rows in ${summary.seconds.toFixed(1)} s (${number(Math.round(total / summary.seconds))} rows/s)`,
    );
  } finally {
    await db.stop();
  }
});
