/**
 * PostgreSQL's binary COPY format, written into Buffers: dates, timestamps and enums cost
 * the server far less to read this way than as text (see docs/ARCHITECTURE.md, "Performance notes").
 * Each row is: int16 field count, then per field an int32 byte length (-1 = NULL) and the
 * value in the type's binary form (big-endian integers; date = days since 2000-01-01;
 * timestamptz = microseconds since 2000-01-01 00:00 UTC; enum and text = UTF-8 bytes).
 */
import { dayFromParts } from './dates';

const PG_EPOCH_DAY = dayFromParts(2000, 1, 1);
const TWO_32 = 4294967296;

export const COPY_HEADER = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)]);
export const COPY_TRAILER = Buffer.from([0xff, 0xff]);

const CHUNK_BYTES = 1 << 18;
/** Room beyond a chunk for what is written before the next check (one inspection's rows). */
const ROW_MAX = 1 << 19;

/** Utf-8 bytes of fixed texts, encoded once. */
const encoded = new Map<string, Buffer>();
export function utf8(text: string): Buffer {
  let bytes = encoded.get(text);
  if (!bytes) {
    bytes = Buffer.from(text, 'utf8');
    encoded.set(text, bytes);
  }
  return bytes;
}

export class BinaryRows {
  private buf = Buffer.allocUnsafe(CHUNK_BYTES + ROW_MAX);
  private pos = 0;

  /** Starts a row of `fields` fields. */
  row(fields: number): void {
    this.buf.writeInt16BE(fields, this.pos);
    this.pos += 2;
  }

  /** Is a chunk ready to be handed over? */
  get full(): boolean {
    return this.pos >= CHUNK_BYTES;
  }

  get empty(): boolean {
    return this.pos === 0;
  }

  /** The bytes written so far; the writer continues in a fresh buffer. */
  take(): Buffer {
    const chunk = this.buf.subarray(0, this.pos);
    this.buf = Buffer.allocUnsafe(CHUNK_BYTES + ROW_MAX);
    this.pos = 0;
    return chunk;
  }

  null(): void {
    this.buf.writeInt32BE(-1, this.pos);
    this.pos += 4;
  }

  int4(value: number): void {
    this.buf.writeInt32BE(4, this.pos);
    this.buf.writeInt32BE(value, this.pos + 4);
    this.pos += 8;
  }

  /** int4, or NULL when value is `nullValue`. */
  int4OrNull(value: number, nullValue: number): void {
    if (value === nullValue) this.null();
    else this.int4(value);
  }

  /** int8 (and xid8) from a safe integer. */
  int8(value: number): void {
    const high = Math.floor(value / TWO_32);
    this.buf.writeInt32BE(8, this.pos);
    this.buf.writeInt32BE(high, this.pos + 4);
    this.buf.writeUInt32BE(value - high * TWO_32, this.pos + 8);
    this.pos += 12;
  }

  bool(value: number | boolean): void {
    this.buf.writeInt32BE(1, this.pos);
    this.buf[this.pos + 4] = value ? 1 : 0;
    this.pos += 5;
  }

  /** A date from a day number (days since 1970-01-01). */
  date(day: number): void {
    this.int4(day - PG_EPOCH_DAY);
  }

  dateOrNull(day: number, nullValue: number): void {
    if (day === nullValue) this.null();
    else this.date(day);
  }

  /** A timestamptz: `day` at `minutes` after midnight in UTC+8 (Asia/Shanghai). */
  shanghaiTime(day: number, minutes: number): void {
    this.int8(((day - PG_EPOCH_DAY) * 1440 + minutes - 480) * 60_000_000);
  }

  /** Bytes already encoded (fixed texts and enum labels, see utf8()). */
  bytes(value: Buffer): void {
    this.buf.writeInt32BE(value.length, this.pos);
    value.copy(this.buf, this.pos + 4);
    this.pos += 4 + value.length;
  }

  /** A text made up for this row. */
  text(value: string): void {
    const length = this.buf.write(value, this.pos + 4, 'utf8');
    this.buf.writeInt32BE(length, this.pos);
    this.pos += 4 + length;
  }
}
