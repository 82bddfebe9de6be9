import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestApp, type TestApp, type TestClient } from '../support/app';
import { query } from '../support/pg';
import { pinToday } from '../support/today';
import { parseCsv } from '../support/csv';

/**
 * The audit log as the administrator reads it: each entry named in words (the record, the
 * action, a correction's before and after), filtered by day range (Beijing days), user and
 * action, and downloaded as CSV and .xlsx (read back by LibreOffice).
 */
jest.setTimeout(300_000);

const TODAY = pinToday();

interface Entry {
  id: string;
  at: string;
  username: string | null;
  displayName: string | null;
  action: string;
  actionLabel: string;
  record: string | null;
  summary: string;
  changes: { field: string; label: string; before: string; after: string }[];
  success: boolean;
}
interface Page {
  total: number;
  rows: Entry[];
}

let t: TestApp;
let admin: TestClient;
let staff: TestClient;
const sql = <T extends Record<string, unknown>>(text: string, params: unknown[] = []) => query<T>(t.db.url, text, params);

const download = async (client: TestClient, urlPath: string) => {
  const response = await fetch(t.url + urlPath, { headers: { cookie: client.cookie } });
  return { status: response.status, disposition: response.headers.get('content-disposition') ?? '', bytes: Buffer.from(await response.arrayBuffer()) };
};

let task: { id: string; unit: string; person: string };

beforeAll(async () => {
  t = await startTestApp({ seed: { scale: 'tiny', today: TODAY } });
  admin = await t.as('admin');
  staff = await t.as('staff');
  const [row] = await sql<{ id: string; unit: string; person: string }>(
    `SELECT k.id::text AS id, u.name AS unit, k.responsible_person AS person
       FROM rectification_tasks k JOIN findings f ON f.id = k.finding_id JOIN org_units u ON u.id = f.unit_id
      WHERE k.deleted_at IS NULL AND f.deleted_at IS NULL ORDER BY k.id LIMIT 1`,
  );
  task = row!;
  // two entries of fixed times either side of a Beijing midnight: 2025-03-01 23:30 and 2025-03-02 00:30 (+08:00)
  await sql(
    `INSERT INTO audit_logs (username, action, target, success, at) VALUES
       ('staff', 'auth.login', NULL, true, '2025-03-01T23:30:00+08:00'), ('staff', 'auth.logout', NULL, true, '2025-03-02T00:30:00+08:00')`,
  );
});

afterAll(async () => {
  await t?.close();
});

describe('the audit log in words', () => {
  it('names a correction’s record, its action and the field changed, with the person’s name', async () => {
    const corrected = await staff.send('PATCH', `/api/tasks/${task.id}`, { responsiblePerson: '审计测试人' });
    expect(corrected.status).toBe(200);
    const page = await admin.get<Page>('/api/audit?action=task.update&pageSize=5');
    expect(page.status).toBe(200);
    const [entry] = page.body.rows;
    const [user] = await sql<{ display_name: string }>("SELECT display_name FROM users WHERE username = 'staff'");
    expect(entry).toMatchObject({
      username: 'staff',
      displayName: user.display_name,
      action: 'task.update',
      actionLabel: '更正整改任务',
      record: `整改任务 #${task.id}（${task.unit}）`,
      summary: `更正整改任务 #${task.id}（${task.unit}）的责任人`,
      changes: [{ field: 'responsiblePerson', label: '责任人', before: task.person, after: '审计测试人' }],
      success: true,
    });
  });

  it('says what a status change set, and that a refused one did not succeed', async () => {
    await staff.send('POST', `/api/tasks/${task.id}/status`, { status: 'CLOSED' }); // not a transition staff may make directly
    const page = await admin.get<Page>('/api/audit?action=task.status&pageSize=1');
    const [entry] = page.body.rows;
    expect(entry.success).toBe(false);
    expect(entry.summary).toBe(`变更整改任务 #${task.id}（${task.unit}）的状态为「已销号」（未成功）`);
  });
});

