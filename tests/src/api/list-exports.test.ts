import { EtlService, ExportsService, UNIT_CATEGORY_LABELS, type CoverageResponse } from '@xuncha/backend';
import { startTestApp, type TestApp, type TestClient } from '../support/app';
import { parseCsv } from '../support/csv';
import { query } from '../support/pg';
import { pinToday } from '../support/today';
import { xlsxRecordsViaSoffice } from '../support/xlsx-via-soffice';

/**
 * 导出 of the last lists without one (issue 16 item 4): the coverage page's 未覆盖单位, 用户管理
 * and 数据同步 (the run history and a run's rejects). Each file, read by an independent reader
 * (the CSV parsed, the workbook converted by LibreOffice headless), holds exactly the rows of
 * the list's own JSON route, in its order, under the same filters and access rules; the file
 * is named after the filters.
 */
jest.setTimeout(300_000);

const TODAY = pinToday();

let t: TestApp;
let staff: TestClient;
let admin: TestClient;
let leader: TestClient;
let county: TestClient;
let own: { id: number; code: string; name: string };
let other: { id: number; name: string };
let regionNames: Map<number, string>;

const sql = <T extends Record<string, unknown>>(text: string, params: unknown[] = []) => query<T>(t.db.url, text, params);

/** A download: its bytes and the UTF-8 file name of its Content-Disposition. */
async function download(client: TestClient, url: string): Promise<{ status: number; bytes: Buffer; name: string }> {
  const response = await fetch(t.url + url, { headers: { cookie: client.cookie } });
  const star = /filename\*=UTF-8''([^;]+)/.exec(response.headers.get('content-disposition') ?? '');
  return { status: response.status, bytes: Buffer.from(await response.arrayBuffer()), name: star ? decodeURIComponent(star[1]) : '' };
}

const csvRecords = (bytes: Buffer) => parseCsv(bytes.toString('utf8'));

/** The table of a workbook as LibreOffice reads it: from the header row (first cell `first`) on, without empty rows (the header spans two rows). */
function libreOfficeTable(bytes: Buffer, first: string): string[][] {
  const records = xlsxRecordsViaSoffice(bytes);
  const start = records.findIndex((r) => r[0] === first);
  expect(start).toBeGreaterThan(0);
  return records.slice(start).filter((record) => record.some((cell) => cell !== ''));
}

/** Beijing wall-clock time of an ISO instant, to `digits` characters (16: minutes, 19: seconds). */
const beijing = (iso: string | null, digits: number) =>
  iso === null ? '' : new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, digits).replace('T', ' ');

beforeAll(async () => {
  t = await startTestApp({ seed: { scale: 'tiny', today: TODAY } });
  const counties = await sql<{ id: number; code: string; name: string }>("SELECT id, code, name FROM regions WHERE level = 'COUNTY' ORDER BY code");
  [own, other] = counties;
  regionNames = new Map((await sql<{ id: number; name: string }>('SELECT id, name FROM regions')).map((r) => [r.id, r.name]));
  staff = await t.as('staff');
  admin = await t.as('admin');
  leader = await t.as('leader');
  county = await t.as(`county-${own.code}`);
});

afterAll(async () => {
  await t?.close();
});

