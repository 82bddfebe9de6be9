import { dropTestDatabase, openTestWarehouse, testWarehouseDir } from '../support/clickhouse';
import { errorLines, runTsx } from '../support/cli';
import { createTestDatabase, type TestDatabase } from '../support/pg';

describe('npm run etl', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await openTestWarehouse(); // this process now holds the embedded warehouse folder
  });
  afterAll(async () => {
    await dropTestDatabase();
    await db.drop();
  });

  it('says in one line that a running app holds the embedded warehouse, and points to the API', async () => {
    const result = await runTsx('etl/src/cli.ts', [], { DATABASE_URL: db.url, CH_DATA_DIR: testWarehouseDir(), CLICKHOUSE_URL: '' });
    expect(result.status).toBe(1);
    const lines = errorLines(result.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`holds the embedded warehouse at ${testWarehouseDir()}`);
    expect(lines[0]).toContain('POST /api/etl/run');
  });

  it('rejects an unknown argument in one line', async () => {
    const result = await runTsx('etl/src/cli.ts', ['--fast'], { DATABASE_URL: db.url });
    expect(result.status).toBe(1);
    expect(errorLines(result.stderr)).toEqual(['错误 Error: unknown argument "--fast"; usage: npm run etl [-- --full] [--batch-size N]']);
  });
});
