import ExcelJS from 'exceljs';
import { LEDGER_COLUMNS } from '@xuncha/backend';
import { startTestApp, TEST_PASSWORD, type TestApp, type TestClient } from '../support/app';
import { parseCsv } from '../support/csv';
import { query } from '../support/pg';
import { pinToday } from '../support/today';
import { applyForClosure } from '../support/closure';

/**
 * Accounts, roles and county scope over the real app: every route is enumerated from the
 * app's router, so a route added later is covered (or fails here until it is).
 */
jest.setTimeout(300_000);

const TODAY = pinToday();

interface Route {
  method: string;
  path: string;
}

let t: TestApp;
let staff: TestClient;
let leader: TestClient;
let admin: TestClient;
let county: TestClient;
let anonymous: TestClient;
let routes: Route[];
/** The county user's county, and another county with records. */
let own: { id: number; code: string; name: string };
let other: { id: number; code: string; name: string };
/** Records of the other county. */
let foreign: { unitId: number; inspectionId: number; findingId: string; taskId: string; roundId: number };
/** Records of the user's own county. */
let mine: { unitId: number; inspectionId: number; findingId: string; taskId: string; roundId: number };

const sql = <T extends Record<string, unknown>>(text: string, params: unknown[] = []) => query<T>(t.db.url, text, params);

/** The (county) region of a unit, as the records define it: a township's parent, else the region. */
const UNIT_COUNTY = `(SELECT CASE WHEN g.level = 'TOWNSHIP' THEN g.parent_id ELSE g.id END FROM regions g WHERE g.id = u.region_id)`;

async function recordsOf(countyId: number) {
  const [row] = await sql<{ unit_id: number; inspection_id: number; finding_id: string; task_id: string; round_id: number }>(
    `SELECT u.id AS unit_id, i.id AS inspection_id, f.id::text AS finding_id, k.id::text AS task_id, i.round_id
       FROM rectification_tasks k JOIN findings f ON f.id = k.finding_id JOIN inspections i ON i.id = f.inspection_id JOIN org_units u ON u.id = f.unit_id
      WHERE ${UNIT_COUNTY} = $1 AND k.deleted_at IS NULL AND f.deleted_at IS NULL AND i.deleted_at IS NULL AND k.status <> 'CLOSED'
      ORDER BY k.id LIMIT 1`,
    [countyId],
  );
  return { unitId: row.unit_id, inspectionId: row.inspection_id, findingId: row.finding_id, taskId: row.task_id, roundId: row.round_id };
}

/** Two ledger rows: one of an inspection of the county user's own county (its committee's round), one of the other county's. */
async function ledgerRowsOfBoth() {
  const [category] = await sql<{ code: string }>('SELECT code FROM issue_categories WHERE level = 2 ORDER BY code LIMIT 1');
  const due = new Date(Date.parse(`${TODAY}T00:00:00Z`) + 30 * 86_400_000).toISOString().slice(0, 10);
  const inspectionOf = async (countyId: number) => {
    const [row] = await sql<{ round: string; code: string }>(
      `SELECT r.name AS round, u.code FROM inspections i JOIN rounds r ON r.id = i.round_id JOIN terms m ON m.id = r.term_id JOIN org_units u ON u.id = i.unit_id
        WHERE m.committee_region_id = $1 AND ${UNIT_COUNTY} = $1 AND i.deleted_at IS NULL AND i.stationed_from <= $2::date AND (i.feedback_date IS NULL OR i.feedback_date <= $2::date)
          AND (SELECT count(*) FROM inspections j WHERE j.round_id = i.round_id AND j.unit_id = i.unit_id AND j.deleted_at IS NULL) = 1
        ORDER BY i.id LIMIT 1`,
      [countyId, TODAY],
    );
    return row;
  };
  const row = (at: { round: string; code: string }) => ({
    round: at.round,
    unit: at.code,
    category: category.code,
    description: '县区导入测试',
    isImmediate: '否',
    measure: '整改',
    responsibleDept: '办公室',
    responsiblePerson: '李四',
    track: '限期整改',
    dueDate: due,
    foundDate: TODAY,
  });
  return [row(await inspectionOf(own.id)), row(await inspectionOf(other.id))];
}

/** Row counts of everything a write could change. */
async function footprint(): Promise<Record<string, number>> {
  const [row] = await sql<Record<string, string>>(
    `SELECT (SELECT count(*) FROM inspections WHERE deleted_at IS NULL) AS inspections,
            (SELECT count(*) FROM findings WHERE deleted_at IS NULL) AS findings,
            (SELECT count(*) FROM rectification_tasks WHERE deleted_at IS NULL) AS tasks,
            (SELECT count(*) FROM task_events) AS events,
            (SELECT count(*) FROM etl_runs) AS etl_runs,
            (SELECT count(*) FROM users) AS users,
            (SELECT max(change_seq) FROM rectification_tasks) AS task_seq`,
  );
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)]));
}

/** A concrete URL for a route: ids of the given records, an ended quarter for the workbook. */
function concrete(route: Route, ids: { taskId: string; findingId: string; inspectionId: number }, runId = 1, userId = 1): string {
  const [year, quarter] = previousQuarter(TODAY);
  const path = route.path
    .replace('/tasks/:id', `/tasks/${ids.taskId}`)
    .replace('/findings/:id', `/findings/${ids.findingId}`)
    .replace('/inspections/:id', `/inspections/${ids.inspectionId}`)
    .replace('/runs/:id', `/runs/${runId}`)
    .replace('/users/:id', `/users/${userId}`)
    .replace('/clues/:id', '/clues/1');
  return route.path === '/api/exports/quarterly' ? `${path}?year=${year}&quarter=${quarter}` : path;
}

function previousQuarter(day: string): [number, number] {
  const [y, m] = day.split('-').map(Number);
  const q = Math.floor((m - 1) / 3) + 1;
  return q === 1 ? [y - 1, 4] : [y, q - 1];
}

/** Every route of the app, from its router (Nest registers them on the Express app). */
function appRoutes(app: TestApp['app']): Route[] {
  const router = (app.getHttpAdapter().getInstance() as { router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] } }).router;
  const found: Route[] = [];
  for (const layer of router.stack) {
    if (!layer.route) continue;
    for (const [method, on] of Object.entries(layer.route.methods))
      if (on && method !== '_all') found.push({ method: method.toUpperCase(), path: layer.route.path });
  }
  return found.filter((r) => r.path.startsWith('/api/'));
}

const key = (r: Route) => `${r.method} ${r.path}`;

async function downloadText(client: TestClient, path: string): Promise<{ status: number; bytes: Buffer }> {
  const response = await fetch(t.url + path, { headers: { cookie: client.cookie } });
  return { status: response.status, bytes: Buffer.from(await response.arrayBuffer()) };
}

/** A 整改台账 workbook of rows given by column key (the template's columns). */
async function ledger(rows: Partial<Record<(typeof LEDGER_COLUMNS)[number]['key'], unknown>>[]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('整改台账');
  sheet.addRow(LEDGER_COLUMNS.map((c) => c.header));
  for (const row of rows) sheet.addRow(LEDGER_COLUMNS.map((c) => row[c.key] ?? null));
  return Buffer.from(await book.xlsx.writeBuffer());
}

async function uploadLedger(client: TestClient, content: Buffer, preview = false) {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(content)]), 'ledger.xlsx');
  form.append('confirmNewInspections', 'true');
  const response = await fetch(`${t.url}/api/imports/ledger${preview ? '/preview' : ''}`, { method: 'POST', body: form, headers: { cookie: client.cookie } });
  return {
    status: response.status,
    body: (await response.json()) as {
      message: string;
      details?: { field: string; message: string }[];
      imported?: number;
      problems?: { row: number; column: string; message: string }[];
    },
  };
}

/** A closure application (by staff) on a task of another county than the user's, made once. */
let foreignRequest: { requestId: number; evidenceId: number } | undefined;
async function foreignClosure(): Promise<{ requestId: number; evidenceId: number }> {
  if (foreignRequest) return foreignRequest;
  const [row] = await sql<{ id: string }>(
    `SELECT k.id::text FROM rectification_tasks k JOIN findings f ON f.id = k.finding_id JOIN inspections i ON i.id = f.inspection_id JOIN org_units u ON u.id = f.unit_id
      WHERE ${UNIT_COUNTY} <> $1 AND k.status IN ('IN_PROGRESS', 'BASICALLY_DONE') AND k.deleted_at IS NULL AND f.deleted_at IS NULL AND i.deleted_at IS NULL AND k.id <> $2::bigint ORDER BY k.id LIMIT 1`,
    [own.id, foreign.taskId],
  );
  const applied = await applyForClosure(t, staff, row.id);
  expect(applied.status).toBe(201);
  const body = applied.body as unknown as { request: { id: number; evidence: { id: number }[] } };
  foreignRequest = { requestId: body.request.id, evidenceId: body.request.evidence[0].id };
  return foreignRequest;
}

