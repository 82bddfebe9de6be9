import { Catch, HttpException, HttpStatus, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ZodSerializationException, ZodValidationException } from 'nestjs-zod';
import { ZodError } from 'zod';
import { WarehouseError } from '@xuncha/etl';

/** The one shape of every error body. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  /** One line a user can act on; for a bad parameter it starts with the parameter's name. */
  message: string;
  /** Bad fields, each named by its path (`regionId`, `rows.3.dueDate`). */
  details?: { field: string; message: string }[];
}

/** An error a service raises on purpose, with its status and the message to show. */
export class AppError extends HttpException {
  constructor(status: number, message: string, details?: ErrorBody['details']) {
    super({ message, details }, status);
  }
}

/** ClickHouse error codes that mean "busy or unavailable" rather than "our query is wrong". */
const UNAVAILABLE_CODES = new Set([159, 202, 209, 210, 241, 242]);
/** PostgreSQL / driver conditions that mean the database cannot be reached right now. */
const PG_UNAVAILABLE =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|Connection terminated|the database system is (starting up|shutting down)|terminating connection|connect ECONN|Can't reach database/i;

/**
 * One global filter shapes every error: validation problems become 400s naming the field,
 * Prisma's "not found" / "already exists" / "bad reference" become 404/409/400, an
 * unreachable engine becomes 503, and anything else is a plain 500 whose details go to the
 * log only.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request>();
    const body = this.toBody(exception, request);
    if (body.statusCode >= 500) {
      const zod = exception instanceof ZodSerializationException ? exception.getZodError() : undefined;
      const detail =
        zod instanceof ZodError
          ? `response does not match its schema: ${zod.message}`
          : exception instanceof Error
            ? (exception.stack ?? exception.message)
            : String(exception);
      this.logger.error(`${request.method} ${request.originalUrl ?? request.url} → ${body.statusCode}: ${detail}`);
    }
    if (response.headersSent) return;
    response.status(body.statusCode).json(body);
  }

  toBody(exception: unknown, request?: Request): ErrorBody {
    if (exception instanceof ZodValidationException) {
      const error = exception.getZodError();
      return validationBody(error instanceof ZodError ? error : undefined, request);
    }
    if (exception instanceof ZodSerializationException) {
      return plain(HttpStatus.INTERNAL_SERVER_ERROR, 'Internal server error');
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const raw = exception.getResponse();
      if (typeof raw === 'string') return plain(status, raw);
      const { message, details } = raw as { message?: unknown; details?: ErrorBody['details'] };
      const text = Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : exception.message;
      return { ...plain(status, text), ...(details ? { details } : {}) };
    }
    if (exception instanceof WarehouseError) {
      if (exception.code === undefined || UNAVAILABLE_CODES.has(exception.code)) {
        return plain(HttpStatus.SERVICE_UNAVAILABLE, '数据仓库暂不可用，请稍后再试 The analytics warehouse (ClickHouse) is unavailable; please retry shortly');
      }
      return plain(HttpStatus.INTERNAL_SERVER_ERROR, 'Internal server error');
    }
    const prisma = prismaStatus(exception);
    if (prisma) return prisma;
    const bodyParser = bodyParserStatus(exception);
    if (bodyParser) return bodyParser;
    const message = exception instanceof Error ? exception.message : '';
    if (PG_UNAVAILABLE.test(message) || PG_UNAVAILABLE.test(errorCode(exception))) {
      return plain(HttpStatus.SERVICE_UNAVAILABLE, '数据库暂不可用，请稍后再试 The case-record database (PostgreSQL) is unavailable; please retry shortly');
    }
    return plain(HttpStatus.INTERNAL_SERVER_ERROR, 'Internal server error');
  }
}

function plain(status: number, message: string): ErrorBody {
  return { statusCode: status, error: reason(status), message };
}

function reason(status: number): string {
  const name = HttpStatus[status];
  return typeof name === 'string'
    ? name
        .split('_')
        .map((w) => w.charAt(0) + w.slice(1).toLowerCase())
        .join(' ')
    : 'Error';
}

export function validationBody(error: ZodError | undefined, request?: Request): ErrorBody {
  const where = request?.method === 'GET' || request?.method === 'DELETE' ? 'query parameter' : 'field';
  const details = (error?.issues ?? []).flatMap((issue) => {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: path ? `${path}.${key}` : key, message: `unknown ${where}` }));
    }
    return [{ field: path || 'body', message: issue.message }];
  });
  const first = details[0];
  const message = first ? `${first.field}: ${first.message}` : `invalid ${where}`;
  return { statusCode: HttpStatus.BAD_REQUEST, error: 'Bad Request', message, details };
}

/** Prisma's known request errors, by their codes. */
function prismaStatus(exception: unknown): ErrorBody | undefined {
  const code = (exception as { code?: unknown })?.code;
  const name = (exception as { name?: unknown })?.name;
  if (name !== 'PrismaClientKnownRequestError' || typeof code !== 'string') return undefined;
  switch (code) {
    case 'P2025':
    case 'P2001':
      return plain(HttpStatus.NOT_FOUND, '记录不存在 Record not found');
    case 'P2002':
      return plain(HttpStatus.CONFLICT, '记录已存在 A record with the same key already exists');
    case 'P2003':
      return plain(HttpStatus.BAD_REQUEST, '引用的记录不存在 A referenced record does not exist');
    case 'P2000':
      return plain(HttpStatus.BAD_REQUEST, '输入值过长 A value is too long for its field');
    default:
      return undefined;
  }
}

/** Errors of Express's body parsers and of multer carry a status or a known code. */
function bodyParserStatus(exception: unknown): ErrorBody | undefined {
  const e = exception as { status?: unknown; type?: unknown; code?: unknown; field?: unknown };
  if (e?.type === 'entity.too.large' || e?.code === 'LIMIT_FILE_SIZE') return plain(HttpStatus.PAYLOAD_TOO_LARGE, '请求体过大 The request body is too large');
  if (e?.type === 'entity.parse.failed') return plain(HttpStatus.BAD_REQUEST, 'body: 不是合法的 JSON; the request body is not valid JSON');
  if (typeof e?.code === 'string' && e.code.startsWith('LIMIT_'))
    return plain(HttpStatus.BAD_REQUEST, `${typeof e.field === 'string' ? e.field : 'file'}: upload refused (${e.code})`);
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) return plain(e.status, 'Bad request');
  return undefined;
}

/** A driver error's `code` (e.g. PostgreSQL's SQLSTATE), or '' when it has none. */
function errorCode(exception: unknown): string {
  const code = (exception as { code?: unknown } | null)?.code;
  return typeof code === 'string' || typeof code === 'number' ? String(code) : '';
}
