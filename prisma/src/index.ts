/**
 * @xuncha/prisma: the case-records database. Its schema's client, the embedded PostgreSQL,
 * the migration runner, the demo data and the ETL's request flags. Other packages import
 * from here, never from this package's src/ files. The CLIs (src/cli) and the offline
 * schema engine (src/schema-engine) are this package's own and not exported.
 */
export * from './client';
export {
  checkServer,
  databaseConfigFromEnv,
  ensureDatabase,
  openDatabase,
  redactUrl,
  withDatabase,
  type DatabaseConfig,
  type DatabaseHandle,
} from './database';
export { embeddedBinDir, freePort, startPostgres, type PostgresInstance, type StartPostgresOptions } from './embedded-postgres';
export { migrate, readMigrations, MIGRATIONS_DIR, type MigrateResult, type Migration } from './migrate';
export { pgClient } from './pg-client';
export { copyRows, type CopyValue } from './copy-rows';
export { clearFullLoad, ETL_STATE_ID, pendingFullLoad, requestFullLoad, type FullLoadRequest } from './etl-state';
export {
  CASE_TABLES,
  isDatabaseEmpty,
  parseSeedArgs,
  SCALE_FINDINGS,
  SEED_USAGE,
  seedDatabase,
  type Scale,
  type SeedArgs,
  type SeedOptions,
  type SeedProgress,
  type SeedSummary,
} from './seed';
export { CATEGORY_TREE, type Level1, type Level2 } from './seed/categories';
