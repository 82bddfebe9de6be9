import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { LEDGER_COLUMNS } from '@xuncha/backend';
import { startTestApp, type TestApp, type TestClient } from '../support/app';
import { query } from '../support/pg';
import { zip } from '../support/zip';
import { pinToday } from '../support/today';

/**
 * Hostile input against the running app: SQL injection in every query, sort and path
 * parameter the API documents (enumerated from its OpenAPI document, so new parameters are
 * tried too), path traversal, oversized and malformed bodies and uploads, zip bombs, XML
 * entities, and cross-site writes. None may succeed, none may cause a 500.
 */
jest.setTimeout(300_000);

const TODAY = pinToday();

/** What an attacker types into a parameter: SQL for PostgreSQL and ClickHouse, and friends. */
const PAYLOADS = [
  `' OR '1'='1`,
  `1 OR 1=1`,
  `1; DROP TABLE findings; --`,
  `1) UNION ALL SELECT username, password_hash FROM users --`,
  `1' AND pg_sleep(5) IS NULL --`,
  `1 SETTINGS max_execution_time=0`,
  `1 FORMAT JSONEachRow`,
  `'); TRUNCATE TABLE fact_tasks; --`,
  `{regionId:UInt32}`,
  `1/**/OR/**/1=1`,
  `\\'; SELECT 1; --`,
  `%27%20OR%201%3D1`,
  `0x7FFFFFFF`,
  `99999999999999999999999`,
  `-1`,
  `../../../../etc/passwd`,
  `<script>alert(1)</script>`,
  `\u0000`,
];

interface Operation {
  method: string;
  path: string;
  query: string[];
  pathParams: string[];
}

let t: TestApp;
let admin: TestClient;
let operations: Operation[];

const sql = <T extends Record<string, unknown>>(text: string, params: unknown[] = []) => query<T>(t.db.url, text, params);

/** Row counts of the case records, accounts and runs, and the warehouse's figures: what an injection would change. */
async function state() {
  const [pg] = await sql<Record<string, string>>(
    `SELECT (SELECT count(*) FROM inspections) AS inspections, (SELECT count(*) FROM findings) AS findings,
            (SELECT count(*) FROM rectification_tasks) AS tasks, (SELECT count(*) FROM task_events) AS events,
            (SELECT count(*) FROM users) AS users, (SELECT string_agg(password_hash, ',' ORDER BY id) FROM users) AS hashes,
            (SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public') AS tables`,
  );
  const overview = await t.get('/api/metrics/overview');
  expect(overview.status).toBe(200);
  return { pg, overview: overview.body };
}

/** Who may call the operation: the admin for accounts and the audit log, staff otherwise. */
const callerFor = (op: Operation): TestClient | TestApp => (op.path.startsWith('/api/users') || op.path.startsWith('/api/audit') ? admin : t);

/** Valid values of the parameters an operation requires, so that each payload is tried alone. */
const REQUIRED: Record<string, Record<string, string>> = {
  '/api/exports/quarterly': { year: '2025', quarter: '1' },
  '/api/exports/quarterly/report': { year: '2025', quarter: '1' },
};

function withPayload(op: Operation, name: string, payload: string): string {
  const params = new URLSearchParams({ ...REQUIRED[op.path] });
  params.set(name, payload);
  return `${op.path}?${params.toString()}`;
}

/** Free-text search parameters: they take any text, as data, and must answer 200. */
const FREE_TEXT = new Set([
  'GET /api/audit username',
  'GET /api/audit action',
  // case-record pages (h/records): searches by unit, team and description
  'GET /api/inspections unit',
  'GET /api/inspections team',
  'GET /api/records/findings q',
  'GET /api/records/findings unit',
  'GET /api/records/units q',
  // 基础数据 (h/masterdata)
  'GET /api/masterdata/units q',
  // the worklist's search by task number, unit, person or department
  'GET /api/tasks q',
  'GET /api/tasks.csv q',
  'GET /api/tasks.xlsx q',
  // the downloads of those lists take the same searches
  'GET /api/audit.csv username',
  'GET /api/audit.csv action',
  'GET /api/audit.xlsx username',
  'GET /api/audit.xlsx action',
  'GET /api/inspections.csv unit',
  'GET /api/inspections.csv team',
  'GET /api/inspections.xlsx unit',
  'GET /api/inspections.xlsx team',
  'GET /api/records/findings.csv q',
  'GET /api/records/findings.csv unit',
  'GET /api/records/findings.xlsx q',
  'GET /api/records/findings.xlsx unit',
  // the closure queue's and the unit directory's downloads (h/exports2)
  'GET /api/masterdata/units.csv q',
  'GET /api/masterdata/units.xlsx q',
]);

