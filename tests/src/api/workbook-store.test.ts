import fs from 'node:fs';
import ExcelJS from 'exceljs';
import {
  ExportsService,
  type AppConfig,
  lastEndedQuarter,
  lastEndedQuarters,
  quarterPeriod,
  APP_CONFIG,
  WorkbookPrebuilder,
  SIGNATURE_LINE,
  QuarterStateService,
  type OptionsResponse,
} from '@xuncha/backend';
import { QUARTER_STATE_TABLES } from '@xuncha/etl';
import { startTestApp, type TestApp } from '../support/app';
import { query } from '../support/pg';
import { pinToday } from '../support/today';

/**
 * Kept quarterly workbooks (WORKBOOK_STORE_DIR): a workbook asked for again is served as it
 * was made while its figures stand, and made again once something loaded changes them; each
 * scope has its own; the prebuilder makes the last ended quarter's ahead; a making stopped
 * halfway leaves nothing behind. Every kept workbook is compared with one made afresh.
 */
jest.setTimeout(600_000);

type Cell = string | number | null;
const OVERDUE_SHEET = '附表2 超期整改清单';
const FIRST_DATA_ROW = 7;

async function cells(bytes: Buffer): Promise<Record<string, Cell[][]>> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  const out: Record<string, Cell[][]> = {};
  for (const sheet of workbook.worksheets) {
    const rows: Cell[][] = [];
    for (let r = 1; r <= sheet.rowCount; r++) {
      rows.push(
        Array.from({ length: sheet.columnCount }, (_, c) => {
          const cell = sheet.getRow(r).getCell(c + 1);
          const value = cell.isMerged ? cell.master.value : cell.value;
          if (value instanceof Date) return value.toISOString().slice(0, 10);
          return (value ?? null) as Cell;
        }),
      );
    }
    out[sheet.name] = rows;
  }
  return out;
}

