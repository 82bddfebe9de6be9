import ExcelJS from 'exceljs';
import { buildLedgerTemplate, LedgerRefused, LEDGER_COLUMNS, readLedger } from './ledger-workbook';

const HEADERS = LEDGER_COLUMNS.map((c) => c.header);

function sheet(rows: unknown[][], title?: string): ExcelJS.Workbook {
  const book = new ExcelJS.Workbook();
  const ws = book.addWorksheet('整改台账');
  if (title) ws.addRow([title]);
  for (const row of rows) ws.addRow(row);
  return book;
}

function refused(book: ExcelJS.Workbook, maxRows?: number): string {
  try {
    readLedger(book, maxRows);
  } catch (error) {
    if (error instanceof LedgerRefused) return error.message;
    throw error;
  }
  throw new Error('not refused');
}

describe('readLedger', () => {
  it('reads the values as Excel holds them: numbers, dates, rich text, formulas', () => {
    const book = sheet([
      HEADERS,
      [12, 2.1, { richText: [{ text: '问题' }, { text: '描述' }] }, '是', '措施', '部门', '张三', '限期整改', new Date('2026-03-31T00:00:00Z'), '2026/1/5'],
      [],
      ['13', '1.02', 'd', '否', 'm', 'd', 'p', '长期坚持', null, '2026年1月6日'],
      [{ formula: '1+13', result: 14 }, '1.03', 'd', '否', 'm', 'd', 'p', '立行立改', 46112, { formula: 'A1', result: '2026-01-07' }],
    ]);
    const { rows, problems } = readLedger(book);
    expect(problems).toEqual([]);
    expect(rows).toEqual([
      { row: 2, inspectionId: 12, categoryCode: '2.10', description: '问题描述', isImmediate: true, measure: '措施', responsibleDept: '部门', responsiblePerson: '张三', track: 'DEADLINE', dueDate: '2026-03-31', foundDate: '2026-01-05' },
      { row: 4, inspectionId: 13, categoryCode: '1.02', description: 'd', isImmediate: false, measure: 'm', responsibleDept: 'd', responsiblePerson: 'p', track: 'LONG_TERM', dueDate: null, foundDate: '2026-01-06' },
      // 46112 is the Excel serial of 2026-03-31
      { row: 5, inspectionId: 14, categoryCode: '1.03', description: 'd', isImmediate: false, measure: 'm', responsibleDept: 'd', responsiblePerson: 'p', track: 'IMMEDIATE', dueDate: '2026-03-31', foundDate: '2026-01-07' },
    ]);
  });

  it('finds the header under a title row and accepts headers without their hints', () => {
    const plain = HEADERS.map((h) => h.replace(/\(.*\)$/, ''));
    const { rows } = readLedger(sheet([plain, [1, '1.01', 'd', '否', 'm', 'd', 'p', '限期整改', '2026-03-31', '2026-01-05']], '某某单位巡察整改台账'));
    expect(rows.map((r) => r.row)).toEqual([3]);
  });

  it('reports every problem of a row, by column', () => {
    const { rows, problems } = readLedger(sheet([HEADERS, ['x', '', '问'.repeat(10_001), '可能', 'm', 'd', 'p', '马上', '2026-02-30', '']]));
    expect(rows).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems[0].row).toBe(2);
    const text = problems[0].problems.join('\n');
    for (const column of ['巡察ID', '问题类别代码', '问题描述', '立行立改', '整改类型', '整改时限', '发现日期']) expect(text).toContain(`${column}: `);
    // a blank due date is not judged when the track cannot be read (it may be 长期坚持)
    const blank = readLedger(sheet([HEADERS, [1, '1.01', 'd', '否', 'm', 'd', 'p', '马上', null, '2026-01-05']]));
    expect(blank.problems).toEqual([{ row: 2, problems: [expect.stringMatching(/^整改类型: /)] }]);
  });

  it('refuses dates outside what both engines hold, saying the range', () => {
    const { problems } = readLedger(sheet([HEADERS, [1, '1.01', 'd', '否', 'm', 'd', 'p', '限期整改', '2150-01-01', '1969-12-31']]));
    expect(problems).toEqual([
      {
        row: 2,
        problems: [
          '整改时限: 须在 1970-01-01 至 2100-12-31 之间 must lie from 1970-01-01 to 2100-12-31 (got "2150-01-01")',
          '发现日期: 须在 1970-01-01 至 2100-12-31 之间 must lie from 1970-01-01 to 2100-12-31 (got "1969-12-31")',
        ],
      },
    ]);
  });

  it('requires a due date unless 长期坚持', () => {
    const { problems } = readLedger(sheet([HEADERS, [1, '1.01', 'd', '否', 'm', 'd', 'p', '限期整改', null, '2026-01-05']]));
    expect(problems).toEqual([{ row: 2, problems: ['整改时限: 必填 is required'] }]);
  });

  it('refuses an empty sheet, a header alone, missing columns and too many rows', () => {
    expect(refused(sheet([]))).toMatch(/empty/);
    expect(refused(sheet([HEADERS]))).toMatch(/no data rows/);
    expect(refused(sheet([HEADERS.slice(0, 3), [1, '1.01', 'x']]))).toMatch(/立行立改\(是\/否\)/);
    const row = [1, '1.01', 'd', '否', 'm', 'd', 'p', '限期整改', '2026-03-31', '2026-01-05'];
    expect(refused(sheet([HEADERS, row, row, row]), 2)).toMatch(/3 data rows; at most 2/);
  });
});

describe('buildLedgerTemplate', () => {
  it('writes the header row, the 说明 sheet and the category codes', async () => {
    const buffer = await buildLedgerTemplate([{ code: '2.03', name: '惠民惠农和专项资金问题', parent: { code: '2', name: '群众身边不正之风和腐败问题' } }]);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(new Uint8Array(buffer).buffer);
    expect((book.getWorksheet('整改台账')?.getRow(1).values as unknown[]).slice(1)).toEqual(HEADERS);
    expect(book.getWorksheet('说明')?.getCell('A2').value).toBe('巡察ID');
    expect(book.getWorksheet('问题类别代码')?.getCell('A2').value).toBe('2.03');
    // the template itself reads back as a ledger without rows
    expect(refused(book)).toMatch(/no data rows/);
  });
});
