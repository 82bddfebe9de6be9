import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestApp, type TestApp } from '../support/app';

/**
 * The dashboard served from a checkout under a dot-folder (~/.local/…): Express's
 * sendFile refuses absolute paths with a dot-folder in them, which made every page 404.
 */
jest.setTimeout(120_000);

let t: TestApp;
let base: string;

beforeAll(async () => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'xuncha-dot-'));
  const dist = path.join(base, '.local', 'xuncha', 'frontend', 'dist');
  fs.mkdirSync(path.join(dist, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>巡察整改监督分析平台</title><div id="app"></div>');
  fs.writeFileSync(path.join(dist, 'assets', 'app.js'), 'console.log("app")');
  fs.writeFileSync(path.join(dist, '.secret'), 'not-for-anyone');
  t = await startTestApp({ env: { STATIC_DIR: dist } });
});

afterAll(async () => {
  await t?.close();
  fs.rmSync(base, { recursive: true, force: true });
});

it('serves the dashboard and its router’s URLs from under a dot-folder', async () => {
  for (const page of ['/', '/tasks', '/coverage?regionId=3']) {
    const response = await fetch(t.url + page);
    expect([page, response.status]).toEqual([page, 200]);
    expect(await response.text()).toContain('巡察整改监督分析平台');
  }
  const asset = await fetch(`${t.url}/assets/app.js`);
  expect(asset.status).toBe(200);
  // a dot-file inside the dashboard's folder is still not served
  expect(await (await fetch(`${t.url}/.secret`)).text()).not.toContain('not-for-anyone');
});
