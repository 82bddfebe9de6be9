import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startPostgres } from '../embedded-postgres';
import { checkServer } from '../database';
import { runCli, UserError } from '@xuncha/shared';
import { MIGRATIONS_DIR } from '../migrate';
import { diffMigrationsToSchema } from '../schema-engine';

/**
 * npm run db:diff -- --name NAME   writes a new migration from schema.prisma's changes
 * npm run db:diff -- --check       exits 1 when migrations and schema.prisma disagree (drift)
 *
 * The shadow database lives on SHADOW_DATABASE_URL's server when set, else on a
 * throwaway embedded PostgreSQL.
 */
interface DiffArgs {
  name?: string;
  check: boolean;
  schema?: string;
  migrations: string;
}

function parseArgs(argv: string[]): DiffArgs {
  const args: DiffArgs = { check: false, migrations: MIGRATIONS_DIR };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--check') args.check = true;
    else if (arg === '--name') args.name = argv[++i];
    else if (arg.startsWith('--name=')) args.name = arg.slice('--name='.length);
    else if (arg === '--schema') args.schema = path.resolve(argv[++i] ?? '');
    else if (arg === '--migrations') args.migrations = path.resolve(argv[++i] ?? '');
    else throw new UserError(`unknown argument "${arg}"; usage: db:diff -- --name NAME | --check [--schema FILE] [--migrations DIR]`);
  }
  if (!args.check && !args.name) throw new UserError('give the new migration a name: npm run db:diff -- --name add_something');
  if (args.name !== undefined && !/^[a-z0-9_]{1,60}$/.test(args.name)) {
    throw new UserError(`--name must be 1–60 lowercase letters, digits or underscores (got "${args.name}")`);
  }
  return args;
}

function timestamp(date = new Date()): string {
  return date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

runCli(async () => {
  const args = parseArgs(process.argv.slice(2));
  let serverUrl = process.env.SHADOW_DATABASE_URL;
  let stop = (): Promise<void> => Promise.resolve();
  if (serverUrl) {
    await checkServer(serverUrl, 'SHADOW_DATABASE_URL');
  } else {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'xuncha-shadow-'));
    fs.chmodSync(root, 0o755);
    const pg = await startPostgres({ dataDir: path.join(root, 'pg'), settings: { fsync: 'off' } });
    serverUrl = pg.url;
    stop = async () => {
      await pg.stop();
      fs.rmSync(root, { recursive: true, force: true });
    };
  }
  try {
    const script = await diffMigrationsToSchema(serverUrl, { schemaPath: args.schema, migrationsDir: args.migrations });
    if (args.check) {
      if (script) {
        process.stdout.write(`${script}\n`);
        throw new UserError('drift: schema.prisma differs from the migrations (SQL above); run npm run db:diff -- --name NAME');
      }
      console.log('no drift: the migrations and schema.prisma agree');
      return;
    }
    if (!script) {
      console.log('no changes: schema.prisma already matches the migrations');
      return;
    }
    const dir = path.join(args.migrations, `${timestamp()}_${args.name}`);
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'migration.sql'), `${script}\n`);
    console.log(`wrote ${path.relative(process.cwd(), dir)}/migration.sql`);
  } finally {
    await stop();
  }
});
