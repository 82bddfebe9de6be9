import { startTestApp, type TestApp } from '../support/app';
import { pinToday } from '../support/today';

/**
 * Bad filters and parameters on every read endpoint: each gets a 400 whose message
 * starts with the parameter's name, and none gets a 500.
 */
const FILTERS: Record<string, string[]> = {
  term: ['', 'next', 'CURRENT', '1', "current' OR '1'='1"],
  roundId: ['', 'abc', '0', '-1', '1.5', '1e3', '99999999999', '999999', '1;DROP TABLE findings', '0x10'],
  regionId: ['', 'x', '0', '-5', '2.5', '4294967296', '999999', '巡察'],
  unitCategory: ['', 'party_gov', 'VILLAGES', "VILLAGE'--", '党政机关'],
  categoryId: ['', 'one', '0', '-2', '999999', '3.0001'],
  mode: ['', 'routine', 'REVISIT,ROUTINE', 'ROUTINE OR 1=1'],
  asOf: ['', 'today', '2025-13-01', '2025-02-30', '20250101', '2025-1-1', '9999-12-31', '1899-12-31', "2025-01-01' OR 1=1 --", 'x'.repeat(5000)],
};
const LIST_PARAMS: Record<string, string[]> = {
  page: ['', '0', '-1', 'a', '1.5', '10000000'],
  pageSize: ['', '0', '201', '1000000', 'ten'],
  sort: ['', 'unit_id', 'id;', 'dueDate DESC', '(SELECT 1)', '-'],
  closed: ['', 'yes', '1', 'TRUE'],
  immediate: ['', 'no', '0'],
};
const TASK_PARAMS: Record<string, string[]> = {
  status: ['', 'DONE', 'CLOSED,', ',', 'closed', "CLOSED') OR ('1'='1"],
  overdue: ['', 'maybe'],
  agingBucket: ['', '1-31', '180', '>180'],
  dueSoon: ['', '5', '30', 'ten'],
  extended: ['', '2'],
};
const COVERAGE_PARAMS: Record<string, string[]> = {
  uncoveredLimit: ['', '-1', '501', 'all'],
  uncoveredOffset: ['', '-1', 'x', '1.5'],
};

const METRICS = ['overview', 'coverage', 'categories', 'rectification', 'recurrence'].map((m) => `/api/metrics/${m}`);

function cases(): { path: string; param: string }[] {
  const out: { path: string; param: string }[] = [];
  const add = (base: string, params: Record<string, string[]>) => {
    for (const [param, values] of Object.entries(params)) {
      for (const value of values) out.push({ path: `${base}?${param}=${encodeURIComponent(value)}`, param });
    }
  };
  for (const path of [...METRICS, '/api/findings', '/api/tasks']) add(path, FILTERS);
  add('/api/metrics/coverage', COVERAGE_PARAMS);
  for (const path of ['/api/findings', '/api/tasks']) add(path, LIST_PARAMS);
  add('/api/tasks', TASK_PARAMS);
  add('/api/etl/runs', { page: LIST_PARAMS.page, pageSize: LIST_PARAMS.pageSize });
  // unknown and repeated parameters
  for (const path of [...METRICS, '/api/findings', '/api/tasks', '/api/etl/runs']) {
    out.push({ path: `${path}?regionID=3`, param: 'regionID' });
    out.push({ path: `${path}?asOf=2025-01-01&asOf=2025-02-01`, param: 'asOf' });
  }
  for (const id of ['abc', '0', '-1', '1.5', '99999999999', '1 OR 1=1']) {
    out.push({ path: `/api/tasks/${encodeURIComponent(id)}`, param: 'id' });
    out.push({ path: `/api/etl/runs/${encodeURIComponent(id)}/rejects`, param: 'id' });
  }
  return out;
}

jest.setTimeout(300_000);