beforeAll(async () => {
  t = await startTestApp({ seed: { scale: 'tiny', today: TODAY } });
  routes = appRoutes(t.app);
  const counties = await sql<{ id: number; code: string; name: string; tasks: string }>(
    `SELECT g.id, g.code, g.name, (SELECT count(*) FROM rectification_tasks k JOIN findings f ON f.id = k.finding_id JOIN org_units u ON u.id = f.unit_id WHERE ${UNIT_COUNTY} = g.id) AS tasks
       FROM regions g WHERE g.level = 'COUNTY' ORDER BY g.code`,
  );
  const withTasks = counties.filter((c) => Number(c.tasks) > 0);
  expect(withTasks.length).toBeGreaterThanOrEqual(2);
  [own, other] = withTasks.map(({ id, code, name }) => ({ id, code, name }));
  foreign = await recordsOf(other.id);
  mine = await recordsOf(own.id);
  staff = await t.as('staff');
  leader = await t.as('leader');
  admin = await t.as('admin');
  county = await t.as(`county-${own.code}`);
  anonymous = await t.as(null);
});

afterAll(async () => {
  await t?.close();
});

describe('the routes', () => {
  it('are found in the router (metrics, lists, writes, exports, accounts)', () => {
    const keys = routes.map(key);
    for (const expected of [
      'GET /api/metrics/overview',
      'GET /api/tasks/:id',
      'POST /api/tasks/:id/status',
      'GET /api/exports/quarterly',
      'POST /api/auth/login',
      'GET /api/audit',
    ]) {
      expect(keys).toContain(expected);
    }
    expect(routes.length).toBeGreaterThan(30);
  });

  it('answer 401 without a session, but health and login', async () => {
    const open = new Set(['GET /api/health', 'POST /api/auth/login']);
    const answered: Record<string, number> = {};
    for (const route of routes) {
      const response = await anonymous.send(route.method, concrete(route, foreign), route.method === 'GET' ? undefined : {});
      answered[key(route)] = response.status;
    }
    const expected = Object.fromEntries(routes.map((r) => [key(r), open.has(key(r)) ? answered[key(r)] : 401]));
    expect(answered).toEqual(expected);
    expect(answered['GET /api/health']).toBe(200);
    // the login route validates the body rather than asking for a session
    expect(answered['POST /api/auth/login']).toBe(400);
    // the OpenAPI pages, served outside the routes, too
    expect((await anonymous.get('/api/docs')).status).toBe(401);
    expect((await anonymous.get('/api/docs-json')).status).toBe(401);
    expect((await staff.get('/api/docs-json')).status).toBe(200);
  });

  it('refuse every write to a leader, and nothing changes', async () => {
    const own = new Set(['POST /api/auth/login', 'POST /api/auth/logout', 'POST /api/auth/password']);
    const before = await footprint();
    const refused: Record<string, number> = {};
    for (const route of routes.filter((r) => r.method !== 'GET' && !own.has(key(r)))) {
      refused[key(route)] = (await leader.send(route.method, concrete(route, foreign), {})).status;
    }
    expect(Object.keys(refused).length).toBeGreaterThanOrEqual(12);
    expect(refused).toEqual(Object.fromEntries(Object.keys(refused).map((k) => [k, 403])));
    expect(await footprint()).toEqual(before);
  });

  it('let a leader read the figures, lists, details and exports', async () => {
    for (const path of ['/api/metrics/overview', '/api/options', `/api/tasks/${foreign.taskId}`, '/api/findings?pageSize=1', '/api/tasks.csv?overdue=true']) {
      expect([path, (await leader.get(path)).status]).toEqual([path, 200]);
    }
  });

  it('give the administrator users and the audit log, not the case records', async () => {
    expect((await admin.get('/api/users')).status).toBe(200);
    expect((await admin.get('/api/audit')).status).toBe(200);
    expect((await admin.get('/api/etl/runs')).status).toBe(200);
    // etl-safety: the administrator runs a full load; staff may not
    expect((await staff.send('POST', '/api/etl/run', { mode: 'full' })).status).toBe(403);
    expect((await admin.send<{ status: string }>('POST', '/api/etl/run', { mode: 'full' })).body).toMatchObject({ status: 'succeeded' });
    for (const path of ['/api/metrics/overview', '/api/options', `/api/tasks/${foreign.taskId}`, '/api/findings']) {
      expect([path, (await admin.get(path)).status]).toEqual([path, 403]);
    }
    for (const path of ['/api/users', '/api/audit']) {
      expect([path, (await staff.get(path)).status, (await leader.get(path)).status, (await county.get(path)).status]).toEqual([path, 403, 403, 403]);
    }
  });

  it('give the administrator the master data to set up (issue 14), and a leader reads it only', async () => {
    for (const path of ['/api/masterdata/setup', '/api/masterdata/regions', '/api/masterdata/units', '/api/masterdata/terms', '/api/masterdata/categories']) {
      expect([path, (await admin.get(path)).status, (await leader.get(path)).status]).toEqual([path, 200, 200]);
    }
    const created = await admin.send('POST', '/api/masterdata/categories', { code: '6', name: '管理员新增的类别' });
    expect(created.status).toBe(201);
    expect((await leader.send('POST', '/api/masterdata/categories', { code: '7', name: 'x' })).status).toBe(403);
  });
});

