import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const FRONTEND_DIR = path.resolve(__dirname, '../frontend');
export const DIST_DIR = path.join(FRONTEND_DIR, 'dist');

function newestMtime(entry: string): number {
  const stat = fs.statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const name of fs.readdirSync(entry)) newest = Math.max(newest, newestMtime(path.join(entry, name)));
  return newest;
}

/** Whether frontend/dist is missing or older than the dashboard's sources. */
export function dashboardStale(): boolean {
  const index = path.join(DIST_DIR, 'index.html');
  // the metric definitions (口径 tooltips) are imported from the backend
  const sources = ['src', 'index.html', 'vite.config.ts', 'package.json', '../backend/src/metrics/definitions.ts'].map((p) => path.join(FRONTEND_DIR, p));
  const sourceTime = Math.max(...sources.filter((p) => fs.existsSync(p)).map(newestMtime));
  return !fs.existsSync(index) || fs.statSync(index).mtimeMs < sourceTime;
}

/**
 * The built dashboard (frontend/dist), built first with Vite's JS API when it is missing
 * or older than its sources. Returns the folder to serve.
 */
export function ensureDashboardBuilt(): string {
  if (!dashboardStale()) return DIST_DIR;
  const script = `import { build } from 'vite'; await build({ root: ${JSON.stringify(FRONTEND_DIR)}, mode: 'production', logLevel: 'warn' });`;
  // NODE_ENV=test (Jest) or development would keep Vue's development code in the bundle
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: FRONTEND_DIR,
    encoding: 'utf8',
    timeout: 300_000,
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (result.status !== 0 || !fs.existsSync(path.join(DIST_DIR, 'index.html'))) {
    throw new Error(
      `the dashboard could not be built (vite build in frontend/ failed; run npm run build -w @xuncha/frontend to see why):\n${result.stderr || result.stdout || result.error?.message}`,
    );
  }
  return DIST_DIR;
}