beforeAll(async () => {
  t = await startTestApp({ seed: { scale: 'tiny', today: TODAY }, env: { MAX_UPLOAD_MB: '1' } });
  admin = await t.as('admin');
  const doc = await t.get<{ paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>> }>('/api/docs-json');
  expect(doc.status).toBe(200);
  operations = Object.entries(doc.body.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      query: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
      pathParams: (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name),
    })),
  );
});

afterAll(async () => {
  await t?.close();
});

describe('SQL injection', () => {
  it('in every query parameter of every read: a 400 naming it (free text: no match), never a 500, nothing changed', async () => {
    const before = await state();
    const reads = operations.filter((op) => op.method === 'GET' && op.pathParams.length === 0 && op.query.length > 0);
    expect(reads.length).toBeGreaterThanOrEqual(10);
    const unexpected: string[] = [];
    let tried = 0;
    for (const op of reads) {
      for (const name of op.query) {
        for (const payload of PAYLOADS) {
          const response = await callerFor(op).get<{ message?: string; total?: number }>(withPayload(op, name, payload));
          tried++;
          const free = FREE_TEXT.has(`${op.method} ${op.path} ${name}`) && !payload.includes('\u0000');
          // free text matches nothing: an empty page, or a file of the list's header alone (a CSV) or an empty workbook
          const body = response.body as unknown;
          const noMatch = typeof body === 'string' ? !op.path.endsWith('.csv') || body.split('\r\n').filter(Boolean).length === 1 : response.body.total === 0;
          const ok = free ? response.status === 200 && noMatch : response.status === 400 && response.body.message?.startsWith(`${name}:`);
          if (!ok) unexpected.push(`${op.path}?${name}=${payload} → ${response.status} ${JSON.stringify(response.body).slice(0, 120)}`);
        }
      }
    }
    expect(tried).toBeGreaterThan(1000);
    expect(unexpected).toEqual([]);
    expect(await state()).toEqual(before);
  });

  it('in every path parameter: a 400 or 404, never a 500, nothing changed', async () => {
    const before = await state();
    const withIds = operations.filter((op) => op.pathParams.length > 0);
    expect(withIds.length).toBeGreaterThanOrEqual(8);
    const unexpected: string[] = [];
    for (const op of withIds) {
      for (const payload of PAYLOADS) {
        const path = op.path.replace(/\{(\w+)\}/g, () => encodeURIComponent(payload));
        const response = await callerFor(op).send(op.method, path, op.method === 'GET' || op.method === 'DELETE' ? undefined : {});
        if (response.status !== 400 && response.status !== 404) unexpected.push(`${op.method} ${path} → ${response.status}`);
      }
    }
    expect(unexpected).toEqual([]);
    expect(await state()).toEqual(before);
  });

  it('in the sort parameter of the lists and their CSV: only the allowed columns', async () => {
    for (const path of ['/api/tasks', '/api/findings', '/api/tasks.csv', '/api/findings.csv']) {
      for (const sort of ['id;DROP TABLE users', '(SELECT 1)', 'dueDate DESC, (SELECT sleep(3))', 'rand()', '-id DESC', 'password_hash']) {
        const response = await t.get<{ message: string }>(`${path}?sort=${encodeURIComponent(sort)}`);
        expect([path, sort, response.status, response.body.message.split(':')[0]]).toEqual([path, sort, 400, 'sort']);
      }
    }
  });

  it('in every text a write stores: kept verbatim as data', async () => {
    const [task] = await sql<{ id: string }>(
      "SELECT id::text AS id FROM rectification_tasks WHERE status = 'IN_PROGRESS' AND deleted_at IS NULL ORDER BY id LIMIT 1",
    );
    const before = await sql<{ n: string }>('SELECT count(*) AS n FROM findings');
    for (const payload of PAYLOADS.filter((p) => !p.includes('\u0000'))) {
      const note = `${payload} 进展`;
      const response = await t.send<{ event: { id: string } }>('POST', `/api/tasks/${task.id}/notes`, { note });
      expect([payload, response.status]).toEqual([payload, 201]);
      const [stored] = await sql<{ note: string }>('SELECT note FROM task_events WHERE id = $1', [response.body.event.id]);
      expect(stored.note).toBe(note);
    }
    // a NUL byte cannot be stored in PostgreSQL text: refused, naming the field
    const nul = await t.send<{ message: string }>('POST', `/api/tasks/${task.id}/notes`, { note: 'a\u0000b' });
    expect([nul.status, nul.body.message.split(':')[0]]).toEqual([400, 'note']);
    expect(await sql('SELECT count(*) AS n FROM findings')).toEqual(before);
  });
});