describe('未覆盖单位 (GET /api/uncovered-units.xlsx|csv)', () => {
  const service = () => t.app.get(ExportsService);
  let saved: number;
  beforeAll(() => {
    // small reads, so that the files cross several of them
    saved = service().chunkSize;
    service().chunkSize = 2;
  });
  afterAll(() => {
    service().chunkSize = saved;
  });

  /** Every uncovered unit of the coverage route under `filter`, a page of 500 at a time. */
  async function uncoveredList(client: TestClient, filter: string): Promise<CoverageResponse['uncovered']> {
    const rows: CoverageResponse['uncovered']['rows'] = [];
    for (let offset = 0; ; offset += 500) {
      const { status, body } = await client.get<CoverageResponse>(`/api/metrics/coverage?${filter}&uncoveredLimit=500&uncoveredOffset=${offset}`);
      expect(status).toBe(200);
      rows.push(...body.uncovered.rows);
      if (body.uncovered.rows.length < 500) return { total: body.uncovered.total, rows };
    }
  }

  const header = ['单位代码', '被巡察单位', '单位类别', '县(市、区)', '所在区划', '最近一次巡察', '距今天数', '距今年数'];
  const expected = (list: CoverageResponse['uncovered']) => [
    header,
    ...list.rows.map((r) => [
      r.code,
      r.name,
      UNIT_CATEGORY_LABELS[r.unitCategory],
      regionNames.get(r.countyId)!,
      regionNames.get(r.regionId)!,
      r.lastInspectionDate ?? '从未巡察',
      r.daysSinceLast === null ? '' : String(r.daysSinceLast),
      r.yearsSinceLast === null ? '' : r.yearsSinceLast.toFixed(1),
    ]),
  ];

  it('holds the rows of the coverage route’s list under the same filters, in its order, named after them', async () => {
    const filter = `regionId=${own.id}&mode=ROUTINE`;
    const list = await uncoveredList(staff, filter);
    expect(list.rows).toHaveLength(list.total);
    expect(list.total).toBeGreaterThan(2);

    const csv = await download(staff, `/api/uncovered-units.csv?${filter}`);
    expect([csv.status, csv.name]).toEqual([200, `未覆盖单位_${own.name}_常规巡察_${TODAY}.csv`]);
    expect(csvRecords(csv.bytes)).toEqual(expected(list));

    const xlsx = await download(staff, `/api/uncovered-units.xlsx?${filter}`);
    expect([xlsx.status, xlsx.name]).toEqual([200, `未覆盖单位_${own.name}_常规巡察_${TODAY}.xlsx`]);
    expect(libreOfficeTable(xlsx.bytes, '单位代码')).toEqual(expected(list));
  });

  it('names the previous term, and a leader downloads it too', async () => {
    const list = await uncoveredList(leader, 'term=previous');
    const csv = await download(leader, '/api/uncovered-units.csv?term=previous');
    expect([csv.status, csv.name]).toEqual([200, `未覆盖单位(上届)_${TODAY}.csv`]);
    expect(csvRecords(csv.bytes)).toEqual(expected(list));
  });

  it('gives a county user their county only, refuses another county, and refuses the administrator', async () => {
    const mine = await uncoveredList(county, '');
    expect(mine.total).toBeGreaterThan(0);
    expect(new Set(mine.rows.map((r) => r.countyId))).toEqual(new Set([own.id]));
    const csv = await download(county, '/api/uncovered-units.csv');
    expect([csv.status, csv.name]).toEqual([200, `未覆盖单位_${TODAY}.csv`]);
    expect(csvRecords(csv.bytes)).toEqual(expected(mine));
    expect(csv.bytes.equals((await download(staff, `/api/uncovered-units.csv?regionId=${own.id}`)).bytes)).toBe(true);
    // a unit category is named in the file
    const [{ unitCategory }] = mine.rows;
    const byCategory = await download(county, `/api/uncovered-units.csv?unitCategory=${unitCategory}`);
    expect(byCategory.name).toBe(`未覆盖单位_${UNIT_CATEGORY_LABELS[unitCategory]}_${TODAY}.csv`);
    expect(csvRecords(byCategory.bytes)).toEqual(expected({ total: 0, rows: mine.rows.filter((r) => r.unitCategory === unitCategory) }));
    expect((await download(county, `/api/uncovered-units.xlsx?regionId=${other.id}`)).status).toBe(403);
    expect((await download(admin, '/api/uncovered-units.csv')).status).toBe(403);
    // a bad filter is a 400 naming it, not a broken download
    const bad = await staff.get<{ message: string }>('/api/uncovered-units.csv?unitCategory=NONE');
    expect([bad.status, bad.body.message.split(':')[0]]).toEqual([400, 'unitCategory']);
  });
});

