import ExcelJS from 'exceljs';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HISTORY_COLUMNS, LEDGER_COLUMNS } from '@xuncha/backend';
import { shanghaiToday } from '@xuncha/shared';
import { startTestApp, type TestApp } from '../support/app';
import { referenceOverview, referenceRectification } from '../support/metrics-reference';
import { query } from '../support/pg';
import { rounded } from '../support/rounded';
import { zip } from '../support/zip';

/**
 * The 整改台账 import and history migration through HTTP: the template (dropdowns, read by
 * LibreOffice), the preview naming every problem of every row in one pass, all-or-nothing
 * imports that create confirmed inspections, text and full-width dates, the same file twice
 * at once, a NUL cell, a history whose figures as of past days equal the PostgreSQL
 * reference, and backdated writes (effectiveDate) in the timeline and audit log.
 */
jest.setTimeout(300_000);

const TODAY = shanghaiToday();
const TAG = randomBytes(4).toString('hex');
const HEADERS = LEDGER_COLUMNS.map((c) => c.header);
const HISTORY_HEADERS = HISTORY_COLUMNS.map((c) => c.header);

type Key = (typeof LEDGER_COLUMNS)[number]['key'];
type Cells = Partial<Record<Key, unknown>>;

interface ErrorBody {
  statusCode: number;
  message: string;
  details?: { field: string; message: string }[];
}
interface Problem {
  sheet: string;
  row: number;
  column: string;
  message: string;
}
interface Preview {
  rows: number;
  historyEvents: number;
  backdated: number;
  problems: Problem[];
  newInspections: { round: string; unit: string; team: string; stationedFrom: string; rows: number[] }[];
  importedAt: string | null;
}

