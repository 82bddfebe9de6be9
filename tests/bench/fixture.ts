import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { withDatabase } from '../../prisma/src/database';
import { startPostgres } from '../../prisma/src/embedded-postgres';
import { migrate, readMigrations } from '../../prisma/src/migrate';
import { seedDatabase, type Scale } from '../../prisma/src/seed';
import { DERIVED_BY_MIGRATION, nextGeneration, rebuildDerived, warehouseSink } from '../../etl/src/load/warehouse-sink';
import { runEtl } from '../../etl/src/runner';
import { migrateWarehouse, openWarehouse, type Warehouse } from '../../etl/src/warehouse';

/**
 * Benchmarks share one embedded PostgreSQL under ./data/bench (kept between runs) with a
 * seeded template database per scale, built once: each benchmark works on its own copy
 * (CREATE DATABASE … TEMPLATE), so seeding 1M findings is paid once, not per run.
 */
export const BENCH_TODAY = '2026-06-30';
const ROOT = path.resolve(__dirname, '..', '..', 'data', 'bench');

export interface BenchDatabase {
  url: string;
  /** The seeded template this database was copied from (or is, with copy: false). */
  template: string;
  /** Rows per case-record table in the copy. */
  counts: Record<string, number>;
  close(): Promise<void>;
}

async function admin<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export interface BenchDatabaseOptions {
  /**
   * false: work on the seeded template itself instead of a copy, for benchmarks that only
   * read (a copy of 10M findings would double the disk taken).
   */
  copy?: boolean;
  log?: (line: string) => void;
}

export async function benchDatabase(scale: Scale, options: BenchDatabaseOptions = {}): Promise<BenchDatabase> {
  const log = options.log ?? ((line: string) => console.error(line));
  fs.mkdirSync(ROOT, { recursive: true });
  fs.chmodSync(ROOT, 0o755);
  const pg = await startPostgres({ dataDir: path.join(ROOT, 'pg'), settings: { fsync: 'off', synchronous_commit: 'off' } });
  const migrations = createHash('sha256').update(readMigrations().map((m) => m.checksum).join()).digest('hex').slice(0, 10);
  const template = `seed_${scale}_${migrations}`;
  const server = withDatabase(pg.url, 'postgres');
  try {
    const ready = await admin(server, async (c) => {
      const { rows } = await c.query<{ description: string | null }>(
        `SELECT shobj_description(oid, 'pg_database') AS description FROM pg_database WHERE datname = $1`,
        [template],
      );
      if (rows[0]?.description === 'complete') return true;
      await c.query(`DROP DATABASE IF EXISTS "${template}"`);
      await c.query(`CREATE DATABASE "${template}"`);
      return false;
    });
    if (!ready) {
      log(`bench: seeding ${scale} into the template database ${template} (once)…`);
      const url = withDatabase(pg.url, template);
      await migrate(url);
      const summary = await seedDatabase(url, { scale, seed: 1, today: BENCH_TODAY });
      log(`bench: seeded in ${summary.seconds.toFixed(1)} s`);
      await admin(server, (c) => c.query(`COMMENT ON DATABASE "${template}" IS 'complete'`));
    }
    const copy = options.copy === false ? template : `run_${process.pid}`;
    if (copy !== template) {
      await admin(server, async (c) => {
        await c.query(`DROP DATABASE IF EXISTS "${copy}"`);
        await c.query(`CREATE DATABASE "${copy}" TEMPLATE "${template}"`);
      });
    }
    const url = withDatabase(pg.url, copy);
    const counts = await admin(url, async (c) => {
      const result: Record<string, number> = {};
      for (const table of ['regions', 'org_units', 'terms', 'rounds', 'inspections', 'issue_categories', 'findings', 'rectification_tasks', 'task_events', 'clues']) {
        const { rows } = await c.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${table}`);
        result[table] = Number(rows[0].n);
      }
      return result;
    });
    return {
      url,
      template,
      counts,
      close: async () => {
        if (copy !== template) await admin(server, (c) => c.query(`DROP DATABASE IF EXISTS "${copy}" WITH (FORCE)`)).catch(() => undefined);
        await pg.stop();
      },
    };
  } catch (error) {
    await pg.stop();
    throw error;
  }
}

/**
 * A chDB warehouse fully loaded from the bench database's template, kept under
 * ./data/bench/ch-<template> between runs: the first run loads it (a full ETL) and leaves a
 * marker, later runs open it as it is. Only for benchmarks that read.
 */
export async function benchWarehouse(db: BenchDatabase, log: (line: string) => void = (line) => console.error(line)): Promise<Warehouse> {
  const dir = path.join(ROOT, `ch-${db.template}`);
  const marker = path.join(dir, 'loaded');
  if (!fs.existsSync(marker)) fs.rmSync(dir, { recursive: true, force: true });
  const warehouse = await openWarehouse({ database: 'bench', dataDir: dir });
  if (fs.existsSync(marker)) {
    // A warehouse loaded before a newer migration: derive in full the tables the new
    // migrations added (no new ETL load needed), merged as the full load leaves them.
    const { applied } = await migrateWarehouse(warehouse);
    const derived = applied.flatMap((name) => (DERIVED_BY_MIGRATION[name] ? [DERIVED_BY_MIGRATION[name]] : []));
    if (derived.length > 0) {
      const started = performance.now();
      log(`bench: deriving ${derived.join(', ')} in ${dir} for the new warehouse migrations ${applied.join(', ')} (once)…`);
      await rebuildDerived(warehouse, derived);
      for (const table of derived) await warehouse.command(`OPTIMIZE TABLE ${table} FINAL`);
      log(`bench: derived in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
    if (applied.length > 0) await nextGeneration(warehouse);
    return warehouse;
  }
  try {
    log(`bench: loading the warehouse ${dir} from ${db.template} (once)…`);
    await migrateWarehouse(warehouse);
    const result = await runEtl({ databaseUrl: db.url, sink: warehouseSink(warehouse), mode: 'full', trigger: 'bench' });
    // the steady state a running app reaches by background merges, reached at once
    for (const table of ['fact_inspections', 'fact_findings', 'fact_tasks', 'fact_task_events', 'fact_task_state', 'fact_finding_summary', 'fact_open_tasks', 'fact_open_findings', 'fact_unit_coverage']) {
      await warehouse.command(`OPTIMIZE TABLE ${table} FINAL`);
    }
    log(`bench: loaded ${result.written.toLocaleString('en')} rows in ${result.seconds.toFixed(1)} s`);
    fs.writeFileSync(marker, new Date().toISOString());
    return warehouse;
  } catch (error) {
    await warehouse.close();
    throw error;
  }
}

/** Peak resident memory of this process so far (VmHWM), in MB. */
export function peakRssMb(): number {
  const status = fs.readFileSync('/proc/self/status', 'utf8');
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)];
}

export function bench(name: string, value: number, unit: string): void {
  const shown = Number.isInteger(value) ? String(value) : value.toFixed(value < 10 ? 2 : 1);
  console.log(`BENCH ${name} ${shown} ${unit}`);
}
