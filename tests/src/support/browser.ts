import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Browser } from 'playwright-core';

/** Debian's chromium; the tests never download a browser of their own. */
export const CHROMIUM = '/usr/bin/chromium';
export { DIST_DIR, ensureDashboardBuilt, FRONTEND_DIR } from '../../../scripts/dashboard';
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

/**
 * Opens a page through the navigation: the links sit in drop-down menus by group (分析,
 * 业务记录, 督办, 基础数据, 系统), so the link's group is opened first.
 */
export async function clickNav(page: import('playwright-core').Page, routeName: string): Promise<void> {
  const link = page.getByTestId(`nav-${routeName}`);
  const group = await link.getAttribute('data-group');
  if (!(await link.isVisible())) await page.getByTestId(`navgroup-${group}`).click();
  await link.click();
}
