import ExcelJS from 'exceljs';
import { buildLedgerTemplate, HISTORY_COLUMNS, LedgerRefused, LEDGER_COLUMNS, readLedger } from './ledger-workbook';
import { replayHistory } from './ledger-history';

const HEADERS = LEDGER_COLUMNS.map((c) => c.header);
const HISTORY_HEADERS = HISTORY_COLUMNS.map((c) => c.header);

/** A ledger row in the columns' order; `over` replaces cells by key. */
function row(over: Partial<Record<(typeof LEDGER_COLUMNS)[number]['key'], unknown>> = {}): unknown[] {
  const base: Record<string, unknown> = {
    taskKey: null,
    round: '示例市第一届第一轮巡察',
    unit: '示例局（U001）',
    team: null,
    mode: null,
    stationedFrom: null,
    feedbackDate: null,
    category: '1.01',
    description: 'd',
    isImmediate: '否',
    measure: 'm',
    responsibleDept: 'dept',
    responsiblePerson: 'p',
    track: '限期整改',
    dueDate: '2026-03-31',
    foundDate: '2026-01-05',
    createdDate: null,
    ...over,
  };
  return LEDGER_COLUMNS.map((c) => base[c.key]);
}

function book(rows: unknown[][], history?: unknown[][], title?: string): ExcelJS.Workbook {
  const workbook = new ExcelJS.Workbook();
  const ws = workbook.addWorksheet('整改台账');
  if (title) ws.addRow([title]);
  for (const r of rows) ws.addRow(r);
  if (history) {
    const hs = workbook.addWorksheet('历史');
    for (const r of history) hs.addRow(r);
  }
  return workbook;
}

function refused(workbook: ExcelJS.Workbook, maxRows?: number): string {
  try {
    readLedger(workbook, maxRows);
  } catch (error) {
    if (error instanceof LedgerRefused) return error.message;
    throw error;
  }
  throw new Error('not refused');
}

