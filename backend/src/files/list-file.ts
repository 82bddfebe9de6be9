import { PassThrough, Readable } from 'node:stream';
import { StreamableFile } from '@nestjs/common';
import { contentDisposition, CSV_TYPE, csvHead, csvRows, XLSX_TYPE, type CsvColumn } from './files';
import { writeTable, type TableColumn } from './sheet-writer';
import { loadExcel } from './excel';

/**
 * A list downloaded whole, as CSV or .xlsx, from the same columns: the drill-down lists, the
 * warning and overdue lists and the case-record lists all answer through here. Rows come a
 * page at a time, so a long list never sits in memory.
 */

export interface ListPage<T> {
  total: number;
  rows: T[];
}

/** What names and heads a list's file. */
export interface ListFile {
  /** The table's title (and the sheet's name, cut to Excel's 31 characters). */
  title: string;
  /** 统计截止日期 (YYYY-MM-DD). */
  asOf: string;
  /** 填报单位. */
  reportingUnit: string;
  /** The plain ASCII file name for clients that do not read `filename*`. */
  ascii: string;
  /** The file name with its filters (see listFileName). */
  name: string;
}

/**
 * The pages of a list from the first on, until a page comes back short. Each next page is
 * read ahead, while the current one is written (two pages in memory at most); the second
 * is asked for at once.
 */
export function listPages<T>(first: ListPage<T>, read: (page: number) => Promise<ListPage<T>>, size: number, signal?: AbortSignal): AsyncIterable<T[]> {
  const ahead = (current: ListPage<T>, page: number) => {
    const next = current.rows.length < size ? undefined : read(page + 1);
    // a read failing while the consumer is busy is reported where it is awaited, not as unhandled
    next?.catch(() => undefined);
    return next;
  };
  let next = ahead(first, 1);
  return (async function* () {
    let current = first;
    for (let page = 1; ; page++) {
      if (current.rows.length > 0) yield current.rows;
      signal?.throwIfAborted();
      if (!next) return;
      current = await next;
      next = ahead(current, page + 1);
    }
  })();
}

/**
 * A list as one table of a streamed workbook (the quarterly workbook's table layout: title,
 * 填报单位, 统计截止日期, header repeated on every printed page), a page of rows at a time.
 * `sample` (the first page) fits the column widths.
 */
export function xlsxListFile<T>(
  columns: readonly CsvColumn<T>[],
  pages: AsyncIterable<T[]> | Iterable<T[]>,
  sample: readonly T[],
  file: ListFile,
): StreamableFile {
  const output = new PassThrough();
  const tableColumns: TableColumn[] = columns.map((c) => ({ header: c.header, format: c.format ?? 'text' }));
  const cell = (value: string | number | boolean | null) => (typeof value === 'boolean' ? (value ? '是' : '否') : value);
  const rows = (list: readonly T[]) => list.map((r) => ({ cells: columns.map((c) => cell(c.value(r))) }));
  void (async () => {
    const workbook = new (await loadExcel()).stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
    workbook.creator = 'Xuncha Insight 巡察整改监督分析平台';
    async function* table() {
      for await (const page of pages) yield rows(page);
    }
    const spec = {
      sheetName: file.title.slice(0, 31),
      title: file.title,
      reportingUnit: file.reportingUnit,
      asOf: file.asOf,
      columns: tableColumns,
      autoFilter: true,
      freezeColumns: 1,
    };
    await writeTable(workbook, spec, table(), rows(sample.slice(0, 200)));
    await workbook.commit();
  })().catch((error: unknown) => output.destroy(error instanceof Error ? error : new Error(String(error))));
  return new StreamableFile(output, { type: XLSX_TYPE, disposition: contentDisposition(file.ascii, file.name) });
}

/**
 * CSV streamed a page at a time. The first page was read before (a bad parameter is a 400,
 * not a broken download); a later failure aborts the transfer, so that a client never takes
 * a truncated list for a whole one.
 */
export function csvListFile<T>(columns: readonly CsvColumn<T>[], pages: AsyncIterable<T[]> | Iterable<T[]>, ascii: string, name: string): StreamableFile {
  async function* text() {
    yield Buffer.from(csvHead(columns));
    for await (const rows of pages) yield Buffer.from(csvRows(columns, rows));
  }
  // Nest's handler of a stream failing after the headers went out destroys the connection
  return new StreamableFile(Readable.from(text(), { objectMode: false }), { type: CSV_TYPE, disposition: contentDisposition(ascii, name) });
}

/** Named parts of a list's filters, for its file name: region, round, category, unit category, mode. */
export interface ListNameParts {
  region?: string;
  round?: string;
  category?: string;
  unitCategory?: string;
  mode?: string;
}

/** `超期任务_某县_第一轮_2026-12-03.xlsx`: the list, its named filters, the as-of day; no path characters. */
export function listFileName(label: string, parts: ListNameParts, asOf: string, extension: 'csv' | 'xlsx'): string {
  return namedFileName([label, parts.region, parts.round, parts.category, parts.unitCategory, parts.mode, asOf], extension);
}

/** The named parts that are given, joined by `_`, each without path characters (nor `_`). */
export function namedFileName(parts: readonly (string | undefined)[], extension: 'csv' | 'xlsx'): string {
  const named = parts.filter((p): p is string => !!p);
  return `${named.map((p) => p.replace(/[\\/:*?"<>|_\u0000-\u001f]/g, '-')).join('_')}.${extension}`;
}
