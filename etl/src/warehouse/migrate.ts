import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { clusterizeDdl, EVERY_NODE_REPLICA, onCluster } from './cluster';
import { messageOf, WarehouseError } from './errors';
import { splitStatements, SqlTextError } from './sql-text';
import type { Warehouse } from './warehouse';

/** The warehouse DDL: numbered files `NNN_name.sql`, applied in order. */
export const WAREHOUSE_MIGRATIONS_DIR = path.join(__dirname, 'migrations');

export const MIGRATIONS_TABLE = '_warehouse_migrations';

const FILE_NAME = /^(\d{3})_[a-z0-9_]+\.sql$/;

export interface WarehouseMigration {
  name: string;
  checksum: string;
  sql: string;
}

/** The migration files of a folder, in order; refuses misnamed files and duplicate numbers. */
export function readWarehouseMigrations(dir: string): WarehouseMigration[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((name) => name.endsWith('.sql'));
  } catch (error) {
    throw new WarehouseError(`cannot read the warehouse migrations folder ${dir}: ${messageOf(error)}`, { cause: error });
  }
  const byNumber = new Map<string, string>();
  for (const name of names) {
    const number = FILE_NAME.exec(name)?.[1];
    if (number === undefined) throw new WarehouseError(`warehouse migration ${name} in ${dir} is not named NNN_lowercase_name.sql`);
    const other = byNumber.get(number);
    if (other) throw new WarehouseError(`warehouse migrations ${other} and ${name} in ${dir} share the number ${number}`);
    byNumber.set(number, name);
  }
  return names.sort().map((name) => {
    const sql = fs.readFileSync(path.join(dir, name), 'utf8').replace(/\r\n/g, '\n');
    return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
  });
}

function migrationsTableDdl(wh: Warehouse): string {
  const columns = '(name String, checksum String, applied_at DateTime)';
  if (!wh.cluster) return `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} ${columns} ENGINE = MergeTree ORDER BY name`;
  // On a cluster: one copy on every node of every shard (no {shard} in the path), so any
  // node the app reaches knows what was applied.
  return (
    `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} ${onCluster(wh.cluster)} ${columns} ` + `ENGINE = ReplicatedMergeTree(${EVERY_NODE_REPLICA}) ORDER BY name`
  );
}

function statementsOf(wh: Warehouse, migration: WarehouseMigration): string[] {
  try {
    return wh.cluster ? clusterizeDdl(migration.sql, wh.cluster, { database: wh.database }) : splitStatements(migration.sql);
  } catch (error) {
    if (error instanceof SqlTextError || error instanceof WarehouseError) {
      throw new WarehouseError(`warehouse migration ${migration.name}: ${error.message}`, { cause: error });
    }
    throw error;
  }
}

/**
 * Applies the migrations of `dir` that the warehouse has not recorded yet, in order, and
 * records each in `_warehouse_migrations` once all its statements ran. A file may hold
 * several statements separated by `;`. ClickHouse DDL is not transactional: a file that
 * fails halfway is not recorded and runs again from its first statement next time, so
 * write its statements to be repeatable (IF NOT EXISTS, IF EXISTS). A recorded file whose
 * text has changed since is refused: add a new migration instead.
 */
export interface MigrateWarehouseOptions {
  /**
   * Called once before the first pending migration runs, with the names of those pending:
   * where a caller records durably that the warehouse will need a full load
   * (prisma/src/etl-state.ts), so that a process killed after the migrations and before
   * that load still leads to it.
   */
  beforeApply?: (pending: readonly string[]) => Promise<void>;
}

export async function migrateWarehouse(
  wh: Warehouse,
  dir: string = WAREHOUSE_MIGRATIONS_DIR,
  options: MigrateWarehouseOptions = {},
): Promise<{ applied: string[]; alreadyApplied: number }> {
  const migrations = readWarehouseMigrations(dir);
  await wh.command(migrationsTableDdl(wh));
  const recorded = new Map(
    (await wh.query<{ name: string; checksum: string }>(`SELECT name, checksum FROM ${MIGRATIONS_TABLE}`)).map((row) => [row.name, row.checksum]),
  );

  const pending = migrations.filter((migration) => !recorded.has(migration.name)).map((migration) => migration.name);
  if (pending.length > 0) await options.beforeApply?.(pending);
  const applied: string[] = [];
  let alreadyApplied = 0;
  for (const migration of migrations) {
    const checksum = recorded.get(migration.name);
    if (checksum !== undefined) {
      if (checksum !== migration.checksum) {
        throw new WarehouseError(
          `warehouse migration ${migration.name} was changed after it was applied (checksum ${checksum.slice(0, 12)} recorded, ${migration.checksum.slice(0, 12)} now): add a new migration instead`,
        );
      }
      alreadyApplied++;
      continue;
    }
    const statements = statementsOf(wh, migration);
    for (const [index, statement] of statements.entries()) {
      try {
        await wh.command(statement);
      } catch (error) {
        throw new WarehouseError(`warehouse migration ${migration.name}, statement ${index + 1} of ${statements.length}: ${messageOf(error)}`, {
          code: error instanceof WarehouseError ? error.code : undefined,
          type: error instanceof WarehouseError ? error.type : undefined,
          sql: statement,
          cause: error,
        });
      }
    }
    await wh.command(`INSERT INTO ${MIGRATIONS_TABLE} (name, checksum, applied_at) SELECT {name:String}, {checksum:String}, now()`, {
      name: migration.name,
      checksum: migration.checksum,
    });
    applied.push(migration.name);
  }
  return { applied, alreadyApplied };
}
