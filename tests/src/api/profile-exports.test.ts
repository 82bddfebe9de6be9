import { startTestApp, type TestApp, type TestClient } from '../support/app';
import { parseCsv } from '../support/csv';
import { query } from '../support/pg';
import { pinToday } from '../support/today';
import { xlsxRecordsViaSoffice } from '../support/xlsx-via-soffice';

/**
 * 导出 of the 单位画像 page's tables and of 行政区划 (issue 16 item 4). Each file, read by an
 * independent reader (the CSV parsed, the workbook converted by LibreOffice headless), holds
 * exactly the rows of the page's own JSON route, in its order, under the same access rules; the
 * file is named after the unit (or the county), the table and the day. The expected cells are
 * written out here from the JSON, with the labels as a clerk reads them.
 */
jest.setTimeout(300_000);

const TODAY = pinToday();

let t: TestApp;
let staff: TestClient;
let county: TestClient;
let outsider: TestClient;
let unit: { id: number; name: string; countyCode: string };

const sql = <T extends Record<string, unknown>>(text: string, params: unknown[] = []) => query<T>(t.db.url, text, params);

async function download(client: TestClient, url: string): Promise<{ status: number; bytes: Buffer; name: string; type: string }> {
  const response = await fetch(t.url + url, { headers: { cookie: client.cookie } });
  const star = /filename\*=UTF-8''([^;]+)/.exec(response.headers.get('content-disposition') ?? '');
  return {
    status: response.status,
    bytes: Buffer.from(await response.arrayBuffer()),
    name: star ? decodeURIComponent(star[1]) : '',
    type: response.headers.get('content-type') ?? '',
  };
}

/** The table of a workbook as LibreOffice reads it: from the header row (first cell `first`) on, without empty rows. */
function libreOfficeTable(bytes: Buffer, first: string): string[][] {
  const records = xlsxRecordsViaSoffice(bytes);
  const start = records.findIndex((r) => r[0] === first);
  expect(start).toBeGreaterThan(0);
  return records.slice(start).filter((record) => record.some((cell) => cell !== ''));
}

interface Profile {
  asOf: string;
  unit: { id: number; name: string };
  inspections: {
    id: number;
    termName: string;
    roundName: string;
    mode: string;
    isCross: boolean;
    stationedFrom: string;
    stationedTo: string | null;
    feedbackDate: string | null;
    findings: number;
  }[];
  categories: { categoryName: string; parentName: string; findings: number; repeats: number; rebounds: number }[];
  findings: { id: number; inspectionId: number; categoryName: string; description: string; foundDate: string; isRepeat: boolean; isRebound: boolean }[];
  tasks: {
    id: number;
    findingId: number;
    categoryName: string;
    measure: string;
    responsibleDept: string;
    responsiblePerson: string;
    status: string;
    originalDueDate: string | null;
    dueDate: string | null;
    extensions: number;
    closedDate: string | null;
    daysOverdue: number;
  }[];
  clues: {
    id: number;
    inspectionId: number;
    handedTo: string;
    handedDate: string;
    persons: number;
    summary: string;
    disposalStatus: string;
    concludedDate: string | null;
  }[];
  persons: { role: string; name: string; dept: string | null; tasks: number; openTasks: number }[];
}

const MODES: Record<string, string> = { ROUTINE: '常规巡察', SPECIAL: '专项巡察', MOBILE: '机动巡察', REVISIT: '回头看' };
const STATUSES: Record<string, string> = {
  NOT_STARTED: '未开始',
  IN_PROGRESS: '整改中',
  CLOSE_REQUESTED: '申请销号',
  CLOSED: '已销号',
  BASICALLY_DONE: '基本完成(持续整改)',
  NOT_DONE: '未完成',
};
const RECIPIENTS: Record<string, string> = { DISCIPLINE: '纪委监委', ORGANIZATION: '组织部', OTHER: '其他' };
const CLUE_STATUSES: Record<string, string> = { PENDING: '待处置', IN_PROGRESS: '处置中', CONCLUDED: '已办结' };
const ROLES: Record<string, string> = { PRINCIPAL: '主要负责人', IN_CHARGE: '分管领导', RESPONSIBLE: '责任人' };
const yes = (b: boolean) => (b ? '是' : '否');
const s = (v: string | number | null) => (v === null ? '' : String(v));