describe('readLedger', () => {
  it('reads the values as Excel holds them: numbers, dates, rich text, formulas', () => {
    const { rows, problems } = readLedger(
      book([
        HEADERS,
        row({
          category: 2.1,
          description: { richText: [{ text: '问题' }, { text: '描述' }] },
          isImmediate: '是',
          dueDate: new Date('2026-03-31T00:00:00Z'),
          foundDate: '2026/1/5',
        }),
        [],
        row({ track: '长期坚持', dueDate: null, foundDate: '2026年1月6日' }),
        // 46112 is the Excel serial of 2026-03-31
        row({ track: '立行立改', dueDate: 46112, foundDate: { formula: 'A1', result: '2026-01-07' } }),
      ]),
    );
    expect(problems).toEqual([]);
    expect(rows.map((r) => [r.row, r.category, r.description, r.isImmediate, r.track, r.dueDate, r.foundDate])).toEqual([
      [2, '2.10', '问题描述', true, 'DEADLINE', '2026-03-31', '2026-01-05'],
      [4, '1.01', 'd', false, 'LONG_TERM', null, '2026-01-06'],
      [5, '1.01', 'd', false, 'IMMEDIATE', '2026-03-31', '2026-01-07'],
    ]);
  });

  it('reads full-width characters and trailing spaces as a clerk means them', () => {
    const { rows, problems } = readLedger(
      book([
        HEADERS,
        row({
          round: '示例市第一届第一轮巡察  ',
          category: '１．０１',
          isImmediate: ' 是　',
          track: '限期整改 ',
          dueDate: '２０２６－０３－３１',
          foundDate: '２０２６年１月５日',
          description: '问题描述　 ',
        }),
      ]),
    );
    expect(problems).toEqual([]);
    expect(rows[0]).toMatchObject({
      round: '示例市第一届第一轮巡察',
      category: '1.01',
      isImmediate: true,
      track: 'DEADLINE',
      dueDate: '2026-03-31',
      foundDate: '2026-01-05',
      description: '问题描述',
    });
  });

  it('finds the header under a title row, accepts headers without hints and the old 问题类别代码', () => {
    const plain = HEADERS.map((h) => (h === '问题类别' ? '问题类别代码' : h.replace(/\(.*\)$/, '')));
    const { rows } = readLedger(book([plain, row()], undefined, '某某单位巡察整改台账'));
    expect(rows.map((r) => r.row)).toEqual([3]);
  });

  it('reports every problem of a row, by column, in one pass', () => {
    const { problems } = readLedger(
      book([
        HEADERS,
        row({ round: '', category: '', description: '问'.repeat(10_001), isImmediate: '可能', track: '马上', dueDate: '2026-02-30', foundDate: '' }),
      ]),
    );
    expect(problems.map((p) => [p.row, p.column])).toEqual([
      [2, '轮次'],
      [2, '问题类别'],
      [2, '问题描述'],
      [2, '立行立改'],
      [2, '整改类型'],
      [2, '整改时限'],
      [2, '发现日期'],
    ]);
    // a blank due date is not judged when the track cannot be read (it may be 长期坚持)
    const blank = readLedger(book([HEADERS, row({ track: '马上', dueDate: null })]));
    expect(blank.problems.map((p) => p.column)).toEqual(['整改类型']);
  });

  it('names a cell holding a NUL (_x0000_) by row and column', () => {
    const { problems } = readLedger(book([HEADERS, row(), row({ description: 'a\u0000b' })]));
    expect(problems).toEqual([{ sheet: '整改台账', row: 3, column: '问题描述', message: expect.stringContaining('_x0000_') }]);
  });

  it('refuses dates outside what both engines hold, saying the range', () => {
    const { problems } = readLedger(book([HEADERS, row({ dueDate: '2150-01-01', foundDate: '1969-12-31' })]));
    expect(problems.map((p) => [p.row, p.column, p.message])).toEqual([
      [2, '整改时限', expect.stringContaining('须在 1970-01-01 至 2100-12-31 之间')],
      [2, '发现日期', expect.stringContaining('须在 1970-01-01 至 2100-12-31 之间')],
    ]);
  });

  it('requires a due date unless 长期坚持', () => {
    const { problems } = readLedger(book([HEADERS, row({ dueDate: null })]));
    expect(problems).toEqual([{ sheet: '整改台账', row: 2, column: '整改时限', message: '必填 is required' }]);
  });

  it('reads the 历史 sheet: its events, and the problems of its cells', () => {
    const { history, problems } = readLedger(
      book(
        [HEADERS, row({ taskKey: 'T1' })],
        [
          HISTORY_HEADERS,
          ['T1', '2026-01-10', '状态变更', '整改中', null, null],
          ['T1', '2026/2/1', '延期', null, '2026-06-30', '需要协调'],
          ['T1', '2026-02-02', '延期', null, null, null],
        ],
      ),
    );
    expect(history.slice(0, 2)).toEqual([
      { row: 2, taskKey: 'T1', date: '2026-01-10', kind: 'STATUS_CHANGE', status: 'IN_PROGRESS', newDueDate: undefined, note: undefined },
      { row: 3, taskKey: 'T1', date: '2026-02-01', kind: 'EXTENSION', status: undefined, newDueDate: '2026-06-30', note: '需要协调' },
    ]);
    expect(problems.map((p) => [p.sheet, p.row, p.column])).toEqual([
      ['历史', 4, '新整改时限'],
      ['历史', 4, '说明'],
    ]);
  });

  it('refuses an empty sheet, a header alone, missing columns and too many rows', () => {
    expect(refused(book([]))).toMatch(/empty/);
    expect(refused(book([HEADERS]))).toMatch(/no data rows/);
    expect(refused(book([HEADERS.slice(0, 3), ['x', 'y', 'z']]))).toMatch(/立行立改\(是\/否\)/);
    expect(refused(book([HEADERS, row(), row(), row()]), 2)).toMatch(/3 data rows; at most 2/);
  });
});

