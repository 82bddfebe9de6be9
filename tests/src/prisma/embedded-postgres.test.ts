import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startPostgres } from '@xuncha/prisma';
import { UserError } from '@xuncha/shared';

const root = typeof process.getuid === 'function' && process.getuid() === 0;

describe('embedded PostgreSQL', () => {
  (root ? it : it.skip)('under root, a data folder the postgres user cannot enter is refused in one clear line', async () => {
    const hidden = fs.mkdtempSync(path.join(os.tmpdir(), 'xuncha-private-'));
    fs.chmodSync(hidden, 0o700); // like /root
    try {
      const error = await startPostgres({ dataDir: path.join(hidden, 'data', 'pg') }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UserError);
      const message = (error as Error).message;
      expect(message.split('\n')).toHaveLength(1);
      expect(message).toContain(`that user cannot enter ${hidden}`);
      expect(fs.existsSync(path.join(hidden, 'data'))).toBe(false); // nothing half-made
    } finally {
      fs.rmSync(hidden, { recursive: true, force: true });
    }
  });

  it('reuses its data on the next start', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xuncha-reuse-'));
    fs.chmodSync(dir, 0o755);
    try {
      const first = await startPostgres({ dataDir: path.join(dir, 'pg') });
      const { Client } = await import('pg');
      let client = new Client({ connectionString: first.url });
      await client.connect();
      await client.query('CREATE TABLE kept (v text)');
      await client.query(`INSERT INTO kept VALUES ('示例')`);
      await client.end();
      await first.stop();

      const second = await startPostgres({ dataDir: path.join(dir, 'pg') });
      client = new Client({ connectionString: second.url });
      await client.connect();
      const { rows } = await client.query('SELECT v FROM kept');
      await client.end();
      await second.stop();
      expect(rows).toEqual([{ v: '示例' }]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
