import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { migrateWarehouse, openWarehouse, WarehouseError, type Warehouse } from '@xuncha/etl';

/** A localhost port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('server warehouse: unreachable server', () => {
  it('opens all the same (the app can start), and names the URL when a statement finds nothing listening', async () => {
    const port = await closedPort();
    const url = `http://127.0.0.1:${port}`;
    const wh = await openWarehouse({ url, database: 'xuncha', dataDir: '/nonexistent' });
    const error = await wh.query('SELECT 1').catch((e: unknown) => e);
    await wh.close();
    expect(error).toBeInstanceOf(WarehouseError);
    expect((error as Error).message).toBe(`cannot reach ClickHouse at ${url}: connect ECONNREFUSED 127.0.0.1:${port}`);
  });

  it('gives up after the request timeout when the server never answers, hiding the password', async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as net.AddressInfo;
    try {
      const started = Date.now();
      const wh = await openWarehouse({
        url: `http://etl:secret@127.0.0.1:${port}`,
        database: 'xuncha',
        dataDir: '/nonexistent',
        requestTimeoutMs: 300,
      });
      const error = await wh.command('SELECT 1').catch((e: unknown) => e);
      await wh.close();
      expect(error).toBeInstanceOf(WarehouseError);
      expect((error as Error).message).toMatch(new RegExp(`^cannot reach ClickHouse at http://etl:\\*\\*\\*@127\\.0\\.0\\.1:${port}: Timeout error`));
      expect((error as Error).message).not.toContain('secret');
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('refuses a malformed URL in one line', async () => {
    await expect(openWarehouse({ url: 'localhost:8123', database: 'xuncha', dataDir: '/nonexistent' })).rejects.toThrow('CLICKHOUSE_URL is not a valid URL');
  });
});

const serverUrl = process.env.CLICKHOUSE_URL;
if (!serverUrl) {
  const reason =
    'server warehouse: skipped the live-server checks: CLICKHOUSE_URL is not set (bash tests/src/support/start-clickhouse-server.sh --install starts one)';
  if (process.env.XUNCHA_REQUIRE_SYSTEM_PACKAGES === '1') {
    it('runs against a ClickHouse server (required here)', () => {
      throw new Error(reason);
    });
  } else {
    console.log(reason);
  }
}

/** What the live server can do, asked before the tests are collected. */
interface ServerFeatures {
  version: string;
  /** `{name:Type}` query parameters (servers before them read param_x as an unknown setting, 115) */
  parameters: boolean;
  /** ReplacingMergeTree(version, is_deleted) (servers before 23.2 take only a version column) */
  replacingIsDeleted: boolean;
  /** the exact_rows_before_limit setting (115 on servers without it) */
  exactRowsBeforeLimit: boolean;
}

/**
 * Probes the server synchronously (Jest collects tests synchronously), so that a case the
 * server cannot run is declared skipped at collection, with its reason printed, and the
 * count of tests says what ran.
 */
