import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { formatCount, formatFraction, formatPercent, formatShanghai } from '@xuncha/frontend';
import { startTestApp, TEST_PASSWORD, type TestApp } from '../support/app';
import { query } from '../support/pg';
import { clickNav, ensureDashboardBuilt, launchChromium, SCREENSHOT_DIR } from '../support/browser';
import { pinToday } from '../support/today';
import { addSessionCookie, collectErrors, describeInBrowser, readUntil } from '../support/web';

/**
 * Accounts in a real browser (Debian's chromium driven by playwright-core) against the real
 * app over the tiny demo dataset: sign-in through the page (wrong password, too many
 * attempts, no server, back to the page asked for and never to another site), sign-out, an
 * expired session, what each role sees (LEADER: no write actions; a county user: their
 * county only; ADMIN: users, audit log and sync), a user created through 用户管理 signing
 * in, the audit log showing it, and a password change. Screenshots go to
 * test-output/screenshots/accounts-*.png.
 */
jest.setTimeout(240_000);

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A session of `username` with `password` straight from the API: its cookie, or the status that refused it. */
async function signIn(url: string, username: string, password: string): Promise<{ status: number; cookie: string; body: Json }> {
  const response = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  return { status: response.status, cookie: (response.headers.get('set-cookie') ?? '').split(';')[0], body: (await response.json()) as Json };
}

async function getWith(url: string, cookie: string, pathname: string): Promise<{ status: number; body: Json }> {
  const response = await fetch(url + pathname, { headers: cookie ? { cookie } : {} });
  return { status: response.status, body: (await response.json()) as Json };
}