describe('用户管理 (GET /api/users.xlsx|csv)', () => {
  interface User {
    username: string;
    displayName: string;
    roleLabel: string;
    region: { name: string } | null;
    active: boolean;
    createdAt: string;
    lastSeenAt: string | null;
  }
  const header = ['用户名', '姓名', '角色', '所属县区', '状态', '创建时间(北京时间)', '最近使用(北京时间)'];

  it('holds every account of GET /api/users, in its order, for the administrator alone', async () => {
    // a deactivated account, to see both states
    const created = await admin.send<{ id: number }>('POST', '/api/users', {
      username: 'export-off',
      displayName: '停用, "测试"',
      role: 'LEADER',
      password: 'password-123',
    });
    expect(created.status).toBe(201);
    expect((await admin.send('PATCH', `/api/users/${created.body.id}`, { active: false })).status).toBe(200);
    const { body } = await admin.get<{ rows: User[] }>('/api/users');
    const [{ n }] = await sql<{ n: number }>('SELECT count(*)::int AS n FROM users');
    expect(body.rows).toHaveLength(n);
    const expected = [
      header,
      ...body.rows.map((u) => [
        u.username,
        u.displayName,
        u.roleLabel,
        u.region?.name ?? '',
        u.active ? '启用' : '停用',
        beijing(u.createdAt, 16),
        beijing(u.lastSeenAt, 16),
      ]),
    ];
    expect(expected.find((r) => r[0] === 'export-off')).toEqual(['export-off', '停用, "测试"', '领导', '', '停用', expect.any(String), '']);
    expect(expected.find((r) => r[0] === `county-${own.code}`)?.[3]).toBe(own.name);

    const csv = await download(admin, '/api/users.csv');
    expect([csv.status, csv.name]).toEqual([200, `用户列表_${TODAY}.csv`]);
    expect(csvRecords(csv.bytes)).toEqual(expected);
    const xlsx = await download(admin, '/api/users.xlsx');
    expect([xlsx.status, xlsx.name]).toEqual([200, `用户列表_${TODAY}.xlsx`]);
    expect(libreOfficeTable(xlsx.bytes, '用户名')).toEqual(expected);

    for (const client of [staff, leader, county]) {
      expect([(await download(client, '/api/users.csv')).status, (await download(client, '/api/users.xlsx')).status]).toEqual([403, 403]);
    }
    // the download is in the audit log
    const [entry] = await sql<{ action: string }>("SELECT action FROM audit_logs WHERE target LIKE '/api/users.xlsx%' ORDER BY id DESC LIMIT 1");
    expect(entry?.action).toBe('export.users-xlsx');
  });
});

