import ExcelJS from 'exceljs';
import { openXlsx, XlsxUnreadable, type XlsxValue } from './xlsx-reader';
import { zip } from './zip-fixture';

/** A zip of deflated parts, each given as text. */
function zipText(parts: { name: string; text: string }[]): Buffer {
  return zip(parts.map((part) => ({ name: part.name, data: Buffer.from(part.text) })));
}

/** Every row of every sheet as the reader gives it: [sheet, row, values by column]. */
async function readAll(buffer: Buffer): Promise<[string, number, XlsxValue[]][]> {
  const workbook = await openXlsx(buffer);
  const rows: [string, number, XlsxValue[]][] = [];
  for (const name of workbook.sheets) await workbook.readSheet(name, (row, cells) => rows.push([name, row, [...cells].map((c) => c ?? null)]));
  return rows;
}

/** The same through exceljs's loaded workbook, its values made plain as an import reads them. */
async function exceljsValues(buffer: Buffer): Promise<[string, number, XlsxValue[]][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(new Uint8Array(buffer).buffer);
  const plain = (value: ExcelJS.CellValue): XlsxValue => {
    if (value === null || value === undefined) return null;
    if (typeof value !== 'object' || value instanceof Date) return value;
    if ('error' in value) return { error: String(value.error) };
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('hyperlink' in value) return typeof value.text === 'string' ? value.text : plain(value.text);
    if ('formula' in value || 'sharedFormula' in value) return value.result === undefined ? null : plain(value.result);
    return null;
  };
  const rows: [string, number, XlsxValue[]][] = [];
  for (const sheet of workbook.worksheets) {
    sheet.eachRow({ includeEmpty: false }, (row, number) => {
      const cells: XlsxValue[] = [];
      row.eachCell({ includeEmpty: false }, (cell, col) => {
        cells[col] = plain(cell.value);
      });
      rows.push([sheet.name, number, [...cells].map((c) => c ?? null)]);
    });
  }
  return rows;
}

describe('openXlsx', () => {
  it('reads what exceljs writes as exceljs reads it: strings, numbers, dates, booleans, formulas, errors, rich text, links', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('整改台账');
    sheet.addRow(['任务编号', '日期', '数', '是否', '公式', '错误']);
    sheet.addRow(['T1 ', new Date(Date.UTC(2026, 2, 31)), 12.5, true, { formula: 'C2*2', result: 25 }, { error: '#N/A' }]);
    sheet.getCell('B2').numFmt = 'yyyy-mm-dd';
    sheet.addRow([{ richText: [{ text: '全角，' }, { text: 'ＡＢ１', font: { bold: true } }] }, '2026年3月1日', null, false, { formula: 'A3', result: 'x' }]);
    sheet.getCell('F4').value = { text: '链接', hyperlink: 'https://example.org' };
    sheet.getCell('H6').value = 'sparse <&> "quoted"';
    sheet.getRow(8).font = { bold: true }; // a row only formatted: no values, not read
    sheet.getCell('AB9').value = 42;
    const other = book.addWorksheet('历史');
    other.addRow(['a', 'b']);
    const buffer = Buffer.from(await book.xlsx.writeBuffer());
    const read = await readAll(buffer);
    expect(read).toEqual(await exceljsValues(buffer));
    expect(read.map(([s, r]) => `${s}:${r}`)).toEqual(['整改台账:1', '整改台账:2', '整改台账:3', '整改台账:4', '整改台账:6', '整改台账:9', '历史:1']);
    expect(read[1][2][2]).toEqual(new Date(Date.UTC(2026, 2, 31)));
    expect(read[5][2][28]).toBe(42);
  });

  it('reads inline strings (the streaming writer without shared strings) and a sheet of many rows in chunks', async () => {
    const file = `${process.env.TMPDIR ?? '/tmp'}/xlsx-reader-${process.pid}.xlsx`;
    const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false });
    const sheet = writer.addWorksheet('名录');
    sheet.addRow(['单位代码', '单位名称']).commit();
    for (let i = 0; i < 30_000; i++) sheet.addRow([`U${i}`, `单位${i}：长名称用来跨越读取的分块边界`]).commit();
    sheet.commit();
    await writer.commit();
    const buffer = (await import('node:fs')).readFileSync(file);
    (await import('node:fs')).rmSync(file);
    const read = await readAll(buffer);
    expect(read).toHaveLength(30_001);
    expect(read[30_000]).toEqual(['名录', 30_001, [null, 'U29999', '单位29999：长名称用来跨越读取的分块边界']]);
    expect(read).toEqual(await exceljsValues(buffer));
  });

  it('reads what other writers write: prefixed elements, rows and cells without r, phonetic runs, _xHHHH_ escapes, date styles', async () => {
    const ns = 'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
    const buffer = zipText([
      {
        name: '_rels/.rels',
        text: '<Relationships><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="/xl/workbook.xml"/></Relationships>',
      },
      {
        name: 'xl/workbook.xml',
        text: `<x:workbook ${ns} xmlns:r="r"><x:sheets><x:sheet name="表&amp;一" sheetId="1" r:id="rId1"/></x:sheets></x:workbook>`,
      },
      {
        name: 'xl/_rels/workbook.xml.rels',
        text:
          '<Relationships><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/s1.xml"/>' +
          '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="strings.xml"/>' +
          '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>',
      },
      {
        name: 'xl/strings.xml',
        text: `<x:sst ${ns}><x:si><x:r><x:t>東京</x:t></x:r><x:rPh sb="0" eb="2"><x:t>トウキョウ</x:t></x:rPh></x:si><x:si><x:t xml:space="preserve">a_x0000_b _x005F_x0041_</x:t></x:si></x:sst>`,
      },
      {
        name: 'xl/styles.xml',
        text: `<x:styleSheet ${ns}><x:cellXfs count="3"><x:xf numFmtId="0"/><x:xf numFmtId="31"/><x:xf numFmtId="2"><x:alignment/></x:xf></x:cellXfs></x:styleSheet>`,
      },
      {
        name: 'xl/worksheets/s1.xml',
        text:
          `<x:worksheet ${ns}><x:sheetData>` +
          '<x:row><x:c t="s"><x:v>0</x:v></x:c><x:c t="s"><x:v>1</x:v></x:c><x:c s="1"><x:v>46112</x:v></x:c><x:c s="2"><x:v>3.5</x:v></x:c></x:row>' +
          '<x:row r="3"><x:c r="B3" t="inlineStr"><x:is><x:r><x:t>行内</x:t></x:r><x:r><x:t>文本</x:t></x:r></x:is></x:c><x:c t="b"><x:v>1</x:v></x:c><x:c t="e"><x:v>#REF!</x:v></x:c></x:row>' +
          '<x:row r="4"/></x:sheetData></x:worksheet>',
      },
    ]);
    const workbook = await openXlsx(buffer);
    expect(workbook.sheets).toEqual(['表&一']);
    expect(await readAll(buffer)).toEqual([
      ['表&一', 1, [null, '東京', 'a\u0000b _x0041_', new Date(Date.UTC(2026, 2, 31)), 3.5]],
      ['表&一', 3, [null, null, '行内文本', true, { error: '#REF!' }]],
    ]);
  });

  it('refuses a zip that holds no workbook', async () => {
    await expect(openXlsx(zipText([{ name: 'hello.txt', text: 'hello' }]))).rejects.toBeInstanceOf(XlsxUnreadable);
  });
});