describe('path traversal', () => {
  it('in the export parameters: a 400 naming the parameter', async () => {
    for (const [name, value] of [
      ['year', '../../etc/passwd'],
      ['year', '2025/../../../etc'],
      ['quarter', '..%2F..%2Fetc%2Fpasswd'],
      ['quarter', '1/../../x'],
    ]) {
      const other = name === 'year' ? 'quarter=1' : 'year=2025';
      const response = await t.get<{ message: string }>(`/api/exports/quarterly?${other}&${name}=${encodeURIComponent(value)}`);
      expect([value, response.status, response.body.message.split(':')[0]]).toEqual([value, 400, name]);
    }
  });

  it('in URLs of the dashboard and the API: never a file outside the dashboard', async () => {
    const raw = async (path: string) => {
      // fetch would normalise the dots away; a raw request keeps them as an attacker sends them
      const { request } = await import('node:http');
      const url = new URL(t.url);
      return new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request({ host: url.hostname, port: url.port, path, headers: { cookie: t.cookie } }, (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', reject);
        req.end();
      });
    };
    for (const path of [
      '/../../../../etc/passwd',
      '/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
      '/assets/..%2f..%2f..%2f..%2fetc%2fpasswd',
      '/api/../../../../etc/passwd',
      '/api/tasks/..%2f..%2f..%2fetc%2fpasswd',
      '/api/exports/quarterly/..%2f..%2fpackage.json',
      '/..%5c..%5c..%5cetc%5cpasswd',
    ]) {
      const response = await raw(path);
      expect([path, response.status < 500]).toEqual([path, true]);
      expect([path, response.body]).not.toEqual([path, expect.stringMatching(/root:x:0:0|"name": "xuncha-insight"/)]);
    }
  });
});

