import { startTestApp, type TestApp } from '../support/app';
import { query } from '../support/pg';
import { pinToday } from '../support/today';

interface Region {
  id: number;
  code: string;
  level: string;
  children: Region[];
}

/** The demo's county-office accounts: one per county, and one for 市本级 limited to the city's own units. */
jest.setTimeout(300_000);

const TODAY = pinToday();

describe('demo accounts', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ seed: { scale: 'tiny', today: TODAY } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('has a county-office account for every county and for 市本级', async () => {
    const regions = await query<{ code: string }>(
      t.db.url,
      `SELECT code FROM regions WHERE level IN ('COUNTY', 'MUNICIPAL') AND deleted_at IS NULL ORDER BY code`,
    );
    const users = await query<{ username: string }>(t.db.url, `SELECT username FROM users WHERE role = 'COUNTY_STAFF' ORDER BY username`);
    expect(users.map((u) => u.username)).toEqual(regions.map((r) => `county-${r.code}`).sort());
  });

  it('limits the 市本级 account to the city’s own units', async () => {
    const [municipal] = await query<{ id: number; code: string }>(t.db.url, `SELECT id, code FROM regions WHERE level = 'MUNICIPAL'`);
    const client = await t.as(`county-${municipal.code}`);
    const options = await client.get<{ regions: Region[] }>('/api/options');
    expect(options.status).toBe(200);
    expect(options.body.regions[0].children.map((r) => r.id)).toEqual([municipal.id]);
    const overview = await client.get<{ charts: { closureByRegion: { regionId: number; level: string }[] } }>('/api/metrics/overview');
    expect(overview.status).toBe(200);
    // its 各地区 charts show 市本级's unit categories (issue 18, item 9)
    expect(overview.body.charts.closureByRegion.length).toBeGreaterThan(0);
    expect(overview.body.charts.closureByRegion.map((r) => [r.regionId, r.level])).toEqual(
      overview.body.charts.closureByRegion.map(() => [municipal.id, 'unitCategory']),
    );
    const [county] = await query<{ id: number }>(t.db.url, `SELECT id FROM regions WHERE level = 'COUNTY' ORDER BY code LIMIT 1`);
    expect((await client.get(`/api/metrics/overview?regionId=${county.id}`)).status).toBe(403);
  });
});