describe('malformed input', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ seed: { scale: 'tiny', today: pinToday() } });
  });
  afterAll(async () => {
    await t?.close();
  });

  const all = cases();

  it(`covers at least 200 malformed requests (${all.length})`, () => {
    expect(all.length).toBeGreaterThanOrEqual(200);
  });

  it('answers each bad read parameter with a 400 that names it', async () => {
    const wrong: string[] = [];
    for (const { path, param } of all) {
      const { status, body } = await t.get<{ statusCode?: number; message?: string; details?: { field: string }[] }>(path);
      const named = typeof body === 'object' && body !== null && typeof body.message === 'string' && body.message.startsWith(`${param}:`);
      if (status !== 400 || !named || body.statusCode !== 400) wrong.push(`${path} → ${status} ${JSON.stringify(body).slice(0, 200)}`);
    }
    expect(wrong).toEqual([]);
  });

  it('answers bad bodies of POST /api/etl/run with a 400 naming the field, and broken JSON with a 400', async () => {
    const bodies: [unknown, string][] = [
      [{ mode: 'fast' }, 'mode'],
      [{ mode: 1 }, 'mode'],
      [{ mode: null }, 'mode'],
      [{ mode: 'full', extra: true }, 'extra'],
      [[], 'body'],
      ['full', 'body'],
    ];
    for (const [body, field] of bodies) {
      const response = await t.send<{ message: string }>('POST', '/api/etl/run', body);
      expect([response.status, response.body.message.split(':')[0]]).toEqual([400, field]);
    }
    const broken = await fetch(`${t.url}/api/etl/run`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: t.cookie },
      body: '{"mode": "full"',
    });
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as { message: string }).message).toMatch(/^body: /);
  });

  it('answers bad bodies of every write with a 400 naming the field (or 404 for a record that does not exist), never a 500', async () => {
    const task = (await t.get<{ rows: { id: number }[] }>('/api/tasks?closed=false&pageSize=1')).body.rows[0].id;
    const inspection = { roundId: 1, unitId: 1, team: '第一巡察组', mode: 'ROUTINE', isCross: false, isElevated: false, stationedFrom: '2025-03-01' };
    const finding = { inspectionId: 1, categoryId: 6, description: '问题', isImmediate: false, isKeyConcern: false, foundDate: '2025-03-02' };
    const taskBody = { findingId: 1, measure: '措施', responsibleDept: '办公室', responsiblePerson: '张三', track: 'DEADLINE', originalDueDate: '2025-06-30' };
    const bad = (base: Record<string, unknown>, field: string, values: unknown[]) => values.map((value) => ({ body: { ...base, [field]: value }, field }));
    const junk = [null, '', 'x', -1, 0, 1.5, 1e20, [], {}, true, "1' OR '1'='1", '巡察'.repeat(3000)];
    const cases: { path: string; body: unknown; field: string }[] = [
      ...bad(inspection, 'roundId', junk).map((c) => ({ path: '/api/inspections', ...c })),
      ...bad(inspection, 'mode', ['routine', 1, null, 'ROUTINE;']).map((c) => ({ path: '/api/inspections', ...c })),
      ...bad(inspection, 'stationedFrom', ['2025-02-30', '20250301', 5, null, '']).map((c) => ({ path: '/api/inspections', ...c })),
      ...bad(finding, 'categoryId', [0, -3, 'six', null]).map((c) => ({ path: '/api/findings', ...c })),
      ...bad(taskBody, 'findingId', junk).map((c) => ({ path: '/api/tasks', ...c })),
      ...bad(finding, 'description', ['', '   ', 7, 'x'.repeat(10_001)]).map((c) => ({ path: '/api/findings', ...c })),
      ...bad(taskBody, 'track', ['FAST', null, 3]).map((c) => ({ path: '/api/tasks', ...c })),
      ...bad(taskBody, 'originalDueDate', ['2025-13-01', 'tomorrow']).map((c) => ({ path: '/api/tasks', ...c })),
      ...bad({ status: 'IN_PROGRESS' }, 'status', ['DONE', '', null, 4]).map((c) => ({ path: `/api/tasks/${task}/status`, ...c })),
      ...bad({ newDueDate: '2030-01-01', reason: '等待审批' }, 'reason', ['', '   ', null, 5]).map((c) => ({ path: `/api/tasks/${task}/extensions`, ...c })),
      ...bad({ newDueDate: '2030-01-01', reason: '等待审批' }, 'newDueDate', ['2030-02-30', 'soon', null]).map((c) => ({
        path: `/api/tasks/${task}/extensions`,
        ...c,
      })),
      ...bad({ note: '已完成整改' }, 'note', ['', null, 12]).map((c) => ({ path: `/api/tasks/${task}/notes`, ...c })),
      { path: '/api/inspections', body: { ...inspection, extra: 1 }, field: 'extra' },
      { path: `/api/tasks/${task}/notes`, body: [], field: 'body' },
      { path: '/api/tasks', body: 'measure', field: 'body' },
    ];
    const wrong: string[] = [];
    for (const { path, body, field } of cases) {
      const response = await t.send<{ message?: string }>('POST', path, body);
      const message = typeof response.body === 'object' && response.body !== null ? (response.body.message ?? '') : '';
      if (response.status !== 400 || !message.startsWith(`${field}:`))
        wrong.push(`${path} ${JSON.stringify(body).slice(0, 120)} → ${response.status} ${message.slice(0, 120)}`);
    }
    for (const path of ['/api/tasks/0x10/notes', '/api/tasks/abc/status', '/api/inspections/-1', '/api/findings/1.5']) {
      const response = await t.send(path.endsWith('notes') || path.endsWith('status') ? 'POST' : 'DELETE', path, { note: 'x', status: 'IN_PROGRESS' });
      if (response.status !== 400) wrong.push(`${path} → ${response.status}`);
    }
    for (const path of ['/api/tasks/999999999/notes', '/api/inspections/999999', '/api/findings/999999999']) {
      const response = await t.send(path.endsWith('notes') ? 'POST' : 'DELETE', path, { note: '进展' });
      if (response.status !== 404) wrong.push(`${path} → ${response.status}`);
    }
    expect(cases.length).toBeGreaterThanOrEqual(60);
    expect(wrong).toEqual([]);
  });

  it('refuses a body over the limit with a 413, not a 500', async () => {
    const response = await fetch(`${t.url}/api/etl/run`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: t.cookie },
      body: JSON.stringify({ mode: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(response.status).toBe(413);
  });

  it('answers an unknown route with a 404 in the same error shape', async () => {
    const response = await t.get<{ statusCode: number; message: string }>('/api/nothing-here');
    expect(response.status).toBe(404);
    expect(response.body.statusCode).toBe(404);
  });
});
