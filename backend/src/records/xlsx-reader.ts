import { StringDecoder } from 'node:string_decoder';
import { zipPartChunks, zipParts, type ZipPart } from './zip-guard';

/**
 * A lean streaming reader of the cell values of an .xlsx upload (the ledger and the unit
 * and region lists), for a zip already passed by `checkZip`. It keeps what an import reads
 * and nothing else: the sheet names, the shared strings, which cell styles are dates, and
 * per row the values of its cells. A sheet's XML is inflated and scanned a chunk at a
 * time, complete rows only, so memory holds one chunk and the rows the caller keeps, never
 * the workbook's cell model; between chunks the event loop runs.
 *
 * Values as Excel means them: shared and inline strings (rich text joined, phonetic runs
 * left out, `_xHHHH_` escapes decoded), numbers, booleans, errors, a formula's cached
 * result, and numbers in a date format as Dates (the instant exceljs makes of them).
 */

/** A cell holding an Excel error (#N/A, #REF!…). */
export interface XlsxError {
  error: string;
}

export type XlsxValue = string | number | boolean | Date | XlsxError | null;

/** Something that makes the file unreadable as a workbook. */
export class XlsxUnreadable extends Error {
  constructor(detail: string) {
    super(`文件已损坏或不是 .xlsx 工作簿 the file could not be read as an .xlsx workbook (corrupt, or another format: ${detail})`);
    this.name = 'XlsxUnreadable';
  }
}

export interface XlsxWorkbook {
  /** The sheets' names in the workbook's order. */
  sheets: string[];
  /**
   * Calls `onRow` for every row of the sheet `name` holding a value, in order: its Excel
   * row number and its values by column number (1-based; columns without a value are holes).
   */
  readSheet(name: string, onRow: (row: number, cells: XlsxValue[]) => void): Promise<void>;
}

/** Bytes of a sheet inflated and scanned at a time. */
const CHUNK_BYTES = 512 * 1024;

export async function openXlsx(buffer: Buffer): Promise<XlsxWorkbook> {
  const parts = new Map<string, ZipPart>();
  for (const part of zipParts(buffer)) parts.set(partKey(part.name), part);
  const text = async (name: string): Promise<string | null> => {
    const part = parts.get(partKey(name));
    if (!part) return null;
    const chunks: Buffer[] = [];
    for await (const chunk of zipPartChunks(buffer, part, CHUNK_BYTES)) chunks.push(chunk);
    return Buffer.concat(chunks).toString('utf8');
  };

  const rootRels = await text('_rels/.rels');
  const workbookPath = (rootRels && relationships(rootRels, '').find((r) => r.type.endsWith('/officeDocument'))?.target) || 'xl/workbook.xml';
  const workbookXml = await text(workbookPath);
  if (workbookXml === null) throw new XlsxUnreadable('no workbook part');
  const base = workbookPath.slice(0, workbookPath.lastIndexOf('/') + 1);
  const rels = relationships((await text(`${base}_rels/${workbookPath.slice(base.length)}.rels`)) ?? '', base);
  const target = (type: string, fallback: string) => rels.find((r) => r.type.endsWith(type))?.target ?? `${base}${fallback}`;

  const date1904 = /<(?:\w+:)?workbookPr\b[^>]*\bdate1904\s*=\s*["'](?:1|true)["']/.test(workbookXml);
  const sheets: { name: string; path: string }[] = [];
  for (const match of workbookXml.matchAll(/<(?:\w+:)?sheet\b([^>]*)>/g)) {
    const name = attribute(match[1], 'name');
    const id = /\s(?:\w+:)?id\s*=\s*(?:"([^"]*)"|'([^']*)')/.exec(match[1]);
    const path = rels.find((r) => r.id === (id?.[1] ?? id?.[2]))?.target;
    if (name !== undefined && path !== undefined) sheets.push({ name: decodeXml(name), path });
  }
  if (sheets.length === 0) throw new XlsxUnreadable('no worksheet');

  const sharedStrings: string[] = [];
  const sst = parts.get(partKey(target('/sharedStrings', 'sharedStrings.xml')));
  if (sst)
    await scanPart(buffer, sst, '</si>', (chunk) => {
      for (const match of chunk.matchAll(/<(?:\w+:)?si\b[^>]*?(?:\/>|>([\s\S]*?)<\/(?:\w+:)?si>)/g)) sharedStrings.push(runsText(match[1] ?? ''));
    });
  const dateStyles = dateStyleIds((await text(target('/styles', 'styles.xml'))) ?? '');

  return {
    sheets: sheets.map((s) => s.name),
    async readSheet(name, onRow) {
      const sheet = sheets.find((s) => s.name === name);
      const part = sheet && parts.get(partKey(sheet.path));
      if (!part) throw new XlsxUnreadable(`the sheet ${name} is missing`);
      let previous = 0;
      await scanPart(buffer, part, '</row>', (chunk) => {
        for (const row of chunk.matchAll(/<(?:\w+:)?row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/(?:\w+:)?row>)/g)) {
          const r = attribute(row[1], 'r');
          const number = r === undefined ? previous + 1 : Number(r);
          previous = number;
          if (!row[2]) continue;
          const cells: XlsxValue[] = [];
          let column = 0;
          let any = false;
          for (const cell of row[2].matchAll(/<(?:\w+:)?c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/(?:\w+:)?c>)/g)) {
            const ref = attribute(cell[1], 'r');
            column = ref === undefined ? column + 1 : columnOf(ref);
            const value = cell[2] === undefined ? null : cellValue(cell[1], cell[2], sharedStrings, dateStyles, date1904);
            if (value === null) continue;
            cells[column] = value;
            any = true;
          }
          if (any) onRow(number, cells);
        }
      });
    },
  };
}

