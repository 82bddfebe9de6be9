import { shanghaiToday } from '@xuncha/shared';
import { startTestApp, TEST_PASSWORD, type TestApp, type TestClient } from '../support/app';
import { query } from '../support/pg';

/**
 * Issue 15's input and account rules: dates both engines hold, sign-in attempts counted
 * before the password check, usernames one whatever their case, a password that must
 * change, and no unknown parameter on /api/options.
 */
jest.setTimeout(300_000);

const TODAY = shanghaiToday();
let t: TestApp;
let anonymous: TestClient;
const sql = <T extends Record<string, unknown>>(text: string, params: unknown[] = []) => query<T>(t.db.url, text, params);

beforeAll(async () => {
  t = await startTestApp({ seed: { scale: 'tiny', today: TODAY } });
  anonymous = await t.as(null);
}, 300_000);

afterAll(async () => {
  await t?.close();
});

type ErrorBody = { message: string; details?: { field: string; message: string }[] };

function expectRangeError(response: { status: number; body: unknown }, field: string) {
  const body = response.body as ErrorBody;
  expect(response.status).toBe(400);
  expect(body.message.split(':')[0]).toBe(field);
  // Chinese first, then English, with the range itself
  expect(body.message).toMatch(/须在 1970-01-01 至 2100-12-31 之间 must lie from 1970-01-01 to 2100-12-31/);
}

describe('dates outside what both engines hold', () => {
  it('refuses an as-of day before 1970 on every filtered route, naming asOf and the range', async () => {
    for (const path of ['/api/metrics/overview', '/api/tasks', '/api/findings', '/api/tasks.csv']) {
      expectRangeError(await t.get(`${path}?asOf=1969-12-31`), 'asOf');
    }
    // the first day of the range is a day like any other
    expect((await t.get('/api/metrics/overview?asOf=1970-01-01')).status).toBe(200);
  });

  it('refuses body dates outside the range before anything is written', async () => {
    const [{ n: before }] = await sql<{ n: number }>('SELECT count(*)::int AS n FROM inspections');
    const inspection = { roundId: 1, unitId: 1, team: '第一组', mode: 'ROUTINE', isCross: false, isElevated: false };
    expectRangeError(await t.send('POST', '/api/inspections', { ...inspection, stationedFrom: '1969-12-31' }), 'stationedFrom');
    expectRangeError(await t.send('POST', '/api/inspections', { ...inspection, stationedFrom: '2020-01-01', feedbackDate: '2150-01-01' }), 'feedbackDate');
    const task = { findingId: 1, measure: '整改', responsibleDept: '办公室', responsiblePerson: '张三', track: 'DEADLINE' };
    // ClickHouse's Date ends at 2149-06-06: a due date in 2101 was clamped, now refused
    expectRangeError(await t.send('POST', '/api/tasks', { ...task, originalDueDate: '2101-01-01' }), 'originalDueDate');
    expectRangeError(await t.send('POST', '/api/tasks/1/extensions', { newDueDate: '2199-12-31', reason: '延期' }), 'newDueDate');
    expectRangeError(await t.send('POST', '/api/tasks/1/status', { status: 'IN_PROGRESS', date: '1900-01-01' }), 'date');
    const [{ n: after }] = await sql<{ n: number }>('SELECT count(*)::int AS n FROM inspections');
    expect(after).toBe(before);
  });
});

describe('sign-in attempts at once', () => {
  it('checks at most 5 of 40 parallel wrong passwords for one user: the rest wait (429)', async () => {
    const username = 'leader';
    const statuses = await Promise.all(
      Array.from({ length: 40 }, (_, i) => anonymous.send('POST', '/api/auth/login', { username, password: `wrong-password-${i}` }).then((r) => r.status)),
    );
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(35);
    // the audit log shows as many password checks as 401s
    const [{ n }] = await sql<{ n: number }>(
      "SELECT count(*)::int AS n FROM audit_logs WHERE action = 'auth.login' AND username = $1 AND detail->>'reason' = 'wrong password'",
      [username],
    );
    expect(n).toBe(5);
  });
});

describe('accounts', () => {
  it('refuses a username that differs from another only in letter case (409 naming username)', async () => {
    const admin = await t.as('admin');
    const made = await admin.send('POST', '/api/users', { username: 'Case.User', displayName: '大小写', role: 'STAFF', password: 'case-user-pw-1' });
    expect(made.status).toBe(201);
    for (const username of ['case.user', 'CASE.USER', 'STAFF']) {
      const again = await admin.send<ErrorBody>('POST', '/api/users', { username, displayName: '重名', role: 'STAFF', password: 'case-user-pw-2' });
      expect([again.status, again.body.message.split(':')[0]]).toEqual([409, 'username']);
    }
    // and the database refuses it too, whoever writes
    await expect(sql("INSERT INTO users (username, display_name, password_hash, role) VALUES ('case.USER', 'x', 'x', 'STAFF')")).rejects.toThrow(
      /users_username_lower_key/,
    );
  });

  it('refuses a new password equal to the current one (400 naming newPassword)', async () => {
    const staff = await t.as('staff');
    const same = await staff.send<ErrorBody>('POST', '/api/auth/password', { currentPassword: TEST_PASSWORD, newPassword: TEST_PASSWORD });
    expect([same.status, same.body.message.split(':')[0]]).toEqual([400, 'newPassword']);
    expect(same.body.message).toMatch(/新密码不能与当前密码相同/);
    // the session lives on: nothing changed
    expect((await staff.get('/api/auth/me')).status).toBe(200);
  });
});

describe('/api/options', () => {
  it('refuses an unknown parameter with a 400 naming it, like every other route', async () => {
    const response = await t.get<ErrorBody>('/api/options?regionID=3');
    expect([response.status, response.body.message.split(':')[0]]).toEqual([400, 'regionID']);
    expect((await t.get('/api/options')).status).toBe(200);
  });
});
