import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '@xuncha/prisma';
import { REPO_ROOT } from '../support/cli';

/**
 * Ctrl-C at a terminal signals the whole foreground process group: the app and, before
 * issue 15 item 5/6, the embedded PostgreSQL it started, which then stopped under the app's
 * feet. Here `npm start` runs on its embedded engines in a process group of its own, writes
 * are under way, and SIGINT goes to the group: the app stops cleanly (exit 0, "已停止"),
 * no write fails for want of PostgreSQL, and no error escapes.
 */
jest.setTimeout(300_000);

it('stops cleanly on Ctrl-C to its process group while writes are under way', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xuncha-ctrl-c-'));
  fs.chmodSync(dir, 0o755);
  fs.mkdirSync(path.join(dir, 'dist'));
  fs.writeFileSync(path.join(dir, 'dist', 'index.html'), '<!doctype html><title>巡察</title>');
  const port = await freePort();
  const child = spawn(process.execPath, ['-r', './scripts/register.cjs', 'scripts/start.ts'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      DATABASE_URL: '',
      CLICKHOUSE_URL: '',
      DATA_DIR: dir,
      STATIC_DIR: path.join(dir, 'dist'),
      PORT: String(port),
      DEMO_DATA: 'off',
      ETL_INTERVAL_SECONDS: '1',
      DEMO_PASSWORD: 'ctrl-c-demo-pw',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // a process group, as a terminal's foreground job is
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  const exit = new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
  try {
    const deadline = Date.now() + 240_000;
    while (!out.includes('就绪 Ready')) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no "Ready":\n${out}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const base = `http://127.0.0.1:${port}`;
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'ctrl-c-demo-pw' }),
    });
    expect(login.status).toBe(200);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
    const me = (await (await fetch(`${base}/api/auth/me`, { headers: { cookie } })).json()) as { id: number };

    // writers that keep writing until the app stops answering
    const answers: string[] = [];
    let stop = false;
    const writer = async (n: number) => {
      for (let i = 0; !stop; i++) {
        try {
          const response = await fetch(`${base}/api/users/${me.id}`, {
            method: 'PATCH',
            headers: { cookie, 'content-type': 'application/json' },
            body: JSON.stringify({ displayName: `管理员 ${n}-${i}` }),
          });
          const body = await response.text();
          answers.push(response.status === 503 && /服务正在停止/.test(body) ? 'stopping' : String(response.status));
        } catch {
          answers.push('refused');
          return;
        }
      }
    };
    const writers = [1, 2, 3, 4].map(writer);
    while (answers.length < 20) await new Promise((resolve) => setTimeout(resolve, 20));
    process.kill(-child.pid!, 'SIGINT');
    expect(await exit).toBe(0);
    stop = true;
    await Promise.all(writers);
    expect(out).toContain('已停止 stopped.');
    expect(out).not.toMatch(/Unhandled|uncaught|Segmentation/i);
    // every write was done, or refused because the app was stopping — none failed for want of PostgreSQL
    expect([...new Set(answers)].filter((a) => !['200', 'stopping', 'refused'].includes(a))).toEqual([]);
  } finally {
    if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
