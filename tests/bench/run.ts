/**
 * npm run bench -- NAME [NAME…]: runs tests/bench/NAME.ts's `benchName()`; each prints
 * `BENCH <figure-name> <value> <unit>` lines. With no name, lists the benchmarks.
 */
import fs from 'node:fs';
import path from 'node:path';
import { runCli, UserError } from '@xuncha/shared';

type Bench = () => Promise<void>;

function available(): string[] {
  return fs
    .readdirSync(__dirname)
    .filter((file) => file.endsWith('.ts') && file !== 'run.ts' && !file.endsWith('.spec.ts'))
    .map((file) => file.slice(0, -3))
    .sort();
}

runCli(async () => {
  const names = process.argv.slice(2);
  const known = available();
  if (names.length === 0) {
    console.log(`benchmarks: ${known.join(', ')}\nusage: npm run bench -- NAME`);
    return;
  }
  for (const name of names) {
    if (!known.includes(name)) throw new UserError(`unknown benchmark "${name}"; available: ${known.join(', ')}`);
  }
  for (const name of names) {
    const module = (await import(path.join(__dirname, name))) as Record<string, Bench | undefined>;
    const fn = module[`bench${name.charAt(0).toUpperCase()}${name.slice(1)}`];
    if (typeof fn !== 'function') throw new UserError(`tests/bench/${name}.ts exports no bench function`);
    await fn();
  }
});
