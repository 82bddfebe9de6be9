import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * scripts/register.cjs, how `npm start` runs the TypeScript sources: the first process
 * compiles a file and keeps the JavaScript; the next runs it without loading the compiler,
 * with errors still pointing at the TypeScript line; a changed file is compiled again; a
 * cache it cannot write still runs.
 */
jest.setTimeout(60_000);

const REGISTER = path.resolve(__dirname, '..', '..', '..', 'scripts', 'register.cjs');

/** Line 7 throws; the decorator before it moves the compiled code's lines. */
const SOURCE = `function logged(_target: object, _key: string, descriptor: PropertyDescriptor): void {
  void descriptor;
}
class Probe {
  @logged
  fail(reason: string): never {
    throw new Error(reason);
  }
}
export const probe = new Probe();
`;

interface Run {
  compilerLoaded: boolean;
  frame: string;
}

function run(file: string, cache: string): Run {
  const script = `
    const { probe } = require(${JSON.stringify(file)});
    let frame = '';
    try { probe.fail('x'); } catch (error) { frame = error.stack.split('\\n').find((line) => line.includes(${JSON.stringify(path.basename(file))})); }
    const compilerLoaded = Object.keys(require.cache).some((key) => key.includes('@swc'));
    process.stdout.write(JSON.stringify({ compilerLoaded, frame }));`;
  const result = spawnSync(process.execPath, ['-r', REGISTER, '-e', script], { encoding: 'utf8', env: { ...process.env, XUNCHA_TS_CACHE: cache } });
  if (result.status !== 0) throw new Error(`register: exited ${result.status}: ${result.stderr}`);
  return JSON.parse(result.stdout) as Run;
}

function cachedFiles(cache: string): string[] {
  if (!fs.existsSync(cache)) return [];
  return (fs.readdirSync(cache, { recursive: true }) as string[]).filter((name) => name.endsWith('.js'));
}

describe('scripts/register.cjs', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xuncha-register-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('compiles a file once, then runs it without the compiler, its errors at the TypeScript line', () => {
    const file = path.join(dir, 'probe.ts');
    const cache = path.join(dir, 'cache');
    fs.writeFileSync(file, SOURCE);

    const first = run(file, cache);
    expect(first.compilerLoaded).toBe(true);
    expect(cachedFiles(cache)).toHaveLength(1);
    expect(first.frame).toContain(`${file}:7:`);

    const second = run(file, cache);
    expect(second.compilerLoaded).toBe(false);
    expect(second.frame).toContain(`${file}:7:`);

    // a changed source is compiled again, beside the first
    fs.writeFileSync(file, `// one more line\n${SOURCE}`);
    const changed = run(file, cache);
    expect(changed.compilerLoaded).toBe(true);
    expect(changed.frame).toContain(`${file}:8:`);
    expect(cachedFiles(cache)).toHaveLength(2);
  });

  it('runs from a cache it cannot write, compiling in memory', () => {
    const file = path.join(dir, 'probe.ts');
    fs.writeFileSync(file, SOURCE);
    // a path below a file: no folder can be made there (root ignores permission bits)
    const blocked = path.join(dir, 'a-file');
    fs.writeFileSync(blocked, '');
    const result = run(file, path.join(blocked, 'cache'));
    expect(result.compilerLoaded).toBe(true);
    expect(result.frame).toContain(`${file}:7:`);
  });
});
