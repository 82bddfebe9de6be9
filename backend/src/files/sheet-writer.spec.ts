import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { FIRST_DATA_ROW, writeTable, type TableRow } from './sheet-writer';

/** Writes one table through the streaming writer and reads the file back. */
async function roundTrip(rows: AsyncIterable<TableRow[]>, maxDataRows: number): Promise<ExcelJS.Workbook> {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false });
  await writeTable(
    workbook,
    {
      sheetName: '超期整改清单',
      title: '超期整改任务清单',
      reportingUnit: '示例市',
      asOf: '2026-09-30',
      note: '共 25 项',
      columns: [
        { header: '序号', format: 'count' },
        { header: '单位', format: 'text' },
      ],
      maxDataRows,
    },
    rows,
  );
  await workbook.commit();
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
  return book;
}

describe('writeTable', () => {
  it('goes on in further sheets, under the same header, when a list outgrows a sheet', async () => {
    async function* pages() {
      for (let page = 0; page < 5; page++) yield Array.from({ length: 5 }, (_, i) => ({ cells: [page * 5 + i + 1, `单位${page * 5 + i + 1}`] }));
    }
    const book = await roundTrip(pages(), 10);
    expect(book.worksheets.map((w) => w.name)).toEqual(['超期整改清单', '超期整改清单（续1）', '超期整改清单（续2）']);
    const numbers: number[] = [];
    for (const sheet of book.worksheets) {
      expect(sheet.getCell('A1').value).toBe('超期整改任务清单');
      expect(sheet.getCell(`A${FIRST_DATA_ROW - 1}`).value).toBe('序号');
      for (let r = FIRST_DATA_ROW; r <= sheet.rowCount; r++) numbers.push(Number(sheet.getCell(`A${r}`).value));
    }
    expect(numbers).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(book.worksheets[2].getCell('A4').value).toBe('（续表2）共 25 项');
  });
});
