import { errorLines, runTsx } from '../support/cli';
import { freePort } from '@xuncha/prisma';

describe('a bad DATABASE_URL', () => {
  it.each([
    ['not a URL', 'not a url', /DATABASE_URL is not a valid URL/],
    ['the wrong scheme', 'mysql://u:p@127.0.0.1:3306/x', /DATABASE_URL must start with postgresql:\/\//],
  ])('%s: one line, exit 1', async (_label, url, message) => {
    const result = await runTsx('prisma/src/cli/migrate.ts', [], { DATABASE_URL: url });
    expect(result.status).toBe(1);
    const lines = errorLines(result.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
  });

  it('a server that does not answer: one line naming the address, password hidden', async () => {
    const port = await freePort(); // nothing listens there
    const result = await runTsx('prisma/src/cli/migrate.ts', [], { DATABASE_URL: `postgresql://u:secret@127.0.0.1:${port}/x` });
    expect(result.status).toBe(1);
    const lines = errorLines(result.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`cannot connect to DATABASE_URL (postgresql://u:***@127.0.0.1:${port}/x)`);
    expect(lines[0]).not.toContain('secret');
    expect(lines[0]).toContain('ECONNREFUSED');
  });
});
