import { PassThrough, Readable } from 'node:stream';
import { StreamableFile } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { contentDisposition, CSV_TYPE, csvHead, csvRows, XLSX_TYPE, type CsvColumn } from './files';
import { writeTable, type TableColumn } from './sheet-writer';

/**
 * A list's download as .xlsx or CSV, streamed a page of rows at a time (`pages` may be one array of every row): the helpers behind
 * every list's 导出 (tasks, findings, clues), so that each list reads and prints alike.
 */

export interface ListXlsxFile {
  /** The sheet's title: the list's label */
  title: string;
  /** 填报单位 (may still be looked up while the download starts) */
  reportingUnit: string | Promise<string>;
  asOf: string;
  /** The ASCII fallback name and the real (Chinese) name of the file */
  ascii: string;
  name: string;
}

/**
 * A list as one table of a streamed workbook (the quarterly workbook's table layout: title,
 * 填报单位, 统计截止日期, header repeated on every printed page), a page of rows at a time.
 */
export function listXlsxFile<T>(columns: readonly CsvColumn<T>[], pages: AsyncIterable<T[]> | Iterable<T[]>, sample: readonly T[], file: ListXlsxFile): StreamableFile {
  const output = new PassThrough();
  const tableColumns: TableColumn[] = columns.map((c) => ({ header: c.header, format: c.format ?? 'text' }));
  const cell = (value: string | number | boolean | null) => (typeof value === 'boolean' ? (value ? '是' : '否') : value);
  const rows = (list: readonly T[]) => list.map((r) => ({ cells: columns.map((c) => cell(c.value(r))) }));
  void (async () => {
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
    workbook.creator = 'Xuncha Insight 巡察整改监督分析平台';
    async function* table() {
      for await (const page of pages) yield rows(page);
    }
    await writeTable(workbook, { sheetName: file.title.slice(0, 31), title: file.title, reportingUnit: await file.reportingUnit, asOf: file.asOf, columns: tableColumns, autoFilter: true, freezeColumns: 1 }, table(), rows(sample.slice(0, 200)));
    await workbook.commit();
  })().catch((error: unknown) => output.destroy(error instanceof Error ? error : new Error(String(error))));
  return new StreamableFile(output, { type: XLSX_TYPE, disposition: contentDisposition(file.ascii, file.name) });
}

/**
 * CSV (UTF-8 with BOM, Chinese headers) streamed a page at a time. The first page was read
 * before (a bad parameter is a 400, not a broken download); a later failure aborts the
 * transfer, so that a client never takes a truncated list for a whole one.
 */
export function listCsvFile<T>(columns: readonly CsvColumn<T>[], pages: AsyncIterable<T[]> | Iterable<T[]>, ascii: string, name: string): StreamableFile {
  async function* text() {
    yield Buffer.from(csvHead(columns));
    for await (const rows of pages) yield Buffer.from(csvRows(columns, rows));
  }
  // Nest's handler of a stream failing after the headers went out destroys the connection
  return new StreamableFile(Readable.from(text(), { objectMode: false }), { type: CSV_TYPE, disposition: contentDisposition(ascii, name) });
}