describe('kept quarterly workbooks', () => {
  const today = pinToday();
  const q = quarterPeriod(lastEndedQuarter(today).year, lastEndedQuarter(today).quarter);
  const quarterly = `/api/exports/quarterly?year=${q.year}&quarter=${q.quarter}`;
  let t: TestApp;
  let service: ExportsService;
  let dir: string;
  let county: { id: number; code: string; name: string };

  const download = async (cookie: string) => {
    const response = await fetch(t.url + quarterly, { headers: { cookie } });
    const body = Buffer.from(await response.arrayBuffer());
    expect(response.status).toBe(200);
    return { source: response.headers.get('x-xuncha-workbook'), body };
  };
  /** The kept files of the city's slot of the quarter. */
  const cityFiles = () => fs.readdirSync(dir).filter((name) => name.startsWith(`${q.year}Q${q.quarter}-city.`));
  /** The overdue sheet's task ids (the signature block under the table left out). */
  const overdueIds = (book: Record<string, Cell[][]>) =>
    book[OVERDUE_SHEET].slice(FIRST_DATA_ROW - 1)
      .filter((row) => row[0] !== SIGNATURE_LINE && row.some((cell) => cell !== null && cell !== ''))
      .map((row) => row[1]);
  /** The same workbook made afresh (the store emptied first). */
  const fresh = async (cookie: string) => {
    await service.store.clear();
    const made = await download(cookie);
    expect(made.source).toBe('made');
    return cells(made.body);
  };

  beforeAll(async () => {
    t = await startTestApp({ seed: { scale: 'tiny', today } });
    service = t.app.get(ExportsService);
    dir = service.store.dir!;
    const options = (await t.get<OptionsResponse>('/api/options')).body;
    const region = options.regions[0].children.find((r) => r.level === 'COUNTY')!;
    county = { id: region.id, code: region.code, name: region.name };
  });
  afterAll(async () => {
    await t?.close();
  });

  it('serves a workbook asked for again as it was made, byte for byte; a county user gets the county’s own', async () => {
    const first = await download(t.cookie);
    expect(first.source).toBe('made');
    const second = await download(t.cookie);
    expect(second.source).toBe('kept');
    expect(second.body.equals(first.body)).toBe(true);
    expect(cityFiles()).toHaveLength(1);

    const countyUser = await t.as(`county-${county.code}`);
    const own = await download(countyUser.cookie);
    expect(own.source).toBe('made');
    const book = await cells(own.body);
    for (const rows of Object.values(book)) expect(rows[1]).toContain(county.name);
    expect((await download(countyUser.cookie)).source).toBe('kept');
    // the city's is still the city's
    const city = await download(t.cookie);
    expect(city.source).toBe('kept');
    expect(city.body.equals(first.body)).toBe(true);
  });

  it('makes it again once a backdated change to the quarter-end figures is loaded, and keeps one file per workbook', async () => {
    const before = await download(t.cookie);
    const overdue = overdueIds(await cells(before.body));
    // a task overdue at the quarter end, 销号 on that day as recorded only now (backdated)
    const [task] = await query<{ id: string }>(
      t.db.url,
      `SELECT id::text FROM rectification_tasks
        WHERE id = ANY($1::bigint[]) AND deleted_at IS NULL AND status <> 'CLOSED' ORDER BY id LIMIT 1`,
      [overdue.map(String)],
    );
    expect(task).toBeDefined();
    await query(
      t.db.url,
      `WITH old AS (SELECT id, status FROM rectification_tasks WHERE id = $1::bigint),
       changed AS (UPDATE rectification_tasks SET status = 'CLOSED', closed_date = $2::date WHERE id = $1::bigint)
       INSERT INTO task_events (task_id, type, event_date, from_status, to_status, actor, note)
       SELECT old.id, 'STATUS_CHANGE', $2::date, old.status, 'CLOSED', 'test', '补录销号' FROM old`,
      [task.id, q.end],
    );
    await t.etl();

    const after = await download(t.cookie);
    expect(after.source).toBe('made');
    const book = await cells(after.body);
    expect(overdueIds(book)).not.toContain(Number(task.id));
    expect(overdueIds(book)).toHaveLength(overdue.length - 1);
    expect(cityFiles()).toHaveLength(1);
    expect(book).toEqual(await fresh(t.cookie));
  });

  it('a kept workbook equals one made afresh after later work is loaded', async () => {
    const kept = await download(t.cookie);
    await query(
      t.db.url,
      `WITH moved AS (
         UPDATE rectification_tasks SET current_due_date = current_due_date + 30
          WHERE id = (SELECT min(id) FROM rectification_tasks WHERE deleted_at IS NULL AND status <> 'CLOSED' AND current_due_date IS NOT NULL)
          RETURNING id, current_due_date)
       INSERT INTO task_events (task_id, type, event_date, new_due_date, actor, note)
       SELECT id, 'EXTENSION', $1::date, current_due_date, 'test', '今日延期' FROM moved`,
      [today],
    );
    await t.etl();
    const again = await download(t.cookie);
    // work dated after the quarter leaves its change token as it was: served as kept
    expect(again.source).toBe('kept');
    expect(await cells(again.body)).toEqual(await cells(kept.body));
    expect(await cells(again.body)).toEqual(await fresh(t.cookie));
  });

  it('makes the last ended quarters’ state and workbooks ahead, for the city and for every county', async () => {
    await service.store.clear();
    const quarters = lastEndedQuarters(today, t.app.get<AppConfig>(APP_CONFIG).workbookPrebuildQuarters).map((x) => quarterPeriod(x.year, x.quarter));
    expect(quarters.length).toBeGreaterThan(1);
    expect(quarters[0].end).toBe(q.end);
    const ends = quarters.map((x) => x.end);
    for (const table of QUARTER_STATE_TABLES) await t.warehouse.command(`DELETE FROM ${table} WHERE as_of IN {ends:Array(Date)}`, { ends });
    const builds = async () =>
      Object.fromEntries(
        (
          await t.warehouse.query<{ day: string; n: string }>(
            'SELECT toString(as_of) AS day, count() AS n FROM quarter_builds WHERE as_of IN {ends:Array(Date)} GROUP BY day',
            { ends },
          )
        ).map((r) => [r.day, Number(r.n)]),
      );
    expect(await builds()).toEqual({});
    await t.app.get(WorkbookPrebuilder).pass();
    // each quarter end's state was built once, and stands: nothing left for a first request to build
    expect(await builds()).toEqual(Object.fromEntries(ends.map((end) => [end, 1])));
    for (const end of ends) expect(await t.app.get(QuarterStateService).prepare(end)).toBe(false);
    const options = (await t.get<OptionsResponse>('/api/options')).body;
    const counties = options.regions[0].children.filter((r) => r.level === 'COUNTY' || r.level === 'MUNICIPAL');
    const kept = fs.readdirSync(dir).filter((name) => name.endsWith('.xlsx'));
    const slots = quarters.flatMap((x) => [`${x.year}Q${x.quarter}-city`, ...counties.map((c) => `${x.year}Q${x.quarter}-county${c.id}`)]);
    expect(kept.sort()).toEqual(slots.sort().map((name) => expect.stringMatching(new RegExp(`^${name}\\.[0-9a-f]+\\.xlsx$`))));
    // a second pass finds everything kept and makes nothing
    const before = fs.readdirSync(dir).map((name) => [name, fs.statSync(`${dir}/${name}`).mtimeMs]);
    await t.app.get(WorkbookPrebuilder).pass();
    expect(fs.readdirSync(dir).map((name) => [name, fs.statSync(`${dir}/${name}`).mtimeMs])).toEqual(before);

    const city = await download(t.cookie);
    expect(city.source).toBe('kept');
    const countyUser = await t.as(`county-${county.code}`);
    const own = await download(countyUser.cookie);
    expect(own.source).toBe('kept');
    expect(await cells(own.body)).toEqual(await fresh(countyUser.cookie));
  });

  it('leaves nothing behind when a making is stopped halfway', async () => {
    await service.store.clear();
    const saved = service.chunkSize;
    service.chunkSize = 1;
    try {
      const stop = new AbortController();
      stop.abort();
      await expect(service.prepareQuarterly(q.year, q.quarter, undefined, stop.signal)).rejects.toThrow();
      expect(fs.readdirSync(dir)).toEqual([]);
    } finally {
      service.chunkSize = saved;
    }
    expect((await download(t.cookie)).source).toBe('made');
  });
});
