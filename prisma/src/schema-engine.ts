import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { randomUUID } from 'node:crypto';
import { withDatabase } from './database';
import { MIGRATIONS_DIR, readMigrations } from './migrate';

/**
 * Prisma's schema engine compiled to WebAssembly, driven through the pg driver adapter:
 * it diffs the migrations folder (replayed in a shadow database that the adapter creates
 * and drops) against schema.prisma without Prisma's native engine, so it works offline.
 * The package does not export its .wasm, so we load the bindings by file path and
 * instantiate the module ourselves. ESM only: call from tsx, not from Jest's CJS runtime.
 */
export const SCHEMA_PATH = path.join(__dirname, '..', 'schema.prisma');

interface DiffResult {
  exitCode: number;
  stdout: string | null;
}
interface Engine {
  diff(params: unknown): Promise<DiffResult>;
  free(): void;
}
type WasmExports = Record<string, unknown>;
interface WasmApi {
  instantiate(bytes: Buffer, imports: Record<string, unknown>): Promise<{ instance: { exports: WasmExports } }>;
}
// Node has WebAssembly; @types/node does not declare it (lib.dom does).
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

interface Bindings {
  __wbg_set_wasm(exports: WasmExports): void;
  SchemaEngine: { new: (options: unknown, log: (line: string) => void, adapter: object) => Promise<Engine> };
}

async function loadBindings(): Promise<Bindings> {
  // the package's entry point is its ESM glue; its folder holds the files we load
  const dir = path.dirname(require.resolve('@prisma/schema-engine-wasm'));
  // A real dynamic import: keep TypeScript from turning it into require().
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- a constant body, no outside text
  const importEsm = new Function('url', 'return import(url)') as (url: string) => Promise<Bindings>;
  const bindings = await importEsm(pathToFileURL(path.join(dir, 'schema_engine_bg.js')).href);
  const { instance } = await wasmApi.instantiate(fs.readFileSync(path.join(dir, 'schema_engine_bg.wasm')), {
    './schema_engine_bg.js': bindings,
  });
  bindings.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as (() => void) | undefined)?.();
  return bindings;
}

interface ScriptAdapter {
  executeScript(script: string): Promise<void>;
}
interface PgAdapterInternals {
  client: { query(sql: string): Promise<unknown> };
  onError(error: unknown): never;
}

interface QueryResultFields {
  fields: { dataTypeID: number }[];
}
type PerformIO = (query: unknown) => Promise<QueryResultFields>;
const PG_CHAR = 18;
const PG_TEXT = 25;

/**
 * The adapter rejects PostgreSQL's one-byte "char" type, which the engine's introspection
 * of pg_catalog returns (e.g. relkind); read it as text, which is what it holds. Patched
 * once on the queryable base class so that transactions get it too.
 */
function readCharAsText(adapter: object): void {
  const base = Object.getPrototypeOf(Object.getPrototypeOf(adapter)) as { performIO?: PerformIO; __charAsText?: boolean };
  if (!base.performIO || base.__charAsText) return;
  const original = base.performIO;
  base.performIO = async function (this: unknown, query: unknown) {
    const result = await original.call(this, query);
    for (const field of result.fields) if (field.dataTypeID === PG_CHAR) field.dataTypeID = PG_TEXT;
    return result;
  };
  base.__charAsText = true;
}

function wholeScripts<T extends ScriptAdapter>(adapter: T): T {
  readCharAsText(adapter);
  const internals = adapter as unknown as PgAdapterInternals;
  adapter.executeScript = async (script: string) => {
    try {
      await internals.client.query(script);
    } catch (error) {
      internals.onError(error);
    }
  };
  return adapter;
}

function migrationList(dir: string) {
  const lockPath = path.join(dir, 'migration_lock.toml');
  return {
    baseDir: dir,
    lockfile: { path: 'migration_lock.toml', content: fs.existsSync(lockPath) ? fs.readFileSync(lockPath, 'utf8') : null },
    shadowDbInitScript: '',
    migrationDirectories: readMigrations(dir).map((m) => ({
      path: m.name,
      migrationFile: { path: 'migration.sql', content: { tag: 'ok', value: m.sql } },
    })),
  };
}

/**
 * The SQL that takes a database from the migrations' end state to schema.prisma's;
 * empty when they agree. `serverUrl` is a PostgreSQL server where a shadow database
 * may be created.
 */
export async function diffMigrationsToSchema(serverUrl: string, options: { migrationsDir?: string; schemaPath?: string } = {}): Promise<string> {
  const schema = fs.readFileSync(options.schemaPath ?? SCHEMA_PATH, 'utf8');
  const bindings = await loadBindings();
  const { PrismaPg } = await import('@prisma/adapter-pg');
  const { bindMigrationAwareSqlAdapterFactory } = await import('@prisma/driver-adapter-utils');
  // The adapter splits scripts on every ";", which breaks function bodies such as our
  // change-capture trigger's: send each migration whole, as `prisma migrate` does.
  class WholeScriptPg extends PrismaPg {
    override async connect() {
      return wholeScripts(await super.connect());
    }
    // The adapter's own shadow connection spreads `database` next to `connectionString`,
    // and pg lets the connection string win: it would replay the migrations in the main
    // database. Connect to the shadow database by its own URL instead.
    override async connectToShadowDb() {
      const main = await this.connect();
      const name = `prisma_migrate_shadow_db_${randomUUID().replace(/-/g, '')}`;
      await main.executeScript(`CREATE DATABASE "${name}"`);
      const shadow = wholeScripts(await new PrismaPg({ connectionString: withDatabase(serverUrl, name) }).connect());
      const release = shadow.dispose.bind(shadow);
      shadow.dispose = async () => {
        await release();
        await main.executeScript(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await main.dispose();
      };
      return shadow;
    }
  }
  const adapter = bindMigrationAwareSqlAdapterFactory(new WholeScriptPg({ connectionString: serverUrl }));
  const files = [{ path: 'schema.prisma', content: schema }];
  const engine = await bindings.SchemaEngine.new({ datamodels: [['schema.prisma', schema]] }, () => undefined, adapter);
  try {
    const result = await engine.diff({
      from: { tag: 'migrations', ...migrationList(options.migrationsDir ?? MIGRATIONS_DIR) },
      to: { tag: 'schemaDatamodel', files },
      script: true,
      exitCode: null,
      filters: { externalTables: [], externalEnums: [] },
    });
    const script = (result.stdout ?? '').trim();
    return script === '-- This is an empty migration.' ? '' : script;
  } finally {
    engine.free();
  }
}