describe('a county user', () => {
  /**
   * For every route, what a county user gets of another county: nothing. The table must
   * name every route of the app; a new route fails the first test until it has a probe.
   */
  const probes: Record<string, () => Promise<void>> = {
    'GET /api/health': async () => {
      expect((await county.get('/api/health')).status).toBe(200);
    },
    'GET /api/options': async () => {
      const { body } = await county.get<{
        regions: { id: number; children: { id: number; children: { id: number }[] }[] }[];
        rounds: { committeeRegionId: number }[];
      }>('/api/options');
      expect(body.regions).toHaveLength(1);
      expect(body.regions[0].children.map((c) => c.id)).toEqual([own.id]);
      const townships = await sql<{ id: number }>('SELECT id FROM regions WHERE parent_id = $1 ORDER BY id', [own.id]);
      expect(body.regions[0].children[0].children.map((c) => c.id).sort((a, b) => a - b)).toEqual(townships.map((r) => r.id));
      expect(body.rounds.length).toBeGreaterThan(0);
      expect(new Set(body.rounds.map((r) => r.committeeRegionId))).toEqual(new Set([own.id]));
    },
    ...Object.fromEntries(
      ['overview', 'coverage', 'categories', 'rectification', 'recurrence'].map((metric) => [
        `GET /api/metrics/${metric}`,
        async () => {
          // their figures are exactly the whole office's figures for their county…
          const mineOnly = await county.get(`/api/metrics/${metric}`);
          const reference = await staff.get(`/api/metrics/${metric}?regionId=${own.id}`);
          expect(mineOnly.status).toBe(200);
          expect(mineOnly.body).toEqual(reference.body);
          // …and another county, the city or another county's township is refused, naming the parameter
          const [township] = await sql<{ id: number }>('SELECT id FROM regions WHERE parent_id = $1 LIMIT 1', [other.id]);
          for (const regionId of [other.id, township.id, (await sql<{ id: number }>("SELECT id FROM regions WHERE level = 'CITY'"))[0].id]) {
            const refused = await county.get<{ message: string }>(`/api/metrics/${metric}?regionId=${regionId}`);
            expect([refused.status, refused.body.message.split(':')[0]]).toEqual([403, 'regionId']);
          }
          const foreignRound = await county.get<{ message: string }>(`/api/metrics/${metric}?roundId=${foreign.roundId}`);
          expect(foreignRound.status).toBe(403);
        },
      ]),
    ),
    'GET /api/tasks': async () => {
      const { body } = await county.get<{ total: number; rows: { countyId: number }[] }>('/api/tasks?pageSize=200');
      const reference = await staff.get<{ total: number }>(`/api/tasks?pageSize=200&regionId=${own.id}`);
      expect(body.total).toBe(reference.body.total);
      expect(body.total).toBeGreaterThan(0);
      expect(new Set(body.rows.map((r) => r.countyId))).toEqual(new Set([own.id]));
      expect((await county.get(`/api/tasks?regionId=${other.id}`)).status).toBe(403);
    },
    'GET /api/findings': async () => {
      const { body } = await county.get<{ total: number; rows: { countyId: number }[] }>('/api/findings?pageSize=200');
      expect(body.total).toBe((await staff.get<{ total: number }>(`/api/findings?regionId=${own.id}`)).body.total);
      expect(new Set(body.rows.map((r) => r.countyId))).toEqual(new Set([own.id]));
      expect((await county.get(`/api/findings?regionId=${other.id}`)).status).toBe(403);
    },
    'GET /api/tasks/:id': async () => {
      expect((await county.get(`/api/tasks/${foreign.taskId}`)).status).toBe(404);
      expect((await county.get(`/api/tasks/${mine.taskId}`)).status).toBe(200);
    },
    'GET /api/tasks.csv': async () => {
      const mineCsv = await downloadText(county, '/api/tasks.csv');
      const reference = await downloadText(staff, `/api/tasks.csv?regionId=${own.id}`);
      expect(mineCsv.status).toBe(200);
      expect(mineCsv.bytes.equals(reference.bytes)).toBe(true);
      expect(mineCsv.bytes.toString('utf8')).not.toContain(other.name);
      expect((await downloadText(county, `/api/tasks.csv?regionId=${other.id}`)).status).toBe(403);
    },
    'GET /api/findings.csv': async () => {
      const mineCsv = await downloadText(county, '/api/findings.csv');
      expect(mineCsv.bytes.equals((await downloadText(staff, `/api/findings.csv?regionId=${own.id}`)).bytes)).toBe(true);
      expect(mineCsv.bytes.toString('utf8')).not.toContain(other.name);
    },
    'GET /api/exports/quarterly': async () => {
      const [year, quarter] = previousQuarter(TODAY);
      const download = await downloadText(county, `/api/exports/quarterly?year=${year}&quarter=${quarter}`);
      expect(download.status).toBe(200);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(download.bytes as unknown as ArrayBuffer);
      const texts: string[] = [];
      book.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((cell) => texts.push(String(cell.text)))));
      expect(texts.some((text) => text.includes(own.name))).toBe(true);
      const others = await sql<{ name: string }>("SELECT name FROM regions WHERE level IN ('COUNTY', 'MUNICIPAL') AND id <> $1", [own.id]);
      for (const { name } of others) expect([name, texts.filter((text) => text.includes(name))]).toEqual([name, []]);
      // another county's workbook, which a city user may ask for (regionId), is refused
      expect((await downloadText(county, `/api/exports/quarterly?year=${year}&quarter=${quarter}&regionId=${other.id}`)).status).toBe(403);
    },
    // --- 已报送 reported quarters (h/reported): a county account's state is its county's; another county's is refused
    'GET /api/exports/quarterly/report': async () => {
      const [year, quarter] = previousQuarter(TODAY);
      const mineState = await county.get<{ region: { id: number } }>(`/api/exports/quarterly/report?year=${year}&quarter=${quarter}`);
      expect([mineState.status, mineState.body.region.id]).toEqual([200, own.id]);
      expect((await county.get(`/api/exports/quarterly/report?year=${year}&quarter=${quarter}&regionId=${other.id}`)).status).toBe(403);
    },
    'POST /api/exports/quarterly/report': async () => {
      const [year, quarter] = previousQuarter(TODAY);
      expect((await county.send('POST', '/api/exports/quarterly/report', { year, quarter, regionId: other.id })).status).toBe(403);
      expect(await sql('SELECT id FROM reported_quarters WHERE region_id = $1', [other.id])).toEqual([]);
    },
    // --- end of 已报送 ---
    // --- ledger import and history migration (整改台账导入) ---------------------------
    // --- 预警, 督办单 and list workbooks (branch h/warnings) ---------------------------------
    'GET /api/warnings/summary': async () => {
      const mineOnly = await county.get('/api/warnings/summary');
      expect(mineOnly.status).toBe(200);
      expect(mineOnly.body).toEqual((await staff.get(`/api/warnings/summary?regionId=${own.id}`)).body);
      expect((await county.get(`/api/warnings/summary?regionId=${other.id}`)).status).toBe(403);
    },
    'POST /api/notices': async () => {
      const before = await footprint();
      expect((await county.send('POST', `/api/notices?regionId=${other.id}`, { kind: 'WARNING' })).status).toBe(403);
      expect(await footprint()).toEqual(before);
      const issued = await fetch(`${t.url}/api/notices?closed=false`, {
        method: 'POST',
        headers: { cookie: county.cookie, 'content-type': 'application/json' },
        body: JSON.stringify({ kind: 'WARNING' }),
      });
      expect(issued.status).toBe(201);
      const escalated = await sql<{ county: number }>(
        `SELECT DISTINCT ${UNIT_COUNTY} AS county FROM task_events e JOIN rectification_tasks k ON k.id = e.task_id JOIN findings f ON f.id = k.finding_id JOIN org_units u ON u.id = f.unit_id
          WHERE e.type = 'ESCALATION' AND e.actor = $1`,
        [`county-${own.code}`],
      );
      expect(escalated.map((r) => r.county)).toEqual([own.id]);
    },
    'GET /api/tasks.xlsx': async () => {
      const mineXlsx = await downloadText(county, '/api/tasks.xlsx?closed=false');
      expect(mineXlsx.status).toBe(200);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(mineXlsx.bytes as unknown as ArrayBuffer);
      const counties = new Set<string>();
      book.worksheets[0].eachRow((row, n) => n > 6 && counties.add(String(row.getCell(3).value)));
      expect([...counties]).toEqual([own.name]);
      expect((await downloadText(county, `/api/tasks.xlsx?regionId=${other.id}`)).status).toBe(403);
    },
    'GET /api/findings.xlsx': async () => {
      const mineXlsx = await downloadText(county, '/api/findings.xlsx');
      expect(mineXlsx.status).toBe(200);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(mineXlsx.bytes as unknown as ArrayBuffer);
      const counties = new Set<string>();
      book.worksheets[0].eachRow((row, n) => n > 6 && counties.add(String(row.getCell(3).value)));
      expect([...counties]).toEqual([own.name]);
      expect((await downloadText(county, `/api/findings.xlsx?regionId=${other.id}`)).status).toBe(403);
    },
    'GET /api/clues': async () => {
      const { body } = await county.get<{ total: number; rows: { countyId: number }[] }>('/api/clues?pageSize=200');
      expect(body.total).toBe((await staff.get<{ total: number }>(`/api/clues?regionId=${own.id}`)).body.total);
      expect(new Set(body.rows.map((r) => r.countyId))).toEqual(new Set(body.total > 0 ? [own.id] : []));
      expect((await county.get(`/api/clues?regionId=${other.id}`)).status).toBe(403);
    },
    'GET /api/clues/stats': async () => {
      const mineOnly = await county.get<{ byCounty: { countyId: number }[] }>('/api/clues/stats');
      expect(mineOnly.status).toBe(200);
      expect(mineOnly.body).toEqual((await staff.get(`/api/clues/stats?regionId=${own.id}`)).body);
      expect(mineOnly.body.byCounty.every((r) => r.countyId === own.id)).toBe(true);
      expect((await county.get(`/api/clues/stats?regionId=${other.id}`)).status).toBe(403);
    },
    'POST /api/clues': async () => {
      const body = (inspectionId: number) => ({ inspectionId, handedTo: 'DISCIPLINE', handedDate: TODAY, persons: 1, summary: '县区线索测试' });
      const count = async () => Number((await sql<{ n: string }>('SELECT count(*) AS n FROM clues'))[0].n);
      const before = await count();
      const refused = await county.send<{ message: string }>('POST', '/api/clues', body(foreign.inspectionId));
      expect([refused.status, refused.body.message.split(':')[0]]).toEqual([400, 'inspectionId']);
      expect(await count()).toBe(before);
      expect((await county.send('POST', '/api/clues', body(mine.inspectionId))).status).toBe(201);
    },
    'PATCH /api/clues/:id': async () => {
      const [theirs] = await sql<{ id: number }>('SELECT c.id FROM clues c WHERE c.inspection_id = $1 LIMIT 1', [foreign.inspectionId]);
      const [anyForeign] = theirs
        ? [theirs]
        : await sql<{ id: number }>(
            `INSERT INTO clues (inspection_id, handed_to, handed_date, persons, summary) VALUES ($1, 'DISCIPLINE', $2::date, 1, '他县线索') RETURNING id`,
            [foreign.inspectionId, TODAY],
          );
      expect((await county.send('PATCH', `/api/clues/${anyForeign.id}`, { persons: 3 })).status).toBe(404);
      const [{ persons }] = await sql<{ persons: number }>('SELECT persons FROM clues WHERE id = $1', [anyForeign.id]);
      expect(persons).not.toBe(3);
    },
    // --- end of h/warnings ----------------------------------------------------------------
    'GET /api/imports/ledger/template': async () => {
      const download = await downloadText(county, '/api/imports/ledger/template');
      expect(download.status).toBe(200);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(download.bytes as unknown as ArrayBuffer);
      // the dropdowns offer the county's own units and rounds only
      const offered: string[] = [];
      book.getWorksheet('选项')?.eachRow((row) => row.eachCell((cell) => offered.push(String(cell.value))));
      const theirs = await sql<{ code: string }>(`SELECT u.code FROM org_units u WHERE ${UNIT_COUNTY} = $1 AND u.deleted_at IS NULL AND u.valid_to IS NULL`, [
        other.id,
      ]);
      expect(theirs.length).toBeGreaterThan(0);
      for (const { code } of theirs) expect(offered.filter((text) => text.endsWith(`（${code}）`))).toEqual([]);
      const ours = await sql<{ code: string }>(
        `SELECT u.code FROM org_units u WHERE ${UNIT_COUNTY} = $1 AND u.deleted_at IS NULL AND u.valid_to IS NULL LIMIT 1`,
        [own.id],
      );
      expect(offered.some((text) => text.endsWith(`（${ours[0].code}）`))).toBe(true);
    },
    'POST /api/imports/ledger/preview': async () => {
      const rows = await ledgerRowsOfBoth();
      const before = await footprint();
      const preview = await uploadLedger(county, await ledger(rows), true);
      expect(preview.status).toBe(200);
      // the other county's round and unit read as unknown (the answer repeats only what the file says, never the unit's name)
      expect(preview.body.problems?.map((p) => [p.row, p.column])).toEqual([
        [3, '轮次'],
        [3, '被巡察单位'],
      ]);
      const [theirs] = await sql<{ name: string }>('SELECT name FROM org_units WHERE code = $1', [rows[1].unit]);
      expect(JSON.stringify(preview.body)).not.toContain(theirs.name);
      expect(await footprint()).toEqual(before);
    },
    'POST /api/imports/ledger': async () => {
      const rows = await ledgerRowsOfBoth();
      const before = await footprint();
      const refused = await uploadLedger(county, await ledger(rows));
      expect(refused.status).toBe(400);
      expect(refused.body.details).toEqual([
        { field: 'row 3', message: expect.stringMatching(/^轮次: 未知的轮次/) },
        { field: 'row 3', message: expect.stringMatching(/^被巡察单位: 未知的单位/) },
      ]);
      expect(await footprint()).toEqual(before);
      const imported = await uploadLedger(county, await ledger(rows.slice(0, 1)));
      expect([imported.status, imported.body.imported]).toEqual([201, 1]);
    },
    // --- end of ledger import --------------------------------------------------------
    'POST /api/inspections': async () => {
      // stationed on the day of the unit's inspection in that round (a stationing lies within its round's dates)
      const [{ start }] = await sql<{ start: string }>("SELECT to_char(stationed_from, 'YYYY-MM-DD') AS start FROM inspections WHERE id = $1", [
        mine.inspectionId,
      ]);
      const body = (unitId: number) => ({
        roundId: mine.roundId,
        unitId,
        team: '县区测试组',
        mode: 'ROUTINE',
        isCross: false,
        isElevated: false,
        stationedFrom: start,
      });
      const before = await footprint();
      const refused = await county.send<{ message: string }>('POST', '/api/inspections', body(foreign.unitId));
      expect([refused.status, refused.body.message.split(':')[0]]).toEqual([400, 'unitId']);
      expect(await footprint()).toEqual(before);
      expect((await county.send('POST', '/api/inspections', body(mine.unitId))).status).toBe(201);
    },
    'POST /api/findings': async () => {
      const [category] = await sql<{ id: number }>('SELECT id FROM issue_categories WHERE level = 2 ORDER BY code LIMIT 1');
      const refused = await county.send<{ message: string }>('POST', '/api/findings', {
        inspectionId: foreign.inspectionId,
        categoryId: category.id,
        description: '跨县',
        isImmediate: false,
        isKeyConcern: false,
        foundDate: TODAY,
      });
      expect([refused.status, refused.body.message.split(':')[0]]).toEqual([400, 'inspectionId']);
    },
    'POST /api/tasks': async () => {
      const refused = await county.send<{ message: string }>('POST', '/api/tasks', {
        findingId: Number(foreign.findingId),
        measure: '跨县',
        responsibleDept: '办公室',
        responsiblePerson: '王五',
        track: 'DEADLINE',
        originalDueDate: '2099-01-01',
      });
      expect([refused.status, refused.body.message.split(':')[0]]).toEqual([400, 'findingId']);
    },
    'POST /api/tasks/:id/status': async () => {
      const before = await footprint();
      expect((await county.send('POST', `/api/tasks/${foreign.taskId}/status`, { status: 'IN_PROGRESS' })).status).toBe(404);
      expect(await footprint()).toEqual(before);
    },
    'POST /api/tasks/:id/extensions': async () => {
      expect((await county.send('POST', `/api/tasks/${foreign.taskId}/extensions`, { newDueDate: '2099-01-01', reason: '跨县' })).status).toBe(404);
    },
    'POST /api/tasks/:id/notes': async () => {
      const before = await footprint();
      expect((await county.send('POST', `/api/tasks/${foreign.taskId}/notes`, { note: '跨县' })).status).toBe(404);
      expect(await footprint()).toEqual(before);
      expect((await county.send('POST', `/api/tasks/${mine.taskId}/notes`, { note: '本县进展' })).status).toBe(201);
    },
    'DELETE /api/tasks/:id': async () => {
      expect((await county.send('DELETE', `/api/tasks/${foreign.taskId}`)).status).toBe(404);
    },
    'DELETE /api/findings/:id': async () => {
      expect((await county.send('DELETE', `/api/findings/${foreign.findingId}`)).status).toBe(404);
    },
    'DELETE /api/inspections/:id': async () => {
      const before = await footprint();
      expect((await county.send('DELETE', `/api/inspections/${foreign.inspectionId}`)).status).toBe(404);
      expect(await footprint()).toEqual(before);
    },
    'POST /api/etl/run': async () => {
      // a run copies every county's changes but shows only counts
      const run = await county.send<Record<string, unknown>>('POST', '/api/etl/run', {});
      expect(run.status).toBe(200);
      // etl-safety: a full run replaces the whole warehouse, the administrator's alone
      expect((await county.send('POST', '/api/etl/run', { mode: 'full' })).status).toBe(403);
    },
    'GET /api/etl/runs': async () => {
      expect((await county.get('/api/etl/runs')).status).toBe(200);
    },
    'GET /api/etl/runs/:id/rejects': async () => {
      expect((await county.get('/api/etl/runs/1/rejects')).status).toBe(403);
    },
    'POST /api/auth/login': async () => {
      expect((await county.send('POST', '/api/auth/login', { username: `county-${own.code}`, password: 'wrong-password' })).status).toBe(401);
    },
    'GET /api/auth/me': async () => {
      const { body } = await county.get<{ role: string; region: { id: number } }>('/api/auth/me');
      expect(body).toMatchObject({ role: 'COUNTY_STAFF', region: { id: own.id }, can: { read: true, write: true, admin: false } });
    },
    'POST /api/auth/logout': async () => {
      const second = await t.as(`county-${own.code}`);
      const out = await second.send('POST', '/api/auth/logout');
      expect(out.status).toBe(200);
      expect(out.headers.get('set-cookie')).toMatch(/^xuncha_session=; Max-Age=0;/);
      expect((await second.get('/api/auth/me')).status).toBe(401);
      expect((await county.get('/api/auth/me')).status).toBe(200);
    },
    'POST /api/auth/password': async () => {
      const refused = await county.send<{ message: string }>('POST', '/api/auth/password', { currentPassword: 'not-it', newPassword: 'another-password' });
      expect([refused.status, refused.body.message.split(':')[0]]).toEqual([400, 'currentPassword']);
    },
    'GET /api/users': async () => {
      expect((await county.get('/api/users')).status).toBe(403);
    },
    'GET /api/users/regions': async () => {
      expect((await county.get('/api/users/regions')).status).toBe(403);
    },
    'POST /api/users': async () => {
      expect((await county.send('POST', '/api/users', { username: 'x', displayName: 'x', role: 'STAFF', password: 'password-123' })).status).toBe(403);
    },
    'PATCH /api/users/:id': async () => {
      expect((await county.send('PATCH', '/api/users/1', { role: 'STAFF' })).status).toBe(403);
    },
    'GET /api/audit': async () => {
      expect((await county.get('/api/audit')).status).toBe(403);
    },
    // --- audit log downloads (h/polish) ---
    'GET /api/audit.csv': async () => {
      expect((await county.get('/api/audit.csv')).status).toBe(403);
    },
    'GET /api/audit.xlsx': async () => {
      expect((await county.get('/api/audit.xlsx')).status).toBe(403);
    },
    'GET /api/etl/freshness': async () => {
      // when the figures were brought up to date: the same for every county
      const { status, body } = await county.get<{ lastSucceededAt: string | null }>('/api/etl/freshness');
      const [last] = await sql<{ at: Date }>("SELECT finished_at AS at FROM etl_runs WHERE status = 'SUCCEEDED' ORDER BY id DESC LIMIT 1");
      expect([status, body.lastSucceededAt]).toEqual([200, last.at.toISOString()]);
    },
    // --- case-record pages (h/records): 巡察 and 问题 lists, one inspection, corrections ---
    'GET /api/inspections': async () => {
      const { body } = await county.get<{ total: number; rows: { countyId: number }[] }>('/api/inspections?pageSize=200');
      const [{ n }] = await sql<{ n: number }>(
        `SELECT count(*)::int AS n FROM inspections i JOIN org_units u ON u.id = i.unit_id WHERE i.deleted_at IS NULL AND ${UNIT_COUNTY} = $1`,
        [own.id],
      );
      expect(body.total).toBe(n);
      expect(new Set(body.rows.map((r) => r.countyId))).toEqual(new Set([own.id]));
    },
    'GET /api/inspections/:id': async () => {
      expect((await county.get(`/api/inspections/${foreign.inspectionId}`)).status).toBe(404);
      expect((await county.get(`/api/inspections/${mine.inspectionId}`)).status).toBe(200);
    },
    'GET /api/inspections/:id/earlier-findings': async () => {
      expect((await county.get(`/api/inspections/${foreign.inspectionId}/earlier-findings`)).status).toBe(404);
      expect((await county.get(`/api/inspections/${mine.inspectionId}/earlier-findings`)).status).toBe(200);
    },
    'PATCH /api/inspections/:id': async () => {
      const before = await footprint();
      expect((await county.send('PATCH', `/api/inspections/${foreign.inspectionId}`, { team: '跨县' })).status).toBe(404);
      // nor into the city's round
      const [cityRound] = await sql<{ id: number }>(
        "SELECT r.id FROM rounds r JOIN terms t ON t.id = r.term_id JOIN regions g ON g.id = t.committee_region_id WHERE g.level = 'CITY' LIMIT 1",
      );
      const refused = await county.send<{ message: string }>('PATCH', `/api/inspections/${mine.inspectionId}`, { roundId: cityRound.id });
      expect([refused.status, refused.body.message.split(':')[0]]).toEqual([403, 'roundId']);
      expect(await footprint()).toEqual(before);
    },
    'PATCH /api/findings/:id': async () => {
      expect((await county.send('PATCH', `/api/findings/${foreign.findingId}`, { description: '跨县' })).status).toBe(404);
    },
    'PATCH /api/tasks/:id': async () => {
      const before = await footprint();
      expect((await county.send('PATCH', `/api/tasks/${foreign.taskId}`, { responsiblePerson: '跨县' })).status).toBe(404);
      expect(await footprint()).toEqual(before);
    },
    'GET /api/records/findings': async () => {
      const { body } = await county.get<{ total: number; rows: { countyName: string }[] }>('/api/records/findings?pageSize=200');
      const [{ n }] = await sql<{ n: number }>(
        `SELECT count(*)::int AS n FROM findings f JOIN inspections i ON i.id = f.inspection_id JOIN org_units u ON u.id = f.unit_id WHERE f.deleted_at IS NULL AND i.deleted_at IS NULL AND ${UNIT_COUNTY} = $1`,
        [own.id],
      );
      expect(body.total).toBe(n);
      expect(new Set(body.rows.map((r) => r.countyName))).toEqual(new Set([own.name]));
    },
    'GET /api/records/units': async () => {
      const [unit] = await sql<{ code: string }>('SELECT code FROM org_units WHERE id = $1', [foreign.unitId]);
      expect((await county.get<{ rows: unknown[] }>(`/api/records/units?q=${unit.code}`)).body.rows).toEqual([]);
    },
    // --- end of case-record pages ---

    // --- 导出 of the case-record lists (issue 14, h/ledger): a county user's file is the
    // whole office's file for their county, and holds no other county
    'GET /api/inspections.csv': async () => {
      const mineCsv = await downloadText(county, '/api/inspections.csv');
      expect(mineCsv.status).toBe(200);
      expect(mineCsv.bytes.equals((await downloadText(staff, `/api/inspections.csv?regionId=${own.id}`)).bytes)).toBe(true);
      expect(mineCsv.bytes.toString('utf8')).not.toContain(other.name);
    },
    'GET /api/inspections.xlsx': async () => {
      const mineXlsx = await downloadText(county, '/api/inspections.xlsx');
      expect(mineXlsx.status).toBe(200);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(mineXlsx.bytes as unknown as ArrayBuffer);
      const counties = new Set<string>();
      book.worksheets[0].eachRow((row, n) => n > 6 && counties.add(String(row.getCell(3).value)));
      expect(counties).toEqual(new Set([own.name]));
    },
    'GET /api/records/findings.csv': async () => {
      const mineCsv = await downloadText(county, '/api/records/findings.csv');
      expect(mineCsv.status).toBe(200);
      expect(mineCsv.bytes.equals((await downloadText(staff, `/api/records/findings.csv?regionId=${own.id}`)).bytes)).toBe(true);
      expect(mineCsv.bytes.toString('utf8')).not.toContain(other.name);
    },
    'GET /api/records/findings.xlsx': async () => {
      const mineXlsx = await downloadText(county, '/api/records/findings.xlsx');
      expect(mineXlsx.status).toBe(200);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(mineXlsx.bytes as unknown as ArrayBuffer);
      const counties = new Set<string>();
      book.worksheets[0].eachRow((row, n) => n > 6 && counties.add(String(row.getCell(4).value)));
      expect(counties).toEqual(new Set([own.name]));
    },
    // --- end of case-record list exports ---

    // --- 基础数据 master data (issue 14): a county user keeps their county's units and
    // townships; another county's answer as missing (404), the city's master data is 403
    'GET /api/masterdata/setup': async () => {
      const { status, body } = await county.get('/api/masterdata/setup');
      expect(status).toBe(200);
      expect(JSON.stringify(body)).not.toContain(other.name);
    },
    'GET /api/masterdata/regions': async () => {
      const { body } = await county.get<{ rows: { id: number; parentId: number | null }[] }>('/api/masterdata/regions');
      expect(body.rows.length).toBeGreaterThan(0);
      for (const r of body.rows) expect(r.id === own.id || r.parentId === own.id).toBe(true);
    },
    'POST /api/masterdata/regions': async () => {
      const refused = await county.send<{ message: string }>('POST', '/api/masterdata/regions', {
        code: 'P-X1',
        name: '他县新镇',
        level: 'TOWNSHIP',
        parentId: other.id,
      });
      expect([refused.status, refused.body.message.split(':')[0]]).toEqual([400, 'parentId']);
      expect((await county.send('POST', '/api/masterdata/regions', { code: 'P-X2', name: '新县', level: 'COUNTY', parentId: own.id })).status).toBe(403);
    },
    'PATCH /api/masterdata/regions/:id': async () => {
      const [township] = await sql<{ id: number }>('SELECT id FROM regions WHERE parent_id = $1 LIMIT 1', [other.id]);
      expect((await county.send('PATCH', `/api/masterdata/regions/${township.id}`, { name: '越权' })).status).toBe(404);
      expect((await county.send('PATCH', `/api/masterdata/regions/${other.id}`, { name: '越权' })).status).toBe(404);
    },
    'GET /api/masterdata/regions/template': async () => {
      expect((await county.get('/api/masterdata/regions/template')).status).toBe(200);
    },
    'POST /api/masterdata/regions/import': async () => {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(await ledger([]))]), 'regions.xlsx');
      expect((await fetch(`${t.url}/api/masterdata/regions/import`, { method: 'POST', body: form, headers: { cookie: county.cookie } })).status).toBe(403);
    },
    'GET /api/masterdata/terms': async () => {
      const { body } = await county.get<{ committees: { regionId: number }[]; rows: { committeeRegionId: number }[] }>('/api/masterdata/terms');
      expect(body.rows.length).toBeGreaterThan(0);
      expect(body.rows.some((r) => r.committeeRegionId === other.id)).toBe(false);
      expect(body.committees.some((c) => c.regionId === other.id)).toBe(false);
    },
    'POST /api/masterdata/terms': async () => {
      expect(
        (
          await county.send('POST', '/api/masterdata/terms', {
            committeeRegionId: own.id,
            ordinal: 90,
            name: 'x',
            startDate: '2099-01-01',
            endDate: '2099-12-31',
          })
        ).status,
      ).toBe(403);
    },
    'PATCH /api/masterdata/terms/:id': async () => {
      const [term] = await sql<{ id: number }>('SELECT id FROM terms WHERE committee_region_id = $1 LIMIT 1', [other.id]);
      expect((await county.send('PATCH', `/api/masterdata/terms/${term.id}`, { name: '越权' })).status).toBe(403);
    },
    'POST /api/masterdata/rounds': async () => {
      const [term] = await sql<{ id: number }>('SELECT id FROM terms WHERE committee_region_id = $1 LIMIT 1', [own.id]);
      expect(
        (
          await county.send('POST', '/api/masterdata/rounds', {
            termId: term.id,
            ordinal: 90,
            name: 'x',
            year: 2020,
            startDate: '2020-01-01',
            endDate: '2020-01-02',
          })
        ).status,
      ).toBe(403);
    },
    'PATCH /api/masterdata/rounds/:id': async () => {
      expect((await county.send('PATCH', `/api/masterdata/rounds/${foreign.roundId}`, { name: '越权' })).status).toBe(403);
    },
    'GET /api/masterdata/units': async () => {
      const { body } = await county.get<{ total: number; rows: { regionId: number; name: string }[] }>('/api/masterdata/units?pageSize=200');
      expect(body.total).toBeGreaterThan(0);
      const [unit] = await sql<{ name: string }>('SELECT name FROM org_units WHERE id = $1', [foreign.unitId]);
      expect(body.rows.some((r) => r.name === unit.name)).toBe(false);
      expect((await county.get(`/api/masterdata/units?regionId=${other.id}`)).status).toBe(403);
    },
    'GET /api/masterdata/units/template': async () => {
      const download = await downloadText(county, '/api/masterdata/units/template');
      expect(download.status).toBe(200);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(new Uint8Array(download.bytes).buffer);
      const names: string[] = [];
      book.getWorksheet('区划')?.eachRow((row) => names.push(String(row.getCell(2).value)));
      expect(names).toContain(own.name);
      expect(names).not.toContain(other.name);
    },
    'POST /api/masterdata/units/import': async () => {
      const book = new ExcelJS.Workbook();
      const sheet = book.addWorksheet('被巡察单位名录');
      sheet.addRow(['单位代码', '单位名称', '单位类别', '所在区划']);
      sheet.addRow(['P-U-1', '他县单位', '其他', other.code]);
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(await book.xlsx.writeBuffer())]), 'units.xlsx');
      const response = await fetch(`${t.url}/api/masterdata/units/import`, { method: 'POST', body: form, headers: { cookie: county.cookie } });
      const body = (await response.json()) as { details: { field: string; message: string }[] };
      expect(response.status).toBe(400);
      expect(body.details).toEqual([{ field: 'row 2', message: expect.stringMatching(/^所在区划: .*不在本县/) }]);
    },
    'GET /api/masterdata/units/:id': async () => {
      expect((await county.get(`/api/masterdata/units/${foreign.unitId}`)).status).toBe(404);
      expect((await county.get(`/api/masterdata/units/${mine.unitId}`)).status).toBe(200);
    },
    'POST /api/masterdata/units': async () => {
      const refused = await county.send<{ message: string }>('POST', '/api/masterdata/units', {
        code: 'P-U-2',
        name: '他县单位',
        category: 'OTHER',
        regionId: other.id,
        validFrom: '2020-01-01',
      });
      expect([refused.status, refused.body.message.split(':')[0]]).toEqual([400, 'regionId']);
    },
    'PATCH /api/masterdata/units/:id': async () => {
      expect((await county.send('PATCH', `/api/masterdata/units/${foreign.unitId}`, { name: '越权' })).status).toBe(404);
      // nor may they move their own unit into another county
      const moved = await county.send<{ message: string }>('PATCH', `/api/masterdata/units/${mine.unitId}`, { regionId: other.id });
      expect([moved.status, moved.body.message.split(':')[0]]).toEqual([400, 'regionId']);
    },
    'POST /api/masterdata/units/:id/abolish': async () => {
      expect((await county.send('POST', `/api/masterdata/units/${foreign.unitId}/abolish`, { date: '2024-01-01' })).status).toBe(404);
      const merged = await county.send<{ message: string }>('POST', `/api/masterdata/units/${mine.unitId}/abolish`, {
        date: TODAY,
        mergedIntoId: foreign.unitId,
      });
      expect([merged.status, merged.body.message.split(':')[0]]).toEqual([400, 'mergedIntoId']);
    },
    'GET /api/masterdata/categories': async () => {
      expect((await county.get('/api/masterdata/categories')).status).toBe(200);
    },
    'POST /api/masterdata/categories': async () => {
      expect((await county.send('POST', '/api/masterdata/categories', { code: '8', name: 'x' })).status).toBe(403);
    },
    'PATCH /api/masterdata/categories/:id': async () => {
      expect((await county.send('PATCH', '/api/masterdata/categories/1', { name: 'x' })).status).toBe(403);
    },
    'DELETE /api/masterdata/categories/:id': async () => {
      expect((await county.send('DELETE', '/api/masterdata/categories/1')).status).toBe(403);
    },
    // --- end of 基础数据 probes

    // --- closure review (销号审核) ------------------------------------------------------------
    'POST /api/tasks/:id/closure-requests': async () => {
      const refused = await applyForClosure(t, county, foreign.taskId);
      expect(refused.status).toBe(404);
      expect(await sql('SELECT id FROM closure_requests WHERE task_id = $1 AND applicant = $2', [foreign.taskId, `county-${own.code}`])).toEqual([]);
    },
    'GET /api/tasks/:id/closure-requests': async () => {
      expect((await county.get(`/api/tasks/${foreign.taskId}/closure-requests`)).status).toBe(404);
      expect((await county.get(`/api/tasks/${mine.taskId}/closure-requests`)).status).toBe(200);
    },
    'POST /api/tasks/:id/reopen': async () => {
      expect((await county.send('POST', `/api/tasks/${foreign.taskId}/reopen`, { reason: '跨县' })).status).toBe(404);
    },
    'GET /api/closure-requests': async () => {
      const request = await foreignClosure();
      const { body } = await county.get<{ rows: { id: number; taskId: number }[] }>('/api/closure-requests?pageSize=200');
      expect(body.rows.map((r) => r.id)).not.toContain(request.requestId);
      const city = await staff.get<{ rows: { id: number }[] }>('/api/closure-requests?pageSize=200');
      expect(city.body.rows.map((r) => r.id)).toContain(request.requestId);
    },
    'POST /api/closure-requests/:id/approve': async () => {
      const request = await foreignClosure();
      expect((await county.send('POST', `/api/closure-requests/${request.requestId}/approve`, {})).status).toBe(404);
      expect((await sql<{ status: string }>('SELECT status::text FROM closure_requests WHERE id = $1', [request.requestId]))[0].status).toBe('PENDING');
    },
    'POST /api/closure-requests/:id/return': async () => {
      const request = await foreignClosure();
      expect((await county.send('POST', `/api/closure-requests/${request.requestId}/return`, { reason: '跨县' })).status).toBe(404);
    },
    'GET /api/closure-evidence/:id': async () => {
      const request = await foreignClosure();
      expect((await downloadText(county, `/api/closure-evidence/${request.evidenceId}`)).status).toBe(404);
      expect((await downloadText(leader, `/api/closure-evidence/${request.evidenceId}`)).status).toBe(200);
    },

    // --- unit profile branch: clue export (线索 导出) -------------------------------------------
    'GET /api/clues.csv': async () => {
      const mineCsv = await downloadText(county, '/api/clues.csv');
      expect(mineCsv.status).toBe(200);
      expect(mineCsv.bytes.equals((await downloadText(staff, `/api/clues.csv?regionId=${own.id}`)).bytes)).toBe(true);
      const counties = new Set(
        parseCsv(mineCsv.bytes.toString('utf8'))
          .slice(1)
          .filter((r) => r.length > 1)
          .map((r) => r[1]),
      );
      expect([...counties].filter((c) => c !== own.name)).toEqual([]);
      expect((await downloadText(county, `/api/clues.csv?regionId=${other.id}`)).status).toBe(403);
    },
    'GET /api/clues.xlsx': async () => {
      const mineXlsx = await downloadText(county, '/api/clues.xlsx');
      expect(mineXlsx.status).toBe(200);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(mineXlsx.bytes as unknown as ArrayBuffer);
      const counties = new Set<string>();
      book.worksheets[0].eachRow((row, n) => n > 6 && counties.add(String(row.getCell(2).value)));
      expect([...counties].filter((c) => c !== own.name)).toEqual([]);
      expect((await downloadText(county, `/api/clues.xlsx?regionId=${other.id}`)).status).toBe(403);
    },

    // --- exports2 branch: 导出 of the closure queue and the unit directory ----------------------
    'GET /api/closure-requests.csv': async () => {
      const request = await foreignClosure();
      const ids = async (client: TestClient) => {
        const download = await downloadText(client, '/api/closure-requests.csv');
        expect(download.status).toBe(200);
        return parseCsv(download.bytes.toString('utf8'))
          .slice(1)
          .map((r) => r[0]);
      };
      expect(await ids(county)).not.toContain(String(request.requestId));
      expect(await ids(staff)).toContain(String(request.requestId));
    },
    'GET /api/closure-requests.xlsx': async () => {
      const request = await foreignClosure();
      const ids = async (client: TestClient) => {
        const download = await downloadText(client, '/api/closure-requests.xlsx');
        expect(download.status).toBe(200);
        const book = new ExcelJS.Workbook();
        await book.xlsx.load(download.bytes as unknown as ArrayBuffer);
        const found: string[] = [];
        book.worksheets[0].eachRow((row) => found.push(String(row.getCell(1).value)));
        return found;
      };
      expect(await ids(county)).not.toContain(String(request.requestId));
      expect(await ids(staff)).toContain(String(request.requestId));
    },
    'GET /api/masterdata/units.csv': async () => {
      const [unit] = await sql<{ code: string }>('SELECT code FROM org_units WHERE id = $1', [foreign.unitId]);
      const mineCsv = await downloadText(county, '/api/masterdata/units.csv');
      expect(mineCsv.status).toBe(200);
      expect(mineCsv.bytes.equals((await downloadText(staff, `/api/masterdata/units.csv?regionId=${own.id}`)).bytes)).toBe(true);
      const codes = parseCsv(mineCsv.bytes.toString('utf8'))
        .slice(1)
        .map((r) => r[0]);
      expect(codes.length).toBeGreaterThan(0);
      expect(codes).not.toContain(unit.code);
      expect((await downloadText(county, `/api/masterdata/units.csv?regionId=${other.id}`)).status).toBe(403);
    },
    'GET /api/masterdata/units.xlsx': async () => {
      const [unit] = await sql<{ code: string }>('SELECT code FROM org_units WHERE id = $1', [foreign.unitId]);
      const mineXlsx = await downloadText(county, '/api/masterdata/units.xlsx');
      expect(mineXlsx.status).toBe(200);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(mineXlsx.bytes as unknown as ArrayBuffer);
      const codes: string[] = [];
      book.worksheets[0].eachRow((row) => codes.push(String(row.getCell(1).value)));
      expect(codes).not.toContain(unit.code);
      const mine = await sql<{ code: string }>(
        `SELECT u.code FROM org_units u JOIN regions g ON g.id = u.region_id
          WHERE u.deleted_at IS NULL AND (u.region_id = $1 OR g.parent_id = $1 OR g.parent_id IN (SELECT id FROM regions WHERE parent_id = $1))`,
        [own.id],
      );
      expect(mine.length).toBeGreaterThan(0);
      expect(codes).toEqual(expect.arrayContaining(mine.map((r) => r.code)));
      expect((await downloadText(county, `/api/masterdata/units.xlsx?regionId=${other.id}`)).status).toBe(403);
    },
    // --- end of exports2 probes
    // 单位画像: another county's unit answers as missing
    'GET /api/units/:id/profile': async () => {
      expect((await county.get(`/api/units/${foreign.unitId}/profile`)).status).toBe(404);
      const mineProfile = await county.get<{ unit: { id: number } }>(`/api/units/${mine.unitId}/profile`);
      expect([mineProfile.status, mineProfile.body.unit.id]).toEqual([200, mine.unitId]);
      expect((await staff.get(`/api/units/${foreign.unitId}/profile`)).status).toBe(200);
    },
    // --- end of unit profile branch probes
    // --- exports3 branch: 导出 of 未覆盖单位, 用户管理 and 数据同步 ------------------------------
    'GET /api/uncovered-units.csv': async () => {
      const mineCsv = await downloadText(county, '/api/uncovered-units.csv');
      expect(mineCsv.status).toBe(200);
      expect(mineCsv.bytes.equals((await downloadText(staff, `/api/uncovered-units.csv?regionId=${own.id}`)).bytes)).toBe(true);
      const counties = new Set(
        parseCsv(mineCsv.bytes.toString('utf8'))
          .slice(1)
          .map((r) => r[3]),
      );
      expect([...counties]).toEqual([own.name]);
      expect((await downloadText(county, `/api/uncovered-units.csv?regionId=${other.id}`)).status).toBe(403);
    },
    'GET /api/uncovered-units.xlsx': async () => {
      const mineXlsx = await downloadText(county, '/api/uncovered-units.xlsx');
      expect(mineXlsx.status).toBe(200);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(mineXlsx.bytes as unknown as ArrayBuffer);
      const counties = new Set<string>();
      book.worksheets[0].eachRow((row, n) => n > 6 && counties.add(String(row.getCell(4).value)));
      expect([...counties]).toEqual([own.name]);
      expect((await downloadText(county, `/api/uncovered-units.xlsx?regionId=${other.id}`)).status).toBe(403);
    },
    'GET /api/users.csv': async () => {
      expect((await downloadText(county, '/api/users.csv')).status).toBe(403);
    },
    'GET /api/users.xlsx': async () => {
      expect((await downloadText(county, '/api/users.xlsx')).status).toBe(403);
    },
    'GET /api/etl/runs.csv': async () => {
      // the run history holds counts only, the same for every county (as GET /api/etl/runs)
      const mineCsv = await downloadText(county, '/api/etl/runs.csv');
      expect(mineCsv.status).toBe(200);
      const [{ n }] = await sql<{ n: number }>('SELECT count(*)::int AS n FROM etl_runs');
      expect(parseCsv(mineCsv.bytes.toString('utf8')).length - 1).toBe(n);
    },
    'GET /api/etl/runs.xlsx': async () => {
      expect((await downloadText(county, '/api/etl/runs.xlsx')).status).toBe(200);
    },
    'GET /api/etl/runs/:id/rejects.csv': async () => {
      expect((await downloadText(county, '/api/etl/runs/1/rejects.csv')).status).toBe(403);
    },
    'GET /api/etl/runs/:id/rejects.xlsx': async () => {
      expect((await downloadText(county, '/api/etl/runs/1/rejects.xlsx')).status).toBe(403);
    },
    // 撤回已报送: the administrator's alone; a withdrawn report of another county answers as missing
    'POST /api/exports/quarterly/report/withdraw': async () => {
      const [year, quarter] = previousQuarter(TODAY);
      const before = await sql('SELECT id, withdrawn_at FROM reported_quarters ORDER BY id');
      for (const regionId of [own.id, other.id])
        expect((await county.send('POST', '/api/exports/quarterly/report/withdraw', { year, quarter, regionId, reason: '越权' })).status).toBe(403);
      expect(await sql('SELECT id, withdrawn_at FROM reported_quarters ORDER BY id')).toEqual(before);
    },
    'GET /api/exports/quarterly/report/withdrawn/:id': async () => {
      const [year, quarter] = previousQuarter(TODAY);
      // the administrator marks and withdraws the other county's workbook, then the county user's own
      for (const regionId of [other.id, own.id]) {
        const reported = await admin.send('POST', '/api/exports/quarterly/report', { year, quarter, regionId });
        expect([201, 409]).toContain(reported.status);
        expect((await admin.send('POST', '/api/exports/quarterly/report/withdraw', { year, quarter, regionId, reason: '账户测试' })).status).toBe(201);
      }
      const [theirs] = await sql<{ id: number }>('SELECT id FROM reported_quarters WHERE region_id = $1 AND withdrawn_at IS NOT NULL LIMIT 1', [other.id]);
      const [ours] = await sql<{ id: number }>('SELECT id FROM reported_quarters WHERE region_id = $1 AND withdrawn_at IS NOT NULL LIMIT 1', [own.id]);
      expect((await downloadText(county, `/api/exports/quarterly/report/withdrawn/${theirs.id}`)).status).toBe(404);
      expect((await downloadText(county, `/api/exports/quarterly/report/withdrawn/${ours.id}`)).status).toBe(200);
      expect((await downloadText(staff, `/api/exports/quarterly/report/withdrawn/${theirs.id}`)).status).toBe(200);
    },
    // --- end of exports3 probes
    // --- profileexports branch: 导出 of 单位画像's tables and of 行政区划 -------------------------
    'GET /api/units/:id/profile.csv': async () => {
      expect((await downloadText(county, `/api/units/${foreign.unitId}/profile.csv?table=tasks`)).status).toBe(404);
      const mineCsv = await downloadText(county, `/api/units/${mine.unitId}/profile.csv?table=tasks`);
      expect(mineCsv.status).toBe(200);
      expect(mineCsv.bytes.equals((await downloadText(staff, `/api/units/${mine.unitId}/profile.csv?table=tasks`)).bytes)).toBe(true);
      expect((await downloadText(staff, `/api/units/${foreign.unitId}/profile.csv?table=tasks`)).status).toBe(200);
    },
    'GET /api/units/:id/profile.xlsx': async () => {
      expect((await downloadText(county, `/api/units/${foreign.unitId}/profile.xlsx?table=inspections`)).status).toBe(404);
      expect((await downloadText(county, `/api/units/${mine.unitId}/profile.xlsx?table=inspections`)).status).toBe(200);
    },
    'GET /api/masterdata/regions.csv': async () => {
      // the county's own regions only, as GET /api/masterdata/regions lists them
      const mineCsv = await downloadText(county, '/api/masterdata/regions.csv');
      expect(mineCsv.status).toBe(200);
      const { body } = await county.get<{ rows: { code: string }[] }>('/api/masterdata/regions');
      const codes = parseCsv(mineCsv.bytes.toString('utf8'))
        .slice(1)
        .map((r) => r[0]);
      expect(codes).toEqual(body.rows.map((r) => r.code));
      expect(codes).not.toContain(other.code);
    },
    'GET /api/masterdata/regions.xlsx': async () => {
      const mineXlsx = await downloadText(county, '/api/masterdata/regions.xlsx');
      expect(mineXlsx.status).toBe(200);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(mineXlsx.bytes as unknown as ArrayBuffer);
      const codes: string[] = [];
      book.worksheets[0].eachRow((row, n) => n > 6 && codes.push(String(row.getCell(1).value)));
      expect(codes).toContain(own.code);
      expect(codes).not.toContain(other.code);
    },
    // --- end of profileexports probes
  };

  /** The OpenAPI pages (Swagger UI's files and the document) hold no records: the same for everyone signed in. */
  const isDocs = (r: Route) => r.path === '/api/docs' || r.path.startsWith('/api/docs');

  it('has a probe for every route of the app', () => {
    expect(Object.keys(probes).sort()).toEqual(
      routes
        .filter((r) => !isDocs(r))
        .map(key)
        .sort(),
    );
    expect(routes.filter(isDocs).length).toBeGreaterThanOrEqual(2);
  });

  it('reads the OpenAPI pages, which hold no records', async () => {
    for (const route of routes.filter(isDocs)) {
      const response = await county.get<string>(route.path);
      // Swagger UI registers a LICENSE route without the file: 404, but never 401/403/500
      expect([route.path, response.status === 200 || response.status === 404]).toEqual([route.path, true]);
      expect(JSON.stringify(response.body)).not.toContain(other.name);
    }
  });

  for (const [route, probe] of Object.entries(probes)) {
    it(`gets nothing of another county: ${route}`, probe);
  }
});

