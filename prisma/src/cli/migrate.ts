import { databaseConfigFromEnv, openDatabase } from '../database';
import { runCli } from '@xuncha/shared';
import { migrate } from '../migrate';

runCli(async () => {
  const db = await openDatabase(databaseConfigFromEnv());
  try {
    console.log(`数据库 Database: ${db.describe}`);
    const result = await migrate(db.url, undefined, (line) => console.log(line));
    console.log(`migrations: ${result.applied.length} applied now, ${result.alreadyApplied} already applied`);
    for (const name of result.modified) console.warn(`warning: migration ${name} was changed after it was applied`);
  } finally {
    await db.stop();
  }
});
