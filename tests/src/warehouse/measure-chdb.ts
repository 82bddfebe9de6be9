// Measures the embedded warehouse on this machine: a 1M-row insert in one call (objects
// through insert(), and TabSeparated lines through insertRaw()) and a
// GROUP BY county read with FINAL over a ReplacingMergeTree(version, is_deleted) table,
// with unmerged replacements and after a full merge. Also the worst event-loop stall
// while the insert runs.
//   node_modules/.bin/tsx tests/src/warehouse/measure-chdb.ts [rows=1000000]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openWarehouse } from '@xuncha/etl';

const STATUSES = ['未开始', '整改中', '申请销号', '已销号', '基本完成(持续整改)', '未完成'];

function taskRows(n: number, version: number, from = 0, step = 1) {
  return Array.from({ length: n }, (_, i) => {
    const id = from + i * step + 1;
    return {
      task_id: String(id),
      county: `330${String(id % 13).padStart(3, '0')}`,
      status: STATUSES[(id + version) % STATUSES.length],
      current_due: `2025-${String((id % 12) + 1).padStart(2, '0')}-15`,
      version: String(version),
      is_deleted: 0,
    };
  });
}

async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const started = process.hrtime.bigint();
  const result = await work();
  console.log(`${label}: ${(Number(process.hrtime.bigint() - started) / 1e6).toFixed(0)} ms`);
  return result;
}

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 1_000_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xuncha-measure-ch-'));
  const wh = await openWarehouse({ database: 'measure', dataDir: dir });
  try {
    await wh.command(
      `CREATE TABLE tasks (task_id UInt64, county LowCardinality(String), status LowCardinality(String), current_due Date,
         version UInt64, is_deleted UInt8) ENGINE = ReplacingMergeTree(version, is_deleted) ORDER BY task_id`,
    );
    await wh.command('CREATE TABLE tasks_tsv AS tasks');
    const rows = taskRows(n, 1);
    let worstStall = 0;
    let last = Date.now();
    const probe = setInterval(() => {
      const now = Date.now();
      worstStall = Math.max(worstStall, now - last - 10);
      last = now;
    }, 10);
    await timed(`insert ${n} rows in one call`, () => wh.insert('tasks', rows));
    clearInterval(probe);
    console.log(`worst event-loop stall during the insert: ${worstStall} ms`);

    const tsv = Buffer.from(
      `${taskRows(n, 1, n)
        .map((r) => [r.task_id, r.county, r.status, r.current_due, r.version, r.is_deleted].join('\t'))
        .join('\n')}\n`,
      'utf8',
    );
    await timed(`insertRaw ${n} TabSeparated lines in one call (other ids)`, () => wh.insertRaw('tasks_tsv', undefined, 'TabSeparated', tsv));

    const replaced = Math.round(n / 10);
    await timed(`insert ${replaced} replacements (every 10th task, version 2)`, () => wh.insert('tasks', taskRows(replaced, 2, 0, 10)));
    const sql = `SELECT county, countIf(status = '已销号') AS closed, count() AS total,
                        countIf(status != '已销号' AND current_due < toDate('2025-06-30')) AS overdue
                 FROM tasks FINAL GROUP BY county ORDER BY county`;
    for (let i = 1; i <= 3; i++) await timed(`GROUP BY county with FINAL, ${replaced} unmerged replacements (run ${i})`, () => wh.query(sql));
    await timed('GROUP BY county without FINAL', () => wh.query(sql.replace(' FINAL', '')));
    await timed('OPTIMIZE TABLE tasks FINAL', () => wh.command('OPTIMIZE TABLE tasks FINAL'));
    for (let i = 1; i <= 3; i++) await timed(`GROUP BY county with FINAL, fully merged (run ${i})`, () => wh.query(sql));
    const [{ total }] = await wh.query<{ total: string }>('SELECT count() AS total FROM tasks FINAL');
    console.log(`rows seen with FINAL: ${total} (expected ${n})`);
  } finally {
    await wh.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