describe('the audit log filters', () => {
  it('keeps Beijing days: from–to picks the entries of those days only', async () => {
    const day1 = await admin.get<Page>('/api/audit?from=2025-03-01&to=2025-03-01');
    expect(day1.body.rows.map((r) => r.action)).toEqual(['auth.login']);
    const day2 = await admin.get<Page>('/api/audit?from=2025-03-02&to=2025-03-02');
    expect(day2.body.rows.map((r) => r.action)).toEqual(['auth.logout']);
    const both = await admin.get<Page>('/api/audit?from=2025-03-01&to=2025-03-02');
    expect(both.body.total).toBe(2);
    const [{ n }] = await sql<{ n: number }>("SELECT count(*)::int AS n FROM audit_logs WHERE at >= '2025-03-02T00:00:00+08:00'");
    expect((await admin.get<Page>('/api/audit?from=2025-03-02')).body.total).toBe(n);
  });

  it('filters by user and action as the table counts them', async () => {
    const page = await admin.get<Page>('/api/audit?username=staff&action=auth&pageSize=200');
    const [{ n }] = await sql<{ n: number }>("SELECT count(*)::int AS n FROM audit_logs WHERE username = 'staff' AND action LIKE 'auth%'");
    expect(page.body.total).toBe(n);
    expect(n).toBeGreaterThan(1);
    for (const row of page.body.rows) expect([row.username, row.action.startsWith('auth')]).toEqual(['staff', true]);
  });

  it('refuses a range that ends before it starts, at the field', async () => {
    const refused = await admin.get<{ message: string }>('/api/audit?from=2025-03-02&to=2025-03-01');
    expect(refused.status).toBe(400);
    expect(refused.body.message).toMatch(/^from/);
  });
});

describe('the audit log downloads', () => {
  it('answers CSV with every filtered entry, named after the filters', async () => {
    const page = await admin.get<Page>('/api/audit?username=staff&pageSize=200');
    const file = await download(admin, '/api/audit.csv?username=staff');
    expect(file.status).toBe(200);
    expect(decodeURIComponent(file.disposition)).toContain(`审计日志_staff_${TODAY}.csv`);
    const records = parseCsv(file.bytes.toString('utf8').replace(/^\ufeff/, ''));
    expect(records[0]).toEqual(['时间(北京时间)', '用户名', '姓名', '操作', '对象', '内容', '修改前后', '结果', '地址', '接口路径']);
    expect(records.length - 1).toBe(page.body.total);
    const correction = records.find((r) => r[3] === '更正整改任务')!;
    expect(correction.slice(4, 7)).toEqual([
      `整改任务 #${task.id}（${task.unit}）`,
      `更正整改任务 #${task.id}（${task.unit}）的责任人`,
      `责任人: ${task.person} → 审计测试人`,
    ]);
  });

  it('answers .xlsx that LibreOffice reads: the entries of the filtered days', async () => {
    const file = await download(admin, '/api/audit.xlsx?from=2025-03-01&to=2025-03-02');
    expect(file.status).toBe(200);
    expect(decodeURIComponent(file.disposition)).toContain(`审计日志_2025-03-01至2025-03-02_${TODAY}.xlsx`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xuncha-audit-lo-'));
    try {
      fs.writeFileSync(path.join(dir, 'audit.xlsx'), file.bytes);
      execFileSync(
        'soffice',
        [
          `-env:UserInstallation=file://${path.join(dir, 'profile')}`,
          '--headless',
          '--convert-to',
          'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1',
          '--outdir',
          dir,
          path.join(dir, 'audit.xlsx'),
        ],
        { stdio: 'pipe', timeout: 180_000 },
      );
      const csvFile = fs.readdirSync(dir).find((f) => f.endsWith('.csv'))!;
      const records = parseCsv(fs.readFileSync(path.join(dir, csvFile), 'utf8'));
      const header = records.findIndex((r) => r[0] === '时间(北京时间)');
      expect(header).toBeGreaterThan(0);
      const rows = records.slice(header + 1).filter((r) => r.some(Boolean));
      expect(rows.map((r) => [r[0], r[1], r[3]])).toEqual([
        ['2025-03-02 00:30:00', 'staff', '退出登录'],
        ['2025-03-01 23:30:00', 'staff', '登录'],
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is the administrator’s alone', async () => {
    expect((await download(staff, '/api/audit.csv')).status).toBe(403);
  });
});
