import { isDeepStrictEqual } from 'node:util';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { browserUnavailable } from './browser';

/**
 * The setup every browser test repeats: the suite registered only where Chromium is (a
 * failure instead of a skip where system packages are required), a context signed in with
 * a session cookie in a chosen language and size, and a page whose errors are collected.
 */

export const SIZES = [
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
] as const;
export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export type Viewport = { width: number; height: number };

/** `describe` where the browser can run; elsewhere a skip, or where it is required (XUNCHA_REQUIRE_SYSTEM_PACKAGES=1) a failing test. */
export function describeInBrowser(name: string, body: () => void): void {
  const unavailable = browserUnavailable();
  if (!unavailable) {
    describe(name, body);
    return;
  }
  if (process.env.XUNCHA_REQUIRE_SYSTEM_PACKAGES === '1') {
    it('runs in a real browser (required here)', () => {
      throw new Error(unavailable);
    });
  } else {
    console.log(unavailable);
  }
  describe.skip(name, body);
}

export interface ContextOptions {
  baseURL: string;
  /** a session cookie, `name=value` */
  cookie?: string;
  viewport?: Viewport;
  locale?: Locale;
  /** stores the dashboard's remembered language (frontend/src/i18n/index.ts) before any page runs */
  rememberLocale?: boolean;
  acceptDownloads?: boolean;
}

/** A context signed in with `cookie`; reduced motion, so charts are drawn without animation (the tests wait for their `finished` event). */
export async function signedInContext(browser: Browser, options: ContextOptions): Promise<BrowserContext> {
  const { baseURL, cookie, viewport = SIZES[0], locale = 'zh-CN', rememberLocale: remember = false, acceptDownloads } = options;
  const context = await browser.newContext({ viewport, locale, baseURL, reducedMotion: 'reduce', ...(acceptDownloads ? { acceptDownloads } : {}) });
  if (remember) await rememberLocale(context, locale);
  if (cookie) await addSessionCookie(context, baseURL, cookie);
  return context;
}

/** Stores the dashboard's remembered language (frontend/src/i18n/index.ts) in the context's pages before they run. */
export async function rememberLocale(context: BrowserContext, locale: string): Promise<void> {
  // runs in the page
  await context.addInitScript(
    (l) => (globalThis as unknown as { localStorage: { setItem(key: string, value: string): void } }).localStorage.setItem('xuncha.locale', l),
    locale,
  );
}

export async function addSessionCookie(context: BrowserContext, url: string, cookie: string): Promise<void> {
  const [name, value] = cookie.split('=');
  await context.addCookies([{ name, value, url }]);
}

/** Pushes the page's uncaught errors (and with `console`, its console errors) onto `errors`. */
export function collectErrors(page: Page, errors: string[], options: { console?: boolean } = {}): Page {
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  if (options.console) {
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`console: ${message.text()} ${message.location().url}`);
    });
  }
  return page;
}

/** Waits until the element with `testid` is ready and not busy (the cards' and lists' data-state/aria-busy). */
export function waitReady(page: Page, testid: string, timeout = 30_000): Promise<unknown> {
  return page.waitForSelector(`[data-testid="${testid}"][data-state="ready"][aria-busy="false"]`, { timeout });
}

/** `1366-zh`, `1920-en`: a screenshot's suffix. */
export function sizeTag(locale: Locale, size: Viewport): string {
  return `${size.width}-${locale === 'en' ? 'en' : 'zh'}`;
}

/**
 * Reads until `accept` takes the value or `timeout` passes (a page answers after a call, a
 * list reloads after a navigation): a wait on a condition, not a fixed sleep. Returns the
 * last value read.
 */
export async function readUntil<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeout = 15_000): Promise<T> {
  const end = Date.now() + timeout;
  let value = await read();
  while (!accept(value) && Date.now() < end) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await read();
  }
  return value;
}

/** `readUntil`, expecting `accept` to take the last value read; returns it. */
export async function expectUntil<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeout = 15_000): Promise<T> {
  const value = await readUntil(read, accept, timeout);
  expect(accept(value)).toBe(true);
  return value;
}

/** Expects `read` to give `expected` (deep equality) within `timeout`. */
export async function expectEventually<T>(read: () => Promise<T>, expected: T, timeout = 15_000): Promise<void> {
  expect(await readUntil(read, (value) => isDeepStrictEqual(value, expected), timeout)).toEqual(expected);
}