describe('oversized and malformed bodies', () => {
  it('refuses a JSON body over 1 MB with a 413, a deeply nested one and a prototype-polluting one with a 400', async () => {
    const [task] = await sql<{ id: string }>('SELECT id::text AS id FROM rectification_tasks WHERE deleted_at IS NULL ORDER BY id LIMIT 1');
    const post = (body: string) =>
      fetch(`${t.url}/api/tasks/${task.id}/notes`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: t.cookie }, body }).then(
        async (r) => ({
          status: r.status,
          body: (await r.json()) as { message: string },
        }),
      );
    expect((await post(JSON.stringify({ note: 'x'.repeat(1_100_000) }))).status).toBe(413);
    const nested = await post(`{"note":${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
    expect([nested.status, nested.body.message.split(':')[0]]).toEqual([400, 'note']);
    const polluting = await post('{"note":"x","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}');
    expect(polluting.status).toBe(400);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const long = await post(JSON.stringify({ note: '长'.repeat(100_000) }));
    expect([long.status, long.body.message.split(':')[0]]).toEqual([400, 'note']);
    // 64 KB of headers: Node refuses them before the app
    const headers = await fetch(`${t.url}/api/health`, { headers: { 'x-junk': 'x'.repeat(64 * 1024) } }).then((r) => r.status);
    expect(headers).toBe(431);
  });

  it('refuses uploads that are too large, malformed, zip bombs, zip-slip names and XML entities', async () => {
    const upload = async (content: Buffer, name = 'ledger.xlsx') => {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(content)]), name);
      const response = await fetch(`${t.url}/api/imports/ledger`, { method: 'POST', body: form, headers: { cookie: t.cookie } });
      return { status: response.status, body: (await response.json()) as { message: string; imported?: number } };
    };
    const before = await state();
    const many = zip(Array.from({ length: 5000 }, (_, i) => ({ name: `xl/part${i}.xml`, data: Buffer.from('<x/>') })));
    const cases: [string, Buffer, number][] = [
      ['1 MB and more', Buffer.alloc(1024 * 1024 + 1, 1), 413],
      ['random bytes', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)), 400],
      ['a zip bomb', zip([{ name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(200 * 1024 * 1024) }]), 400],
      ['a zip bomb lying about its size', zip([{ name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(40 * 1024 * 1024), declared: 100 }]), 400],
      ['5,000 parts', many, 400],
      ['a zip-slip name', zip([{ name: '../../../../tmp/xuncha-zip-slip.txt', data: Buffer.from('owned') }]), 400],
    ];
    for (const [what, content, status] of cases) {
      const response = await upload(content);
      expect([what, response.status, response.body.message.startsWith('file:')]).toEqual([what, status, true]);
    }
    const fs = await import('node:fs');
    expect(fs.existsSync('/tmp/xuncha-zip-slip.txt')).toBe(false);

    // a real ledger whose sheet declares an external entity reading /etc/passwd and a billion-laughs entity
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('整改台账');
    sheet.addRow(LEDGER_COLUMNS.map((c) => c.header));
    const cells: Record<string, unknown> = {
      round: '第一轮',
      unit: 'U1',
      category: '1.01',
      description: 'ENTITY_HERE',
      isImmediate: '否',
      measure: '整改',
      responsibleDept: '办公室',
      responsiblePerson: '李四',
      track: '限期整改',
      dueDate: TODAY,
      foundDate: TODAY,
    };
    sheet.addRow(LEDGER_COLUMNS.map((c) => cells[c.key] ?? null));
    const archive = await JSZip.loadAsync(Buffer.from(await book.xlsx.writeBuffer()));
    const sheetPath = Object.keys(archive.files).find((name) => /xl\/worksheets\/sheet\d+\.xml$/.test(name))!;
    const xml = await archive.file(sheetPath)!.async('string');
    const doctype =
      '<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd"><!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>';
    const hostile = xml.replace(/^(<\?xml[^>]*\?>)?/, (decl) => `${decl}${doctype}`).replace(/ENTITY_HERE/g, '&xxe;&c;');
    archive.file(sheetPath, hostile);
    const entity = await upload(Buffer.from(await archive.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' })));
    expect(entity.status).toBe(400);
    expect(entity.body.imported).toBeUndefined();
    expect(JSON.stringify(entity.body)).not.toMatch(/root:x:0:0/);
    expect(await state()).toEqual(before);
    const leaked = await sql<{ n: string }>("SELECT count(*) AS n FROM findings WHERE description LIKE '%root:%'");
    expect(Number(leaked[0].n)).toBe(0);
  });
});

describe('cross-site writes', () => {
  it('are refused even with the session cookie: another Origin, a cross-site fetch, a form post', async () => {
    const [task] = await sql<{ id: string }>(
      "SELECT id::text AS id FROM rectification_tasks WHERE status = 'IN_PROGRESS' AND deleted_at IS NULL ORDER BY id LIMIT 1",
    );
    const before = await state();
    const attempts: [string, Record<string, string>, string][] = [
      ['another origin', { origin: 'https://evil.example', 'content-type': 'application/json' }, JSON.stringify({ status: 'CLOSE_REQUESTED' })],
      ['a lookalike origin', { origin: `${t.url}.evil.example`, 'content-type': 'application/json' }, JSON.stringify({ status: 'CLOSE_REQUESTED' })],
      ['a null origin (sandboxed frame)', { origin: 'null', 'content-type': 'application/json' }, JSON.stringify({ status: 'CLOSE_REQUESTED' })],
      ['a cross-site fetch', { 'sec-fetch-site': 'cross-site', 'content-type': 'application/json' }, JSON.stringify({ status: 'CLOSE_REQUESTED' })],
      ['an HTML form post', { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' }, 'status=CLOSE_REQUESTED'],
      ['a text/plain post (no preflight)', { 'content-type': 'text/plain' }, JSON.stringify({ status: 'CLOSE_REQUESTED' })],
    ];
    for (const [what, headers, body] of attempts) {
      const response = await fetch(`${t.url}/api/tasks/${task.id}/status`, { method: 'POST', headers: { cookie: t.cookie, ...headers }, body });
      expect([what, response.status === 403 || response.status === 400]).toEqual([what, true]);
    }
    expect(await state()).toEqual(before);
    const [{ status }] = await sql<{ status: string }>('SELECT status FROM rectification_tasks WHERE id = $1', [task.id]);
    expect(status).toBe('IN_PROGRESS');
  });
});
