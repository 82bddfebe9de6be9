import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { errorLines, REPO_ROOT, runTsx } from '../support/cli';
import { query, testServerUrl } from '../support/pg';

// The diff runs in a child process: the WebAssembly schema engine is an ES module, which
// Jest's CommonJS runtime cannot load. The shadow database goes on the test server. Each
// case takes seconds, more on a busy machine.
jest.setTimeout(180_000);

describe('schema.prisma and the migrations (WebAssembly schema engine)', () => {
  const env = () => ({ SHADOW_DATABASE_URL: testServerUrl() });

  it('agree: no drift', async () => {
    const result = await runTsx('prisma/src/cli/diff.ts', ['--check'], env());
    expect(errorLines(result.stderr)).toEqual([]);
    expect(result.stdout).toContain('no drift');
    expect(result.status).toBe(0);
    // the migrations were replayed in a shadow database, not in the server's own database
    const tables = await query<{ n: string }>(testServerUrl(), `SELECT count(*)::text AS n FROM pg_tables WHERE tablename = 'regions'`);
    expect(tables[0].n).toBe('0');
    const shadows = await query<{ n: string }>(testServerUrl(), `SELECT count(*)::text AS n FROM pg_database WHERE datname LIKE 'prisma_migrate_shadow%'`);
    expect(shadows[0].n).toBe('0');
  });

  describe('with a changed schema', () => {
    let dir: string;
    let schema: string;
    beforeAll(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xuncha-drift-'));
      const original = fs.readFileSync(path.join(REPO_ROOT, 'prisma', 'schema.prisma'), 'utf8');
      // add a column to clues
      schema = path.join(dir, 'schema.prisma');
      fs.writeFileSync(schema, original.replace('  summary        String\n', '  summary        String\n  driftProbe     String? @map("drift_probe")\n'));
      fs.cpSync(path.join(REPO_ROOT, 'prisma', 'migrations'), path.join(dir, 'migrations'), { recursive: true });
    });
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('--check reports the drift with its SQL and exits 1', async () => {
      const result = await runTsx('prisma/src/cli/diff.ts', ['--check', '--schema', schema, '--migrations', path.join(dir, 'migrations')], env());
      expect(result.stderr).toContain('drift');
      expect(result.status).toBe(1);
      expect(result.stdout).toMatch(/ALTER TABLE "clues" ADD COLUMN\s+"drift_probe" TEXT/);
      expect(errorLines(result.stderr)).toHaveLength(1);
    });

    it('--name writes a migration, after which there is no drift', async () => {
      const migrations = path.join(dir, 'migrations');
      const written = await runTsx('prisma/src/cli/diff.ts', ['--name', 'add_drift_probe', '--schema', schema, '--migrations', migrations], env());
      expect(written.status).toBe(0);
      const created = fs.readdirSync(migrations).filter((name) => name.endsWith('_add_drift_probe'));
      expect(created).toHaveLength(1);
      expect(fs.readFileSync(path.join(migrations, created[0], 'migration.sql'), 'utf8')).toContain('"drift_probe"');
      const check = await runTsx('prisma/src/cli/diff.ts', ['--check', '--schema', schema, '--migrations', migrations], env());
      expect(check.status).toBe(0);
    });
  });

  it('rejects a bad migration name in one line', async () => {
    const result = await runTsx('prisma/src/cli/diff.ts', ['--name', 'Bad Name!'], env());
    expect(result.status).toBe(1);
    expect(errorLines(result.stderr)).toEqual([expect.stringContaining('--name must be')]);
  });
});