/** Zip part names compared without case and a leading slash (writers differ). */
function partKey(name: string): string {
  return name.replace(/\\/g, '/').replace(/^\//, '').toLowerCase();
}

/**
 * Inflates a part a chunk at a time and hands `scan` the text up to the last `closing`
 * tag seen, keeping the rest for the next chunk: every piece holds whole elements.
 */
async function scanPart(buffer: Buffer, part: ZipPart, closing: string, scan: (text: string) => void): Promise<void> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  for await (const chunk of zipPartChunks(buffer, part, CHUNK_BYTES)) {
    pending += decoder.write(chunk);
    const end = pending.lastIndexOf(closing);
    if (end < 0) continue;
    scan(pending.slice(0, end + closing.length));
    pending = pending.slice(end + closing.length);
    // let the server answer others between chunks
    await new Promise((resolve) => setImmediate(resolve));
  }
  pending += decoder.end();
  if (pending) scan(pending);
}

function relationships(xml: string, base: string): { id: string; type: string; target: string }[] {
  const result: { id: string; type: string; target: string }[] = [];
  for (const match of xml.matchAll(/<(?:\w+:)?Relationship\b([^>]*)>/g)) {
    const id = attribute(match[1], 'Id');
    const type = attribute(match[1], 'Type');
    const target = attribute(match[1], 'Target');
    if (id === undefined || type === undefined || target === undefined) continue;
    result.push({ id, type, target: resolvePath(base, decodeXml(target)) });
  }
  return result;
}

function resolvePath(base: string, target: string): string {
  const parts = (target.startsWith('/') ? target.slice(1) : base + target).split('/');
  const out: string[] = [];
  for (const part of parts) {
    if (part === '..') out.pop();
    else if (part !== '.' && part !== '') out.push(part);
  }
  return out.join('/');
}

const ATTRIBUTES = new Map<string, RegExp>();