/** Per table: its label in the file name, its header, its rows from the JSON route. */
const TABLES: Record<string, { label: string; header: string[]; rows: (p: Profile) => string[][] }> = {
  inspections: {
    label: '历次巡察',
    header: ['巡察编号', '届次', '轮次', '巡察方式', '交叉巡察', '进驻日期', '撤离日期', '反馈日期', '问题数'],
    rows: (p) =>
      p.inspections.map((r) => [
        s(r.id),
        r.termName,
        r.roundName,
        MODES[r.mode],
        yes(r.isCross),
        r.stationedFrom,
        s(r.stationedTo),
        s(r.feedbackDate),
        s(r.findings),
      ]),
  },
  categories: {
    label: '问题类别',
    header: ['问题大类', '问题类别', '问题数', '重复问题', '反弹问题'],
    rows: (p) => p.categories.map((r) => [r.parentName, r.categoryName, s(r.findings), s(r.repeats), s(r.rebounds)]),
  },
  findings: {
    label: '问题清单',
    header: ['问题编号', '巡察编号', '问题类别', '问题描述', '发现日期', '重复问题', '反弹问题'],
    rows: (p) => p.findings.map((r) => [s(r.id), s(r.inspectionId), r.categoryName, r.description, r.foundDate, yes(r.isRepeat), yes(r.isRebound)]),
  },
  tasks: {
    label: '整改任务',
    header: ['任务编号', '问题编号', '问题类别', '整改措施', '责任部门', '责任人', '状态', '原定时限', '整改时限', '延期次数', '超期天数', '销号日期'],
    rows: (p) =>
      p.tasks.map((r) => [
        s(r.id),
        s(r.findingId),
        r.categoryName,
        r.measure,
        r.responsibleDept,
        r.responsiblePerson,
        STATUSES[r.status],
        s(r.originalDueDate),
        s(r.dueDate),
        s(r.extensions),
        s(r.daysOverdue),
        s(r.closedDate),
      ]),
  },
  clues: {
    label: '问题线索',
    header: ['线索编号', '巡察编号', '移交对象', '移交日期', '涉及人数', '线索摘要', '处置状态', '反馈日期'],
    rows: (p) =>
      p.clues.map((r) => [
        s(r.id),
        s(r.inspectionId),
        RECIPIENTS[r.handedTo],
        r.handedDate,
        s(r.persons),
        r.summary,
        CLUE_STATUSES[r.disposalStatus],
        s(r.concludedDate),
      ]),
  },
  persons: {
    label: '责任人',
    header: ['身份', '姓名', '责任部门', '整改任务数', '未销号任务数'],
    rows: (p) =>
      p.persons.map((r) => [ROLES[r.role], r.name, s(r.dept), r.role === 'RESPONSIBLE' ? s(r.tasks) : '', r.role === 'RESPONSIBLE' ? s(r.openTasks) : '']),
  },
};

