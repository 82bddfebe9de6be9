import fs from 'node:fs';
import path from 'node:path';

/**
 * The deployment files against the code: the image runs as an unprivileged user with a
 * health check, and every environment variable the product reads is documented in
 * deploy/.env.example and in the README's configuration table, so that a variable added
 * later cannot go undocumented.
 */
const ROOT = path.resolve(__dirname, '..', '..', '..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

/** Folders whose code runs in the product (`npm start`, the CLIs); tests and the Vite dev server are not. */
const PRODUCT_SOURCES = ['scripts', 'prisma/src', 'etl/src', 'backend/src'];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'generated' ? [] : sourceFiles(relative);
    return /\.(ts|cjs|js)$/.test(entry.name) && !entry.name.endsWith('.spec.ts') ? [relative] : [];
  });
}

/** Variables read as env.NAME / process.env.NAME / env['NAME'], and the keys of loadConfig's schema. */
function variablesRead(): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of PRODUCT_SOURCES.flatMap(sourceFiles)) {
    const text = read(file);
    for (const match of text.matchAll(/\benv(?:\.([A-Z][A-Z0-9_]+)|\[\s*['"]([A-Z][A-Z0-9_]+)['"]\s*\])/g)) {
      const name = match[1] ?? match[2];
      if (!found.has(name)) found.set(name, file);
    }
  }
  const configFile = 'backend/src/config/app-config.ts';
  const schema = /const envSchema = z\.object\(\{([\s\S]*?)\n\}\);/.exec(read(configFile));
  if (!schema) throw new Error(`no envSchema = z.object({...}) in ${configFile}: update this test`);
  for (const match of schema[1].matchAll(/^ {2}([A-Z][A-Z0-9_]+):/gm)) if (!found.has(match[1])) found.set(match[1], configFile);
  return found;
}

interface Stage {
  from: string;
  instructions: { keyword: string; args: string }[];
}

/** The Dockerfile's stages, with line continuations joined and comments dropped. */
function dockerStages(text: string): Stage[] {
  const lines = text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const stages: Stage[] = [];
  for (const line of lines) {
    const [, keyword, args] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    if (keyword.toUpperCase() === 'FROM') stages.push({ from: args, instructions: [] });
    else stages.at(-1)?.instructions.push({ keyword: keyword.toUpperCase(), args });
  }
  return stages;
}

describe('deployment files', () => {
  const stages = dockerStages(read('Dockerfile'));
  const final = stages.at(-1)!;
  const last = (keyword: string) => final.instructions.filter((i) => i.keyword === keyword).at(-1);

  it('the Dockerfile builds in one stage and runs in another, as an unprivileged user', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const user = last('USER');
    expect(user).toBeDefined();
    expect(user!.args.split(':')[0]).not.toMatch(/^(root|0)$/);
    // nothing after USER switches back to root
    const index = final.instructions.lastIndexOf(user!);
    expect(final.instructions.slice(index + 1).some((i) => i.keyword === 'USER')).toBe(false);
  });

  it('the final stage checks /api/health, exposes 3000, listens on every interface, starts the app', () => {
    const healthcheck = last('HEALTHCHECK');
    expect(healthcheck?.args).toMatch(/\bCMD\b/);
    expect(healthcheck?.args).toContain('/api/health');
    expect(last('EXPOSE')?.args).toBe('3000');
    expect(
      final.instructions
        .filter((i) => i.keyword === 'ENV')
        .map((i) => i.args)
        .join(' '),
    ).toMatch(/\bHOST=0\.0\.0\.0\b/);
    const cmd = last('CMD')?.args ?? '';
    expect(cmd.includes('scripts/start.ts') || /"npm",\s*"start"/.test(cmd)).toBe(true);
  });

  it('finds the variables the product reads (guards this test itself)', () => {
    const names = [...variablesRead().keys()];
    expect(names).toEqual(expect.arrayContaining(['DATABASE_URL', 'DATABASE_READ_URL', 'CLICKHOUSE_URL', 'CLICKHOUSE_CLUSTER', 'PORT', 'HOST', 'DEMO_DATA']));
  });

  it('every variable the product reads is in deploy/.env.example and in the README configuration table', () => {
    const example = read('deploy/.env.example');
    const readme = read('README.md');
    const missing: string[] = [];
    for (const [name, file] of variablesRead()) {
      if (!new RegExp(`^#?\\s*${name}=`, 'm').test(example)) missing.push(`${name} (read in ${file}) is not in deploy/.env.example`);
      if (!new RegExp(`^\\|[^\\n]*\`${name}\``, 'm').test(readme)) missing.push(`${name} (read in ${file}) is not in the README's configuration table`);
    }
    expect(missing).toEqual([]);
  });
});
