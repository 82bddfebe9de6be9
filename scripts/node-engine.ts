import fs from 'node:fs';
import path from 'node:path';

/**
 * The Node.js the product needs: package.json's `engines.node` (`>=MAJOR.MINOR`), checked at
 * start so that an older Node stops with one plain sentence instead of a failure deep inside.
 * Every dependency fits it except @prisma/streams-local, which only `prisma dev` runs (never
 * used here: the migrations run through the project's own runner); npm install warns of it.
 */
export function requiredNode(): string {
  const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../package.json'), 'utf8')) as { engines?: { node?: string } };
  return manifest.engines?.node ?? '>=0';
}

/** Why `version` (e.g. `v20.19.1`) does not satisfy `range` (`>=20.19`), or undefined when it does. */
export function nodeEngineProblem(version: string, range: string): string | undefined {
  const want = /^>=\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(range.trim());
  if (!want) throw new Error(`engines.node must read >=MAJOR.MINOR, not "${range}"`);
  const have = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!have) return `cannot read the Node.js version "${version}"`;
  const a = have.slice(1, 4).map(Number);
  const b = [want[1], want[2] ?? '0', want[3] ?? '0'].map(Number);
  for (let i = 0; i < 3; i++) {
    if (a[i] > b[i]) return undefined;
    if (a[i] < b[i]) return `Node.js ${range.replace('>=', '').trim()} or later is needed; this is ${version}`;
  }
  return undefined;
}