beforeAll(async () => {
  t = await startTestApp({ seed: { scale: 'tiny', today: TODAY } });
  await t.etl();
  // the unit with clues that has the most tasks (so that every table has rows)
  [unit] = await sql<{ id: number; name: string; countyCode: string }>(
    `SELECT u.id, u.name, c.code AS "countyCode"
       FROM org_units u JOIN regions g ON g.id = u.region_id
       JOIN regions c ON c.id = (CASE WHEN g.level = 'TOWNSHIP' THEN g.parent_id ELSE g.id END)
      WHERE u.deleted_at IS NULL
        AND EXISTS (SELECT 1 FROM clues k JOIN inspections i ON i.id = k.inspection_id AND i.deleted_at IS NULL WHERE i.unit_id = u.id AND k.deleted_at IS NULL)
      ORDER BY (SELECT count(*) FROM rectification_tasks k JOIN findings f ON f.id = k.finding_id WHERE f.unit_id = u.id AND k.deleted_at IS NULL) DESC, u.id
      LIMIT 1`,
  );
  expect(unit).toBeDefined();
  staff = await t.as('staff');
  county = await t.as(`county-${unit.countyCode}`);
  const [another] = await sql<{ code: string }>("SELECT code FROM regions WHERE level = 'COUNTY' AND code <> $1 AND deleted_at IS NULL ORDER BY code LIMIT 1", [
    unit.countyCode,
  ]);
  outsider = await t.as(`county-${another.code}`);
  // the directory's leaders, so that the 责任人 table has rows without tasks
  expect((await staff.send('PATCH', `/api/masterdata/units/${unit.id}`, { principalLeader: '导出主任', leaderInCharge: '导出副主任' })).status).toBe(200);
});

afterAll(async () => {
  await t?.close();
});

describe('单位画像 导出 (GET /api/units/:id/profile.xlsx|csv?table=…)', () => {
  let profile: Profile;
  beforeAll(async () => {
    const response = await staff.get<Profile>(`/api/units/${unit.id}/profile`);
    expect(response.status).toBe(200);
    profile = response.body;
    for (const rows of [profile.inspections, profile.categories, profile.findings, profile.tasks, profile.clues, profile.persons])
      expect(rows.length).toBeGreaterThan(0);
  });

  it.each(Object.keys(TABLES))('%s: the CSV holds the JSON route’s rows in its order, named after the unit and the day', async (table) => {
    const spec = TABLES[table];
    const csv = await download(staff, `/api/units/${unit.id}/profile.csv?table=${table}`);
    expect([csv.status, csv.name, csv.type]).toEqual([200, `单位画像-${spec.label}_${unit.name}_${TODAY}.csv`, 'text/csv; charset=utf-8']);
    expect(parseCsv(csv.bytes.toString('utf8'))).toEqual([spec.header, ...spec.rows(profile)]);
  });

  it.each(['inspections', 'tasks', 'clues', 'persons', 'categories'])('%s: the workbook, read by LibreOffice, holds the same rows', async (table) => {
    const spec = TABLES[table];
    const xlsx = await download(staff, `/api/units/${unit.id}/profile.xlsx?table=${table}`);
    expect([xlsx.status, xlsx.name]).toEqual([200, `单位画像-${spec.label}_${unit.name}_${TODAY}.xlsx`]);
    expect(libreOfficeTable(xlsx.bytes, spec.header[0])).toEqual([spec.header, ...spec.rows(profile)]);
  });

  it('gives a county user their own county’s unit, and another county’s as missing; a table must be named', async () => {
    const own = await download(county, `/api/units/${unit.id}/profile.csv?table=tasks`);
    expect(own.status).toBe(200);
    expect(own.bytes.equals((await download(staff, `/api/units/${unit.id}/profile.csv?table=tasks`)).bytes)).toBe(true);
    for (const format of ['csv', 'xlsx']) expect((await download(outsider, `/api/units/${unit.id}/profile.${format}?table=tasks`)).status).toBe(404);
    expect((await download(staff, `/api/units/${unit.id}/profile.csv`)).status).toBe(400);
    expect((await download(staff, `/api/units/${unit.id}/profile.csv?table=secrets`)).status).toBe(400);
    expect((await download(staff, `/api/units/2147483000/profile.xlsx?table=tasks`)).status).toBe(404);
  });

  it('audits every download', async () => {
    const before = await sql<{ n: number }>("SELECT count(*)::int AS n FROM audit_logs WHERE action = 'export.unit-profile-xlsx'");
    expect((await download(staff, `/api/units/${unit.id}/profile.xlsx?table=clues`)).status).toBe(200);
    const after = await sql<{ n: number }>("SELECT count(*)::int AS n FROM audit_logs WHERE action = 'export.unit-profile-xlsx'");
    expect(after[0].n).toBe(before[0].n + 1);
    const [last] = await sql<{ target: string; username: string }>(
      "SELECT target, username FROM audit_logs WHERE action = 'export.unit-profile-xlsx' ORDER BY id DESC LIMIT 1",
    );
    expect([last.username, last.target.startsWith(`/api/units/${unit.id}/profile.xlsx`)]).toEqual(['staff', true]);
    for (const format of ['csv', 'xlsx']) {
      const mark = await sql<{ n: number }>('SELECT count(*)::int AS n FROM audit_logs WHERE action = $1', [`export.regions-${format}`]);
      expect((await download(county, `/api/masterdata/regions.${format}`)).status).toBe(200);
      const [{ n }] = await sql<{ n: number }>('SELECT count(*)::int AS n FROM audit_logs WHERE action = $1', [`export.regions-${format}`]);
      expect(n).toBe(mark[0].n + 1);
    }
  });
});

