/**
 * A failure of the warehouse: ClickHouse's own message (and its numeric code and type
 * name when ClickHouse gave them), or a one-line explanation of why the warehouse could
 * not be reached or opened. Never swallowed: a query that fails throws this, it does not
 * come back empty.
 */
export class WarehouseError extends Error {
  /** ClickHouse's error code, e.g. 60 for UNKNOWN_TABLE. */
  readonly code?: number;
  /** ClickHouse's error name, e.g. 'UNKNOWN_TABLE'. */
  readonly type?: string;
  /** The statement that failed, when one did. */
  readonly sql?: string;

  constructor(message: string, options: { code?: number; type?: string; sql?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'WarehouseError';
    this.code = options.code;
    this.type = options.type;
    this.sql = options.sql;
  }
}

/**
 * The message of anything thrown. Not `instanceof Error`: errors made by Node itself (a
 * refused connection) come from another realm under Jest and would fail that test.
 */
export function messageOf(error: unknown): string {
  if (typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string') {
    return (error as { message: string }).message;
  }
  return String(error);
}

/**
 * Wraps an error that came back from ClickHouse (either engine) keeping its message and
 * reading the code from it: `Code: 60. DB::Exception: ... (UNKNOWN_TABLE)` in current
 * versions, `Code: 60, e.displayText() = DB::Exception: ...` in old servers.
 */
export function clickhouseError(error: unknown, sql?: string): WarehouseError {
  if (error instanceof WarehouseError) return error;
  const message = messageOf(error).trim();
  const code = /^Code: (\d+)[.,]/.exec(message)?.[1];
  const type = /\(([A-Z][A-Z0-9_]+)\)\s*(?:\(version [^)]*\))?$/.exec(message)?.[1];
  return new WarehouseError(message, { code: code === undefined ? undefined : Number(code), type, sql, cause: error });
}

/** Hides the password of a URL for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return '(unparseable URL)';
  }
}
