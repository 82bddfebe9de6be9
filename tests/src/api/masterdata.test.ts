import { shanghaiToday } from '@xuncha/shared';
import { startTestApp, type TestApp, type TestClient } from '../support/app';
import { regionFile, UNIT_HEADER, unitFile, upload, workbook } from '../support/directory-files';
import { parseCsv } from '../support/csv';
import { query } from '../support/pg';
import { xlsxRecordsViaSoffice } from '../support/xlsx-via-soffice';

/**
 * 基础数据 over the real app: regions, terms and rounds, the unit directory and the issue
 * categories — validation naming the field, county scope and roles, the audit log, the Excel
 * imports (every problem of every row at once, all or nothing) and the warehouse after the
 * next ETL run.
 */
jest.setTimeout(300_000);

const TODAY = shanghaiToday();

let t: TestApp;
let staff: TestClient;
let leader: TestClient;
let admin: TestClient;
let county: TestClient;
let own: { id: number; code: string };
let other: { id: number; code: string };
let city: { id: number; code: string };
let municipal: { id: number };

const sql = <T extends Record<string, unknown>>(text: string, params: unknown[] = []) => query<T>(t.db.url, text, params);

async function audited(action: string, since: Date): Promise<{ username: string; success: boolean }[]> {
  return sql('SELECT username, success FROM audit_logs WHERE action = $1 AND at >= $2 ORDER BY id', [action, since]);
}

beforeAll(async () => {
  t = await startTestApp({ seed: { scale: 'tiny', today: TODAY } });
  staff = await t.as('staff');
  leader = await t.as('leader');
  admin = await t.as('admin');
  const counties = await sql<{ id: number; code: string }>("SELECT id, code FROM regions WHERE level = 'COUNTY' ORDER BY code");
  [own, other] = counties;
  [city] = await sql<{ id: number; code: string }>("SELECT id, code FROM regions WHERE level = 'CITY'");
  [municipal] = await sql<{ id: number }>("SELECT id FROM regions WHERE level = 'MUNICIPAL'");
  county = await t.as(`county-${own.code}`);
});

afterAll(async () => {
  await t?.close();
});

describe('regions', () => {
  it('refuse a bad body naming the field in Chinese, and a parent of the wrong level', async () => {
    const blank = await staff.send<{ message: string }>('POST', '/api/masterdata/regions', { code: 'X1', name: ' ', level: 'TOWNSHIP', parentId: own.id });
    expect(blank.status).toBe(400);
    expect(blank.body.message).toMatch(/^name: 区划名称不能为空/);
    const level = await staff.send<{ message: string }>('POST', '/api/masterdata/regions', { code: 'X1', name: '某镇', level: 'VILLAGE', parentId: own.id });
    expect([level.status, level.body.message.split(':')[0]]).toEqual([400, 'level']);
    const wrongParent = await staff.send<{ message: string }>('POST', '/api/masterdata/regions', {
      code: 'X1',
      name: '某镇',
      level: 'TOWNSHIP',
      parentId: city.id,
    });
    expect(wrongParent.status).toBe(400);
    expect(wrongParent.body.message).toMatch(/^parentId: 乡镇\(街道\)的上级须为县\(市、区\)或市本级/);
    const taken = await staff.send<{ message: string }>('POST', '/api/masterdata/regions', {
      code: own.code,
      name: '重复',
      level: 'COUNTY',
      parentId: city.id,
    });
    expect([taken.status, taken.body.message.split(':')[0]]).toEqual([409, 'code']);
  });

  it('are added and edited by staff and the administrator, audited; a leader reads only', async () => {
    const since = new Date();
    const created = await staff.send<{ id: number; level: string; parentId: number }>('POST', '/api/masterdata/regions', {
      code: 'T-NEW-1',
      name: '新设街道',
      level: 'TOWNSHIP',
      parentId: own.id,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ level: 'TOWNSHIP', parentId: own.id });
    const renamed = await admin.send<{ name: string }>('PATCH', `/api/masterdata/regions/${created.body.id}`, { name: '新设街道（更名）' });
    expect([renamed.status, renamed.body.name]).toEqual([200, '新设街道（更名）']);
    expect((await leader.send('POST', '/api/masterdata/regions', { code: 'T-NEW-2', name: 'x', level: 'TOWNSHIP', parentId: own.id })).status).toBe(403);
    expect((await leader.get('/api/masterdata/regions')).status).toBe(200);
    expect((await admin.get('/api/masterdata/regions')).status).toBe(200);
    expect((await audited('masterdata.region.create', since)).map((r) => [r.username, r.success])).toEqual([
      ['staff', true],
      ['leader', false],
    ]);
    expect((await audited('masterdata.region.update', since)).map((r) => r.username)).toEqual(['admin']);
    const [row] = await sql<{ name: string; parent_id: number }>('SELECT name, parent_id FROM regions WHERE id = $1', [created.body.id]);
    expect(row).toEqual({ name: '新设街道（更名）', parent_id: own.id });
  });

  it('are limited to their county for a county user: townships of their own county only', async () => {
    const { body } = await county.get<{ rows: { id: number; level: string; parentId: number | null }[] }>('/api/masterdata/regions');
    expect(body.rows.length).toBeGreaterThan(1);
    for (const r of body.rows) expect(r.id === own.id || r.parentId === own.id).toBe(true);
    const mine = await county.send<{ id: number }>('POST', '/api/masterdata/regions', {
      code: 'T-CNTY-1',
      name: '本县新镇',
      level: 'TOWNSHIP',
      parentId: own.id,
    });
    expect(mine.status).toBe(201);
    const elsewhere = await county.send<{ message: string }>('POST', '/api/masterdata/regions', {
      code: 'T-CNTY-2',
      name: '他县新镇',
      level: 'TOWNSHIP',
      parentId: other.id,
    });
    expect([elsewhere.status, elsewhere.body.message.split(':')[0]]).toEqual([400, 'parentId']);
    expect((await county.send('POST', '/api/masterdata/regions', { code: 'C-NEW', name: '新县', level: 'COUNTY', parentId: city.id })).status).toBe(403);
    const [otherTownship] = await sql<{ id: number }>('SELECT id FROM regions WHERE parent_id = $1 LIMIT 1', [other.id]);
    expect((await county.send('PATCH', `/api/masterdata/regions/${otherTownship.id}`, { name: '越权' })).status).toBe(404);
    expect((await county.send('PATCH', `/api/masterdata/regions/${own.id}`, { name: '越权' })).status).toBe(403);
    expect((await county.send('PATCH', `/api/masterdata/regions/${mine.body.id}`, { name: '本县新镇二' })).status).toBe(200);
  });
});