describe('replayHistory', () => {
  const history = (rows: [string, 'STATUS_CHANGE' | 'EXTENSION' | 'PROGRESS_NOTE', string?, string?][]) =>
    rows.map(([date, kind, status, newDueDate], i) => ({ row: i + 2, taskKey: 'T', date, kind, status: status as never, newDueDate, note: 'n' }));

  it('replays in date order, allows 整改中 → 已销号 directly, and ends with the closed day', () => {
    const problems: never[] = [];
    const replayed = replayHistory(
      history([
        ['2025-03-01', 'STATUS_CHANGE', 'CLOSED'],
        ['2025-01-10', 'STATUS_CHANGE', 'IN_PROGRESS'],
        ['2025-02-01', 'EXTENSION', undefined, '2025-05-01'],
      ]),
      '2025-01-05',
      '2025-03-31',
      '2026-01-01',
      '历史',
      problems,
    );
    expect(problems).toEqual([]);
    expect(replayed).toMatchObject({ status: 'CLOSED', closedDate: '2025-03-01', currentDueDate: '2025-05-01' });
    expect(replayed.events.map((e) => [e.type, e.date, e.fromStatus, e.toStatus])).toEqual([
      ['STATUS_CHANGE', '2025-01-10', 'NOT_STARTED', 'IN_PROGRESS'],
      ['EXTENSION', '2025-02-01', null, null],
      ['STATUS_CHANGE', '2025-03-01', 'IN_PROGRESS', 'CLOSED'],
    ]);
  });

  it('names an event before creation, in the future, a refused change and an extension of a closed task', () => {
    const problems: { row: number; column: string }[] = [];
    replayHistory(
      history([
        ['2025-01-01', 'PROGRESS_NOTE'],
        ['2025-01-10', 'STATUS_CHANGE', 'CLOSED'],
        ['2025-01-11', 'STATUS_CHANGE', 'IN_PROGRESS'],
        ['2025-01-12', 'STATUS_CHANGE', 'CLOSED'],
        ['2025-01-13', 'EXTENSION', undefined, '2025-09-01'],
        ['2027-01-01', 'PROGRESS_NOTE'],
      ]),
      '2025-01-05',
      '2025-03-31',
      '2026-01-01',
      '历史',
      problems as never,
    );
    expect(problems.map((p) => [p.row, p.column])).toEqual([
      [2, '日期'],
      [3, '新状态'],
      [6, '事件'],
      [7, '日期'],
    ]);
  });
});

describe('buildLedgerTemplate', () => {
  it('writes both sheets, the 说明, the category codes and dropdowns from a hidden lookup sheet', async () => {
    const buffer = await buildLedgerTemplate({
      rounds: ['示例市第一届第一轮巡察'],
      units: [{ code: 'U001', name: '示例局' }],
      categories: [{ code: '2.03', name: '惠民惠农和专项资金问题', parent: { code: '2', name: '群众身边不正之风和腐败问题' } }],
    });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(new Uint8Array(buffer).buffer);
    expect((workbook.getWorksheet('整改台账')?.getRow(1).values as unknown[]).slice(1)).toEqual(HEADERS);
    expect((workbook.getWorksheet('历史')?.getRow(1).values as unknown[]).slice(1)).toEqual(HISTORY_HEADERS);
    const help: string[] = [];
    workbook.getWorksheet('说明')?.eachRow((r) => help.push(String(r.getCell(1).value)));
    for (const h of [...HEADERS, ...HISTORY_HEADERS]) expect(help).toContain(h);
    expect(workbook.getWorksheet('问题类别代码')?.getCell('A2').value).toBe('2.03');
    const lookup = workbook.getWorksheet('选项');
    expect(lookup?.state).toBe('hidden');
    expect([lookup?.getCell('A2').value, lookup?.getCell('B2').value, lookup?.getCell('C2').value]).toEqual([
      '示例市第一届第一轮巡察',
      '示例局（U001）',
      '2.03 惠民惠农和专项资金问题',
    ]);
    const ledger = workbook.getWorksheet('整改台账');
    expect(ledger?.getCell('B2').dataValidation).toMatchObject({ type: 'list', formulae: ["'选项'!$A$2:$A$2"] });
    // the template itself reads back as a ledger without rows
    expect(refused(workbook)).toMatch(/no data rows/);
  }, 30_000);
});
