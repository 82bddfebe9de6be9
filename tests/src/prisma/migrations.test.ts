import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { migrate, readMigrations } from '@xuncha/prisma';
import { createTestDatabase, query, type TestDatabase } from '../support/pg';

describe('migrations', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrated: false });
  });
  afterAll(() => db.drop());

  it('apply from empty, then a second run applies nothing', async () => {
    const files = readMigrations();
    expect(files.length).toBeGreaterThanOrEqual(2);
    const first = await migrate(db.url);
    expect(first.applied).toEqual(files.map((f) => f.name));
    const second = await migrate(db.url);
    expect(second.applied).toEqual([]);
    expect(second.alreadyApplied).toBe(files.length);
  });

  it('are recorded in _prisma_migrations as prisma migrate deploy records them', async () => {
    const rows = await query<{ migration_name: string; checksum: string; finished: boolean; applied_steps_count: number; rolled_back_at: Date | null }>(
      db.url,
      'SELECT migration_name, checksum, finished_at IS NOT NULL AS finished, applied_steps_count, rolled_back_at FROM _prisma_migrations ORDER BY migration_name',
    );
    const expected = readMigrations().map((m) => ({
      migration_name: m.name,
      // the checksum Prisma computes: SHA-256 of the file, in hex
      checksum: createHash('sha256')
        .update(readFileSync(`${__dirname}/../../../prisma/migrations/${m.name}/migration.sql`))
        .digest('hex'),
      finished: true,
      applied_steps_count: 1,
      rolled_back_at: null,
    }));
    expect(rows).toEqual(expected);
  });

  it('two processes migrating at once both succeed and apply each migration once', async () => {
    const fresh = await createTestDatabase({ migrated: false });
    try {
      const [a, b] = await Promise.all([migrate(fresh.url), migrate(fresh.url)]);
      const total = readMigrations().length;
      expect(a.applied.length + b.applied.length).toBe(total);
      const [{ count }] = await query<{ count: string }>(fresh.url, 'SELECT count(*) FROM _prisma_migrations');
      expect(Number(count)).toBe(total);
    } finally {
      await fresh.drop();
    }
  });
});
