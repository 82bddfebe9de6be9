import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, CATEGORY_TREE } from '@xuncha/prisma';
import { REPO_ROOT, errorLines } from '../support/cli';
import { createTestDatabase, query, type TestDatabase } from '../support/pg';

/**
 * `npm start` in server mode: DATABASE_URL names a PostgreSQL server (the test server: in
 * CI's second pass, Debian's PostgreSQL 15). The first start needs ADMIN_PASSWORD and creates
 * `admin` alone; later starts do not need it; SIGTERM stops the app cleanly.
 */
jest.setTimeout(300_000);

interface Started {
  exit: Promise<number>;
  output: () => string;
  stop(): Promise<number>;
}

function start(env: NodeJS.ProcessEnv): Started {
  const child = spawn(process.execPath, ['-r', './scripts/register.cjs', 'scripts/start.ts'], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  const exit = new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
  return {
    exit,
    output: () => out,
    stop: () => {
      child.kill('SIGTERM');
      return exit;
    },
  };
}

async function ready(started: Started): Promise<void> {
  const deadline = Date.now() + 180_000;
  while (!started.output().includes('就绪 Ready')) {
    if (Date.now() > deadline) throw new Error(`no "Ready" in time:\n${started.output()}`);
    const exited = await Promise.race([started.exit.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), 200))]);
    if (exited) throw new Error(`the app exited:\n${started.output()}`);
  }
}

describe('npm start against a PostgreSQL server', () => {
  let db: TestDatabase;
  let dir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    db = await createTestDatabase({ migrated: false });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xuncha-server-mode-'));
    fs.mkdirSync(path.join(dir, 'dist'));
    fs.writeFileSync(path.join(dir, 'dist', 'index.html'), '<!doctype html><title>巡察</title>');
    env = {
      DATABASE_URL: db.url,
      CH_DATA_DIR: path.join(dir, 'ch'),
      CLICKHOUSE_URL: '',
      STATIC_DIR: path.join(dir, 'dist'),
      PORT: String(await freePort()),
      DEMO_DATA: 'off',
      ETL_INTERVAL_SECONDS: '0',
      ADMIN_PASSWORD: '',
      DEMO_PASSWORD: '',
    };
  });

  afterAll(async () => {
    await db?.drop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a first start without ADMIN_PASSWORD, in one line naming it', async () => {
    const started = start(env);
    expect(await started.exit).toBe(1);
    const lines = errorLines(started.output()).filter((line) => /ADMIN_PASSWORD/.test(line));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/ADMIN_PASSWORD must be set for the first start/);
    expect(await query(db.url, 'SELECT username FROM users')).toEqual([]);
  });

  it('creates admin alone from ADMIN_PASSWORD, serves, and stops cleanly on SIGTERM', async () => {
    const started = start({ ...env, ADMIN_PASSWORD: 'first-admin-pw' });
    await ready(started);
    expect(started.output()).not.toContain('first-admin-pw');
    const base = `http://127.0.0.1:${env.PORT}`;
    expect((await fetch(`${base}/api/health`)).status).toBe(200);
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'first-admin-pw' }),
    });
    expect(login.status).toBe(200);
    expect(await query(db.url, 'SELECT username, role FROM users')).toEqual([{ username: 'admin', role: 'ADMIN' }]);
    // no demo data: DESIGN.md's issue categories only, and the setup checklist says what is missing (issue 14)
    expect(await query(db.url, 'SELECT level, count(*)::int AS n FROM issue_categories GROUP BY level ORDER BY level')).toEqual([
      { level: 1, n: CATEGORY_TREE.length },
      { level: 2, n: CATEGORY_TREE.reduce((sum, c) => sum + c.children.length, 0) },
    ]);
    expect(await query(db.url, 'SELECT (SELECT count(*)::int FROM regions) + (SELECT count(*)::int FROM org_units) AS n')).toEqual([{ n: 0 }]);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
    const setup = (await (await fetch(`${base}/api/masterdata/setup`, { headers: { cookie } })).json()) as {
      complete: boolean;
      items: { key: string; done: boolean }[];
    };
    expect(setup.complete).toBe(false);
    expect(setup.items.filter((i) => i.done).map((i) => i.key)).toEqual(['categories']);
    expect(started.output()).toContain('default issue categories written');
    expect(await started.stop()).toBe(0);
    expect(started.output()).toContain('已停止 stopped.');
  });

  it('starts again without ADMIN_PASSWORD once admin exists, and keeps its password', async () => {
    const started = start(env);
    await ready(started);
    const login = (password: string) =>
      fetch(`http://127.0.0.1:${env.PORT}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password }),
      });
    expect((await login('first-admin-pw')).status).toBe(200);
    expect((await login('another-password')).status).toBe(401);
    expect(await started.stop()).toBe(0);
  });
});