describe('行政区划 导出 (GET /api/masterdata/regions.xlsx|csv)', () => {
  const LEVELS: Record<string, string> = { CITY: '市', MUNICIPAL: '市本级', COUNTY: '县(市、区)', TOWNSHIP: '乡镇(街道)' };
  const header = ['区划代码', '区划名称', '层级', '上级区划代码', '上级区划', '单位数'];

  /** The rows of the region route, each with its parent looked up in PostgreSQL. */
  async function expected(client: TestClient): Promise<string[][]> {
    const { status, body } = await client.get<{ rows: { id: number; code: string; name: string; level: string; parentId: number | null; units: number }[] }>(
      '/api/masterdata/regions',
    );
    expect(status).toBe(200);
    const parents = new Map((await sql<{ id: number; code: string; name: string }>('SELECT id, code, name FROM regions')).map((r) => [r.id, r]));
    return [
      header,
      ...body.rows.map((r) => {
        const parent = r.parentId === null ? undefined : parents.get(r.parentId);
        return [r.code, r.name, LEVELS[r.level], parent?.code ?? '', parent?.name ?? '', String(r.units)];
      }),
    ];
  }

  it('holds every region of the list in its order, with its parent, as CSV and as a workbook', async () => {
    const rows = await expected(staff);
    expect(rows.length).toBeGreaterThan(5);
    const csv = await download(staff, '/api/masterdata/regions.csv');
    expect([csv.status, csv.name]).toEqual([200, `行政区划_${TODAY}.csv`]);
    expect(parseCsv(csv.bytes.toString('utf8'))).toEqual(rows);
    const xlsx = await download(staff, '/api/masterdata/regions.xlsx');
    expect([xlsx.status, xlsx.name]).toEqual([200, `行政区划_${TODAY}.xlsx`]);
    expect(libreOfficeTable(xlsx.bytes, '区划代码')).toEqual(rows);
  });

  it('gives a county user their county and its townships, named after the county', async () => {
    const rows = await expected(county);
    const [{ name }] = await sql<{ name: string }>('SELECT name FROM regions WHERE code = $1', [unit.countyCode]);
    const csv = await download(county, '/api/masterdata/regions.csv');
    expect([csv.status, csv.name]).toEqual([200, `行政区划_${name}_${TODAY}.csv`]);
    const records = parseCsv(csv.bytes.toString('utf8'));
    expect(records).toEqual(rows);
    expect(records.slice(1).map((r) => r[0])).toContain(unit.countyCode);
    const all = await expected(staff);
    expect(records.length).toBeLessThan(all.length);
  });
});