describe('数据同步 (GET /api/etl/runs.xlsx|csv, /api/etl/runs/:id/rejects.xlsx|csv)', () => {
  interface Run {
    id: number;
    mode: string;
    status: string;
    trigger: string;
    startedAt: string;
    finishedAt: string | null;
    read: number;
    written: number;
    rejected: number;
    error: string | null;
  }
  interface Reject {
    table: string;
    recordId: string;
    reason: string;
    createdAt: string;
  }
  const service = () => t.app.get(EtlService);
  let saved: number;
  /** A run that rejected records: tasks due before their finding's feedback. */
  let rejecting: number;
  beforeAll(async () => {
    saved = service().fileChunk;
    service().fileChunk = 1;
    const [finding] = await sql<{ id: string; feedback: string }>(
      `SELECT f.id::text, i.feedback_date::text AS feedback FROM findings f JOIN inspections i ON i.id = f.inspection_id
        WHERE i.feedback_date IS NOT NULL AND f.deleted_at IS NULL ORDER BY f.id LIMIT 1`,
    );
    for (const person of ['甲', '乙', '丙'])
      await sql(
        `INSERT INTO rectification_tasks (finding_id, measure, responsible_dept, responsible_person, track, original_due_date, current_due_date, status)
         VALUES ($1, '期限早于反馈', '办公室', $2, 'DEADLINE', $3::date - 1, $3::date - 1, 'IN_PROGRESS')`,
        [finding.id, person, finding.feedback],
      );
    await t.etl();
    await t.etl();
    [{ id: rejecting }] = await sql<{ id: number }>('SELECT id FROM etl_runs WHERE rows_rejected > 0 ORDER BY id DESC LIMIT 1');
  });
  afterAll(() => {
    service().fileChunk = saved;
  });

  const MODES: Record<string, string> = { incremental: '增量', full: '全量' };
  const STATUSES: Record<string, string> = { RUNNING: '运行中', SUCCEEDED: '成功', FAILED: '失败' };
  const TRIGGERS: Record<string, string> = { startup: '启动时', schedule: '定时', manual: '手动', cli: '命令行', test: '测试' };

  it('holds every run of GET /api/etl/runs, newest first, for everyone who sees the page', async () => {
    const { body } = await staff.get<{ total: number; rows: Run[] }>('/api/etl/runs?pageSize=200');
    const [{ n }] = await sql<{ n: number }>('SELECT count(*)::int AS n FROM etl_runs');
    expect([body.total, body.rows.length]).toEqual([n, n]);
    expect(n).toBeGreaterThanOrEqual(2);
    const expected = [
      ['批次', '方式', '状态', '触发', '开始时间(北京时间)', '结束时间(北京时间)', '读取', '写入', '拒收', '错误'],
      ...body.rows.map((r) => [
        String(r.id),
        MODES[r.mode],
        STATUSES[r.status],
        TRIGGERS[r.trigger] ?? r.trigger,
        beijing(r.startedAt, 19),
        beijing(r.finishedAt, 19),
        String(r.read),
        String(r.written),
        String(r.rejected),
        r.error ?? '',
      ]),
    ];
    expect(expected.slice(1).map((r) => r[0])).toEqual(body.rows.map((r) => String(r.id)).sort((a, b) => Number(b) - Number(a)));
    for (const client of [staff, admin, leader, county]) {
      const csv = await download(client, '/api/etl/runs.csv');
      expect([csv.status, csv.name]).toEqual([200, `数据同步记录_${TODAY}.csv`]);
      expect(csvRecords(csv.bytes)).toEqual(expected);
    }
    const xlsx = await download(admin, '/api/etl/runs.xlsx');
    expect([xlsx.status, xlsx.name]).toEqual([200, `数据同步记录_${TODAY}.xlsx`]);
    expect(libreOfficeTable(xlsx.bytes, '批次')).toEqual(expected);
  });

  it('holds every reject of a run as GET /api/etl/runs/:id/rejects lists them, not for a county user', async () => {
    const { body } = await staff.get<{ total: number; rows: Reject[] }>(`/api/etl/runs/${rejecting}/rejects?pageSize=200`);
    const [{ n }] = await sql<{ n: number }>('SELECT count(*)::int AS n FROM etl_rejects WHERE run_id = $1', [rejecting]);
    expect([body.total, body.rows.length]).toEqual([n, n]);
    expect(n).toBe(3);
    const expected = [['表', '记录ID', '原因', '时间(北京时间)'], ...body.rows.map((r) => [r.table, r.recordId, r.reason, beijing(r.createdAt, 19)])];
    expect(expected.slice(1).every((r) => r[0] === 'rectification_tasks' && r[2].includes('due date before feedback'))).toBe(true);
    const csv = await download(staff, `/api/etl/runs/${rejecting}/rejects.csv`);
    expect([csv.status, csv.name]).toEqual([200, `拒收记录(批次${rejecting})_${TODAY}.csv`]);
    expect(csvRecords(csv.bytes)).toEqual(expected);
    const xlsx = await download(admin, `/api/etl/runs/${rejecting}/rejects.xlsx`);
    expect([xlsx.status, xlsx.name]).toEqual([200, `拒收记录(批次${rejecting})_${TODAY}.xlsx`]);
    expect(libreOfficeTable(xlsx.bytes, '表')).toEqual(expected);
    // rejected rows may be of any county: not a county user's; a run that does not exist: 404
    expect((await download(county, `/api/etl/runs/${rejecting}/rejects.csv`)).status).toBe(403);
    expect((await download(county, `/api/etl/runs/${rejecting}/rejects.xlsx`)).status).toBe(403);
    expect((await download(staff, '/api/etl/runs/987654/rejects.csv')).status).toBe(404);
  });
});
