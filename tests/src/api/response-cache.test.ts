import { MetricsService } from '@xuncha/backend';
import { startTestApp, type TestApp } from '../support/app';
import { closeTask } from '../support/closure';
import { query } from '../support/pg';
import { pinToday } from '../support/today';

/**
 * The answers of the read routes are kept while the warehouse holds the same data: the same
 * request is answered from the cache, a run that writes makes the next one fresh, and a
 * county user never gets another user's kept answer.
 */
jest.setTimeout(300_000);

const TODAY = pinToday();
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ seed: { scale: 'tiny', today: TODAY } });
});

afterAll(async () => {
  await t?.close();
});

const closedTasks = (body: unknown) => (body as { taskClosure: { numerator: number } }).taskClosure.numerator;

describe('the response cache', () => {
  it('answers a repeated request from the cache, with the same body, parameters in any order', async () => {
    const first = await t.get('/api/metrics/rectification?mode=ROUTINE&term=current');
    const second = await t.get('/api/metrics/rectification?term=current&mode=ROUTINE');
    expect(first.status).toBe(200);
    expect(second.body).toEqual(first.body);
    const again = await fetch(`${t.url}/api/metrics/rectification?mode=ROUTINE&term=current`, { headers: { cookie: t.cookie } });
    expect(again.headers.get('x-xuncha-cache')).toBe('hit');
  });

  it('is fresh after an ETL run of the app that loaded a write', async () => {
    const before = closedTasks((await t.get('/api/metrics/rectification')).body);
    const [task] = await query<{ id: string }>(
      t.db.url,
      "SELECT id::text AS id FROM rectification_tasks WHERE status = 'CLOSE_REQUESTED' AND deleted_at IS NULL ORDER BY id LIMIT 1",
    );
    expect(await closeTask(t, task.id)).toBe(201);
    // not loaded yet: the kept answer is still right for the warehouse
    expect(closedTasks((await t.get('/api/metrics/rectification')).body)).toBe(before);
    expect((await t.send('POST', '/api/etl/run', {})).status).toBe(200);
    const after = await fetch(`${t.url}/api/metrics/rectification`, { headers: { cookie: t.cookie } });
    expect(after.headers.get('x-xuncha-cache')).toBe('miss');
    expect(closedTasks(await after.json())).toBe(before + 1);
  });

  it('keeps answers apart per county user', async () => {
    const [county] = await query<{ id: number; code: string }>(t.db.url, "SELECT id, code FROM regions WHERE level = 'COUNTY' ORDER BY code LIMIT 1");
    const city = await t.get('/api/metrics/overview');
    const countyUser = await t.as(`county-${county.code}`);
    const mine = await countyUser.get('/api/metrics/overview');
    expect(mine.body).not.toEqual(city.body);
    expect(mine.body).toEqual((await t.get(`/api/metrics/overview?regionId=${county.id}`)).body);
  });

  it('runs identical uncached requests arriving together as one computation', async () => {
    const computed = jest.spyOn(t.app.get(MetricsService), 'rectification');
    try {
      // ten at once, as of a day nobody asked for: one computation, one answer for all
      const answers = await Promise.all(
        Array.from({ length: 10 }, () => fetch(`${t.url}/api/metrics/rectification?asOf=2026-01-06`, { headers: { cookie: t.cookie } })),
      );
      expect(computed).toHaveBeenCalledTimes(1);
      expect(answers.map((a) => a.headers.get('x-xuncha-cache')).sort()).toEqual([...Array(9).fill('hit'), 'miss']);
      const bodies = await Promise.all(answers.map((a) => a.json()));
      for (const body of bodies) expect(body).toEqual(bodies[0]);
      // another day: another computation
      expect((await t.get('/api/metrics/rectification?asOf=2026-01-07')).status).toBe(200);
      expect(computed).toHaveBeenCalledTimes(2);
    } finally {
      computed.mockRestore();
    }
  });

  it('does not keep a refusal', async () => {
    expect((await t.get('/api/metrics/overview?roundId=999999')).status).toBe(400);
    const again = await fetch(`${t.url}/api/metrics/overview?roundId=999999`, { headers: { cookie: t.cookie } });
    expect([again.status, again.headers.get('x-xuncha-cache')]).toEqual([400, 'miss']);
  });
});
