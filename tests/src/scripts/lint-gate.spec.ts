import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The lint and format gates (`npm run lint`, `npm run format:check`, run by .ci/run) pass on
 * clean code and fail on a planted violation. The planted files sit in a folder of their own
 * whose config is the repository's (its rules, with the folder's tsconfig.json as the typed
 * rules' project; Prettier's copied), so the project itself is never touched.
 */
jest.setTimeout(120_000);

const ROOT = path.resolve(__dirname, '..', '..', '..');
const ESLINT = path.join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js');
const PRETTIER = path.join(ROOT, 'node_modules', 'prettier', 'bin', 'prettier.cjs');

function run(bin: string, args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** A folder holding `files`, linted with the repository's ESLint configuration and checked with its Prettier settings. */
function plantedFolder(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xuncha-lint-'));
  // the repository's configuration, its type information taken from this folder's tsconfig.json
  fs.writeFileSync(
    path.join(dir, 'eslint.config.mjs'),
    `import config from ${JSON.stringify(path.join(ROOT, 'eslint.config.mjs'))};\n` +
      `export default [...config, { languageOptions: { parserOptions: { project: ['./tsconfig.json'], tsconfigRootDir: ${JSON.stringify(dir)} } } }];\n`,
  );
  fs.copyFileSync(path.join(ROOT, '.prettierrc.json'), path.join(dir, '.prettierrc.json'));
  fs.writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { strict: true, target: 'es2022', module: 'commonjs', moduleResolution: 'node', skipLibCheck: true, noEmit: true },
      include: ['*.ts'],
    }),
  );
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

const CLEAN = `export async function total(): Promise<number> {
  return Promise.resolve(1);
}

export async function report(): Promise<string> {
  const n = await total();
  return \`total \${n}\`;
}
`;

describe('the lint gate', () => {
  let dir: string;
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('passes clean code', () => {
    dir = plantedFolder({ 'clean.ts': CLEAN });
    const result = run(ESLINT, ['clean.ts'], dir);
    expect({ status: result.status, output: result.output.trim() }).toEqual({ status: 0, output: '' });
  });

  it('fails a floating promise, a switch that misses a case and an import of another package’s internals', () => {
    dir = plantedFolder({
      'planted.ts': `import { runEtl } from '@xuncha/etl/src/index';

export async function total(): Promise<number> {
  return Promise.resolve(1);
}

export function start(): void {
  total();
}

export function label(kind: 'a' | 'b'): string {
  switch (kind) {
    case 'a':
      return 'A';
  }
  return String(runEtl);
}
`,
    });
    const result = run(ESLINT, ['planted.ts'], dir);
    expect(result.status).toBe(1);
    for (const rule of ['@typescript-eslint/no-floating-promises', '@typescript-eslint/switch-exhaustiveness-check', 'no-restricted-imports']) {
      expect({ rule, found: result.output.includes(rule) }).toEqual({ rule, found: true });
    }
  });
});

describe('the format gate', () => {
  let dir: string;
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('passes a formatted file and fails a line over 160 columns and double quotes', () => {
    const long = `export const names = [${Array.from({ length: 20 }, (_, i) => `"name-${i}"`).join(', ')}];\n`;
    expect(long.length).toBeGreaterThan(160);
    dir = plantedFolder({ 'clean.ts': CLEAN, 'planted.ts': long });
    expect(run(PRETTIER, ['--check', 'clean.ts'], dir).status).toBe(0);
    const planted = run(PRETTIER, ['--check', 'planted.ts'], dir);
    expect(planted.status).toBe(1);
    expect(planted.output).toContain('planted.ts');
  });
});
