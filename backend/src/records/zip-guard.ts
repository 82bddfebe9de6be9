import { createInflateRaw, inflateRawSync } from 'node:zlib';

/**
 * A small reader of a zip's central directory, run on an uploaded workbook before exceljs
 * sees it. exceljs (through JSZip) expands every part of an .xlsx into memory, so a
 * "zip bomb" — a few hundred kilobytes that inflate to gigabytes — would exhaust the heap.
 * This refuses, without expanding anything large:
 *
 * - anything that is not a readable zip (no end-of-central-directory record, entries
 *   pointing outside the file), encrypted entries and compression methods other than
 *   stored / deflate;
 * - more than `maxEntries` parts;
 * - a declared uncompressed total above `maxTotalBytes`;
 * - declared sizes that lie: each deflated part is inflated with its declared size as the
 *   hard output limit, so a part that would expand further is cut off and refused. Memory
 *   stays bounded by the largest declared part (itself ≤ maxTotalBytes).
 */
export class ZipRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZipRefused';
  }
}

export interface ZipLimits {
  /** Largest sum of the parts' uncompressed sizes. */
  maxTotalBytes: number;
  maxEntries: number;
}

export interface ZipSummary {
  entries: number;
  compressedBytes: number;
  uncompressedBytes: number;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX16 = 0xffff;
const MAX32 = 0xffffffff;

/** True when the bytes start like a zip (an .xlsx is one). */
export function looksLikeZip(buffer: Buffer): boolean {
  return buffer.length >= 4 && buffer.readUInt32LE(0) === LOCAL;
}

/** Checks the zip in `buffer` against `limits`; throws ZipRefused with the reason. */
export function checkZip(buffer: Buffer, limits: ZipLimits): ZipSummary {
  const directory = readDirectory(buffer);
  if (directory.count > limits.maxEntries)
    throw new ZipRefused(`压缩包内文件过多（${directory.count} 个） the workbook holds too many parts (${directory.count} > ${limits.maxEntries})`);
  const entries = readEntries(buffer, directory);
  let total = 0;
  let compressed = 0;
  for (const entry of entries) {
    total += entry.uncompressedSize;
    compressed += entry.compressedSize;
  }
  if (total > limits.maxTotalBytes) {
    throw new ZipRefused(
      `工作簿解压后过大（${mib(total)}，上传 ${mib(buffer.length)}），疑似压缩炸弹，已拒绝 the workbook would expand to ${mib(total)} from ${mib(buffer.length)} (limit ${mib(limits.maxTotalBytes)}); refused as a possible zip bomb`,
    );
  }
  for (const entry of entries) verifyEntry(buffer, entry);
  return { entries: entries.length, compressedBytes: compressed, uncompressedBytes: total };
}

interface Directory {
  count: number;
  offset: number;
  size: number;
}

interface Entry {
  name: string;
  flags: number;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localOffset: number;
}

function readDirectory(buffer: Buffer): Directory {
  // The end record is 22 bytes plus a comment of at most 65535 bytes, at the very end.
  const floor = Math.max(0, buffer.length - 22 - MAX16);
  let at = -1;
  for (let i = buffer.length - 22; i >= floor; i--) {
    if (buffer.readUInt32LE(i) === EOCD) {
      at = i;
      break;
    }
  }
  if (at < 0) throw new ZipRefused('不是有效的 .xlsx 文件（找不到 zip 目录） not a valid .xlsx file (no zip directory found)');
  let count = buffer.readUInt16LE(at + 10);
  let size = buffer.readUInt32LE(at + 12);
  let offset = buffer.readUInt32LE(at + 16);
  if (count === MAX16 || size === MAX32 || offset === MAX32) {
    const locator = at - 20;
    if (locator < 0 || buffer.readUInt32LE(locator) !== ZIP64_LOCATOR) throw corrupt('zip64 locator missing');
    const record = safeNumber(buffer.readBigUInt64LE(locator + 8));
    if (record + 56 > buffer.length || buffer.readUInt32LE(record) !== ZIP64_EOCD) throw corrupt('zip64 directory record missing');
    count = safeNumber(buffer.readBigUInt64LE(record + 32));
    size = safeNumber(buffer.readBigUInt64LE(record + 40));
    offset = safeNumber(buffer.readBigUInt64LE(record + 48));
  }
  if (offset + size > buffer.length) throw corrupt('directory lies outside the file');
  return { count, offset, size };
}

function readEntries(buffer: Buffer, directory: Directory): Entry[] {
  const entries: Entry[] = [];
  const end = directory.offset + directory.size;
  let at = directory.offset;
  for (let n = 0; n < directory.count; n++) {
    if (at + 46 > end || buffer.readUInt32LE(at) !== CENTRAL) throw corrupt('bad directory entry');
    const flags = buffer.readUInt16LE(at + 8);
    const method = buffer.readUInt16LE(at + 10);
    let compressedSize = buffer.readUInt32LE(at + 20);
    let uncompressedSize = buffer.readUInt32LE(at + 24);
    const nameLength = buffer.readUInt16LE(at + 28);
    const extraLength = buffer.readUInt16LE(at + 30);
    const commentLength = buffer.readUInt16LE(at + 32);
    let localOffset = buffer.readUInt32LE(at + 42);
    const nameEnd = at + 46 + nameLength;
    const extraEnd = nameEnd + extraLength;
    if (extraEnd + commentLength > end) throw corrupt('directory entry runs past the directory');
    const name = buffer.toString('utf8', at + 46, nameEnd);
    if (uncompressedSize === MAX32 || compressedSize === MAX32 || localOffset === MAX32) {
      // zip64 extended information: the 64-bit values of the fields set to 0xFFFFFFFF, in this order
      let x = nameEnd;
      let found = false;
      while (x + 4 <= extraEnd) {
        const id = buffer.readUInt16LE(x);
        const length = buffer.readUInt16LE(x + 2);
        if (id === 0x0001) {
          let p = x + 4;
          const take = () => {
            if (p + 8 > x + 4 + length) throw corrupt('short zip64 field');
            const value = safeNumber(buffer.readBigUInt64LE(p));
            p += 8;
            return value;
          };
          if (uncompressedSize === MAX32) uncompressedSize = take();
          if (compressedSize === MAX32) compressedSize = take();
          if (localOffset === MAX32) localOffset = take();
          found = true;
          break;
        }
        x += 4 + length;
      }
      if (!found) throw corrupt('zip64 sizes missing');
    }
    if (flags & 0x1) throw new ZipRefused('工作簿已加密，请取消密码保护后再上传 the workbook is password-protected; remove the protection and upload again');
    if (method !== 0 && method !== 8) throw new ZipRefused(`不支持的压缩方式 ${method} unsupported zip compression method ${method}`);
    entries.push({ name, flags, method, compressedSize, uncompressedSize, localOffset });
    at = extraEnd + commentLength;
  }
  return entries;
}

/** Expands one part with its declared size as the limit: a part that lies about its size is refused. */
function verifyEntry(buffer: Buffer, entry: Entry): void {
  const at = entry.localOffset;
  if (at + 30 > buffer.length || buffer.readUInt32LE(at) !== LOCAL) throw corrupt(`bad local header of ${entry.name}`);
  const start = at + 30 + buffer.readUInt16LE(at + 26) + buffer.readUInt16LE(at + 28);
  const stop = start + entry.compressedSize;
  if (stop > buffer.length) throw corrupt(`${entry.name} runs past the end of the file`);
  if (entry.method === 0) {
    if (entry.compressedSize !== entry.uncompressedSize) throw corrupt(`stored part ${entry.name} has two sizes`);
    refuseDoctype(entry.name, buffer.subarray(start, stop));
    return;
  }
  let out: Buffer;
  try {
    out = inflateRawSync(buffer.subarray(start, stop), { maxOutputLength: Math.max(1, entry.uncompressedSize) });
    if (out.length !== entry.uncompressedSize) throw corrupt(`${entry.name} is not the size it declares`);
  } catch (error) {
    if (error instanceof ZipRefused) throw error;
    if (error instanceof RangeError || (error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new ZipRefused(
        `工作簿中的 ${entry.name} 解压后超过其声明大小，疑似压缩炸弹，已拒绝 part ${entry.name} expands beyond its declared size; refused as a possible zip bomb`,
      );
    }
    throw corrupt(`${entry.name} cannot be decompressed`);
  }
  refuseDoctype(entry.name, out);
}

/**
 * Excel never writes a document type declaration; one in an .xlsx part can only declare
 * entities — external ones that read files, or nested ones that expand to gigabytes.
 */
function refuseDoctype(name: string, content: Buffer): void {
  if (!/\.(xml|rels|vml)$/i.test(name)) return;
  if (content.indexOf('<!DOCTYPE') >= 0 || content.indexOf('<!ENTITY') >= 0 || content.indexOf('<!doctype') >= 0) {
    throw new ZipRefused(
      `工作簿的 ${name} 含有 DTD 声明（<!DOCTYPE>），Excel 不会写出它，已拒绝 part ${name} declares a DTD, which Excel never writes; refused (XML entity attack)`,
    );
  }
}

function corrupt(detail: string): ZipRefused {
  return new ZipRefused(`文件已损坏，无法作为 .xlsx 读取 the file is corrupt and cannot be read as an .xlsx workbook (${detail})`);
}

function safeNumber(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw corrupt('size out of range');
  return Number(value);
}

function mib(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

/** Where one part of a zip lies in it: its compressed bytes start at `start`. */
export interface ZipPart {
  name: string;
  /** 0 stored, 8 deflated. */
  method: number;
  start: number;
  compressedSize: number;
  uncompressedSize: number;
}

/** The parts of a zip already passed by `checkZip`, in the directory's order. */
export function zipParts(buffer: Buffer): ZipPart[] {
  return readEntries(buffer, readDirectory(buffer)).map((entry) => {
    const at = entry.localOffset;
    if (at + 30 > buffer.length || buffer.readUInt32LE(at) !== LOCAL) throw corrupt(`bad local header of ${entry.name}`);
    const start = at + 30 + buffer.readUInt16LE(at + 26) + buffer.readUInt16LE(at + 28);
    if (start + entry.compressedSize > buffer.length) throw corrupt(`${entry.name} runs past the end of the file`);
    return { name: entry.name, method: entry.method, start, compressedSize: entry.compressedSize, uncompressedSize: entry.uncompressedSize };
  });
}

/**
 * A part's content as it inflates, in chunks of up to `chunkSize` bytes, never more than
 * its declared size in all: only the chunk under way is in memory, not the whole part.
 */
export async function* zipPartChunks(buffer: Buffer, part: ZipPart, chunkSize = 256 * 1024): AsyncGenerator<Buffer> {
  const data = buffer.subarray(part.start, part.start + part.compressedSize);
  if (part.method === 0) {
    for (let at = 0; at < data.length; at += chunkSize) yield data.subarray(at, Math.min(data.length, at + chunkSize));
    return;
  }
  const inflater = createInflateRaw({ chunkSize });
  inflater.end(data);
  let total = 0;
  try {
    for await (const chunk of inflater as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > part.uncompressedSize) throw corrupt(`${part.name} is not the size it declares`);
      yield chunk;
    }
  } catch (error) {
    if (error instanceof ZipRefused) throw error;
    throw corrupt(`${part.name} cannot be decompressed`);
  } finally {
    inflater.destroy();
  }
}

/**
 * The content of one part of a zip already passed by `checkZip` (null when absent), read
 * with its declared size as the limit. Used to tell a Word document from a workbook by
 * its `[Content_Types].xml`.
 */
export function readZipPart(buffer: Buffer, name: string): Buffer | null {
  const part = zipParts(buffer).find((e) => e.name === name);
  if (!part) return null;
  const data = buffer.subarray(part.start, part.start + part.compressedSize);
  return part.method === 0 ? Buffer.from(data) : inflateRawSync(data, { maxOutputLength: Math.max(1, part.uncompressedSize) });
}
