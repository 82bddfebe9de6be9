/**
 * npm run bench -- web: the dashboard in Debian's chromium against the app at 1M findings
 * (embedded chDB), warm.
 *
 *   BENCH web-initial-js-gzip-kb                  the entry script and the modules index.html preloads, gzipped
 *   BENCH web-overview-1m-chdb-rendered-p50-ms    navigation until every overview card is drawn with its figures
 *   BENCH web-overview-1m-chdb-rendered-p95-ms
 *   BENCH web-filter-change-1m-chdb-p50-ms        a filter change (county) until the cards show the new figures
 *   BENCH web-filter-change-1m-chdb-p95-ms
 *
 * These with the app's response cache off (every answer computed); the same figures with
 * `-cached` after `chdb` with it on, as the app runs by default (a view seen before since the
 * last ETL run that wrote something is answered from the cache).
 *
 * The browser is signed in as the bench account (its session cookie from a sign-in request).
 */
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { createApp, loadConfig } from '@xuncha/backend';
import { browserUnavailable, ensureDashboardBuilt, initialJavaScript, launchChromium } from '../src/support/browser';
import { bench, benchDatabase, benchSession, benchWarehouse, percentile, BENCH_APP_ENV } from './fixture';

const RUNS = 7;

/** Every card of the overview ready (not loading, no error) with a chart drawn. */
async function overviewDrawn(page: Page): Promise<void> {
  // (expressions evaluated in the page)
  await page.waitForFunction(
    `(() => { const cards = [...document.querySelectorAll('[data-testid="page-overview"] section.card')];
      return cards.length >= 5 && cards.every((c) => c.getAttribute('data-state') === 'ready' && c.getAttribute('aria-busy') === 'false'); })()`,
    undefined,
    { timeout: 60_000 },
  );
  await page.waitForFunction(`document.querySelectorAll('[data-testid="page-overview"] canvas').length >= 4`, undefined, { timeout: 60_000 });
}

export async function benchWeb(): Promise<void> {
  const unavailable = browserUnavailable();
  if (unavailable) throw new Error(unavailable);
  const dist = ensureDashboardBuilt();
  bench('web-initial-js-gzip-kb', initialJavaScript(dist).reduce((sum, f) => sum + f.gzip, 0) / 1024, 'KB');

  const db = await benchDatabase('1m', { copy: false });
  const warehouse = await benchWarehouse(db);
  const browser = await launchChromium();
  try {
    for (const cache of ['off', 'on'] as const) {
      const app = await createApp({
        config: { ...loadConfig({ ...BENCH_APP_ENV, RESPONSE_CACHE: cache }), staticDir: dist },
        databaseUrl: db.url,
        warehouse,
        logger: false,
      });
      await app.listen(0, '127.0.0.1');
      try {
        await measure(browser, `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`, db.url, cache === 'on' ? '-cached' : '');
      } finally {
        await app.close();
      }
    }
  } finally {
    await browser.close();
    await warehouse.close();
    await db.close();
  }
}

/** The overview's figures for one app: navigation until drawn, and county changes. */
async function measure(browser: Browser, base: string, databaseUrl: string, suffix: string): Promise<void> {
  const session = await benchSession(databaseUrl, base);
  const options = (await fetch(`${base}/api/options`, { headers: { cookie: session.cookie } }).then((r) => r.json())) as {
    regions: { children: { id: number; level: string }[] }[];
  };
  const counties = options.regions[0].children.filter((r) => r.level === 'COUNTY').map((r) => r.id);
  // bypassCSP: the app's Content-Security-Policy forbids eval, which waitForFunction's string predicates use
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, bypassCSP: true });
  await context.addCookies([{ name: session.name, value: session.value, url: base }]);
  const page = await context.newPage();
  // warm: the server's caches and the browser's copy of the bundle
  await page.goto(`${base}/`);
  await overviewDrawn(page);

  const rendered: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await page.goto(`${base}/`, { waitUntil: 'commit' });
    await overviewDrawn(page);
    rendered.push(performance.now() - started);
  }
  bench(`web-overview-1m-chdb${suffix}-rendered-p50-ms`, percentile(rendered, 0.5), 'ms');
  bench(`web-overview-1m-chdb${suffix}-rendered-p95-ms`, percentile(rendered, 0.95), 'ms');

  // a filter change through the router (as the filter bar makes it): until the cards are ready again
  await page.goto(`${base}/`);
  await overviewDrawn(page);
  const change = async (county: number): Promise<number> => {
    // the overview's answer for that county, then every card drawn (an answer from the
    // cache may come before a card ever shows itself busy)
    const answered = page.waitForResponse((r) => r.url().includes('/api/metrics/overview') && r.url().includes(`regionId=${county}`), { timeout: 60_000 });
    const started = performance.now();
    await page.evaluate(
      `window.history.pushState(window.history.state, '', '/?regionId=${county}'); window.dispatchEvent(new PopStateEvent('popstate', { state: window.history.state }));`,
    );
    await answered;
    await overviewDrawn(page);
    return performance.now() - started;
  };
  // each county seen once first (the browser warm; with the cache on, its answers kept)
  for (let i = 0; i < RUNS; i++) await change(counties[i % counties.length]);
  const changes: number[] = [];
  for (let i = 0; i < RUNS; i++) changes.push(await change(counties[(i + 1) % counties.length]));
  bench(`web-filter-change-1m-chdb${suffix}-p50-ms`, percentile(changes, 0.5), 'ms');
  bench(`web-filter-change-1m-chdb${suffix}-p95-ms`, percentile(changes, 0.95), 'ms');
  await context.close();
}