function probeServer(url: string): ServerFeatures {
  const script = `
    const [url, user, password] = process.argv.slice(1);
    const ask = async (sql, params = {}) => {
      const u = new URL(url);
      u.searchParams.set('query', sql);
      for (const [k, v] of Object.entries(params)) u.searchParams.set('param_' + k, v);
      const headers = {};
      if (user) headers['X-ClickHouse-User'] = user;
      if (password) headers['X-ClickHouse-Key'] = password;
      const r = await fetch(u, { headers });
      return { ok: r.ok, text: (await r.text()).trim() };
    };
    (async () => {
      const version = await ask('SELECT version()');
      if (!version.ok) throw new Error(version.text);
      const parameters = await ask('SELECT {p:UInt8}', { p: '1' });
      const exact = await ask('SELECT 1 SETTINGS exact_rows_before_limit = 1');
      const [major, minor] = version.text.split('.').map(Number);
      process.stdout.write(JSON.stringify({
        version: version.text,
        parameters: parameters.ok && parameters.text === '1',
        replacingIsDeleted: major > 23 || (major === 23 && minor >= 2),
        exactRowsBeforeLimit: exact.ok,
      }));
    })().catch((e) => { process.stderr.write(String(e && e.message || e)); process.exit(1); });`;
  const out = execFileSync(process.execPath, ['-e', script, url, process.env.CLICKHOUSE_USER ?? '', process.env.CLICKHOUSE_PASSWORD ?? ''], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  return JSON.parse(out) as ServerFeatures;
}

const features = serverUrl ? probeServer(serverUrl) : undefined;

/** `it`, or `it.skip` with the reason printed once at collection when the server lacks `feature`. */
function itWhere(supported: boolean | undefined, feature: string): jest.It {
  if (supported !== false) return it;
  console.log(`server warehouse: skipped ${feature}: ClickHouse ${features?.version} does not support it`);
  return it.skip;
}

(serverUrl ? describe : describe.skip)('server warehouse: live server (CLICKHOUSE_URL)', () => {
  let wh: Warehouse;

  beforeAll(async () => {
    wh = await openWarehouse({
      url: serverUrl!,
      user: process.env.CLICKHOUSE_USER,
      password: process.env.CLICKHOUSE_PASSWORD,
      database: `xt_server_${process.pid}_${randomBytes(4).toString('hex')}`,
      dataDir: '/nonexistent',
    });
  });

  afterAll(async () => {
    if (!wh) return;
    await wh.command(`DROP DATABASE IF EXISTS ${wh.database}`);
    await wh.close();
  });

  it('creates the database and runs in it', async () => {
    expect(await wh.query('SELECT currentDatabase() AS db')).toEqual([{ db: wh.database }]);
  });

  it('creates a table, inserts in one call and reads it back', async () => {
    await wh.command('CREATE TABLE plumbing (id UInt64, name String, day Date) ENGINE = MergeTree ORDER BY id');
    const rows = Array.from({ length: 1000 }, (_, i) => ({ id: String(i + 1), name: `巡察'${i % 7}"`, day: '2025-03-31' }));
    rows.push({ id: '18446744073709551615', name: '最大', day: '2025-12-31' });
    await wh.insert('plumbing', rows);
    expect(await wh.query('SELECT count() AS c, uniqExact(name) AS names, max(id) AS top FROM plumbing')).toEqual([
      { c: '1001', names: '8', top: '18446744073709551615' },
    ]);
    expect(await wh.query("SELECT id, name, day FROM plumbing WHERE name = '最大'")).toEqual([{ id: '18446744073709551615', name: '最大', day: '2025-12-31' }]);
  });

  it('inserts TabSeparated lines into the named columns', async () => {
    await wh.command("CREATE TABLE raw_lines (id UInt64, status String, note String DEFAULT 'none') ENGINE = MergeTree ORDER BY id");
    await wh.insertRaw('raw_lines', ['id', 'status'], 'TabSeparated', Buffer.from('1\t整改中\n2\t已销号\n', 'utf8'));
    expect(await wh.query('SELECT id, status, note FROM raw_lines ORDER BY id')).toEqual([
      { id: '1', status: '整改中', note: 'none' },
      { id: '2', status: '已销号', note: 'none' },
    ]);
  });

  it("throws ClickHouse's errors with their code", async () => {
    await expect(wh.query('SELEC 1')).rejects.toMatchObject({ code: 62 });
    await expect(wh.query('SELECT * FROM no_such_table')).rejects.toMatchObject({ code: 60 });
    await expect(wh.insert('no_such_table', [{ a: 1 }])).rejects.toMatchObject({ code: 60 });
  });

  itWhere(features?.parameters, '{name:Type} parameters')('binds {name:Type} parameters', async () => {
    const [row] = await wh.query<Record<string, unknown>>(
      "SELECT {s:String} AS s, {d:Date} AS d, {t:DateTime('Asia/Shanghai')} AS t, {u:UInt64} AS u, {n:Nullable(String)} AS n, {a:Array(String)} AS a, {ids:Array(UInt64)} AS ids",
      {
        s: `巡察办 "反馈" it's`,
        d: '2024-02-29',
        t: '2024-02-29 13:14:15',
        u: '18446744073709551615',
        n: null,
        a: ['县区', "o'b"],
        ids: ['1', '9007199254740993'],
      },
    );
    expect(row).toEqual({
      s: `巡察办 "反馈" it's`,
      d: '2024-02-29',
      t: '2024-02-29 13:14:15',
      u: '18446744073709551615',
      n: null,
      a: ['县区', "o'b"],
      ids: ['1', '9007199254740993'],
    });
  });

  itWhere(features?.replacingIsDeleted, 'ReplacingMergeTree(version, is_deleted)')(
    'deduplicates with ReplacingMergeTree(version, is_deleted) and FINAL',
    async () => {
      await wh.command(
        'CREATE TABLE facts (id UInt64, status String, version UInt64, is_deleted UInt8) ENGINE = ReplacingMergeTree(version, is_deleted) ORDER BY id',
      );
      await wh.insert('facts', [
        { id: 1, status: '整改中', version: 1, is_deleted: 0 },
        { id: 2, status: '整改中', version: 1, is_deleted: 0 },
      ]);
      await wh.insert('facts', [
        { id: 1, status: '已销号', version: 2, is_deleted: 0 },
        { id: 2, status: '整改中', version: 2, is_deleted: 1 },
      ]);
      expect(await wh.query('SELECT id, status FROM facts FINAL ORDER BY id')).toEqual([{ id: '1', status: '已销号' }]);
    },
  );

  itWhere(features?.exactRowsBeforeLimit, 'exact rows before LIMIT')('counts the list a page is taken from in the same pass, exactly', async () => {
    await wh.command('CREATE TABLE listed (id UInt64, g UInt8) ENGINE = MergeTree ORDER BY id');
    await wh.insert(
      'listed',
      Array.from({ length: 50_000 }, (_, i) => ({ id: i, g: i % 5 })),
    );
    const sql = 'SELECT id FROM listed WHERE g != 2 ORDER BY id DESC LIMIT 10 OFFSET 100';
    const page = await wh.queryPage<{ id: string }>(sql);
    expect(page.rowsBeforeLimit).toBe(40_000);
    expect(page.rows).toEqual(await wh.query(sql));
    expect(page.rows).toHaveLength(10);
  });

  itWhere(features?.parameters, 'the migration runner (records with parameters)')('runs the migration runner', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xuncha-wh-server-migrations-'));
    try {
      fs.writeFileSync(
        path.join(dir, '001_a.sql'),
        "CREATE TABLE IF NOT EXISTS m_a (x String) ENGINE = MergeTree ORDER BY x;\nINSERT INTO m_a VALUES ('a;b');\n",
      );
      expect(await migrateWarehouse(wh, dir)).toEqual({ applied: ['001_a.sql'], alreadyApplied: 0 });
      expect(await migrateWarehouse(wh, dir)).toEqual({ applied: [], alreadyApplied: 1 });
      expect(await wh.query('SELECT x FROM m_a')).toEqual([{ x: 'a;b' }]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