describe('signing in', () => {
  it('sets an httpOnly SameSite cookie that only a sign-in gives', async () => {
    const response = await anonymous.send('POST', '/api/auth/login', { username: 'staff', password: TEST_PASSWORD });
    expect(response.status).toBe(200);
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^xuncha_session=[\w-]{43};/);
    expect(cookie).toMatch(/; HttpOnly/i);
    expect(cookie).toMatch(/; SameSite=Lax/i);
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).not.toMatch(/; Secure/i); // plain HTTP on loopback (COOKIE_SECURE=auto)
    // a browser-session cookie: the server ends an idle session, not the browser an active one
    expect(cookie).not.toMatch(/Max-Age|Expires/i);
    // the table keeps only a hash of the token
    const token = cookie.split(';')[0].split('=')[1];
    expect(await sql('SELECT 1 FROM sessions WHERE id = $1', [token])).toEqual([]);
    // a made-up or tampered cookie is no session
    const tampered = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    const forged = await fetch(`${t.url}/api/auth/me`, { headers: { cookie: `xuncha_session=${tampered}` } });
    expect(forged.status).toBe(401);
  });

  it('refuses a wrong password and an unknown user alike', async () => {
    const wrong = await anonymous.send<{ message: string }>('POST', '/api/auth/login', { username: 'leader', password: 'nope-nope' });
    const unknown = await anonymous.send<{ message: string }>('POST', '/api/auth/login', { username: 'nobody-here', password: 'nope-nope' });
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    expect(wrong.body.message).toBe(unknown.body.message);
  });

  it('is rate-limited per username after five failures, with the wait', async () => {
    const attempts: number[] = [];
    for (let i = 0; i < 6; i++)
      attempts.push((await anonymous.send('POST', '/api/auth/login', { username: `county-${other.code}`, password: `wrong-${i}` })).status);
    expect(attempts).toEqual([401, 401, 401, 401, 401, 429]);
    // even the right password waits now
    const locked = await anonymous.send<{ message: string; details: { field: string; message: string }[] }>('POST', '/api/auth/login', {
      username: `county-${other.code}`,
      password: TEST_PASSWORD,
    });
    expect(locked.status).toBe(429);
    expect(Number(locked.body.details[0].message)).toBeGreaterThan(800);
    // another user is not locked out by it
    expect((await t.as('leader')).cookie).toMatch(/^xuncha_session=/);
  });

  it('ends the other sessions at a password change, and the new password works', async () => {
    const user = `county-${own.code}`; // the county probes are done with this account
    const first = await t.as(user);
    const second = await t.as(user);
    const weak = await second.send<{ message: string }>('POST', '/api/auth/password', { currentPassword: TEST_PASSWORD, newPassword: 'short' });
    expect([weak.status, weak.body.message.split(':')[0]]).toEqual([400, 'newPassword']);
    expect((await second.send('POST', '/api/auth/password', { currentPassword: TEST_PASSWORD, newPassword: 'leader-new-password' })).status).toBe(200);
    expect((await first.get('/api/auth/me')).status).toBe(401);
    expect((await second.get('/api/auth/me')).status).toBe(200);
    const again = await anonymous.send('POST', '/api/auth/login', { username: user, password: 'leader-new-password' });
    expect(again.status).toBe(200);
    await second.send('POST', '/api/auth/password', { currentPassword: 'leader-new-password', newPassword: TEST_PASSWORD });
  });

  it('puts security headers on every answer, the refusals included', async () => {
    for (const response of [await anonymous.get('/api/health'), await anonymous.get('/api/metrics/overview'), await staff.get('/api/options')]) {
      expect(response.headers.get('content-security-policy')).toMatch(/default-src 'self'.*frame-ancestors 'none'/);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(response.headers.get('referrer-policy')).toBe('same-origin');
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('x-powered-by')).toBeNull();
    }
  });

  it('refuses a write from another site even with the cookie', async () => {
    const before = await footprint();
    const note = { note: '跨站' };
    const fromElsewhere = await staff.send<{ message: string }>('POST', `/api/tasks/${mine.taskId}/notes`, note, { origin: 'https://evil.example' });
    expect(fromElsewhere.status).toBe(403);
    expect(fromElsewhere.body.message).toMatch(/cross-site/);
    expect((await staff.send('POST', `/api/tasks/${mine.taskId}/notes`, note, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect(await footprint()).toEqual(before);
    expect((await staff.send('POST', `/api/tasks/${mine.taskId}/notes`, note, { origin: t.url, 'sec-fetch-site': 'same-origin' })).status).toBe(201);
  });
});

describe('accounts (ADMIN)', () => {
  it('creates a county user who sees only that county, and deactivates them', async () => {
    const bad = await admin.send<{ message: string }>('POST', '/api/users', {
      username: 'county-new',
      displayName: '新县区用户',
      role: 'COUNTY_STAFF',
      password: 'county-new-pw',
    });
    expect([bad.status, bad.body.message.split(':')[0]]).toEqual([400, 'regionId']);
    const created = await admin.send<{ id: number; region: { id: number } }>('POST', '/api/users', {
      username: 'county-new',
      displayName: '新县区用户',
      role: 'COUNTY_STAFF',
      regionId: other.id,
      password: 'county-new-pw',
    });
    expect(created.status).toBe(201);
    expect(created.body.region.id).toBe(other.id);
    expect((await admin.send('POST', '/api/users', { username: 'county-new', displayName: 'x', role: 'STAFF', password: 'county-new-pw' })).status).toBe(409);
    const login = await anonymous.send('POST', '/api/auth/login', { username: 'county-new', password: 'county-new-pw' });
    expect(login.status).toBe(200);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
    const overview = await fetch(`${t.url}/api/metrics/overview`, { headers: { cookie } }).then((r) => r.json());
    expect(overview).toEqual((await staff.get(`/api/metrics/overview?regionId=${other.id}`)).body);
    expect((await admin.send('PATCH', `/api/users/${created.body.id}`, { active: false })).status).toBe(200);
    expect((await fetch(`${t.url}/api/auth/me`, { headers: { cookie } })).status).toBe(401);
    expect((await anonymous.send('POST', '/api/auth/login', { username: 'county-new', password: 'county-new-pw' })).status).toBe(401);
  });

  it('cannot lock themselves out', async () => {
    const [{ id }] = await sql<{ id: number }>("SELECT id FROM users WHERE username = 'admin'");
    expect((await admin.send('PATCH', `/api/users/${id}`, { active: false })).status).toBe(409);
    expect((await admin.send('PATCH', `/api/users/${id}`, { role: 'STAFF' })).status).toBe(409);
  });
});

describe('the audit log', () => {
  it('records every write, import, export and sign-in attempt: who, when, what, from where', async () => {
    const since = new Date();
    await anonymous.send('POST', '/api/auth/login', { username: 'staff', password: 'not-the-password' });
    await t.as('staff');
    const noted = await staff.send('POST', `/api/tasks/${mine.taskId}/notes`, { note: '审计测试' });
    expect(noted.status).toBe(201);
    await staff.send('POST', `/api/tasks/${mine.taskId}/status`, { status: 'CLOSED' }); // refused transition: recorded as failed
    await leader.send('POST', `/api/tasks/${mine.taskId}/notes`, { note: '领导不能写' }); // refused role: recorded as failed
    const [year, quarter] = previousQuarter(TODAY);
    expect((await downloadText(leader, `/api/exports/quarterly?year=${year}&quarter=${quarter}`)).status).toBe(200);
    expect((await downloadText(staff, '/api/tasks.csv?overdue=true')).status).toBe(200);
    await uploadLedger(
      staff,
      await ledger([
        {
          round: '无此轮次',
          unit: 'X',
          category: 'X',
          description: '无效',
          isImmediate: '否',
          measure: '整改',
          responsibleDept: '办公室',
          responsiblePerson: '李四',
          track: '限期整改',
          foundDate: TODAY,
        },
      ]),
    );
    await staff.send('POST', '/api/etl/run', {});

    const rows = await sql<{ username: string; action: string; target: string; ip: string; success: boolean; detail: Record<string, unknown> }>(
      'SELECT username, action, target, ip, success, detail FROM audit_logs WHERE at >= $1 ORDER BY id',
      [since],
    );
    const seen = rows.map((r) => [r.username, r.action, r.success]);
    expect(seen).toEqual(
      expect.arrayContaining([
        ['staff', 'auth.login', false],
        ['staff', 'auth.login', true],
        ['staff', 'task.note', true],
        ['staff', 'task.status', false],
        ['leader', 'task.note', false],
        ['leader', 'export.quarterly', true],
        ['staff', 'export.tasks-csv', true],
        ['staff', 'ledger.import', false],
        ['staff', 'etl.run', true],
      ]),
    );
    for (const row of rows) expect(row.ip).toMatch(/127\.0\.0\.1/);
    const note = rows.find((r) => r.action === 'task.note' && r.success)!;
    expect(note.target).toBe(`/api/tasks/${mine.taskId}/notes`);
    expect(note.detail).toMatchObject({ body: { note: '审计测试' } });
    // no password ever reaches the log
    const all = await sql<{ detail: unknown }>('SELECT detail FROM audit_logs');
    expect(JSON.stringify(all)).not.toContain(TEST_PASSWORD);
  });

  it('is shown to ADMIN, newest first, filtered', async () => {
    const page = await admin.get<{ total: number; rows: { action: string; username: string; success: boolean }[] }>(
      '/api/audit?action=auth.login&success=false&pageSize=5',
    );
    expect(page.status).toBe(200);
    expect(page.body.rows.length).toBeGreaterThan(0);
    for (const row of page.body.rows) expect(row).toMatchObject({ action: 'auth.login', success: false });
    const [{ n }] = await sql<{ n: string }>("SELECT count(*) AS n FROM audit_logs WHERE action LIKE 'auth.login%' AND NOT success");
    expect(page.body.total).toBe(Number(n));
  });
});
