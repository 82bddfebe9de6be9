import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Browser } from 'playwright-core';

/** Debian's chromium; the tests never download a browser of their own. */
export const CHROMIUM = '/usr/bin/chromium';
export const FRONTEND_DIR = path.resolve(__dirname, '../../../frontend');
export const DIST_DIR = path.join(FRONTEND_DIR, 'dist');
export const SCREENSHOT_DIR = path.resolve(__dirname, '../../../test-output/screenshots');

/**
 * Why the browser tests cannot run here, or undefined when they can. Where system packages
 * are required (CI), the caller turns the reason into a failure instead of a skip.
 */
export function browserUnavailable(): string | undefined {
  if (!fs.existsSync(CHROMIUM)) return `browser tests: skipped: ${CHROMIUM} is missing (apt-get install -y chromium fonts-noto-cjk)`;
  return undefined;
}

export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
  });
}

function newestMtime(entry: string): number {
  const stat = fs.statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const name of fs.readdirSync(entry)) newest = Math.max(newest, newestMtime(path.join(entry, name)));
  return newest;
}

/**
 * The built dashboard (frontend/dist), built first with Vite's JS API when it is missing
 * or older than its sources. Returns the folder to serve.
 */
export function ensureDashboardBuilt(): string {
  const index = path.join(DIST_DIR, 'index.html');
  const sources = ['src', 'index.html', 'vite.config.ts', 'package.json'].map((p) => path.join(FRONTEND_DIR, p));
  const sourceTime = Math.max(...sources.filter((p) => fs.existsSync(p)).map(newestMtime));
  if (fs.existsSync(index) && fs.statSync(index).mtimeMs >= sourceTime) return DIST_DIR;
  const script = `import { build } from 'vite'; await build({ root: ${JSON.stringify(FRONTEND_DIR)}, mode: 'production', logLevel: 'warn' });`;
  // Jest sets NODE_ENV=test, which would keep Vue's development code in the bundle
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: FRONTEND_DIR,
    encoding: 'utf8',
    timeout: 300_000,
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (result.status !== 0 || !fs.existsSync(index)) {
    throw new Error(`the dashboard could not be built (vite build in frontend/ failed; run npm run build -w @xuncha/frontend to see why):\n${result.stderr || result.stdout || result.error?.message}`);
  }
  return DIST_DIR;
}

/**
 * The JavaScript a first visit loads before any route: the entry script and the modules
 * index.html preloads, each gzipped. Returns bytes per file.
 */
export function initialJavaScript(distDir: string): { file: string; raw: number; gzip: number }[] {
  const html = fs.readFileSync(path.join(distDir, 'index.html'), 'utf8');
  const files = [...html.matchAll(/<script[^>]+src="\/([^"]+\.js)"|<link[^>]+rel="modulepreload"[^>]+href="\/([^"]+\.js)"/g)].map((m) => m[1] ?? m[2]);
  return files.map((file) => {
    const bytes = fs.readFileSync(path.join(distDir, file));
    return { file, raw: bytes.length, gzip: zlib.gzipSync(bytes, { level: 9 }).length };
  });
}
