import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrateWarehouse, WarehouseError, type Warehouse } from '@xuncha/etl';
import { dropTestDatabase, oneLine, openTestWarehouse, testWarehouseDir } from '../support/clickhouse';
import { runTsx } from '../support/cli';

let wh: Warehouse;

beforeAll(async () => {
  wh = await openTestWarehouse();
});

afterAll(async () => {
  await dropTestDatabase();
});

describe('chDB warehouse', () => {
  it('runs in its own database, created on open', async () => {
    expect(wh.engine).toBe('chdb');
    expect(wh.database).toMatch(/^xt_\d+_[0-9a-f]{8}$/);
    expect(await wh.query<{ db: string }>('SELECT currentDatabase() AS db')).toEqual([{ db: wh.database }]);
  });

  it('binds parameters of every type the warehouse uses', async () => {
    const text = `巡察办 "反馈" it's \\ back;slash\t{x:String} -- not SQL`;
    const [row] = await wh.query<Record<string, unknown>>(
      `SELECT {s:String} AS s, length({s:String}) AS bytes,
              {d:Date} AS d, toYYYYMMDD({d:Date}) AS ymd,
              {t:DateTime('Asia/Shanghai')} AS t, toUnixTimestamp({t:DateTime('Asia/Shanghai')}) AS unix,
              {u:UInt64} AS u, intDiv({u:UInt64}, 5) AS u_fifth, toTypeName({u:UInt64}) AS u_type,
              {n:Nullable(String)} AS n, isNull({n:Nullable(String)}) AS n_null, {nv:Nullable(Int64)} AS nv,
              {a:Array(String)} AS a, length({a:Array(String)}) AS a_len,
              {ids:Array(UInt64)} AS ids, {flag:UInt8} AS flag`,
      {
        s: text,
        d: '2024-02-29',
        t: '2024-02-29 13:14:15',
        u: '18446744073709551615',
        n: null,
        nv: '-9007199254740993',
        a: ['县区', "o'brien", 'a,b', '[x]'],
        ids: ['1', '9007199254740993'],
        flag: true,
      },
    );
    expect(row).toEqual({
      s: text,
      bytes: String(Buffer.byteLength(text, 'utf8')),
      d: '2024-02-29',
      ymd: 20240229,
      t: '2024-02-29 13:14:15',
      // 13:14:15 in Asia/Shanghai (UTC+8) is 05:14:15 UTC.
      unix: Date.UTC(2024, 1, 29, 5, 14, 15) / 1000,
      u: '18446744073709551615',
      u_fifth: '3689348814741910323', // (2^64 - 1) / 5, exactly
      u_type: 'UInt64',
      n: null,
      n_null: 1,
      nv: '-9007199254740993',
      a: ['县区', "o'brien", 'a,b', '[x]'],
      a_len: '4',
      ids: ['1', '9007199254740993'],
      flag: 1,
    });
  });

  it('inserts 100k rows in one INSERT', async () => {
    await wh.command('CREATE TABLE bulk (id UInt64, name String, day Date) ENGINE = MergeTree ORDER BY id');
    const n = 100_000;
    const rows = Array.from({ length: n }, (_, i) => ({ id: i + 1, name: `单位${i % 97}`, day: '2025-03-31' }));
    await wh.insert('bulk', rows);
    const [stats] = await wh.query<{ rows: string; ids: string; distinct_names: string }>(
      'SELECT count() AS rows, sum(id) AS ids, uniqExact(name) AS distinct_names FROM bulk',
    );
    expect(stats).toEqual({ rows: String(n), ids: String((n * (n + 1)) / 2), distinct_names: '97' });
    // One INSERT writes one part; a row per call would have written 100,000.
    const [parts] = await wh.query<{ parts: string }>(
      'SELECT count() AS parts FROM system.parts WHERE database = {db:String} AND table = {table:String} AND active',
      { db: wh.database, table: 'bulk' },
    );
    expect(parts.parts).toBe('1');
  });

  it('inserts TabSeparated lines as they are, into the named columns', async () => {
    await wh.command("CREATE TABLE raw_tasks (id UInt64, status String, note String DEFAULT '无', due Nullable(Date)) ENGINE = MergeTree ORDER BY id");
    const lines = ['1\t整改中\t2025-06-30', '18446744073709551615\t已销号\t\\N', "3\tit's a tab:\\t\t2025-01-01"];
    await wh.insertRaw('raw_tasks', ['id', 'status', 'due'], 'TabSeparated', Buffer.from(`${lines.join('\n')}\n`, 'utf8'));
    expect(await wh.query('SELECT id, status, note, due FROM raw_tasks ORDER BY id')).toEqual([
      { id: '1', status: '整改中', note: '无', due: '2025-06-30' },
      { id: '3', status: "it's a tab:\t", note: '无', due: '2025-01-01' },
      { id: '18446744073709551615', status: '已销号', note: '无', due: null },
    ]);
    await expect(wh.insertRaw('raw_tasks', ['id'], 'TabSeparated', Buffer.from('not a number\n'))).rejects.toThrow(WarehouseError);
  });

  it('deduplicates with ReplacingMergeTree(version, is_deleted) read with FINAL', async () => {
    await wh.command(
      `CREATE TABLE facts (id UInt64, county String, status String, version UInt64, is_deleted UInt8)
       ENGINE = ReplacingMergeTree(version, is_deleted) ORDER BY id`,
    );
    const row = (id: number, version: number, status: string, isDeleted = 0) => ({ id, county: id === 2 ? 'B' : 'A', status, version, is_deleted: isDeleted });
    await wh.insert('facts', [row(1, 10, '整改中'), row(2, 10, '整改中'), row(3, 10, '已销号')]);
    // A later batch: a higher version wins, a deletion hides its key, a lower version loses even when written last.
    await wh.insert('facts', [row(1, 11, '已销号'), row(2, 11, '整改中', 1), row(3, 9, '未开始')]);

    expect((await wh.query<{ c: string }>('SELECT count() AS c FROM facts'))[0].c).toBe('6');
    expect(await wh.query('SELECT id, status, version FROM facts FINAL ORDER BY id')).toEqual([
      { id: '1', status: '已销号', version: '11' },
      { id: '3', status: '已销号', version: '10' },
    ]);
    expect(
      await wh.query('SELECT county, countIf(status = {closed:String}) AS closed, count() AS total FROM facts FINAL GROUP BY county ORDER BY county', {
        closed: '已销号',
      }),
    ).toEqual([{ county: 'A', closed: '2', total: '2' }]);
  });

  it('counts the list a page is taken from in the same pass, exactly, in any order and past the end', async () => {
    await wh.command(
      `CREATE TABLE listed (id UInt64, g UInt8, day Date, version UInt64, is_deleted UInt8)
       ENGINE = ReplacingMergeTree(version, is_deleted) ORDER BY id`,
    );
    const rows = (from: number, to: number, version: number, isDeleted = 0) =>
      Array.from({ length: to - from }, (_, i) => ({
        id: from + i,
        g: (from + i) % 7,
        day: `2025-01-${String(1 + ((from + i) % 28)).padStart(2, '0')}`,
        version,
        is_deleted: isDeleted,
      }));
    await wh.insert('listed', rows(0, 100_000, 1));
    // a later batch: 2,000 rows deleted, 3,000 moved to another group (g = 3 is filtered out below)
    await wh.insert('listed', [...rows(10_000, 12_000, 2, 1), ...rows(50_000, 53_000, 2).map((r) => ({ ...r, g: 3 }))]);
    const [{ n }] = await wh.query<{ n: string }>('SELECT count() AS n FROM listed FINAL WHERE is_deleted = 0 AND g != 3');
    // 100,000 less 2,000 deleted, less g = 3: the 14,286 ids ≡ 3 (mod 7) but the 285 deleted, and
    // the 3,000 moved there but the 428 that were there already
    expect(Number(n)).toBe(100_000 - 2_000 - (14_286 - 285) - (3_000 - 428));
    // orders the table's sort key serves (read in order, which stops early unless told not to) and others
    for (const order of ['id', 'id DESC', 'day, id', 'g DESC, day DESC, id']) {
      for (const offset of [0, 5_000, Number(n) - 3, Number(n) + 10]) {
        const sql = `SELECT id, g FROM listed FINAL WHERE is_deleted = 0 AND g != {skip:UInt8} ORDER BY ${order} LIMIT {limit:UInt32} OFFSET {offset:UInt32}`;
        const params = { skip: 3, limit: 10, offset };
        const page = await wh.queryPage<{ id: string; g: number }>(sql, params);
        expect({ order, offset, total: page.rowsBeforeLimit }).toEqual({ order, offset, total: Number(n) });
        expect(page.rows).toEqual(await wh.query(sql, params));
        expect(page.rows).toHaveLength(Math.max(0, Math.min(10, Number(n) - offset)));
      }
    }
    await expect(wh.queryPage('SELECT count() AS n FROM listed')).rejects.toThrow('rows_before_limit_at_least');
  });

  it("throws ClickHouse's errors instead of returning nothing", async () => {
    const syntax = await wh.query('SELEC 1').catch((error: unknown) => error);
    expect(syntax).toBeInstanceOf(WarehouseError);
    expect(syntax).toMatchObject({ code: 62, type: 'SYNTAX_ERROR', sql: 'SELEC 1' });
    expect((syntax as Error).message).toMatch(/^Code: 62\. DB::Exception: Syntax error/);

    const unknown = await wh.query('SELECT * FROM no_such_table WHERE id = {id:UInt64}', { id: '1' }).catch((error: unknown) => error);
    expect(unknown).toBeInstanceOf(WarehouseError);
    expect(unknown).toMatchObject({ code: 60, type: 'UNKNOWN_TABLE' });
    expect((unknown as Error).message).toContain('no_such_table');

    await expect(wh.command('CREATE TABLE broken (a UInt8) ENGINE = NoSuchEngine')).rejects.toMatchObject({ code: 56 });
    await expect(wh.query('SELECT {id:UInt64} AS id', { id: 'abc' })).rejects.toMatchObject({ code: 457 });
    await expect(wh.insert('no_such_table', [{ a: 1 }])).rejects.toMatchObject({ code: 60 });
    await wh.command('CREATE TABLE strict (id UInt64) ENGINE = MergeTree ORDER BY id');
    await expect(wh.insert('strict', [{ id: 1, typo: 2 }])).rejects.toThrow(/typo/);
    await expect(wh.insert('strict', [{ id: 'not a number' }])).rejects.toThrow(WarehouseError);
    expect(await wh.query('SELECT count() AS c FROM strict')).toEqual([{ c: '0' }]);
  });

  it('answers concurrent queries and inserts on one session correctly', async () => {
    await wh.command('CREATE TABLE busy (id UInt64, g UInt8) ENGINE = MergeTree ORDER BY id');
    await wh.insert(
      'busy',
      Array.from({ length: 10_000 }, (_, i) => ({ id: i, g: i % 10 })),
    );
    const jobs: Promise<unknown>[] = [];
    for (let i = 0; i < 60; i++) {
      const g = i % 10;
      // ids g, g+10, ..., g+9990: 1000 of them, summing to 1000 * g + 10 * (0 + ... + 999).
      const expected = { c: '1000', s: String(1000 * g + 10 * 499_500) };
      if (i % 3 === 2) jobs.push(wh.insert('busy', [{ id: 100_000 + i, g: 99 }]));
      else if (i % 3 === 1) jobs.push(expect(wh.query('SELECT count() AS c, sum(id) AS s FROM busy WHERE g = {g:UInt8}', { g })).resolves.toEqual([expected]));
      else jobs.push(expect(wh.query(`SELECT count() AS c, sum(id) AS s FROM busy WHERE g = ${g}`)).resolves.toEqual([expected]));
    }
    await Promise.all(jobs);
    expect(await wh.query('SELECT count() AS c FROM busy WHERE g = 99')).toEqual([{ c: '20' }]);
  });

  it('answers a fast parameterized query while a slow one runs (no process-wide queue)', async () => {
    const finished: string[] = [];
    // sleep(3) holds its connection for three seconds without using the CPU
    const slow = wh.query('SELECT sleep(3) AS s, {x:UInt8} AS x', { x: 1 }).then((rows) => {
      finished.push('slow');
      return rows;
    });
    const fast = wh.query('SELECT {y:UInt8} AS y, {d:Date} AS d', { y: 2, d: '2024-02-29' }).then((rows) => {
      finished.push('fast');
      return rows;
    });
    expect(await fast).toEqual([{ y: 2, d: '2024-02-29' }]);
    expect(finished).toEqual(['fast']);
    expect(await slow).toEqual([{ s: 0, x: 1 }]);
    expect(finished).toEqual(['fast', 'slow']);
  });

  it('keeps each concurrent query to its own parameter values', async () => {
    const answers = await Promise.all(
      Array.from({ length: 120 }, (_, i) =>
        wh.query<{ v: number; s: string; ids: string[] }>('SELECT {v:UInt32} AS v, {s:String} AS s, {ids:Array(UInt64)} AS ids', {
          v: i,
          s: `值 ${i}`,
          ids: [String(i), '18446744073709551615'],
        }),
      ),
    );
    answers.forEach((rows, i) => expect(rows).toEqual([{ v: i, s: `值 ${i}`, ids: [String(i), '18446744073709551615'] }]));
    // a placeholder left without a value is refused, not filled from an earlier query on the connection
    await expect(wh.query('SELECT {v:UInt32} AS v')).rejects.toMatchObject({ code: 456 });
  });

  it('refuses several statements in one call (chDB would leak the output of the first)', async () => {
    await expect(wh.query('SELECT 1; SELEC 2')).rejects.toThrow('2 statements in one call');
    expect(await wh.query('SELECT 3 AS x;')).toEqual([{ x: 3 }]);
  });

  it('applies warehouse migrations once, in order, and skips them the second time', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xuncha-wh-migrations-'));
    try {
      fs.writeFileSync(
        path.join(dir, '001_regions.sql'),
        `-- regions; with a semicolon in a comment
CREATE TABLE IF NOT EXISTS m_regions (code String, name String) ENGINE = MergeTree ORDER BY code;
INSERT INTO m_regions VALUES ('330100', '市本级;市直'), ('330102', '上城区');
`,
      );
      fs.writeFileSync(
        path.join(dir, '002_tasks.sql'),
        'CREATE TABLE IF NOT EXISTS m_tasks (id UInt64, version UInt64, is_deleted UInt8) ENGINE = ReplacingMergeTree(version, is_deleted) ORDER BY id;\n',
      );

      expect(await migrateWarehouse(wh, dir)).toEqual({ applied: ['001_regions.sql', '002_tasks.sql'], alreadyApplied: 0 });
      expect(await migrateWarehouse(wh, dir)).toEqual({ applied: [], alreadyApplied: 2 });
      // Applied once: the INSERT did not run a second time.
      expect(await wh.query('SELECT code, name FROM m_regions ORDER BY code')).toEqual([
        { code: '330100', name: '市本级;市直' },
        { code: '330102', name: '上城区' },
      ]);

      fs.writeFileSync(path.join(dir, '003_more.sql'), "INSERT INTO m_regions VALUES ('330103', '下城区');");
      expect(await migrateWarehouse(wh, dir)).toEqual({ applied: ['003_more.sql'], alreadyApplied: 2 });
      const recorded = await wh.query<{ name: string }>('SELECT name FROM _warehouse_migrations ORDER BY name');
      expect(recorded.map((row) => row.name)).toEqual(['001_regions.sql', '002_tasks.sql', '003_more.sql']);

      fs.appendFileSync(path.join(dir, '002_tasks.sql'), '-- edited\n');
      await expect(migrateWarehouse(wh, dir)).rejects.toThrow('warehouse migration 002_tasks.sql was changed after it was applied');

      fs.rmSync(path.join(dir, '002_tasks.sql'));
      fs.writeFileSync(
        path.join(dir, '004_broken.sql'),
        'CREATE TABLE IF NOT EXISTS m_ok (a UInt8) ENGINE = Memory;\nCREATE TABLE m_bad (a UInt8) ENGINE = Nope;\n',
      );
      await expect(migrateWarehouse(wh, dir)).rejects.toMatchObject({
        message: expect.stringMatching(/^warehouse migration 004_broken\.sql, statement 2 of 2: Code: 56\./),
        code: 56,
      });
      expect(await wh.query("SELECT name FROM _warehouse_migrations WHERE name = '004_broken.sql'")).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives a second process the one-line lock error for the same data directory', async () => {
    const dir = testWarehouseDir();
    const child = await runTsx('tests/src/warehouse/fixtures/open-warehouse.ts', ['lock', dir]);
    const outcome = JSON.parse(oneLine(child.stdout)) as { open: { ok: boolean; name: string; message: string } };
    expect(outcome.open.ok).toBe(false);
    expect(outcome.open.name).toBe('WarehouseError');
    expect(oneLine(outcome.open.message)).toBe(
      `another process (pid ${process.pid}, e.g. a running app) holds the embedded warehouse at ${dir}: stop it, or set CLICKHOUSE_URL to use a ClickHouse server`,
    );
    // The holder is unaffected.
    expect(await wh.query('SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
  });

  it('opens one directory per process: another only after the first is closed', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'xuncha-wh-switch-'));
    try {
      const [a, b] = [path.join(root, 'a'), path.join(root, 'b')];
      const child = await runTsx('tests/src/warehouse/fixtures/open-warehouse.ts', ['switch', a, b]);
      expect(child.status).toBe(0);
      const outcome = JSON.parse(oneLine(child.stdout));
      expect(outcome.whileOpen).toEqual({
        ok: false,
        name: 'WarehouseError',
        message: expect.stringContaining(
          `this process already has the embedded warehouse open in another directory (chDB opens one data directory per process); cannot open ${b}`,
        ),
      });
      expect(outcome.afterClose).toEqual({ ok: true, value: ['probe_b'] });
      expect(outcome.backToA).toEqual({ ok: true, value: ['in A'] });
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
