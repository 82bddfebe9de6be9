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
 * The browser is signed in as the bench account (its session cookie from a sign-in request).
 */
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { createApp } from '../../backend/src/app';
import { loadConfig } from '../../backend/src/config/app-config';
import { browserUnavailable, ensureDashboardBuilt, initialJavaScript, launchChromium } from '../src/support/browser';
import { bench, benchDatabase, benchSession, benchWarehouse, percentile } from './fixture';

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
  const app = await createApp({ config: { ...loadConfig({ ETL_INTERVAL_SECONDS: '0' }), staticDir: dist }, databaseUrl: db.url, warehouse, logger: false });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  const browser = await launchChromium();
  try {
    const session = await benchSession(db.url, base);
    const options = (await fetch(`${base}/api/options`, { headers: { cookie: session.cookie } }).then((r) => r.json())) as { regions: { children: { id: number; level: string }[] }[] };
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
    bench('web-overview-1m-chdb-rendered-p50-ms', percentile(rendered, 0.5), 'ms');
    bench('web-overview-1m-chdb-rendered-p95-ms', percentile(rendered, 0.95), 'ms');

    // a filter change through the router (as the filter bar makes it): until the cards are ready again
    await page.goto(`${base}/`);
    await overviewDrawn(page);
    const changes: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const county = counties[i % counties.length];
      const started = performance.now();
      await page.evaluate(
        `window.history.pushState(window.history.state, '', '/?regionId=${county}'); window.dispatchEvent(new PopStateEvent('popstate', { state: window.history.state }));`,
      );
      await page
        .waitForFunction(`document.querySelector('[data-testid="page-overview"] section.card[aria-busy="true"]') !== null`, undefined, { timeout: 5_000 })
        .catch(() => undefined);
      await overviewDrawn(page);
      changes.push(performance.now() - started);
    }
    bench('web-filter-change-1m-chdb-p50-ms', percentile(changes, 0.5), 'ms');
    bench('web-filter-change-1m-chdb-p95-ms', percentile(changes, 0.95), 'ms');
  } finally {
    await browser.close();
    await app.close();
    await warehouse.close();
    await db.close();
  }
}