describe('terms and rounds', () => {
  let termId: number;

  it("add a term whose dates do not overlap the committee's other terms", async () => {
    const [last] = await sql<{ end_date: string; ordinal: number }>(
      "SELECT to_char(max(end_date), 'YYYY-MM-DD') AS end_date, max(ordinal) AS ordinal FROM terms WHERE committee_region_id = $1",
      [own.id],
    );
    const overlapping = await staff.send<{ message: string }>('POST', '/api/masterdata/terms', {
      committeeRegionId: own.id,
      ordinal: last.ordinal + 1,
      name: '重叠届',
      startDate: last.end_date,
      endDate: '2099-12-31',
    });
    expect(overlapping.status).toBe(400);
    expect(overlapping.body.message).toMatch(/^startDate: 届期与.*重叠/);
    const reversed = await staff.send<{ message: string }>('POST', '/api/masterdata/terms', {
      committeeRegionId: own.id,
      ordinal: last.ordinal + 1,
      name: '倒序',
      startDate: '2099-01-01',
      endDate: '2098-01-01',
    });
    expect(reversed.body.message).toMatch(/^endDate: 结束日期早于开始日期/);
    const notCommittee = await staff.send<{ message: string }>('POST', '/api/masterdata/terms', {
      committeeRegionId: municipal.id,
      ordinal: 1,
      name: 'x',
      startDate: '2099-01-01',
      endDate: '2099-12-31',
    });
    expect(notCommittee.body.message).toMatch(/^committeeRegionId: 党委须为市委或县（区）委/);
    const start = new Date(Date.parse(`${last.end_date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const created = await staff.send<{ id: number; committeeName: string }>('POST', '/api/masterdata/terms', {
      committeeRegionId: own.id,
      ordinal: last.ordinal + 1,
      name: '下一届',
      startDate: start,
      endDate: '2099-12-31',
    });
    expect(created.status).toBe(201);
    expect(created.body.committeeName).toMatch(/委$/);
    termId = created.body.id;
    expect(
      (
        await county.send('POST', '/api/masterdata/terms', {
          committeeRegionId: own.id,
          ordinal: 99,
          name: 'x',
          startDate: '2100-01-01',
          endDate: '2100-12-31',
        })
      ).status,
    ).toBe(403);
  });

  it('add rounds within the term, and keep the term around its rounds', async () => {
    const outside = await staff.send<{ message: string }>('POST', '/api/masterdata/rounds', {
      termId,
      ordinal: 1,
      name: '第一轮',
      year: 2099,
      startDate: '2099-03-01',
      endDate: '2100-06-30',
    });
    expect(outside.status).toBe(400);
    expect(outside.body.message).toMatch(/^endDate: 结束日期晚于届期结束/);
    const badYear = await staff.send<{ message: string }>('POST', '/api/masterdata/rounds', {
      termId,
      ordinal: 1,
      name: '第一轮',
      year: 99,
      startDate: '2099-03-01',
      endDate: '2099-06-30',
    });
    expect(badYear.body.message).toMatch(/^year: 年度须为四位年份/);
    const round = await staff.send<{ id: number }>('POST', '/api/masterdata/rounds', {
      termId,
      ordinal: 1,
      name: '第一轮',
      year: 2099,
      startDate: '2099-03-01',
      endDate: '2099-06-30',
    });
    expect(round.status).toBe(201);
    expect(
      (await staff.send('POST', '/api/masterdata/rounds', { termId, ordinal: 1, name: '又一轮', year: 2099, startDate: '2099-07-01', endDate: '2099-08-30' }))
        .status,
    ).toBe(409);
    const shrink = await staff.send<{ message: string }>('PATCH', `/api/masterdata/terms/${termId}`, { endDate: '2099-05-31' });
    expect(shrink.status).toBe(400);
    expect(shrink.body.message).toMatch(/^endDate: 第一轮/);
    expect((await admin.send('PATCH', `/api/masterdata/rounds/${round.body.id}`, { name: '第一轮（改）' })).status).toBe(200);
    expect((await county.send('PATCH', `/api/masterdata/rounds/${round.body.id}`, { name: 'x' })).status).toBe(403);
    const { body } = await leader.get<{ rows: { id: number; rounds: { name: string }[] }[] }>('/api/masterdata/terms');
    expect(body.rows.find((r) => r.id === termId)?.rounds.map((r) => r.name)).toEqual(['第一轮（改）']);
  });
});

describe('the unit directory', () => {
  let ownTownship: number;
  let unitId: number;

  beforeAll(async () => {
    [{ id: ownTownship }] = await sql<{ id: number }>("SELECT id FROM regions WHERE parent_id = $1 AND level = 'TOWNSHIP' ORDER BY code LIMIT 1", [own.id]);
  });

  it('adds a unit, its committee taken from its region; validation names the field', async () => {
    const bad = await staff.send<{ message: string }>('POST', '/api/masterdata/units', {
      code: 'U 1',
      name: '某单位',
      category: 'SOE',
      regionId: own.id,
      validFrom: '2020-01-01',
    });
    expect(bad.body.message).toMatch(/^code: 单位代码只能包含字母、数字/);
    const badDate = await staff.send<{ message: string }>('POST', '/api/masterdata/units', {
      code: 'U-1',
      name: '某单位',
      category: 'SOE',
      regionId: own.id,
      validFrom: '2020-02-30',
    });
    expect(badDate.body.message).toMatch(/^validFrom: 设立日期须为有效日期/);
    const created = await staff.send<{ id: number; committeeRegionId: number }>('POST', '/api/masterdata/units', {
      code: 'U-1',
      name: '某国有公司',
      category: 'SOE',
      regionId: ownTownship,
      validFrom: '2020-01-01',
    });
    expect(created.status).toBe(201);
    expect(created.body.committeeRegionId).toBe(own.id);
    unitId = created.body.id;
    const cityUnit = await admin.send<{ committeeRegionId: number }>('POST', '/api/masterdata/units', {
      code: 'U-CITY',
      name: '市直某局',
      category: 'PARTY_GOV',
      regionId: municipal.id,
      validFrom: '2020-01-01',
    });
    expect([cityUnit.status, cityUnit.body.committeeRegionId]).toEqual([201, city.id]);
    const village = await staff.send<{ parentUnitId: number; parentUnitName: string }>('POST', '/api/masterdata/units', {
      code: 'U-1-V',
      name: '某村',
      category: 'VILLAGE',
      regionId: ownTownship,
      parentUnitId: unitId,
      validFrom: '2020-01-01',
    });
    expect(village.body).toMatchObject({ parentUnitId: unitId, parentUnitName: '某国有公司' });
    expect((await staff.send('PATCH', `/api/masterdata/units/${unitId}`, { parentUnitId: unitId })).status).toBe(400);
  });

  it('lists with search, filter and page', async () => {
    const { body } = await leader.get<{ total: number; rows: { code: string }[] }>('/api/masterdata/units?q=某国有&pageSize=5');
    expect(body.rows.map((r) => r.code)).toEqual(['U-1']);
    const [{ n }] = await sql<{ n: string }>("SELECT count(*) AS n FROM org_units WHERE deleted_at IS NULL AND category = 'VILLAGE'");
    const villages = await staff.get<{ total: number; rows: unknown[] }>('/api/masterdata/units?category=VILLAGE&pageSize=3&page=2');
    expect(villages.body.total).toBe(Number(n));
    expect(villages.body.rows.length).toBeLessThanOrEqual(3);
    expect((await staff.get<{ message: string }>('/api/masterdata/units?status=gone')).body.message).toMatch(/^status: /);
  });

  it('moves, abolishes and merges a unit, recording the successor', async () => {
    const since = new Date();
    const moved = await staff.send<{ regionId: number; committeeRegionId: number }>('PATCH', `/api/masterdata/units/${unitId}`, { regionId: municipal.id });
    expect(moved.body).toMatchObject({ regionId: municipal.id, committeeRegionId: city.id });
    const [successor] = await sql<{ id: number }>("SELECT id FROM org_units WHERE code = 'U-CITY'");
    const early = await staff.send<{ message: string }>('POST', `/api/masterdata/units/${unitId}/abolish`, { date: '2019-01-01', mergedIntoId: successor.id });
    expect(early.body.message).toMatch(/^date: 撤并日期早于设立日期/);
    const merged = await staff.send<{ validTo: string; mergedIntoId: number; mergedIntoName: string }>('POST', `/api/masterdata/units/${unitId}/abolish`, {
      date: '2024-03-01',
      mergedIntoId: successor.id,
    });
    expect(merged.status).toBe(201);
    expect(merged.body).toMatchObject({ validTo: '2024-03-01', mergedIntoId: successor.id, mergedIntoName: '市直某局' });
    expect((await staff.send('POST', `/api/masterdata/units/${unitId}/abolish`, { date: '2024-04-01' })).status).toBe(409);
    const [row] = await sql<{ valid_to: string; merged_into_id: number }>(
      "SELECT to_char(valid_to, 'YYYY-MM-DD') AS valid_to, merged_into_id FROM org_units WHERE id = $1",
      [unitId],
    );
    expect(row).toEqual({ valid_to: '2024-03-01', merged_into_id: successor.id });
    const undone = await staff.send<{ validTo: null; mergedIntoId: null }>('PATCH', `/api/masterdata/units/${unitId}`, { validTo: null });
    expect(undone.body).toMatchObject({ validTo: null, mergedIntoId: null });
    expect((await audited('masterdata.unit.abolish', since)).map((r) => r.success)).toEqual([false, true, false]);
    expect((await audited('masterdata.unit.update', since)).length).toBe(2);
  });

  it("keeps a county user to their own county's units (404 for another county's)", async () => {
    const [foreignUnit] = await sql<{ id: number }>(
      "SELECT u.id FROM org_units u JOIN regions g ON g.id = u.region_id WHERE (CASE WHEN g.level = 'TOWNSHIP' THEN g.parent_id ELSE g.id END) = $1 LIMIT 1",
      [other.id],
    );
    expect((await county.get(`/api/masterdata/units/${foreignUnit.id}`)).status).toBe(404);
    expect((await county.send('PATCH', `/api/masterdata/units/${foreignUnit.id}`, { name: '越权' })).status).toBe(404);
    expect((await county.send('POST', `/api/masterdata/units/${foreignUnit.id}/abolish`, { date: '2024-01-01' })).status).toBe(404);
    const list = await county.get<{ total: number; rows: { regionId: number }[] }>('/api/masterdata/units?pageSize=200');
    const [{ n }] = await sql<{ n: string }>(
      "SELECT count(*) AS n FROM org_units u JOIN regions g ON g.id = u.region_id WHERE u.deleted_at IS NULL AND (CASE WHEN g.level = 'TOWNSHIP' THEN g.parent_id ELSE g.id END) = $1",
      [own.id],
    );
    expect(list.body.total).toBe(Number(n));
    expect((await county.get(`/api/masterdata/units?regionId=${other.id}`)).status).toBe(403);
    const elsewhere = await county.send<{ message: string }>('POST', '/api/masterdata/units', {
      code: 'U-C-X',
      name: '他县单位',
      category: 'SOE',
      regionId: other.id,
      validFrom: '2020-01-01',
    });
    expect([elsewhere.status, elsewhere.body.message.split(':')[0]]).toEqual([400, 'regionId']);
    const mine = await county.send<{ id: number }>('POST', '/api/masterdata/units', {
      code: 'U-C-1',
      name: '本县单位',
      category: 'SOE',
      regionId: ownTownship,
      validFrom: '2020-01-01',
    });
    expect(mine.status).toBe(201);
    expect((await county.send('PATCH', `/api/masterdata/units/${mine.body.id}`, { name: '本县单位（改）' })).status).toBe(200);
  });
});

describe('issue categories', () => {
  it('are added and renamed; one in use cannot be deleted (409), an unused one can', async () => {
    const one = await staff.send<{ id: number; level: number }>('POST', '/api/masterdata/categories', { code: '9', name: '其他问题' });
    expect([one.status, one.body.level]).toEqual([201, 1]);
    const wrongCode = await staff.send<{ message: string }>('POST', '/api/masterdata/categories', { code: '8.01', name: '子类', parentId: one.body.id });
    expect(wrongCode.body.message).toMatch(/^code: 二级类别代码须以“9\.”开头/);
    const two = await staff.send<{ id: number; level: number }>('POST', '/api/masterdata/categories', { code: '9.01', name: '子类', parentId: one.body.id });
    expect([two.status, two.body.level]).toEqual([201, 2]);
    expect((await staff.send('POST', '/api/masterdata/categories', { code: '9.01.1', name: '三级', parentId: two.body.id })).status).toBe(400);
    expect((await staff.send('DELETE', `/api/masterdata/categories/${one.body.id}`)).status).toBe(409);
    expect((await staff.send('DELETE', `/api/masterdata/categories/${two.body.id}`)).status).toBe(200);
    expect((await staff.send('DELETE', `/api/masterdata/categories/${one.body.id}`)).status).toBe(200);
    const [used] = await sql<{ id: number; code: string; n: string }>(
      'SELECT c.id, c.code, count(*) AS n FROM findings f JOIN issue_categories c ON c.id = f.category_id GROUP BY c.id, c.code ORDER BY c.code LIMIT 1',
    );
    const refused = await staff.send<{ message: string }>('DELETE', `/api/masterdata/categories/${used.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain(`已有 ${used.n} 个问题使用，不能删除`);
    expect((await county.send('POST', '/api/masterdata/categories', { code: '7', name: 'x' })).status).toBe(403);
    expect((await leader.send('PATCH', `/api/masterdata/categories/${used.id}`, { name: 'x' })).status).toBe(403);
  });
});

describe('the region import', () => {
  const url = () => `${t.url}/api/masterdata/regions/import`;

  it('names every problem of every row at once and imports nothing; the corrected file imports all', async () => {
    const before = await sql<{ n: string }>('SELECT count(*) AS n FROM regions');
    const bad = await regionFile([
      ['R-C1', '新区', '县(市、区)', city.code], // fine
      ['R-C1', '重复区', '县', city.code], // duplicate code
      ['R-T1', '', '镇', 'R-C1'], // no name
      ['R T2', '某街道', '村', 'R-NONE'], // bad code, bad level, unknown parent
      ['R-T3', '某乡', '乡镇(街道)', city.code], // a township under the city
    ]);
    const refused = await upload(url(), staff.cookie, bad);
    expect(refused.status).toBe(400);
    expect(refused.body.details?.map((d) => d.field)).toEqual(['row 3', 'row 4', 'row 5', 'row 6']);
    const messages = Object.fromEntries((refused.body.details ?? []).map((d) => [d.field, d.message]));
    expect(messages['row 3']).toMatch(/区划代码: 与第 2 行重复/);
    expect(messages['row 4']).toMatch(/区划名称: 必填/);
    expect(messages['row 5']).toMatch(/区划代码: 只能包含/);
    expect(messages['row 5']).toMatch(/层级: 须为/);
    expect(messages['row 5']).toMatch(/上级区划代码: 未知的区划代码 R-NONE/);
    expect(messages['row 6']).toMatch(/上级区划代码: 乡镇\(街道\)的上级须为/);
    expect(await sql('SELECT count(*) AS n FROM regions')).toEqual(before);

    const good = await regionFile([
      ['Ｒ-Ｃ1 ', '新区 ', '县', city.code],
      ['R-T1', '新区街道', '街道', 'R-C1'],
      ['R-T2', '新区某镇', '镇', 'R-C1'],
    ]);
    const imported = await upload(url(), staff.cookie, good);
    expect([imported.status, imported.body.imported]).toEqual([201, 3]);
    const rows = await sql<{ code: string; name: string; level: string; parent: string }>(
      "SELECT g.code, g.name, g.level::text AS level, p.code AS parent FROM regions g JOIN regions p ON p.id = g.parent_id WHERE g.code LIKE 'R-%' ORDER BY g.code",
    );
    expect(rows).toEqual([
      { code: 'R-C1', name: '新区', level: 'COUNTY', parent: city.code },
      { code: 'R-T1', name: '新区街道', level: 'TOWNSHIP', parent: 'R-C1' },
      { code: 'R-T2', name: '新区某镇', level: 'TOWNSHIP', parent: 'R-C1' },
    ]);
    expect((await upload(url(), county.cookie, good)).status).toBe(403);
  });

  it('a NUL escape (_x0000_) in a cell is a 400 naming its row and column, never a 500', async () => {
    const before = await sql<{ n: string }>('SELECT count(*) AS n FROM regions');
    // exceljs writes the text as is; a reader decodes _x0000_ to NUL, which PostgreSQL refuses in text
    const refused = await upload(url(), staff.cookie, await regionFile([['R-N1', '某_x0000_区', '县', city.code]]));
    expect(refused.status).toBe(400);
    expect(refused.body.details).toEqual([{ field: 'row 2', message: expect.stringMatching(/^区划名称: 含有不允许的控制字符/) }]);
    expect(await sql('SELECT count(*) AS n FROM regions')).toEqual(before);
  });
});

describe('the unit import', () => {
  const url = () => `${t.url}/api/masterdata/units/import`;

  it('offers a template with the regions', async () => {
    const response = await fetch(`${t.url}/api/masterdata/units/template`, { headers: { cookie: staff.cookie } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toContain('units-template.xlsx');
    const ExcelJS = (await import('exceljs')).default;
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await response.arrayBuffer());
    expect(book.getWorksheet('被巡察单位名录')?.getRow(1).values).toEqual([
      undefined,
      '单位代码',
      '单位名称',
      '单位类别',
      '所在区划',
      '管辖党委',
      '上级单位代码',
      '设立日期',
      '撤销日期',
      '主要负责人',
      '分管领导',
    ]);
    expect(book.getWorksheet('区划')?.rowCount).toBeGreaterThan(5);
  });

  it('names every problem of every row at once and imports nothing; the corrected file imports all', async () => {
    const since = new Date();
    const before = await sql<{ n: string }>('SELECT count(*) AS n FROM org_units');
    const [existing] = await sql<{ code: string }>('SELECT code FROM org_units ORDER BY id LIMIT 1');
    const bad = await unitFile([
      ['M-001', '新区党工委', '党政机关', 'R-C1', '', '', new Date(Date.UTC(2021, 4, 6)), null], // fine
      ['M-002', '新区街道党工委', '乡镇（街道）', 'R-T1', null, 'M-001', '2021/5/6', null], // fine
      [existing.code, '重复的单位', '事业单位', 'R-C1', null, null, '2021-05-06', null], // code exists
      ['M-004', '', '学校', '无此区', null, null, '2021-13-01', null], // no name, bad category, unknown region, bad date
      ['M-005', '某村', '村(社区)', 'R-T1', null, 'M-404', '2021年5月6日', '2020-01-01'], // unknown parent, ended before established
      ['M-001', '重复代码', '其他', 'R-C1', null, null, null, null], // duplicates row 2
    ]);
    const refused = await upload(url(), staff.cookie, bad);
    expect(refused.status).toBe(400);
    expect(refused.body.message).toMatch(/^单位名录有 4 行有误，未导入任何数据/);
    const messages = Object.fromEntries((refused.body.details ?? []).map((d) => [d.field, d.message]));
    expect(Object.keys(messages)).toEqual(['row 4', 'row 5', 'row 6', 'row 7']);
    expect(messages['row 4']).toMatch(new RegExp(`单位代码: 单位代码 ${existing.code} 已在名录中`));
    expect(messages['row 5'].split('; ').map((m) => m.split(':')[0])).toEqual(['单位名称', '单位类别', '所在区划', '设立日期']);
    expect(messages['row 6'].split('; ').map((m) => m.split(':')[0])).toEqual(['上级单位代码', '撤销日期']);
    expect(messages['row 7']).toMatch(/单位代码: 与第 2 行重复/);
    expect(await sql('SELECT count(*) AS n FROM org_units')).toEqual(before);

    // corrected: Excel date cells, text dates, full-width characters and trailing blanks
    const good = await unitFile([
      ['M-001', '新区党工委 ', '党政机关', 'R-C1', '', '', new Date(Date.UTC(2021, 4, 6)), null],
      ['M-002', '新区街道党工委', '乡镇（街道）', 'R-T1', null, 'M-001', '2021/5/6', null],
      ['Ｍ－００３', '新区某村', '村（社区） ', 'Ｒ-Ｔ2', null, 'M-002', '２０２１年５月６日', '2024-3-1'],
      ['M-004', '新区学校', '事业单位', '新区', `${city.code}`, null, null, null],
    ]);
    const imported = await upload(url(), staff.cookie, good);
    expect([imported.status, imported.body.imported]).toEqual([201, 4]);
    const rows = await sql<{
      code: string;
      name: string;
      category: string;
      region: string;
      committee: string;
      parent: string | null;
      valid_from: string;
      valid_to: string | null;
    }>(
      `SELECT u.code, u.name, u.category::text AS category, g.code AS region, c.code AS committee, p.code AS parent,
              to_char(u.valid_from, 'YYYY-MM-DD') AS valid_from, to_char(u.valid_to, 'YYYY-MM-DD') AS valid_to
         FROM org_units u JOIN regions g ON g.id = u.region_id JOIN regions c ON c.id = u.committee_region_id LEFT JOIN org_units p ON p.id = u.parent_unit_id
        WHERE u.code LIKE 'M-%' ORDER BY u.code`,
    );
    const [newCounty] = await sql<{ code: string }>("SELECT code FROM regions WHERE code = 'R-C1'");
    expect(rows).toEqual([
      {
        code: 'M-001',
        name: '新区党工委',
        category: 'PARTY_GOV',
        region: 'R-C1',
        committee: newCounty.code,
        parent: null,
        valid_from: '2021-05-06',
        valid_to: null,
      },
      {
        code: 'M-002',
        name: '新区街道党工委',
        category: 'TOWNSHIP',
        region: 'R-T1',
        committee: 'R-C1',
        parent: 'M-001',
        valid_from: '2021-05-06',
        valid_to: null,
      },
      {
        code: 'M-003',
        name: '新区某村',
        category: 'VILLAGE',
        region: 'R-T2',
        committee: 'R-C1',
        parent: 'M-002',
        valid_from: '2021-05-06',
        valid_to: '2024-03-01',
      },
      {
        code: 'M-004',
        name: '新区学校',
        category: 'INSTITUTION',
        region: 'R-C1',
        committee: city.code,
        parent: null,
        valid_from: '2000-01-01',
        valid_to: null,
      },
    ]);
    expect((await audited('masterdata.unit.import', since)).map((r) => r.success)).toEqual([false, true]);
  });

  it('a NUL escape (_x0000_) in a cell is a 400 naming its row and column, never a 500', async () => {
    const before = await sql<{ n: string }>('SELECT count(*) AS n FROM org_units');
    const refused = await upload(url(), staff.cookie, await unitFile([['M-N01', '新区_x0000_党工委', '党政机关', own.code, null, null, null, null]]));
    expect(refused.status).toBe(400);
    expect(refused.body.details).toEqual([{ field: 'row 2', message: expect.stringMatching(/^单位名称: 含有不允许的控制字符/) }]);
    expect(await sql('SELECT count(*) AS n FROM org_units')).toEqual(before);
  });

  it("keeps a county user's rows to their county", async () => {
    const [{ code: foreignTownship }] = await sql<{ code: string }>("SELECT code FROM regions WHERE parent_id = $1 AND level = 'TOWNSHIP' LIMIT 1", [other.id]);
    const [{ code: ownTownship }] = await sql<{ code: string }>("SELECT code FROM regions WHERE parent_id = $1 AND level = 'TOWNSHIP' LIMIT 1", [own.id]);
    const refused = await upload(
      url(),
      county.cookie,
      await unitFile([
        ['K-001', '本县单位', '其他', ownTownship, null, null, null, null],
        ['K-002', '他县单位', '其他', foreignTownship, null, null, null, null],
      ]),
    );
    expect(refused.status).toBe(400);
    expect(refused.body.details).toEqual([{ field: 'row 3', message: expect.stringMatching(/^所在区划: .*不在本县/) }]);
  });

  // --- unit leaders (主要负责人, 分管领导) -------------------------------------------------
  it("keeps a unit's 主要负责人 and 分管领导: entered, changed, cleared, and imported as optional columns", async () => {
    const created = await staff.send<{ id: number; principalLeader: string | null; leaderInCharge: string | null }>('POST', '/api/masterdata/units', {
      code: 'L-001',
      name: '领导测试单位',
      category: 'SOE',
      regionId: own.id,
      validFrom: '2020-01-01',
      principalLeader: '张主任',
      leaderInCharge: ' 李副主任 ',
    });
    expect([created.status, created.body.principalLeader, created.body.leaderInCharge]).toEqual([201, '张主任', '李副主任']);
    const tooLong = await staff.send<{ message: string }>('PATCH', `/api/masterdata/units/${created.body.id}`, { leaderInCharge: '长'.repeat(65) });
    expect([tooLong.status, tooLong.body.message]).toEqual([400, expect.stringMatching(/^leaderInCharge: 分管领导不能超过 64 个字/)]);
    const changed = await staff.send('PATCH', `/api/masterdata/units/${created.body.id}`, { principalLeader: null, leaderInCharge: '王副主任' });
    expect(changed.body).toMatchObject({ principalLeader: null, leaderInCharge: '王副主任' });
    expect((await staff.send('PATCH', `/api/masterdata/units/${created.body.id}`, { name: '领导测试单位（改名）' })).body).toMatchObject({
      principalLeader: null,
      leaderInCharge: '王副主任',
    });

    const file = await workbook(
      '被巡察单位名录',
      [...UNIT_HEADER, '主要负责人', '分管领导'],
      [
        ['L-002', '有领导的单位', '其他', own.code, null, null, null, null, '赵书记', '钱副书记'],
        ['L-003', '无领导的单位', '其他', own.code, null, null, null, null, null, ''],
      ],
    );
    const imported = await upload(url(), staff.cookie, file);
    expect([imported.status, imported.body.imported]).toEqual([201, 2]);
    expect(await sql("SELECT code, principal_leader, leader_in_charge FROM org_units WHERE code IN ('L-002', 'L-003') ORDER BY code")).toEqual([
      { code: 'L-002', principal_leader: '赵书记', leader_in_charge: '钱副书记' },
      { code: 'L-003', principal_leader: null, leader_in_charge: null },
    ]);
  });
});

describe('the warehouse', () => {
  it('carries a moved and renamed unit and a renamed category into the facts after the next ETL run', async () => {
    const [target] = await sql<{ id: number; region_id: number }>(
      'SELECT u.id, u.region_id FROM org_units u WHERE EXISTS (SELECT 1 FROM findings f WHERE f.unit_id = u.id AND f.deleted_at IS NULL) ORDER BY u.id LIMIT 1',
    );
    const [township] = await sql<{ id: number; parent_id: number }>(
      "SELECT id, parent_id FROM regions WHERE level = 'TOWNSHIP' AND parent_id = $1 AND id <> $2 LIMIT 1",
      [other.id, target.region_id],
    );
    const [category] = await sql<{ id: number }>('SELECT category_id AS id FROM findings WHERE deleted_at IS NULL ORDER BY id LIMIT 1');
    await t.etl();
    expect((await staff.send('PATCH', `/api/masterdata/units/${target.id}`, { regionId: township.id, name: '迁移后的单位', category: 'OTHER' })).status).toBe(
      200,
    );
    expect((await staff.send('PATCH', `/api/masterdata/categories/${category.id}`, { name: '改名后的类别' })).status).toBe(200);
    await t.etl();
    const [unit] = await t.warehouse.query<{ name: string; region_id: number; county_id: number }>(
      'SELECT name, region_id, county_id FROM dim_units FINAL WHERE id = {id:UInt32}',
      { id: target.id },
    );
    expect(unit).toEqual({ name: '迁移后的单位', region_id: township.id, county_id: other.id });
    const [{ n }] = await sql<{ n: string }>('SELECT count(*) AS n FROM findings WHERE unit_id = $1 AND deleted_at IS NULL', [target.id]);
    const facts = await t.warehouse.query<{ n: string; county: number; region: number; category: string }>(
      'SELECT count() AS n, any(county_id) AS county, any(region_id) AS region, any(unit_category) AS category FROM fact_findings FINAL WHERE unit_id = {id:UInt32} AND is_deleted = 0',
      { id: target.id },
    );
    expect(facts.map((f) => ({ ...f, n: Number(f.n) }))).toEqual([{ n: Number(n), county: other.id, region: township.id, category: 'OTHER' }]);
    const moved = await t.warehouse.query<{ n: string }>(
      'SELECT count() AS n FROM fact_findings FINAL WHERE unit_id = {id:UInt32} AND county_id <> {county:UInt32} AND is_deleted = 0',
      { id: target.id, county: other.id },
    );
    expect(Number(moved[0].n)).toBe(0);
    const [dim] = await t.warehouse.query<{ name: string }>('SELECT name FROM dim_categories FINAL WHERE id = {id:UInt32}', { id: category.id });
    expect(dim.name).toBe('改名后的类别');
    // the dashboard's category figures name it so
    const { body } = await staff.get<unknown>('/api/metrics/categories');
    expect(JSON.stringify(body)).toContain('改名后的类别');
  });
});

describe('the setup checklist', () => {
  it('counts what is set up', async () => {
    const { status, body } = await leader.get<{ complete: boolean; items: { key: string; count: number; done: boolean }[] }>('/api/masterdata/setup');
    expect(status).toBe(200);
    const [row] = await sql<Record<string, string>>(
      `SELECT (SELECT count(*) FROM regions WHERE deleted_at IS NULL) AS regions, (SELECT count(*) FROM org_units WHERE deleted_at IS NULL) AS units,
              (SELECT count(*) FROM issue_categories WHERE deleted_at IS NULL AND level = 2) AS categories`,
    );
    const counts = Object.fromEntries(body.items.map((i) => [i.key, i.count]));
    expect(counts).toMatchObject({ regions: Number(row.regions), units: Number(row.units), categories: Number(row.categories) });
    expect(body.complete).toBe(true);
  });
});

describe('导出 of the unit directory', () => {
  /** The data rows below the header row (first cell 单位代码): code, name, category, region, dates. */
  const table = (records: string[][]) => {
    const header = records.findIndex((r) => r[0] === '单位代码');
    expect(header).toBeGreaterThanOrEqual(0);
    const columns = records[header];
    const at = (name: string) => columns.indexOf(name);
    expect([at('单位名称'), at('单位类别'), at('所在区划'), at('设立日期'), at('撤销日期')].every((i) => i > 0)).toBe(true);
    return records
      .slice(header + 1)
      .filter((r) => r.length > 1 && r[0] !== '')
      .map((r) => ({ code: r[0], name: r[at('单位名称')], category: r[at('单位类别')], region: r[at('所在区划')], validTo: r[at('撤销日期')] }));
  };
  const LABELS: Record<string, string> = {
    PARTY_GOV: '党政机关',
    INSTITUTION: '事业单位',
    SOE: '国有企业',
    TOWNSHIP: '乡镇(街道)',
    VILLAGE: '村(社区)',
    OTHER: '其他',
  };
  /** The directory as PostgreSQL gives it, by code. */
  const expected = async (where: string, params: unknown[]) =>
    (
      await sql<{ code: string; name: string; category: string; region: string; valid_to: string | null }>(
        `SELECT u.code, u.name, u.category::text AS category, g.name AS region, to_char(u.valid_to, 'YYYY-MM-DD') AS valid_to
           FROM org_units u JOIN regions g ON g.id = u.region_id
          WHERE u.deleted_at IS NULL AND ${where}
          ORDER BY u.code`,
        params,
      )
    ).map((r) => ({ code: r.code, name: r.name, category: LABELS[r.category], region: r.region, validTo: r.valid_to ?? '' }));
  /** The file name a browser saves the download as (filename*). */
  const fileName = (response: Response) => decodeURIComponent(/filename\*=UTF-8''([^;]+)/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? '');
  /** Within the county: its own units, its townships' and their villages'. */
  const IN_COUNTY = `(u.region_id = $1 OR g.parent_id = $1 OR g.parent_id IN (SELECT id FROM regions WHERE parent_id = $1))`;

  it('lists, as CSV and as .xlsx, exactly the units PostgreSQL gives for the filters, named after them', async () => {
    const [{ name: ownName }] = await sql<{ name: string }>('SELECT name FROM regions WHERE id = $1', [own.id]);
    const active = await expected(`${IN_COUNTY} AND (u.valid_to IS NULL OR u.valid_to > $2::date)`, [own.id, TODAY]);
    expect(active.length).toBeGreaterThan(1);

    // CSV: the city office filtering to a county's units in force; a county account's own directory is the same
    const csvName = `被巡察单位名录(现存单位)_${ownName}_${TODAY}.csv`;
    for (const [client, path] of [
      [staff, `/api/masterdata/units.csv?regionId=${own.id}&status=active`],
      [county, '/api/masterdata/units.csv?status=active'],
    ] as const) {
      const response = await fetch(`${t.url}${path}`, { headers: { cookie: client.cookie } });
      expect(response.status).toBe(200);
      expect(fileName(response)).toBe(csvName);
      expect(table(parseCsv(await response.text()))).toEqual(active);
    }
    expect((await fetch(`${t.url}/api/masterdata/units.csv?regionId=${other.id}`, { headers: { cookie: county.cookie } })).status).toBe(403);

    // .xlsx: a category and a search across the city, read back by LibreOffice
    const [{ code: sample }] = await sql<{ code: string }>("SELECT code FROM org_units WHERE deleted_at IS NULL AND category = 'SOE' ORDER BY code LIMIT 1");
    const q = sample.slice(0, Math.max(2, sample.length - 2));
    const like = `%${q}%`;
    const soe = await expected(`u.category = 'SOE' AND (u.name ILIKE $1 OR u.code ILIKE $1)`, [like]);
    expect(soe.length).toBeGreaterThan(0);
    const xlsx = await fetch(`${t.url}/api/masterdata/units.xlsx?category=SOE&q=${encodeURIComponent(q)}`, { headers: { cookie: leader.cookie } });
    expect(xlsx.status).toBe(200);
    expect(fileName(xlsx)).toBe(`被巡察单位名录_国有企业_搜索-${q}_${TODAY}.xlsx`);
    const records = xlsxRecordsViaSoffice(Buffer.from(await xlsx.arrayBuffer()));
    expect(records[0][0]).toBe('被巡察单位名录');
    expect(table(records)).toEqual(soe);

    const since = new Date(Date.now() - 600_000);
    expect((await audited('export.units-csv', since)).map((r) => r.username)).toEqual(expect.arrayContaining(['staff', `county-${own.code}`]));
    expect((await audited('export.units-xlsx', since)).map((r) => r.username)).toEqual(['leader']);
  });
});
