import { UserError, shanghaiToday } from '@xuncha/shared';
import { parseDay } from './dates';
import { SCALE_FINDINGS, type Scale } from './plan';

export const SEED_USAGE = 'usage: npm run db:seed -- [--scale demo|1m|10m|tiny] [--seed N] [--today YYYY-MM-DD] [--force]';

export interface SeedArgs {
  scale: Scale;
  seed: number;
  today: string;
  force: boolean;
}

/**
 * Parses the seed command's arguments: `--scale demo|1m|10m|tiny` (default demo),
 * `--seed N` (default 1), `--today YYYY-MM-DD` (default: today in Asia/Shanghai), `--force`.
 * Also accepts `--name=value`. Throws a UserError naming the bad argument.
 */
export function parseSeedArgs(argv: string[], now: Date = new Date()): SeedArgs {
  const result: SeedArgs = { scale: 'demo', seed: 1, today: shanghaiToday(now), force: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new UserError(`unexpected argument "${arg}"; ${SEED_USAGE}`);
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    const inline = eq >= 0 ? arg.slice(eq + 1) : undefined;
    if (name === 'force') {
      if (inline !== undefined) throw new UserError(`--force takes no value; ${SEED_USAGE}`);
      result.force = true;
      continue;
    }
    if (name !== 'scale' && name !== 'seed' && name !== 'today') throw new UserError(`unknown option "${arg}"; ${SEED_USAGE}`);
    let value = inline;
    if (value === undefined) {
      value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new UserError(`--${name} needs a value; ${SEED_USAGE}`);
      i++;
    }
    if (name === 'scale') {
      if (!Object.prototype.hasOwnProperty.call(SCALE_FINDINGS, value)) {
        throw new UserError(`unknown scale "${value}"; expected demo, 1m, 10m or tiny`);
      }
      result.scale = value as Scale;
    } else if (name === 'seed') {
      const seed = /^\d+$/.test(value) ? Number(value) : NaN;
      if (!Number.isSafeInteger(seed)) throw new UserError(`--seed must be a non-negative integer (got "${value}")`);
      result.seed = seed;
    } else {
      if (parseDay(value) === undefined) throw new UserError(`--today must be a calendar date YYYY-MM-DD (got "${value}")`);
      if (value < '2000-01-01' || value > '2199-12-31') throw new UserError(`--today must lie between 2000 and 2199 (got "${value}")`);
      result.today = value;
    }
  }
  return result;
}