function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
const slash = (day: string) => day.split('-').map(Number).join('/');
const chinese = (day: string) => {
  const [y, m, d] = day.split('-').map(Number);
  return `${y}年${m}月${d}日`;
};
/** Full-width digits and hyphens: ２０２６－０３－０１. */
const fullWidth = (text: string) => text.replace(/[0-9-]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

let t: TestApp;
/** An existing inspection: its round's name, its unit, its dates. */
let existing: { id: number; round: string; unitCode: string; unitName: string; stationed: string; feedback: string | null };
/** A round and a unit without an inspection of that unit in that round. */
type Pair = { round: string; roundId: number; unitCode: string; unitName: string; unitId: number };
let fresh: Pair;
/** Another such pair, for the history migration. */
let history: Pair;
let categories: { id: number; code: string; name: string }[];

const sql = <T extends Record<string, unknown>>(text: string, params: unknown[] = []) => query<T>(t.db.url, text, params);

beforeAll(async () => {
  // MAX_UPLOAD_MB=1 so that a too-large upload is cheap to send
  t = await startTestApp({ seed: { scale: 'tiny', today: TODAY }, env: { MAX_UPLOAD_MB: '1' } });
  const [i] = await sql<{ id: number; round: string; code: string; name: string; stationed: string; feedback: string | null }>(
    `SELECT i.id, r.name AS round, u.code, u.name, to_char(i.stationed_from, 'YYYY-MM-DD') AS stationed, to_char(i.feedback_date, 'YYYY-MM-DD') AS feedback
       FROM inspections i JOIN rounds r ON r.id = i.round_id JOIN org_units u ON u.id = i.unit_id
      WHERE i.deleted_at IS NULL AND i.stationed_from < $1::date - 200 AND i.feedback_date IS NOT NULL AND i.feedback_date < $1::date - 150
        AND (SELECT count(*) FROM inspections j WHERE j.round_id = i.round_id AND j.unit_id = i.unit_id AND j.deleted_at IS NULL) = 1
        AND (SELECT count(*) FROM org_units v WHERE v.name = u.name) = 1
      ORDER BY i.id LIMIT 1`,
    [TODAY],
  );
  existing = { id: i.id, round: i.round, unitCode: i.code, unitName: i.name, stationed: i.stationed, feedback: i.feedback };
  // a round whose dates hold the stationings of the inspections the imports create (an
  // inspection is stationed within its round's dates)
  const [{ id: importRound }] = await sql<{ id: number }>(
    `INSERT INTO rounds (term_id, ordinal, year, name, start_date, end_date)
     SELECT term_id, 91, extract(year FROM $1::date)::int, '导入测试轮次', $1::date - 500, $1::date FROM rounds WHERE deleted_at IS NULL ORDER BY id LIMIT 1
     RETURNING id`,
    [TODAY],
  );
  const pairs = await sql<{ round: string; round_id: number; code: string; name: string; unit_id: number }>(
    `SELECT r.name AS round, r.id AS round_id, u.code, u.name, u.id AS unit_id
       FROM rounds r CROSS JOIN org_units u
      WHERE r.id = ${Number(importRound)} AND r.deleted_at IS NULL AND u.deleted_at IS NULL AND u.valid_to IS NULL AND u.valid_from < $1::date - 800
        AND NOT EXISTS (SELECT 1 FROM inspections i WHERE i.round_id = r.id AND i.unit_id = u.id)
        AND (SELECT count(*) FROM org_units v WHERE v.name = u.name) = 1
      ORDER BY r.id, u.id LIMIT 2`,
    [TODAY],
  );
  [fresh, history] = pairs.map((f) => ({ round: f.round, roundId: f.round_id, unitCode: f.code, unitName: f.name, unitId: f.unit_id }));
  categories = await sql<{ id: number; code: string; name: string }>(
    'SELECT id, code, name FROM issue_categories WHERE level = 2 AND deleted_at IS NULL ORDER BY code LIMIT 3',
  );
});

afterAll(async () => {
  await t?.close();
});

/** A ledger row naming the existing inspection; `cells` replaces cells by key. */
function row(cells: Cells = {}): unknown[] {
  const base: Cells = {
    round: existing.round,
    unit: existing.unitCode,
    category: categories[0].code,
    description: `问题 ${TAG}`,
    isImmediate: '否',
    measure: '建章立制',
    responsibleDept: '办公室',
    responsiblePerson: '王五',
    track: '限期整改',
    dueDate: addDays(TODAY, 60),
    foundDate: addDays(existing.stationed, 5),
    ...cells,
  };
  return LEDGER_COLUMNS.map((c) => base[c.key] ?? null);
}

async function workbook(rows: unknown[][], history?: unknown[][]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('整改台账');
  sheet.addRow(HEADERS);
  for (const r of rows) sheet.addRow(r);
  if (history) {
    const h = book.addWorksheet('历史');
    h.addRow(HISTORY_HEADERS);
    for (const r of history) h.addRow(r);
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}

async function upload<T>(
  content: Buffer,
  options: { preview?: boolean; confirm?: boolean; name?: string; field?: string } = {},
): Promise<{ status: number; body: T & ErrorBody }> {
  const form = new FormData();
  form.append(options.field ?? 'file', new Blob([new Uint8Array(content)]), options.name ?? 'ledger.xlsx');
  if (options.confirm) form.append('confirmNewInspections', 'true');
  const response = await fetch(`${t.url}/api/imports/ledger${options.preview ? '/preview' : ''}`, {
    method: 'POST',
    body: form,
    headers: { cookie: t.cookie },
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: response.status, body: body as T & ErrorBody };
}

async function counts() {
  const [row] = await sql<{ inspections: number; findings: number; tasks: number; events: number }>(
    `SELECT (SELECT count(*) FROM inspections)::int AS inspections, (SELECT count(*) FROM findings)::int AS findings,
            (SELECT count(*) FROM rectification_tasks)::int AS tasks, (SELECT count(*) FROM task_events)::int AS events`,
  );
  return row;
}

describe('the template', () => {
  let bytes: Buffer;
  beforeAll(async () => {
    const response = await fetch(`${t.url}/api/imports/ledger/template`, { headers: { cookie: t.cookie } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('spreadsheetml');
    bytes = Buffer.from(await response.arrayBuffer());
  });

  it('has the ledger and history sheets, the 说明, and dropdowns of the office’s own rounds, units, categories and tracks', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(new Uint8Array(bytes).buffer);
    const ledger = book.getWorksheet('整改台账');
    expect((ledger?.getRow(1).values as unknown[]).slice(1)).toEqual(HEADERS);
    expect((book.getWorksheet('历史')?.getRow(1).values as unknown[]).slice(1)).toEqual(HISTORY_HEADERS);
    expect(HEADERS).not.toContain('巡察ID');
    const help: string[] = [];
    book.getWorksheet('说明')?.eachRow((r) => help.push(String(r.getCell(1).value)));
    for (const h of [...HEADERS, ...HISTORY_HEADERS]) expect(help).toContain(h);

    // each dropdown is a list validation over a column of the hidden 选项 sheet
    const lookup = book.getWorksheet('选项');
    expect(lookup?.state).toBe('hidden');
    const listOf = (key: Key) => {
      const letter = String.fromCharCode(65 + LEDGER_COLUMNS.findIndex((c) => c.key === key));
      const validation = ledger?.getCell(`${letter}2`).dataValidation;
      expect(validation?.type).toBe('list');
      expect(ledger?.getCell(`${letter}1001`).dataValidation?.type).toBe('list');
      const match = /^'选项'!\$([A-Z])\$2:\$[A-Z]\$(\d+)$/.exec(validation?.formulae?.[0] ?? '');
      expect(match).not.toBeNull();
      const values: string[] = [];
      for (let r = 2; r <= Number(match?.[2]); r++) values.push(String(lookup?.getCell(`${match?.[1]}${r}`).value));
      return values;
    };
    const rounds = await sql<{ name: string }>('SELECT name FROM rounds WHERE deleted_at IS NULL');
    expect(new Set(listOf('round'))).toEqual(new Set(rounds.map((r) => r.name)));
    const units = await sql<{ code: string; name: string }>('SELECT code, name FROM org_units WHERE deleted_at IS NULL AND valid_to IS NULL');
    expect(new Set(listOf('unit'))).toEqual(new Set(units.map((u) => `${u.name}（${u.code}）`)));
    const level2 = await sql<{ code: string; name: string }>('SELECT code, name FROM issue_categories WHERE level = 2 AND deleted_at IS NULL');
    expect(new Set(listOf('category'))).toEqual(new Set(level2.map((c) => `${c.code} ${c.name}`)));
    expect(listOf('track')).toEqual(['立行立改', '限期整改', '长期坚持']);
    expect(listOf('isImmediate')).toEqual(['是', '否']);
  });

  it('opens in LibreOffice (headless), which reads its header row', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xuncha-ledger-lo-'));
    try {
      fs.writeFileSync(path.join(dir, 'template.xlsx'), bytes);
      execFileSync(
        'soffice',
        [
          `-env:UserInstallation=file://${path.join(dir, 'profile')}`,
          '--headless',
          '--convert-to',
          'csv:Text - txt - csv (StarCalc):44,34,76,1',
          '--outdir',
          dir,
          path.join(dir, 'template.xlsx'),
        ],
        { stdio: 'pipe', timeout: 180_000 },
      );
      const csv = fs.readFileSync(path.join(dir, 'template.csv'), 'utf8');
      expect(
        csv
          .split('\n')[0]
          .split(',')
          .map((cell) => cell.replace(/^"|"$/g, '')),
      ).toEqual(HEADERS);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('an import with bad rows, then corrected', () => {
  const tag = `改正${TAG}`;
  const newUnit = () => `${fresh.unitName}（${fresh.unitCode}）`;
  /** Rows 2..7 with problems; row 3 has three, row 6 two of different kinds. */
  const bad = () => [
    row({ description: `${tag} 1` }),
    row({ description: '', category: '9.99', unit: '没有这个单位' }),
    row({ description: `${tag} 3`, isImmediate: '也许', foundDate: 'yesterday' }),
    row({ description: `${tag} 4`, dueDate: addDays(existing.feedback ?? existing.stationed, -1) }),
    row({ description: `${tag} 5`, round: fresh.round, unit: newUnit(), foundDate: addDays(TODAY, 1) }),
    row({ description: `${tag} 6`, round: '第九十九轮', responsiblePerson: null }),
  ];
  const corrected = () => [
    // an Excel date cell; the unit by its name
    row({
      description: `${tag} 1`,
      unit: existing.unitName,
      dueDate: new Date(`${addDays(TODAY, 60)}T00:00:00Z`),
      foundDate: new Date(`${addDays(existing.stationed, 1)}T00:00:00Z`),
    }),
    // text dates 2024/3/1 and 2024年3月1日; trailing spaces and a full-width space
    row({
      description: `${tag} 2  `,
      category: `${categories[1].code} ${categories[1].name}`,
      unit: `${existing.unitCode} `,
      dueDate: slash(addDays(TODAY, 61)),
      foundDate: chinese(addDays(existing.stationed, 2)),
      responsiblePerson: '赵六　',
    }),
    // full-width digits and punctuation
    row({
      description: `${tag} 3`,
      isImmediate: '是',
      track: '立行立改 ',
      category: fullWidth(categories[2].code).replace('.', '．'),
      dueDate: fullWidth(addDays(TODAY, 62)),
      foundDate: fullWidth(addDays(existing.stationed, 3)),
    }),
    row({ description: `${tag} 4`, track: '长期坚持', dueDate: null }),
    // a new inspection of a unit in a round: created once, for both rows, after confirmation
    row({
      description: `${tag} 5`,
      round: fresh.round,
      unit: newUnit(),
      team: '第三巡察组',
      mode: '专项巡察',
      stationedFrom: addDays(TODAY, -100),
      feedbackDate: addDays(TODAY, -70),
      foundDate: addDays(TODAY, -90),
    }),
    row({ description: `${tag} 6`, round: `${fresh.round} `, unit: fresh.unitCode, foundDate: addDays(TODAY, -80) }),
  ];

  it('names every problem of every row in the first answer (preview and import), and imports nothing', async () => {
    const before = await counts();
    const file = await workbook(bad());
    const preview = await upload<Preview>(file, { preview: true });
    expect(preview.status).toBe(200);
    const named = preview.body.problems.map((p) => [p.row, p.column]);
    expect(named).toEqual([
      [3, '被巡察单位'],
      [3, '问题类别'],
      [3, '问题描述'],
      [4, '立行立改'],
      [4, '发现日期'],
      [5, '整改时限'],
      [6, '巡察组'],
      [6, '进驻日期'],
      [6, '发现日期'],
      [7, '轮次'],
      [7, '责任人'],
    ]);
    expect(preview.body.problems.find((p) => p.row === 3 && p.column === '问题类别')?.message).toContain('9.99');

    const refused = await upload<unknown>(file, { confirm: true });
    expect(refused.status).toBe(400);
    expect(refused.body.details?.map((d) => [d.field, d.message.split(':')[0]])).toEqual(named.map(([r, c]) => [`row ${r}`, c]));
    expect(refused.body.message).toMatch(/^台账有 5 行共 11 处有误/);
    expect(await counts()).toEqual(before);
  });

  it('imports the corrected file: every row, dates and full-width text read right, the new inspection only once confirmed', async () => {
    const before = await counts();
    const file = await workbook(corrected());
    const preview = await upload<Preview>(file, { preview: true });
    expect(preview.body).toMatchObject({
      rows: 6,
      problems: [],
      newInspections: [
        { round: fresh.round, unit: `${fresh.unitName}（${fresh.unitCode}）`, team: '第三巡察组', stationedFrom: addDays(TODAY, -100), rows: [6, 7] },
      ],
    });

    const unconfirmed = await upload<unknown>(file);
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.body.message).toMatch(/^confirmNewInspections: /);
    expect(await counts()).toEqual(before);

    const imported = await upload<{ imported: number; inspectionsCreated: number; events: number }>(file, { confirm: true });
    expect(imported.status).toBe(201);
    expect(imported.body).toMatchObject({ imported: 6, inspectionsCreated: 1, events: 6 });
    expect(await counts()).toEqual({ inspections: before.inspections + 1, findings: before.findings + 6, tasks: before.tasks + 6, events: before.events + 6 });

    const rows = await sql<Record<string, unknown>>(
      `SELECT f.description, c.code, f.is_immediate, to_char(f.found_date, 'YYYY-MM-DD') AS found, t.track::text, t.responsible_person AS person,
              to_char(t.original_due_date, 'YYYY-MM-DD') AS due, i.id = $2 AS existing, r.name AS round, i.team, i.mode::text, to_char(i.stationed_from, 'YYYY-MM-DD') AS stationed
         FROM findings f JOIN issue_categories c ON c.id = f.category_id JOIN rectification_tasks t ON t.finding_id = f.id
         JOIN inspections i ON i.id = f.inspection_id JOIN rounds r ON r.id = i.round_id
        WHERE f.description LIKE $1 ORDER BY f.id`,
      [`${tag}%`, existing.id],
    );
    const old = { existing: true, round: existing.round, mode: expect.any(String), team: expect.any(String), stationed: existing.stationed };
    expect(rows).toEqual([
      {
        ...old,
        description: `${tag} 1`,
        code: categories[0].code,
        is_immediate: false,
        found: addDays(existing.stationed, 1),
        track: 'DEADLINE',
        person: '王五',
        due: addDays(TODAY, 60),
      },
      {
        ...old,
        description: `${tag} 2`,
        code: categories[1].code,
        is_immediate: false,
        found: addDays(existing.stationed, 2),
        track: 'DEADLINE',
        person: '赵六',
        due: addDays(TODAY, 61),
      },
      {
        ...old,
        description: `${tag} 3`,
        code: categories[2].code,
        is_immediate: true,
        found: addDays(existing.stationed, 3),
        track: 'IMMEDIATE',
        person: '王五',
        due: addDays(TODAY, 62),
      },
      {
        ...old,
        description: `${tag} 4`,
        code: categories[0].code,
        is_immediate: false,
        found: addDays(existing.stationed, 5),
        track: 'LONG_TERM',
        person: '王五',
        due: null,
      },
      {
        description: `${tag} 5`,
        code: categories[0].code,
        is_immediate: false,
        found: addDays(TODAY, -90),
        track: 'DEADLINE',
        person: '王五',
        due: addDays(TODAY, 60),
        existing: false,
        round: fresh.round,
        team: '第三巡察组',
        mode: 'SPECIAL',
        stationed: addDays(TODAY, -100),
      },
      {
        description: `${tag} 6`,
        code: categories[0].code,
        is_immediate: false,
        found: addDays(TODAY, -80),
        track: 'DEADLINE',
        person: '王五',
        due: addDays(TODAY, 60),
        existing: false,
        round: fresh.round,
        team: '第三巡察组',
        mode: 'SPECIAL',
        stationed: addDays(TODAY, -100),
      },
    ]);
    // the CREATED events are of today, not backdated
    const events = await sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM task_events e JOIN rectification_tasks t ON t.id = e.task_id JOIN findings f ON f.id = t.finding_id
        WHERE f.description LIKE $1 AND e.type = 'CREATED' AND e.event_date = $2::date AND NOT e.backdated AND e.actor = 'staff'`,
      [`${tag}%`, TODAY],
    );
    expect(events[0].n).toBe(6);
    // audited, with what it did
    const [audit] = await sql<{ success: boolean; detail: { file: { name: string }; result: { imported: number } } }>(
      "SELECT success, detail FROM audit_logs WHERE action = 'ledger.import' ORDER BY id DESC LIMIT 1",
    );
    expect(audit).toMatchObject({ success: true, detail: { file: { name: 'ledger.xlsx' }, result: { imported: 6, inspectionsCreated: 1 } } });

    // the same file again within the window: refused (409), nothing written; the preview says so
    const again = await upload<unknown>(file, { confirm: true });
    expect([again.status, again.body.message]).toEqual([409, expect.stringMatching(/^file: 同一文件已于/)]);
    expect((await upload<Preview>(file, { preview: true })).body.importedAt).not.toBeNull();
  });
});

describe('the same ledger uploaded twice at once', () => {
  it('is imported once: the second upload waits for the first and is refused', async () => {
    const tag = `并发${TAG}`;
    const before = await counts();
    const file = await workbook(Array.from({ length: 300 }, (_, i) => row({ description: `${tag} ${i}` })));
    const answers = await Promise.all([upload<unknown>(file), upload<unknown>(file), upload<unknown>(file)]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409]);
    expect(await counts()).toMatchObject({ findings: before.findings + 300, tasks: before.tasks + 300 });
    const [{ n }] = await sql<{ n: number }>('SELECT count(*)::int AS n FROM findings WHERE description LIKE $1', [`${tag}%`]);
    expect(n).toBe(300);
  });
});

describe('refusals of the file as a whole', () => {
  it('a NUL escape (_x0000_) in a cell is a 400 naming its row and column, never a 500', async () => {
    const before = await counts();
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('整改台账');
    sheet.addRow(HEADERS);
    sheet.addRow(row({ description: `NUL ${TAG}` }));
    // exceljs writes the text as is; a reader decodes _x0000_ to NUL
    sheet.addRow(row({ description: `NUL _x0000_ ${TAG}`, measure: '_x0000_' }));
    const file = Buffer.from(await book.xlsx.writeBuffer());
    const refused = await upload<unknown>(file);
    expect(refused.status).toBe(400);
    expect(refused.body.details).toEqual([
      { field: 'row 3', message: expect.stringMatching(/^问题描述: .*_x0000_/) },
      { field: 'row 3', message: expect.stringMatching(/^整改措施: .*_x0000_/) },
    ]);
    const preview = await upload<Preview>(file, { preview: true });
    expect(preview.body.problems.map((p) => [p.row, p.column])).toEqual([
      [3, '问题描述'],
      [3, '整改措施'],
    ]);
    expect(await counts()).toEqual(before);
  });

  it('refuses what is not a usable workbook with a 400 (or 413 when too large), never a 500', async () => {
    const before = await counts();
    const cases: [string, Buffer, string, number, RegExp][] = [
      ['plain text named .xlsx', Buffer.from('轮次,问题描述\n1,x\n'), 'ledger.xlsx', 400, /xlsx/],
      ['a csv', Buffer.from('a,b\n'), 'ledger.csv', 400, /\.xlsx/],
      ['an empty file', Buffer.alloc(0), 'ledger.xlsx', 400, /空|empty/],
      ['a truncated workbook', (await workbook([row()])).subarray(0, 2000), 'ledger.xlsx', 400, /xlsx|corrupt/],
      ['a zip that is no workbook', zip([{ name: 'hello.txt', data: Buffer.from('hello') }]), 'ledger.xlsx', 400, /xlsx|workbook|表/],
      ['a header without rows', await workbook([]), 'ledger.xlsx', 400, /no data rows/],
      [
        'the old template (巡察ID)',
        await (async () => {
          const book = new ExcelJS.Workbook();
          book.addWorksheet('整改台账').addRow(['巡察ID', '问题类别代码', '问题描述']);
          return Buffer.from(await book.xlsx.writeBuffer());
        })(),
        'ledger.xlsx',
        400,
        /轮次/,
      ],
      ['too large an upload', randomBytes(1024 * 1024 + 10), 'ledger.xlsx', 413, /^file: /],
      ['a zip bomb', zip([{ name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(100 * 1024 * 1024) }]), 'ledger.xlsx', 400, /压缩炸弹|zip bomb/],
    ];
    for (const [what, content, name, status, message] of cases) {
      for (const preview of [false, true]) {
        const response = await upload<unknown>(content, { name, preview });
        expect([what, preview, response.status]).toEqual([what, preview, status]);
        expect([what, response.body.message]).toEqual([what, expect.stringMatching(message)]);
      }
    }
    const wrongField = await upload<unknown>(await workbook([row()]), { field: 'ledger' });
    expect([wrongField.status, wrongField.body.message]).toEqual([400, expect.stringMatching(/^file: /)]);
    expect(await counts()).toEqual(before);
  }, 120_000);
});

// --- history migration -----------------------------------------------------------------

describe('history migration', () => {
  const tag = `历史${TAG}`;
  // three past days the figures are compared on
  const D1 = addDays(TODAY, -300);
  const D2 = addDays(TODAY, -150);
  const D3 = addDays(TODAY, -20);
  const stationed = addDays(TODAY, -420);
  const feedback = addDays(TODAY, -380);
  /** Five tasks of a new inspection, each with its history. */
  const ledgerRows = () =>
    [
      // T1: 整改中 → 已销号 directly (only a history may), on time
      { taskKey: 'T1', dueDate: addDays(TODAY, -200), createdDate: addDays(TODAY, -370) },
      // T2: extended once, closed through 申请销号 after its original due date
      { taskKey: 'T2', dueDate: addDays(TODAY, -250), createdDate: addDays(TODAY, -370) },
      // T3: still 整改中, overdue
      { taskKey: 'T3', dueDate: addDays(TODAY, -100), createdDate: addDays(TODAY, -360) },
      // T4: created later, closed before D3
      { taskKey: 'T4', dueDate: addDays(TODAY, -30), createdDate: addDays(TODAY, -200) },
      // T5: 长期坚持, basically done
      { taskKey: 'T5', dueDate: null, createdDate: addDays(TODAY, -370), track: '长期坚持' },
    ].map((r, i) =>
      row({
        ...r,
        description: `${tag} ${r.taskKey}`,
        round: history.round,
        unit: history.unitCode,
        category: categories[i % 3].code,
        team: '历史巡察组',
        stationedFrom: stationed,
        feedbackDate: feedback,
        foundDate: addDays(TODAY, -400 + i),
      }),
    );
  const historyRows = () => [
    ['T1', addDays(TODAY, -360), '状态变更', '整改中', null, null],
    ['T1', addDays(TODAY, -220), '状态变更', '已销号', null, '验收合格'],
    ['T2', addDays(TODAY, -350), '状态变更', '整改中', null, null],
    ['T2', addDays(TODAY, -260), '延期', null, addDays(TODAY, -160), '需跨部门协调'],
    ['T2', addDays(TODAY, -170), '状态变更', '申请销号', null, null],
    ['T2', addDays(TODAY, -165), '状态变更', '已销号', null, null],
    ['T3', addDays(TODAY, -340), '状态变更', '整改中', null, null],
    ['T3', addDays(TODAY, -120), '进展记录', null, null, '完成一半'],
    ['T4', addDays(TODAY, -190), '状态变更', '整改中', null, null],
    ['T4', addDays(TODAY, -40), '状态变更', '已销号', null, null],
    ['T5', addDays(TODAY, -330), '状态变更', '整改中', null, null],
    ['T5', addDays(TODAY, -100), '状态变更', '基本完成(持续整改)', null, null],
  ];

  it('names the problems of a bad history in the first answer and imports nothing', async () => {
    const before = await counts();
    const events = [
      ...historyRows(),
      ['T9', addDays(TODAY, -100), '进展记录', null, null, '无此任务'],
      ['T3', addDays(TODAY, -380), '进展记录', null, null, '早于建立'],
      ['T4', addDays(TODAY, -10), '延期', null, addDays(TODAY, 30), '已销号后延期'],
      ['T5', addDays(TODAY, -50), '状态变更', '未开始', null, null],
      ['T1', addDays(TODAY, 3), '进展记录', null, null, '将来'],
    ];
    const preview = await upload<Preview>(await workbook(ledgerRows(), events), { preview: true });
    expect(preview.body.problems.map((p) => [p.sheet, p.row, p.column])).toEqual([
      ['历史', 14, '任务编号'],
      ['历史', 15, '日期'],
      ['历史', 16, '事件'],
      ['历史', 17, '新状态'],
      ['历史', 18, '日期'],
    ]);
    expect((await upload<unknown>(await workbook(ledgerRows(), events), { confirm: true })).status).toBe(400);
    expect(await counts()).toEqual(before);
  });

  /** The history round's task closure as of a day, from the API. */
  const byRound = async (asOf: string) => {
    const body = (
      await t.get<{ byRound: { roundId: number; tasks: number; tasksClosed: number }[] }>(`/api/metrics/rectification?asOf=${asOf}&roundId=${history.roundId}`)
    ).body;
    return body.byRound.find((r) => r.roundId === history.roundId) ?? { tasks: 0, tasksClosed: 0 };
  };

  it('imports the tasks with their days; the figures as of three past days equal the PostgreSQL reference', async () => {
    await t.etl();
    const before = new Map<string, { tasks: number; tasksClosed: number }>();
    for (const asOf of [D1, D2, D3]) before.set(asOf, await byRound(asOf));
    const file = await workbook(ledgerRows(), historyRows());
    const preview = await upload<Preview>(file, { preview: true });
    expect(preview.body).toMatchObject({ problems: [], rows: 5, historyEvents: 12, backdated: 17 });
    const imported = await upload<{ imported: number; events: number; backdated: number }>(file, { confirm: true, name: 'history.xlsx' });
    expect(imported.status).toBe(201);
    expect(imported.body).toMatchObject({ imported: 5, events: 17, backdated: 17 });

    const tasks = await sql<{ d: string; status: string; closed: string | null; due: string | null; original: string | null }>(
      `SELECT f.description AS d, t.status::text AS status, to_char(t.closed_date, 'YYYY-MM-DD') AS closed,
              to_char(t.current_due_date, 'YYYY-MM-DD') AS due, to_char(t.original_due_date, 'YYYY-MM-DD') AS original
         FROM rectification_tasks t JOIN findings f ON f.id = t.finding_id WHERE f.description LIKE $1 ORDER BY f.description`,
      [`${tag}%`],
    );
    expect(tasks).toEqual([
      { d: `${tag} T1`, status: 'CLOSED', closed: addDays(TODAY, -220), due: addDays(TODAY, -200), original: addDays(TODAY, -200) },
      { d: `${tag} T2`, status: 'CLOSED', closed: addDays(TODAY, -165), due: addDays(TODAY, -160), original: addDays(TODAY, -250) },
      { d: `${tag} T3`, status: 'IN_PROGRESS', closed: null, due: addDays(TODAY, -100), original: addDays(TODAY, -100) },
      { d: `${tag} T4`, status: 'CLOSED', closed: addDays(TODAY, -40), due: addDays(TODAY, -30), original: addDays(TODAY, -30) },
      { d: `${tag} T5`, status: 'BASICALLY_DONE', closed: null, due: null, original: null },
    ]);
    const events = await sql<{ type: string; day: string; backdated: boolean; reason: string | null }>(
      `SELECT e.type::text AS type, to_char(e.event_date, 'YYYY-MM-DD') AS day, e.backdated, e.backdate_reason AS reason
         FROM task_events e JOIN rectification_tasks t ON t.id = e.task_id JOIN findings f ON f.id = t.finding_id
        WHERE f.description = $1 ORDER BY e.id`,
      [`${tag} T2`],
    );
    expect(events).toEqual([
      { type: 'CREATED', day: addDays(TODAY, -370), backdated: true, reason: expect.stringContaining('history.xlsx') },
      { type: 'STATUS_CHANGE', day: addDays(TODAY, -350), backdated: true, reason: expect.any(String) },
      { type: 'EXTENSION', day: addDays(TODAY, -260), backdated: true, reason: expect.any(String) },
      { type: 'STATUS_CHANGE', day: addDays(TODAY, -170), backdated: true, reason: expect.any(String) },
      { type: 'STATUS_CHANGE', day: addDays(TODAY, -165), backdated: true, reason: expect.any(String) },
    ]);

    // the timeline marks them as 补录
    const [{ id: t2 }] = await sql<{ id: string }>(
      'SELECT t.id::text AS id FROM rectification_tasks t JOIN findings f ON f.id = t.finding_id WHERE f.description = $1',
      [`${tag} T2`],
    );
    const detail = await t.get<{ events: { type: string; backdated: boolean; eventDate: string }[] }>(`/api/tasks/${t2}`);
    expect(detail.body.events.map((e) => [e.eventDate, e.backdated])).toEqual(events.map((e) => [e.day, true]));

    await t.etl();
    for (const asOf of [D1, D2, D3]) {
      const api = await t.get<Record<string, unknown>>(`/api/metrics/rectification?asOf=${asOf}`);
      expect(api.status).toBe(200);
      expect(rounded(api.body)).toEqual(rounded(await referenceRectification(t.db.url, { asOf })));
      const overview = await t.get<Record<string, unknown>>(`/api/metrics/overview?asOf=${asOf}`);
      expect(rounded(overview.body)).toEqual(rounded(await referenceOverview(t.db.url, { asOf })));
    }
    // and by hand: the imported round's tasks existing and closed as of each day grew by the imported ones
    // D1 (-300): T1, T2, T3, T5 exist, none closed; D2 (-150): T4 too, T1 and T2 closed; D3 (-20): T4 closed as well
    for (const [asOf, tasksMine, closedMine] of [
      [D1, 4, 0],
      [D2, 5, 2],
      [D3, 5, 3],
    ] as const) {
      const after = await byRound(asOf);
      const prior = before.get(asOf) ?? { tasks: NaN, tasksClosed: NaN };
      expect([asOf, after.tasks - prior.tasks, after.tasksClosed - prior.tasksClosed]).toEqual([asOf, tasksMine, closedMine]);
    }
  });
});

// --- backdated writes through the API --------------------------------------------------

describe('effectiveDate on task writes', () => {
  interface TaskWrite {
    task: { id: number; status: string; closedDate: string | null; currentDueDate: string | null };
    event: { eventDate: string; backdated: boolean; backdateReason: string | null };
  }
  const post = <T>(p: string, body: unknown) => t.send<T & ErrorBody>('POST', p, body);
  let findingId: number;

  beforeAll(async () => {
    const finding = await post<{ id: number }>('/api/findings', {
      inspectionId: existing.id,
      categoryId: categories[0].id,
      description: `补录 ${TAG}`,
      isImmediate: false,
      isKeyConcern: false,
      foundDate: addDays(existing.stationed, 2),
    });
    expect(finding.status).toBe(201);
    findingId = finding.body.id;
  });

  const lastAudit = async (action: string) =>
    (await sql<{ detail: Record<string, unknown> }>('SELECT detail FROM audit_logs WHERE action = $1 ORDER BY id DESC LIMIT 1', [action]))[0].detail;

  it('creates, changes and extends on a past day with a reason, marked 补录 in the event and the audit log', async () => {
    const created = addDays(TODAY, -100);
    const task = {
      findingId,
      measure: '补录措施',
      responsibleDept: '办公室',
      responsiblePerson: '张三',
      track: 'DEADLINE',
      originalDueDate: addDays(TODAY, -10),
    };
    expect((await post('/api/tasks', { ...task, effectiveDate: created })).body.message).toMatch(/^backdateReason: /);
    expect((await post('/api/tasks', { ...task, effectiveDate: addDays(TODAY, 1), backdateReason: 'x' })).body.message).toMatch(/^effectiveDate: /);
    expect((await post('/api/tasks', { ...task, effectiveDate: addDays(existing.stationed, 1), backdateReason: 'x' })).body.message).toMatch(
      /^effectiveDate: .*发现日期/,
    );
    const write = await post<TaskWrite>('/api/tasks', { ...task, effectiveDate: created, backdateReason: '纸质台账补录' });
    expect(write.status).toBe(201);
    expect(write.body.event).toMatchObject({ eventDate: created, backdated: true, backdateReason: '纸质台账补录' });
    expect(await lastAudit('task.create')).toMatchObject({ backdated: true, effectiveDate: created, backdateReason: '纸质台账补录' });
    const id = write.body.task.id;

    // a status change: not before creation, not in the future, a reason when backdated
    expect((await post(`/api/tasks/${id}/status`, { status: 'IN_PROGRESS', effectiveDate: addDays(created, -1), backdateReason: 'x' })).body.message).toMatch(
      /^effectiveDate: /,
    );
    expect((await post(`/api/tasks/${id}/status`, { status: 'IN_PROGRESS', effectiveDate: addDays(TODAY, 1) })).body.message).toMatch(/^effectiveDate: /);
    expect((await post(`/api/tasks/${id}/status`, { status: 'IN_PROGRESS', effectiveDate: addDays(TODAY, -90) })).body.message).toMatch(/^backdateReason: /);
    const started = await post<TaskWrite>(`/api/tasks/${id}/status`, { status: 'IN_PROGRESS', effectiveDate: addDays(TODAY, -90), backdateReason: '补录' });
    expect(started.body.event).toMatchObject({ eventDate: addDays(TODAY, -90), backdated: true });
    expect(await lastAudit('task.status')).toMatchObject({ backdated: true, effectiveDate: addDays(TODAY, -90) });

    const extended = await post<TaskWrite>(`/api/tasks/${id}/extensions`, {
      newDueDate: addDays(TODAY, 30),
      reason: '协调',
      effectiveDate: addDays(TODAY, -20),
      backdateReason: '补录',
    });
    expect(extended.status).toBe(201);
    expect(extended.body).toMatchObject({ task: { currentDueDate: addDays(TODAY, 30) }, event: { eventDate: addDays(TODAY, -20), backdated: true } });

    // today is no backdating: no reason needed, not marked, and the audit entry says nothing of it
    // (申请销号 goes through the 销号 review; 基本完成 is a direct change)
    const today = await post<TaskWrite>(`/api/tasks/${id}/status`, { status: 'BASICALLY_DONE', effectiveDate: TODAY });
    expect(today.body.event).toMatchObject({ eventDate: TODAY, backdated: false, backdateReason: null });
    expect(await lastAudit('task.status')).not.toHaveProperty('backdated');

    const detail = await t.get<{ events: { backdated: boolean }[] }>(`/api/tasks/${id}`);
    expect(detail.body.events.map((e) => e.backdated)).toEqual([true, true, true, false]);
  });
});
