/**
 * npm start: the whole product on its embedded engines (or the servers named by
 * DATABASE_URL / CLICKHOUSE_URL). This step: PostgreSQL started and migrated, demo data
 * loaded into an empty database. Stops cleanly on Ctrl-C (SIGINT) or SIGTERM.
 */
import { databaseConfigFromEnv, openDatabase, type DatabaseHandle } from '../prisma/src/database';
import { runCli, UserError } from '../prisma/src/errors';
import { migrate } from '../prisma/src/migrate';
import { isDatabaseEmpty, seedDatabase } from '../prisma/src/seed';
import { shanghaiToday } from '../prisma/src/calendar';

function parseSeed(value: string | undefined): number {
  if (value === undefined || value === '') return 1;
  const seed = Number(value);
  if (!Number.isInteger(seed) || seed < 0) throw new UserError(`DEMO_SEED must be a non-negative integer (got "${value}")`);
  return seed;
}

runCli(async () => {
  const demoSeed = parseSeed(process.env.DEMO_SEED);
  const skipDemo = process.env.DEMO_DATA === 'off';
  const db: DatabaseHandle = await openDatabase(databaseConfigFromEnv());
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n收到 ${signal}，正在停止 stopping…`);
    await db.stop();
    console.log('已停止 stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  try {
    console.log(`数据库 Database: ${db.describe}`);
    const migrated = await migrate(db.url, undefined, (line) => console.log(`  ${line}`));
    console.log(`迁移 Migrations: ${migrated.applied.length} applied, ${migrated.alreadyApplied} already applied`);
    if (!skipDemo && (await isDatabaseEmpty(db.url))) {
      console.log(`示例数据 Demo data: loading 示例市 (scale demo, seed ${demoSeed})…`);
      const summary = await seedDatabase(db.url, { scale: 'demo', seed: demoSeed, today: shanghaiToday() });
      const total = Object.values(summary.counts).reduce((a, b) => a + b, 0);
      console.log(`示例数据 Demo data: ${total.toLocaleString('zh-CN')} rows in ${summary.seconds.toFixed(1)} s`);
    }
  } catch (error) {
    await db.stop();
    throw error;
  }
  console.log('就绪 Ready. Press Ctrl-C to stop.');
  await new Promise<void>(() => undefined); // runs until a signal arrives
});