describeInBrowser('accounts in a browser', () => {
  let t: TestApp;
  let browser: Browser;
  let options: Json;
  const today = pinToday();
  const errors: string[] = [];
  /** Failed calls a test provoked on purpose (the browser logs them as errors). */
  const expectedFailures: RegExp[] = [
    // a signed-out visit asks who is signed in, a wrong password is refused: 401 is their answer
    /401 \(Unauthorized\) .*\/api\/auth\/(me|login)/,
  ];
  const contexts: BrowserContext[] = [];
  /** The county user the administrator creates, used by the later tests. */
  const created = { username: `county-new-${process.pid}`, password: 'first-password-1', newPassword: 'second-password-2', countyId: 0, countyName: '' };

  const newPage = async (cookie?: string): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', baseURL: t.url, reducedMotion: 'reduce' });
    contexts.push(context);
    if (cookie) {
      await addSessionCookie(context, t.url, cookie);
    }
    const page = await context.newPage();
    collectErrors(page, errors, { console: true });
    return page;
  };
  const shot = (page: Page, name: string, fullPage = false) => page.screenshot({ path: path.join(SCREENSHOT_DIR, `accounts-${name}.png`), fullPage });
  const text = async (page: Page, testid: string) => (await page.getByTestId(testid).innerText()).trim();
  const waitReady = (page: Page, testid: string) =>
    page.waitForSelector(`[data-testid="${testid}"][data-state="ready"][aria-busy="false"]`, { timeout: 30_000 });
  const pathOf = (page: Page) => new URL(page.url()).pathname;
  const tableRows = (page: Page, testid: string) =>
    page.$$eval(`[data-testid="${testid}"] .el-table__body-wrapper tbody tr.el-table__row`, (rows) =>
      rows.map((row) => Array.from((row as unknown as { cells: ArrayLike<{ textContent: string | null }> }).cells, (cell) => (cell.textContent ?? '').trim())),
    );
  const navItems = (page: Page) => page.$$eval('.app-nav [data-testid^="nav-"]', (links) => links.map((a) => a.getAttribute('data-testid')));
  /** An Element Plus input's own <input> (the test id lands on it, or on its wrapper). */
  const input = (page: Page, testid: string) => page.locator(`input[data-testid="${testid}"], [data-testid="${testid}"] input`);
  const fill = (page: Page, testid: string, value: string) => input(page, testid).fill(value);
  const pickOption = async (page: Page, selectTestid: string, label: string) => {
    await page.getByTestId(selectTestid).click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: label }).first().click();
  };
  const formErrors = (page: Page, form: string) =>
    page.$$eval(`[data-testid="${form}"] .el-form-item__error`, (els) => els.map((e) => (e.textContent ?? '').trim()));
  /** Signs in through the page (already on /login). */
  const signInThroughPage = async (page: Page, username: string, password: string) => {
    await fill(page, 'login-username', username);
    await fill(page, 'login-password', password);
    await input(page, 'login-password').press('Enter');
  };
  /** Opens the account menu and chooses an item, until its effect shows (a click during the menu's opening animation can be lost). */
  const openUserMenu = async (page: Page, item: 'password' | 'logout') => {
    const effect = item === 'password' ? input(page, 'password-current') : page.getByTestId('page-login');
    for (let attempt = 1; ; attempt++) {
      if (!(await page.locator(`[data-testid="user-menu-${item}"]`).isVisible())) await page.getByTestId('user-menu').click();
      await page.locator(`[data-testid="user-menu-${item}"]:visible`).click();
      try {
        await effect.waitFor({ timeout: 5_000 });
        return;
      } catch (error) {
        if (attempt === 3) throw error;
      }
    }
  };
  /** Reads until `accept` takes the value (the page answers after a call); returns the last value read. */
  const poll = readUntil;
  const same =
    <T>(expected: T) =>
    (value: T) =>
      JSON.stringify(value) === JSON.stringify(expected);
  const expectRatio = async (page: Page, testid: string, ratio: { numerator: number; denominator: number; rate: number | null }) => {
    expect(await text(page, `${testid}-value`)).toBe(formatPercent(ratio.rate));
    expect(await text(page, `${testid}-fraction`)).toBe(formatFraction(ratio));
  };

  beforeAll(async () => {
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    for (const file of fs.readdirSync(SCREENSHOT_DIR)) if (file.startsWith('accounts-')) fs.rmSync(path.join(SCREENSHOT_DIR, file));
    const dist = ensureDashboardBuilt();
    t = await startTestApp({ seed: { scale: 'tiny', today }, env: { STATIC_DIR: dist } });
    options = (await t.get<Json>('/api/options')).body;
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await t?.close();
  });

  it('登录: a signed-out visit goes to the sign-in page; a wrong password says so; the right one lands on the page asked for', async () => {
    const page = await newPage();
    await page.goto('/overdue?mode=ROUTINE');
    await page.waitForURL((url) => url.pathname === '/login');
    expect(new URL(page.url()).searchParams.get('redirect')).toBe('/overdue?mode=ROUTINE');
    await expect(page.locator('.app-header').count()).resolves.toBe(0);
    // the username field has the focus: typing goes straight in
    await page.keyboard.type('staff');
    expect(await input(page, 'login-username').inputValue()).toBe('staff');

    // an empty password is caught before any call
    await page.getByTestId('login-submit').click();
    expect(await poll(() => formErrors(page, 'login-form'), same(['请输入密码']))).toEqual(['请输入密码']);

    await signInThroughPage(page, 'staff', 'not-the-password');
    await page.getByTestId('login-error').waitFor();
    expect(await text(page, 'login-error')).toBe('用户名或密码错误');
    expect(await input(page, 'login-password').inputValue()).toBe('');
    expect(pathOf(page)).toBe('/login');
    await shot(page, '01-login-wrong-password');

    await fill(page, 'login-password', TEST_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.waitForURL((url) => url.pathname === '/overdue');
    expect(Object.fromEntries(new URL(page.url()).searchParams)).toEqual({ mode: 'ROUTINE' });
    await waitReady(page, 'overdue-list');
    expect(await text(page, 'user-name')).toBe('巡察办（演示）');
    expect(await text(page, 'user-role')).toBe('巡察办工作人员');
    await expect(page.getByTestId('user-county').count()).resolves.toBe(0);
    const navs = await navItems(page);
    // grouped by menu: 分析, 业务记录, 督办, 基础数据 (read only for a leader), 系统
    expect(navs).toEqual([
      'nav-overview',
      'nav-coverage',
      'nav-categories',
      'nav-rectification',
      'nav-recurrence',
      'nav-inspections',
      'nav-finding-records',
      'nav-ledger-import',
      'nav-overdue',
      'nav-closure-review',
      'nav-warnings',
      'nav-clues',
      'nav-setup',
      'nav-md-regions',
      'nav-md-terms',
      'nav-md-units',
      'nav-md-categories',
      'nav-export',
      'nav-etl',
    ]);
    // the session is the page's own httpOnly cookie
    const cookies = await page.context().cookies();
    expect(cookies.find((c) => c.name === 'xuncha_session')).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    expect(await page.evaluate('document.cookie')).not.toContain('xuncha_session');
    // a signed-in visit to the sign-in page goes on
    await page.goto('/login?redirect=%2Fcoverage');
    await page.waitForURL((url) => url.pathname === '/coverage');
  });

  it('a redirect to another site is ignored: the sign-in lands on the role’s home page', async () => {
    for (const redirect of ['https://evil.example/', '//evil.example/x', '/\\evil.example']) {
      const page = await newPage();
      await page.goto(`/login?redirect=${encodeURIComponent(redirect)}`);
      await page.getByTestId('login-username').waitFor();
      await signInThroughPage(page, 'leader', TEST_PASSWORD);
      await page.waitForURL((url) => url.origin === t.url && url.pathname === '/');
      await waitReady(page, 'overview-kpis');
      await page.context().close();
    }
  });

  it('says when the server cannot be reached, and after too many failures how long to wait', async () => {
    const page = await newPage();
    await page.goto('/login');
    await page.route('**/api/auth/login', (route) => route.abort('connectionrefused'));
    expectedFailures.push(/net::ERR_CONNECTION_REFUSED/);
    await signInThroughPage(page, 'staff', TEST_PASSWORD);
    await page.getByTestId('login-error').waitFor();
    expect(await text(page, 'login-error')).toBe('无法连接服务器，请检查网络后重试');
    await page.unroute('**/api/auth/login');

    // five failures of one username (an unknown one: no real account is locked)
    const ghost = `ghost-${process.pid}`;
    for (let i = 0; i < 5; i++) expect((await signIn(t.url, ghost, 'wrong-password')).status).toBe(401);
    const refused = await signIn(t.url, ghost, 'wrong-password');
    expect(refused.status).toBe(429);
    const minutes = Math.ceil(Number(refused.body.details[0].message) / 60);
    expectedFailures.push(/429 \(Too Many Requests\)/);
    await signInThroughPage(page, ghost, 'wrong-password');
    const tooMany = `登录失败次数过多，请 ${minutes} 分钟后再试`;
    expect(
      await poll(
        () => text(page, 'login-error'),
        (v) => v === tooMany,
      ),
    ).toBe(tooMany);
    expect(await page.getByTestId('login-submit').isEnabled()).toBe(true);
    await shot(page, '02-login-too-many');

    // English, the whole page
    await page.getByTestId('lang-switch').click();
    await expect(text(page, 'login-submit')).resolves.toBe('Sign in');
    await signInThroughPage(page, ghost, 'wrong-password');
    const english = /^Too many failed sign-ins; try again in \d+ min$/;
    expect(
      await poll(
        () => text(page, 'login-error'),
        (v) => english.test(v),
      ),
    ).toMatch(english);
    await page.getByTestId('lang-switch').click();
    await expect(text(page, 'login-submit')).resolves.toBe('登录');
  });

  it('退出登录: back to the sign-in page, and the old session cookie answers 401', async () => {
    const page = await newPage();
    await page.goto('/login');
    await signInThroughPage(page, 'staff', TEST_PASSWORD);
    await page.waitForURL((url) => url.pathname === '/');
    await waitReady(page, 'overview-kpis');
    const session = (await page.context().cookies()).find((c) => c.name === 'xuncha_session')!;
    const cookie = `${session.name}=${session.value}`;
    expect((await getWith(t.url, cookie, '/api/auth/me')).status).toBe(200);

    await openUserMenu(page, 'logout');
    await page.waitForURL((url) => url.pathname === '/login');
    expect(await text(page, 'login-notice')).toBe('已退出登录');
    expect((await getWith(t.url, cookie, '/api/auth/me')).status).toBe(401);
    expect((await getWith(t.url, cookie, '/api/metrics/overview')).status).toBe(401);
    expect((await page.context().cookies()).find((c) => c.name === 'xuncha_session')).toBeUndefined();
    // and the pages stay closed
    await page.goto('/rectification');
    await page.waitForURL((url) => url.pathname === '/login' && url.searchParams.get('redirect') === '/rectification');
  });

  it('a session that ends under an open page: the next call sends the user to sign in with 会话已过期, and back after', async () => {
    const staff = await t.as('staff');
    const page = await newPage(staff.cookie);
    await page.goto('/coverage');
    await waitReady(page, 'coverage-kpis');
    // the session ends elsewhere (here: signed out by another client with the same cookie)
    expect((await staff.send('POST', '/api/auth/logout')).status).toBe(200);
    expectedFailures.push(/401 \(Unauthorized\) .*\/api\/tasks/);
    await clickNav(page, 'overdue');
    await page.waitForURL((url) => url.pathname === '/login');
    expect(new URL(page.url()).searchParams.get('redirect')).toBe('/overdue');
    expect(await text(page, 'login-notice')).toBe('会话已过期，请重新登录');
    await shot(page, '03-session-expired');
    await signInThroughPage(page, 'staff', TEST_PASSWORD);
    await page.waitForURL((url) => url.pathname === '/overdue');
    await waitReady(page, 'overdue-list');
  });

  it('LEADER: the overdue task drawer has no write actions, 数据同步 no 立即同步, and the admin pages send home', async () => {
    const leader = await t.as('leader');
    const page = await newPage(leader.cookie);
    await page.goto('/overdue');
    await waitReady(page, 'overdue-list');
    expect(await text(page, 'user-role')).toBe('领导');
    expect(await navItems(page)).not.toContain('nav-admin-users');
    const first = page.locator('[data-testid="overdue-table"] tbody tr button.link-button').first();
    const id = Number((await first.innerText()).replace('#', ''));
    await first.click();
    await page.waitForSelector('[data-testid="task-detail"][data-state="ready"]');
    expect((await leader.get<Json>(`/api/tasks/${id}`)).status).toBe(200);
    for (const form of [
      'note-form',
      'status-form',
      'extend-form',
      'note-submit',
      'extend-submit',
      'task-message',
      'apply-form',
      'review-form',
      'reopen-form',
    ]) {
      await expect(page.getByTestId(form).count()).resolves.toBe(0);
    }
    expect(await page.locator('[data-testid="task-drawer"] .section-title').allInnerTexts()).toEqual(['办理过程', '销号申请']);
    // what the page hides, the API refuses
    const note = await leader.send<Json>('POST', `/api/tasks/${id}/notes`, { note: 'leader' });
    expect(note.status).toBe(403);
    expect(note.body.message).toMatch(/^当前角色无权执行此操作/);
    await shot(page, '04-leader-task-drawer');
    await page.keyboard.press('Escape');

    await clickNav(page, 'etl');
    await waitReady(page, 'etl-runs');
    await expect(page.getByTestId('etl-run-now').count()).resolves.toBe(0);
    await page.goto('/admin/users');
    await page.waitForURL((url) => url.pathname === '/');
    await waitReady(page, 'overview-kpis');
  });

  it('a county user: the header names the county, the filter bar offers it alone, the overview shows the API’s figures for them', async () => {
    const county = options.regions[0].children.find((r: Json) => r.level === 'COUNTY');
    const client = await t.as(`county-${county.code}`);
    const page = await newPage(client.cookie);
    await page.goto('/');
    await waitReady(page, 'overview-kpis');
    expect(await text(page, 'user-county')).toBe(county.name);
    expect(await text(page, 'user-role')).toBe('县区巡察办工作人员');

    await page.locator('[data-testid="filter-region-field"] .el-cascader').click();
    const offered = page.locator('.el-cascader__dropdown:visible .el-cascader-node__label');
    await offered.first().waitFor();
    expect(await offered.allInnerTexts()).toEqual([county.name]);
    await page.keyboard.press('Escape');

    const mine = (await client.get<Json>('/api/metrics/overview')).body;
    const city = (await t.get<Json>('/api/metrics/overview')).body;
    expect(mine.cards.findings).toBeLessThan(city.cards.findings);
    expect(Number((await text(page, 'kpi-findings-value')).replace(/[^\d]/g, ''))).toBe(mine.cards.findings);
    await expectRatio(page, 'kpi-coverage', mine.cards.coverage);
    await expectRatio(page, 'kpi-finding-closure', mine.cards.findingClosure);
    await expectRatio(page, 'kpi-task-closure', mine.cards.taskClosure);
    await expectRatio(page, 'kpi-on-time', mine.cards.onTime);
    expect(Number((await text(page, 'kpi-overdue-value')).replace(/[^\d]/g, ''))).toBe(mine.cards.overdue);
    const closure = await page.$$eval('[data-testid="chart-closure-by-region-table"] tbody tr', (rows) =>
      rows.map((row) => Array.from((row as unknown as { cells: ArrayLike<{ textContent: string | null }> }).cells, (c) => (c.textContent ?? '').trim())),
    );
    expect(closure.map((row) => [row[0], row[2]])).toEqual(
      // a county user's 各地区 charts show their townships and 县直单位 (issue 18, item 9)
      mine.charts.closureByRegion.map((r: Json) => [
        r.level === 'countyUnits' ? '县直单位' : r.name,
        `${formatCount(r.findingsClosed)} / ${formatCount(r.findings)}`,
      ]),
    );
    await shot(page, '05-county-overview', true);

    // another county in a pasted link: the API would refuse it; the page lands on the user's
    // own county with a short notice instead of a refusal its 重试 cannot mend
    const other = options.regions[0].children.find((r: Json) => r.level === 'COUNTY' && r.id !== county.id);
    const refused = await client.get<Json>(`/api/metrics/overview?regionId=${other.id}`);
    expect(refused.status).toBe(403);
    await page.goto(`/?regionId=${other.id}`);
    await page.waitForURL((url) => url.searchParams.get('regionId') === String(county.id));
    await page.locator('.el-message', { hasText: county.name }).first().waitFor();
    await waitReady(page, 'overview-kpis');
    await expect(page.locator('[data-state="error"]').count()).resolves.toBe(0);
    expect(Number((await text(page, 'kpi-findings-value')).replace(/[^\d]/g, ''))).toBe(mine.cards.findings);
  });

  it('ADMIN lands on 用户管理, sees only its pages, and creates a county user through the dialog', async () => {
    const page = await newPage();
    await page.goto('/login');
    await signInThroughPage(page, 'admin', TEST_PASSWORD);
    await page.waitForURL((url) => url.pathname === '/admin/users');
    await waitReady(page, 'users');
    // the administrator sets up the master data (issue 14) and keeps the system
    expect(await navItems(page)).toEqual([
      'nav-setup',
      'nav-md-regions',
      'nav-md-terms',
      'nav-md-units',
      'nav-md-categories',
      // 导出: the 报送 state, where the administrator may withdraw a report
      'nav-export',
      'nav-admin-users',
      'nav-admin-audit',
      'nav-etl',
    ]);
    await expect(page.getByTestId('filter-bar').count()).resolves.toBe(0);
    const admin = await t.as('admin');
    const listed = (await admin.get<Json>('/api/users')).body.rows;
    expect((await tableRows(page, 'users-table')).map((row) => row[0])).toEqual(listed.map((u: Json) => u.username));
    // the admin's figures pages are closed: they go to 用户管理
    await page.goto('/');
    await page.waitForURL((url) => url.pathname === '/admin/users');

    const regions = (await admin.get<Json>('/api/users/regions')).body.rows;
    expect(regions.map((r: Json) => r.level).sort()).toEqual(
      options.regions[0].children
        .filter((r: Json) => r.level === 'COUNTY' || r.level === 'MUNICIPAL')
        .map((r: Json) => r.level)
        .sort(),
    );
    expect((await t.get('/api/users/regions')).status).toBe(403);
    const county = regions.filter((r: Json) => r.level === 'COUNTY')[1];
    Object.assign(created, { countyId: county.id, countyName: county.name });

    await waitReady(page, 'users');
    await page.getByTestId('users-create').click();
    await input(page, 'user-form-username').waitFor();
    // the county is required for a county user: said under its field before any call
    await fill(page, 'user-form-username', 'staff');
    await fill(page, 'user-form-display-name', '新县区用户');
    await pickOption(page, 'user-form-role', '县区巡察办工作人员');
    await fill(page, 'user-form-password', created.password);
    await page.getByTestId('user-form-submit').click();
    expect(await poll(() => formErrors(page, 'user-form'), same(['县区用户须指定所属县区']))).toEqual(['县区用户须指定所属县区']);
    await pickOption(page, 'user-form-region', county.name);
    // a taken username: the API's 409 shows under the username
    await page.getByTestId('user-form-submit').click();
    expect(await poll(() => formErrors(page, 'user-form'), same(['用户名 staff 已存在']))).toEqual(['用户名 staff 已存在']);
    expectedFailures.push(/409 \(Conflict\)/);
    // a password equal to the username: the API's 400 names the field
    await fill(page, 'user-form-username', created.username);
    await fill(page, 'user-form-password', created.username);
    await page.getByTestId('user-form-submit').click();
    const samePassword = ['密码不能与用户名相同']; // the Chinese part alone (the English part in English mode)
    expect(await poll(() => formErrors(page, 'user-form'), same(samePassword))).toEqual(samePassword);
    expectedFailures.push(/400 \(Bad Request\)/);
    await fill(page, 'user-form-password', created.password);
    await shot(page, '06-admin-create-user');
    await page.getByTestId('user-form-submit').click();
    await page.locator('[data-testid="users-table"] tr', { hasText: created.username }).waitFor();
    // the dialog closes (after its fade-out)
    await page.getByTestId('user-form').waitFor({ state: 'hidden', timeout: 5_000 });

    const user = (await admin.get<Json>('/api/users')).body.rows.find((u: Json) => u.username === created.username);
    expect(user).toMatchObject({
      displayName: '新县区用户',
      role: 'COUNTY_STAFF',
      region: { id: county.id, name: county.name },
      active: true,
      lastSeenAt: null,
    });
    const row = (await tableRows(page, 'users-table')).find((r) => r[0] === created.username)!;
    expect(row.slice(0, 6)).toEqual([created.username, '新县区用户', '县区巡察办工作人员', county.name, '启用', '从未登录']);
    await shot(page, '07-admin-users', true);

    // etl-safety: the administrator's full load, confirmed first, on 数据同步
    const [{ max }] = await query<{ max: number | null }>(t.db.url, 'SELECT max(id) AS max FROM etl_runs');
    await clickNav(page, 'etl');
    await waitReady(page, 'etl-runs');
    await expect(page.getByTestId('etl-run-now').count()).resolves.toBe(0);
    await page.getByTestId('etl-run-full').click();
    await page.locator('.el-message-box', { hasText: '全量同步' }).getByRole('button', { name: '全量同步' }).click();
    await page.getByTestId('etl-message').waitFor({ timeout: 60_000 });
    expect(await text(page, 'etl-message')).toMatch(/^同步完成/);
    expect(await query<{ mode: string; status: string }>(t.db.url, 'SELECT mode, status FROM etl_runs WHERE id > $1', [max ?? 0])).toEqual([
      { mode: 'full', status: 'SUCCEEDED' },
    ]);
  });

  it('the new county user signs in (another browser) and sees only that county', async () => {
    const page = await newPage();
    await page.goto('/');
    await page.waitForURL((url) => url.pathname === '/login');
    await signInThroughPage(page, created.username, created.password);
    await page.waitForURL((url) => url.pathname === '/');
    await waitReady(page, 'overview-kpis');
    expect(await text(page, 'user-name')).toBe('新县区用户');
    expect(await text(page, 'user-county')).toBe(created.countyName);
    await page.locator('[data-testid="filter-region-field"] .el-cascader').click();
    const offered = page.locator('.el-cascader__dropdown:visible .el-cascader-node__label');
    await offered.first().waitFor();
    expect(await offered.allInnerTexts()).toEqual([created.countyName]);
    await page.keyboard.press('Escape');
    const session = await signIn(t.url, created.username, created.password);
    const mine = (await getWith(t.url, session.cookie, '/api/metrics/overview')).body;
    expect(Number((await text(page, 'kpi-findings-value')).replace(/[^\d]/g, ''))).toBe(mine.cards.findings);
    await expectRatio(page, 'kpi-finding-closure', mine.cards.findingClosure);
    expect(await page.$$eval('[data-testid="chart-closure-by-region-table"] tbody tr td:first-child', (tds) => tds.map((td) => td.textContent))).toEqual(
      mine.charts.closureByRegion.map((r: Json) => (r.level === 'countyUnits' ? '县直单位' : r.name)),
    );
    await page.context().close();
  });

  it('审计日志 shows the new user’s sign-in, and the creation’s detail as JSON without the password', async () => {
    const page = await newPage((await t.as('admin')).cookie);
    await page.goto('/admin/users');
    await waitReady(page, 'users');
    await clickNav(page, 'admin-audit');
    await waitReady(page, 'audit');
    await fill(page, 'audit-username', created.username);
    await input(page, 'audit-username').press('Enter');
    await page.waitForURL((url) => url.searchParams.get('username') === created.username);
    const admin = await t.as('admin');
    const logins = (await admin.get<Json>(`/api/audit?username=${created.username}&page=1&pageSize=50`)).body;
    expect(logins.rows.some((r: Json) => r.action === 'auth.login' && r.success)).toBe(true);
    const rows = await poll(
      () => tableRows(page, 'audit-table'),
      (r) => r.length === logins.rows.length,
    );
    expect(rows.map((r) => r.slice(1))).toEqual(
      // the user by name and login, the action and the entry in words (issue 18: no raw paths)
      logins.rows.map((r: Json) => [
        formatShanghai(r.at),
        `${r.displayName} (${r.username})`,
        r.action === 'auth.login' ? '登录' : r.action,
        r.summary,
        r.ip ?? '—',
        r.success ? '成功' : '失败',
      ]),
    );
    expect(await text(page, 'audit-total')).toContain(formatCount(logins.total));
    await shot(page, '08-audit-user-sign-in', true);

    // the creation, by action and outcome, with its detail expanded
    await input(page, 'audit-username').fill('admin');
    await input(page, 'audit-username').press('Enter');
    await pickOption(page, 'audit-action', '新建用户');
    await pickOption(page, 'audit-success', '成功');
    await page.waitForURL((url) => url.searchParams.get('action') === 'user.create' && url.searchParams.get('success') === 'true');
    const creations = (await admin.get<Json>('/api/audit?username=admin&action=user.create&success=true&page=1&pageSize=50')).body;
    expect(creations.total).toBe(1);
    const creation = await poll(
      () => tableRows(page, 'audit-table'),
      (r) => r.length === 1 && r[0][3] === '新建用户',
    );
    expect(creation.map((r) => r[3])).toEqual(['新建用户']);
    await page.locator('[data-testid="audit-table"] .el-table__expand-icon').first().click();
    // the raw detail, folded under the entry in words
    await page.locator('[data-testid="audit-detail"] details summary').first().click();
    const detail = JSON.parse(await page.locator('[data-testid="audit-detail"] details pre').first().innerText());
    expect(detail).toEqual(creations.rows[0].detail);
    expect(detail.body).toMatchObject({ username: created.username, role: 'COUNTY_STAFF', regionId: created.countyId, password: '[hidden]' });
    await shot(page, '09-audit-detail', true);
  });

  it('修改密码: per-field errors, then the new password signs in and the old one does not', async () => {
    const page = await newPage();
    await page.goto('/login');
    await signInThroughPage(page, created.username, created.password);
    await page.waitForURL((url) => url.pathname === '/');
    await waitReady(page, 'overview-kpis');
    await openUserMenu(page, 'password');

    // what the page checks itself: the confirmation
    await fill(page, 'password-current', created.password);
    await fill(page, 'password-new', created.newPassword);
    await fill(page, 'password-confirm', `${created.newPassword}x`);
    await page.getByTestId('password-submit').click();
    expect(await poll(() => formErrors(page, 'password-form'), same(['两次输入的新密码不一致']))).toEqual(['两次输入的新密码不一致']);
    // what the API checks: the current password
    await fill(page, 'password-current', 'not-my-password');
    await fill(page, 'password-confirm', created.newPassword);
    await page.getByTestId('password-submit').click();
    expect(
      await poll(
        () => formErrors(page, 'password-form'),
        (v) => v.length === 1 && v[0].startsWith('当前密码不正确'),
      ),
    ).toEqual(['当前密码不正确']);
    await shot(page, '10-password-dialog');
    await fill(page, 'password-current', created.password);
    await input(page, 'password-confirm').press('Enter');
    await page.locator('.el-message--success', { hasText: '密码已修改' }).waitFor();
    // the dialog closes (after its fade-out)
    await page.getByTestId('password-form').waitFor({ state: 'hidden', timeout: 5_000 });

    await openUserMenu(page, 'logout');
    await page.waitForURL((url) => url.pathname === '/login');
    expect((await signIn(t.url, created.username, created.password)).status).toBe(401);
    await signInThroughPage(page, created.username, created.newPassword);
    await page.waitForURL((url) => url.pathname === '/');
    await waitReady(page, 'overview-kpis');
    expect(await text(page, 'user-county')).toBe(created.countyName);
  });

  it('编辑: a new name, a reset password and 停用 — the user’s open page goes to sign in, and the sign-in is refused', async () => {
    const user = await newPage();
    await user.goto('/login');
    await signInThroughPage(user, created.username, created.newPassword);
    await user.waitForURL((url) => url.pathname === '/');
    await waitReady(user, 'overview-kpis');

    const page = await newPage((await t.as('admin')).cookie);
    await page.goto('/admin/users');
    await waitReady(page, 'users');
    await page.getByTestId(`user-edit-${created.username}`).click();
    await input(page, 'user-form-display-name').waitFor();
    expect(await input(page, 'user-form-username').isDisabled()).toBe(true);
    expect(await input(page, 'user-form-display-name').inputValue()).toBe('新县区用户');
    await expect(page.locator('[data-testid="user-form-region"]:visible').innerText()).resolves.toContain(created.countyName);
    await fill(page, 'user-form-display-name', '改名用户');
    await fill(page, 'user-form-password', 'third-password-3');
    await page.getByTestId('user-form-active').click();
    await page.waitForFunction(`document.querySelector('[data-testid="user-form-active"]')?.classList.contains('is-checked') === false`);
    await shot(page, '11-admin-edit-user');
    await page.getByTestId('user-form-submit').click();
    await page.locator('[data-testid="users-table"] tr', { hasText: '改名用户' }).waitFor();
    const row = (await tableRows(page, 'users-table')).find((r) => r[0] === created.username)!;
    expect(row.slice(0, 5)).toEqual([created.username, '改名用户', '县区巡察办工作人员', created.countyName, '停用']);
    const listed = (await (await t.as('admin')).get<Json>('/api/users')).body.rows.find((u: Json) => u.username === created.username);
    expect(listed).toMatchObject({ displayName: '改名用户', active: false, region: { id: created.countyId } });

    // the user's sessions ended: their next call finds out
    expectedFailures.push(/401 \(Unauthorized\) .*\/api\/metrics/);
    await clickNav(user, 'coverage');
    await user.waitForURL((url) => url.pathname === '/login');
    expect(await text(user, 'login-notice')).toBe('会话已过期，请重新登录');
    await signInThroughPage(user, created.username, 'third-password-3');
    expect(
      await poll(
        () => text(user, 'login-error'),
        (v) => v === '用户名或密码错误',
      ),
    ).toBe('用户名或密码错误');
  });

  it('logged no errors in the pages', () => {
    expect(errors.filter((e) => !expectedFailures.some((pattern) => pattern.test(e)))).toEqual([]);
  });
});