function attribute(attributes: string, name: string): string | undefined {
  let pattern = ATTRIBUTES.get(name);
  if (!pattern) {
    pattern = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`);
    ATTRIBUTES.set(name, pattern);
  }
  const match = pattern.exec(attributes);
  return match ? (match[1] ?? match[2]) : undefined;
}

/** The column number of a cell reference: AB12 → 28. */
function columnOf(ref: string): number {
  let column = 0;
  for (let i = 0; i < ref.length; i++) {
    const code = ref.charCodeAt(i) | 0x20;
    if (code < 97 || code > 122) break;
    column = column * 26 + (code - 96);
  }
  return column;
}

function cellValue(attributes: string, content: string, sharedStrings: readonly string[], dateStyles: ReadonlySet<number>, date1904: boolean): XlsxValue {
  const type = attribute(attributes, 't') ?? 'n';
  if (type === 'inlineStr') {
    const inline = /<(?:\w+:)?is\b[^>]*>([\s\S]*?)<\/(?:\w+:)?is>/.exec(content);
    return inline ? runsText(inline[1]) : null;
  }
  const v = /<(?:\w+:)?v\b[^>]*>([\s\S]*?)<\/(?:\w+:)?v>/.exec(content);
  if (!v) return null;
  const text = v[1];
  switch (type) {
    case 's':
      return sharedStrings[Number(text)] ?? null;
    case 'str':
      return unescapeText(decodeXml(text));
    case 'e':
      return { error: decodeXml(text) };
    case 'b':
      return Number(text) !== 0;
    case 'd': {
      const date = new Date(decodeXml(text).trim());
      return Number.isNaN(date.getTime()) ? decodeXml(text) : date;
    }
    default: {
      const number = Number(text);
      if (text.trim() === '' || Number.isNaN(number)) return null;
      const style = attribute(attributes, 's');
      // the instant exceljs makes of a date cell: the serial as UTC days since 1899-12-30
      if (style !== undefined && dateStyles.has(Number(style))) return new Date(Math.round((number - 25569 + (date1904 ? 1462 : 0)) * 86_400_000));
      return number;
    }
  }
}

/** The text of a string item: its runs' <t> joined, phonetic guides (<rPh>) left out. */
function runsText(xml: string): string {
  const visible = xml.includes('rPh') ? xml.replace(/<(?:\w+:)?rPh\b[\s\S]*?<\/(?:\w+:)?rPh>/g, '') : xml;
  let text = '';
  for (const match of visible.matchAll(/<(?:\w+:)?t\b[^>]*?(?:\/>|>([\s\S]*?)<\/(?:\w+:)?t>)/g)) text += match[1] ?? '';
  return unescapeText(decodeXml(text));
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeXml(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (whole, name: string) => {
    if (name[0] !== '#') return ENTITIES[name] ?? whole;
    const code = name[1] === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/** Excel's escapes of characters XML cannot hold: _x0000_ is NUL, _x005F_ an underscore. */
function unescapeText(text: string): string {
  if (!text.includes('_x')) return text;
  return text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** Built-in number formats that show a date or a time (the zh-CN ones included). */
const BUILT_IN_DATE_FORMATS = new Set([
  14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58,
]);

/** The indexes of the cell styles (cellXfs) whose number format shows a date. */
function dateStyleIds(styles: string): Set<number> {
  const custom = new Map<number, string>();
  for (const match of styles.matchAll(/<(?:\w+:)?numFmt\b([^>]*)>/g)) {
    const id = attribute(match[1], 'numFmtId');
    const code = attribute(match[1], 'formatCode');
    if (id !== undefined && code !== undefined) custom.set(Number(id), decodeXml(code));
  }
  const ids = new Set<number>();
  const cellXfs = /<(?:\w+:)?cellXfs\b[^>]*>([\s\S]*?)<\/(?:\w+:)?cellXfs>/.exec(styles);
  if (!cellXfs) return ids;
  let index = 0;
  for (const match of cellXfs[1].matchAll(/<(?:\w+:)?xf\b([^>]*)>/g)) {
    const format = Number(attribute(match[1], 'numFmtId') ?? 0);
    const code = custom.get(format);
    if (code !== undefined ? isDateFormat(code) : BUILT_IN_DATE_FORMATS.has(format)) ids.add(index);
    index += 1;
  }
  return ids;
}

/** A format code showing a date or time: y, m, d, h or s outside quotes and brackets (as exceljs decides). */
function isDateFormat(code: string): boolean {
  return /[ymdhMsb]/.test(code.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''));
}
