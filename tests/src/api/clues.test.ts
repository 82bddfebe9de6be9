import { execFileSync } from 'node:child_process';
import { shanghaiToday } from '@xuncha/shared';
import { startTestApp, type TestApp } from '../support/app';
import { parseCsv } from '../support/csv';
import { xlsxRecordsViaSoffice } from '../support/xlsx-via-soffice';
import { query } from '../support/pg';

/**
 * 线索: clues handed over from inspections, warned against their feedback deadline
 * (handover + 3 months) on the 预警 ladder at the boundary days, counted by county as
 * PostgreSQL counts them, recorded and edited with their checks.
 */
jest.setTimeout(300_000);

interface ClueRow {
  id: number;
  countyId: number;
  handedDate: string;
  feedbackDue: string;
  disposalStatus: string;
  warning: string | null;
}

const DAY = 86_400_000;
const plus = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
const between = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / DAY);
/** By hand: three months later, the same day or the month's last. */
function threeMonthsAfter(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  const month = m - 1 + 3;
  const year = y + Math.floor(month / 12);
  const mm = (month % 12) + 1;
  const last = new Date(Date.UTC(year, mm, 0)).getUTCDate();
  return `${year}-${String(mm).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

describe('线索', () => {
  let t: TestApp;
  const today = shanghaiToday();
  let inspectionId: number;

  beforeAll(async () => {
    t = await startTestApp({ seed: { scale: 'tiny', today } });
    [{ inspectionId }] = await query<{ inspectionId: number }>(
      t.db.url,
      `SELECT id AS "inspectionId" FROM inspections WHERE deleted_at IS NULL ORDER BY id LIMIT 1`,
    );
  });
  afterAll(async () => {
    await t?.close();
  });

  async function all(params = ''): Promise<ClueRow[]> {
    const rows: ClueRow[] = [];
    for (let page = 1; ; page++) {
      const response = await t.get<{ total: number; rows: ClueRow[] }>(`/api/clues?pageSize=200&page=${page}${params}`);
      expect(response.status).toBe(200);
      rows.push(...response.body.rows);
      if (rows.length >= response.body.total || response.body.rows.length === 0) return rows;
    }
  }

  it('warns clues due for feedback in 20, 10, 0 and −1 days as a hand computation does', async () => {
    const expected: Record<number, string | null> = { 21: null, 20: 'yellow', 11: 'yellow', 10: 'orange', 0: 'orange', [-1]: 'red' };
    const made = new Map<number, number>();
    for (const offset of Object.keys(expected).map(Number)) {
      // the latest handover day whose deadline is `offset` days from today
      let handed = today;
      while (between(today, threeMonthsAfter(handed)) !== offset) handed = plus(handed, -1);
      const response = await t.send<ClueRow>('POST', '/api/clues', {
        inspectionId,
        handedTo: 'DISCIPLINE',
        handedDate: handed,
        persons: 2,
        summary: `边界线索 ${offset}`,
      });
      expect(response.status).toBe(201);
      expect(response.body.feedbackDue).toBe(threeMonthsAfter(handed));
      made.set(offset, response.body.id);
    }
    for (const level of ['yellow', 'orange', 'red']) {
      const ids = new Set((await all(`&warning=${level}`)).map((r) => r.id));
      for (const [offset, id] of made) expect({ offset, level, listed: ids.has(id) }).toEqual({ offset, level, listed: expected[offset] === level });
    }
    // concluded: no longer warned
    const red = made.get(-1)!;
    const concluded = await t.send<ClueRow>('PATCH', `/api/clues/${red}`, { disposalStatus: 'CONCLUDED', concludedDate: today });
    expect(concluded.status).toBe(200);
    expect(concluded.body).toMatchObject({ disposalStatus: 'CONCLUDED', warning: null });
  });

  it('lists and counts every clue by county as PostgreSQL does', async () => {
    const UNIT_COUNTY = `(SELECT CASE g.level WHEN 'TOWNSHIP' THEN g.parent_id ELSE g.id END FROM regions g WHERE g.id = u.region_id)`;
    const byCounty = await query<{ county: number; clues: number; persons: number; concluded: number }>(
      t.db.url,
      `SELECT ${UNIT_COUNTY} AS county, count(*)::int AS clues, sum(c.persons)::int AS persons, (count(*) FILTER (WHERE c.disposal_status = 'CONCLUDED'))::int AS concluded
         FROM clues c JOIN inspections i ON i.id = c.inspection_id AND i.deleted_at IS NULL JOIN org_units u ON u.id = i.unit_id
        WHERE c.deleted_at IS NULL GROUP BY 1 ORDER BY 1`,
    );
    expect(byCounty.length).toBeGreaterThan(1);
    const stats = await t.get<{
      total: { clues: number };
      byCounty: { countyId: number; clues: number; persons: number; concluded: number }[];
      byInspection: { clues: number }[];
    }>('/api/clues/stats');
    expect(stats.status).toBe(200);
    expect(stats.body.byCounty.map(({ countyId, clues, persons, concluded }) => ({ county: countyId, clues, persons, concluded }))).toEqual(byCounty);
    expect(stats.body.byInspection.reduce((s, r) => s + r.clues, 0)).toBe(stats.body.total.clues);
    const listed = await all();
    expect(listed).toHaveLength(byCounty.reduce((s, r) => s + r.clues, 0));
    const county = byCounty[0].county;
    expect((await all(`&regionId=${county}`)).map((r) => r.countyId)).toEqual(Array(byCounty[0].clues).fill(county));
  });

  it('refuses bad records at their field', async () => {
    const base = { inspectionId, handedTo: 'ORGANIZATION', handedDate: plus(today, -5), persons: 1, summary: '校验' };
    const cases: [Record<string, unknown>, string][] = [
      [{ ...base, concludedDate: plus(today, -6) }, 'concludedDate'],
      [{ ...base, disposalStatus: 'CONCLUDED' }, 'concludedDate'],
      [{ ...base, handedDate: plus(today, 1) }, 'handedDate'],
      [{ ...base, persons: 0 }, 'persons'],
      [{ ...base, inspectionId: 2 ** 31 - 1 }, 'inspectionId'],
      [{ ...base, handedTo: 'POLICE' }, 'handedTo'],
    ];
    for (const [body, field] of cases) {
      const response = await t.send<{ message: string }>('POST', '/api/clues', body);
      expect({ field, status: response.status, message: response.body.message.split(':')[0] }).toEqual({ field, status: 400, message: field });
    }
    expect((await t.send('PATCH', '/api/clues/2147483647', { persons: 2 })).status).toBe(404);
  });

  // --- 导出 (.xlsx and CSV) --------------------------------------------------------------
  it('exports the filtered list as .xlsx (read back by LibreOffice) and CSV, named after the filters', async () => {
    const UNIT_COUNTY = `(SELECT CASE g.level WHEN 'TOWNSHIP' THEN g.parent_id ELSE g.id END FROM regions g WHERE g.id = u.region_id)`;
    const [{ county, countyName }] = await query<{ county: number; countyName: string }>(
      t.db.url,
      `SELECT ${UNIT_COUNTY} AS county, (SELECT name FROM regions WHERE id = ${UNIT_COUNTY}) AS "countyName"
         FROM clues c JOIN inspections i ON i.id = c.inspection_id AND i.deleted_at IS NULL JOIN org_units u ON u.id = i.unit_id
        WHERE c.deleted_at IS NULL GROUP BY 1, 2 ORDER BY count(*) DESC, 1 LIMIT 1`,
    );
    // a summary with a comma, a quote and a line break must survive both formats
    const tricky = 'Ａ单位, "某某"问题\n第二行';
    const [{ id: trickyInspection }] = await query<{ id: number }>(
      t.db.url,
      `SELECT i.id FROM inspections i JOIN org_units u ON u.id = i.unit_id WHERE i.deleted_at IS NULL AND ${UNIT_COUNTY} = $1 ORDER BY i.id LIMIT 1`,
      [county],
    );
    expect(
      (await t.send('POST', '/api/clues', { inspectionId: trickyInspection, handedTo: 'DISCIPLINE', handedDate: plus(today, -3), persons: 7, summary: tricky }))
        .status,
    ).toBe(201);
    expect(
      (
        await t.send('POST', '/api/clues', {
          inspectionId: trickyInspection,
          handedTo: 'ORGANIZATION',
          handedDate: plus(today, -40),
          persons: 2,
          summary: '处置中的线索',
          disposalStatus: 'IN_PROGRESS',
        })
      ).status,
    ).toBe(201);
    const expected = await query<{ id: string; unit: string; persons: string; summary: string }>(
      t.db.url,
      `SELECT c.id::text AS id, u.name AS unit, c.persons::text AS persons, c.summary
         FROM clues c JOIN inspections i ON i.id = c.inspection_id AND i.deleted_at IS NULL JOIN org_units u ON u.id = i.unit_id
        WHERE c.deleted_at IS NULL AND c.disposal_status <> 'CONCLUDED' AND ${UNIT_COUNTY} = $1 ORDER BY c.id`,
      [county],
    );
    expect(expected.length).toBeGreaterThan(1);
    const byId = <T extends { id: string }>(rows: T[]) => [...rows].sort((a, b) => Number(a.id) - Number(b.id));
    /** The data rows below the header row (first cell 线索编号): id, unit, persons, summary. */
    const table = (records: string[][]) => {
      const header = records.findIndex((r) => r[0] === '线索编号');
      expect(header).toBeGreaterThanOrEqual(0);
      const columns = records[header];
      const at = (name: string) => columns.indexOf(name);
      expect([at('被巡察单位'), at('涉及人数'), at('线索摘要'), at('处置状态')].every((i) => i > 0)).toBe(true);
      return byId(
        records
          .slice(header + 1)
          .filter((r) => /^\d+$/.test(r[0] ?? ''))
          .map((r) => ({ id: r[0], unit: r[at('被巡察单位')], persons: r[at('涉及人数')], summary: r[at('线索摘要')] })),
      );
    };

    const statuses = ['PENDING', 'IN_PROGRESS'];
    const listed = (await Promise.all(statuses.map((s) => all(`&regionId=${county}&status=${s}`)))).flat();
    expect(listed.map((r) => r.id).sort((a, b) => a - b)).toEqual(expected.map((r) => Number(r.id)));

    // CSV, one status at a time: together every open clue of the county
    const fromCsv: { id: string; summary: string }[] = [];
    let pending: typeof fromCsv = [];
    for (const status of statuses) {
      const response = await fetch(`${t.url}/api/clues.csv?regionId=${county}&status=${status}`, { headers: { cookie: t.cookie } });
      expect(response.status).toBe(200);
      const label = status === 'PENDING' ? '待处置线索' : '处置中线索';
      expect(response.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent(`${label}_${countyName}_${today}.csv`)}`);
      const rows = table(parseCsv(await response.text()));
      if (status === 'PENDING') pending = rows;
      fromCsv.push(...rows);
    }
    expect(byId(fromCsv)).toEqual(expected);

    // .xlsx of the PENDING ones, converted to CSV by LibreOffice
    const xlsx = await fetch(`${t.url}/api/clues.xlsx?regionId=${county}&status=PENDING`, { headers: { cookie: t.cookie } });
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent(`待处置线索_${countyName}_${today}.xlsx`)}`);
    const bytes = Buffer.from(await xlsx.arrayBuffer());
    expect(pending.some((r) => r.summary === tricky)).toBe(true);
    let soffice = true;
    try {
      execFileSync('soffice', ['--version'], { stdio: 'pipe', timeout: 60_000 });
    } catch {
      if (process.env.XUNCHA_REQUIRE_SYSTEM_PACKAGES === '1') throw new Error('soffice (LibreOffice) is not installed, and XUNCHA_REQUIRE_SYSTEM_PACKAGES=1');
      soffice = false;
    }
    if (!soffice) {
      console.log('clues: skipped the LibreOffice check: soffice is not installed');
      return;
    }
    const records = xlsxRecordsViaSoffice(bytes);
    expect(records[0][0]).toBe('待处置线索');
    expect(table(records)).toEqual(pending);
  });
});
