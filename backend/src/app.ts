import 'reflect-metadata';
import path from 'node:path';
import { type INestApplication, type LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { json, type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { sessionMiddleware } from './auth/auth.middleware';
import { SessionsService } from './auth/sessions.service';
import { AppError, HttpExceptionFilter } from './common/http-exception.filter';
import { AppLogger } from './common/app-logger';
import { ShutdownGate } from './common/shutdown-gate';
import { cleanupOpenApiDoc } from 'nestjs-zod';
import { AppModule } from './app.module';
import type { InfraDeps } from './infra/infra.module';

export interface CreateAppOptions extends InfraDeps {
  /** Defaults to Nest's console logger, JSON when config.logFormat is json. */
  logger?: LoggerService | false;
}

/**
 * Builds the HTTP app (not listening yet): every route under /api, the OpenAPI document at
 * /api/docs (JSON at /api/docs-json), request logs, and the built dashboard when
 * config.staticDir is set. Used by `npm start` and by the end-to-end tests alike.
 */
export async function createApp(options: CreateAppOptions): Promise<NestExpressApplication> {
  const logger = options.logger ?? new AppLogger({ json: options.config.logFormat === 'json', colors: false, prefix: 'xuncha' });
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(options), {
    logger: logger === false ? false : logger,
    bodyParser: false,
    abortOnError: false,
  });
  // Shutdown closes the door first: app.close() stops taking requests at once (new
  // connections, kept-alive ones, requests arriving on them), lets those under way finish
  // within SHUTDOWN_GRACE_SECONDS, and only then runs the modules' shutdown hooks. The
  // caller (scripts/start.ts) owns the signals: Nest's own signal handling
  // (enableShutdownHooks) would run the hooks before the server closes.
  const gate = new ShutdownGate(app.getHttpServer(), options.config.shutdownGraceSeconds * 1000);
  app.use(gate.middleware);
  // Nest's own close (NestApplicationContext.close(signal?)), called on the app as usual
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with .call(app)
  const nestClose = (Object.getPrototypeOf(app) as { close(this: NestExpressApplication, signal?: string): Promise<void> }).close;
  const close = (signal?: string) => nestClose.call(app, signal);
  let closed: Promise<void> | undefined;
  // defined, not assigned: Nest's proxy around the app ignores assignments to it
  Object.defineProperty(app, 'close', {
    configurable: true,
    writable: true,
    value: (signal?: string): Promise<void> => {
      // once: a second signal or call waits for the shutdown under way
      closed ??= (async () => {
        gate.begin();
        try {
          await close(signal);
        } finally {
          gate.end();
        }
      })();
      return closed;
    },
  });
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.set('trust proxy', options.config.trustProxy);
  app.use(requestLog(logger));
  app.use(securityHeaders());
  // JSON bodies up to 1 MB; a body that is too large or not JSON gets the same error shape
  // as everything else (these errors arise before any route, outside Nest's filters).
  app.use(json({ limit: '1mb' }));
  app.use(refuseNulCharacters);
  app.use(sessionMiddleware(app.get(SessionsService)));
  app.use((error: unknown, request: Request, response: Response, next: NextFunction) => {
    if (response.headersSent) return next(error);
    const body = new HttpExceptionFilter().toBody(error, request);
    response.status(body.statusCode).json(body);
  });
  app.setGlobalPrefix('api');
  // Keep idle connections longer than the clients and proxies in front do (nginx 75 s,
  // undici 4 s), so that the server never closes one at the moment a client reuses it.
  const server = app.getHttpServer();
  server.keepAliveTimeout = 76_000;
  server.headersTimeout = 77_000;
  const document = openApiDocument(app);
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
  if (options.config.staticDir) serveDashboard(app, options.config.staticDir);
  return app;
}

export function openApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Xuncha Insight API 巡察整改监督分析平台')
    .setDescription('Metrics, drill-down lists, case-record writes and ETL status. Dates are Asia/Shanghai calendar days (YYYY-MM-DD).')
    .setVersion('1')
    .setOpenAPIVersion('3.1.0')
    .build();
  return cleanupOpenApiDoc(SwaggerModule.createDocument(app, config));
}

/**
 * A NUL character (U+0000) cannot be stored in PostgreSQL text or JSON and has no business
 * in any field: a parameter or body field holding one is refused with a 400 naming it,
 * before it reaches a query.
 */
function refuseNulCharacters(request: Request, _response: Response, next: NextFunction): void {
  const field = nulField({ query: request.query, body: request.body as unknown });
  if (field === null) return next();
  const name = field.replace(/^(query|body)\./, '');
  next(new AppError(400, `${name}: 不能包含空字符 must not contain NUL characters (U+0000)`, [{ field: name, message: 'must not contain NUL characters' }]));
}

/** The path of the first string holding U+0000 (keys included), walking without recursion. */
export function nulField(root: unknown): string | null {
  const stack: [unknown, string][] = [[root, '']];
  let visited = 0;
  while (stack.length > 0 && visited++ < 100_000) {
    const [value, at] = stack.pop()!;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return at || 'body';
    } else if (value && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        const here = at ? `${at}.${key}` : key;
        if (key.includes('\u0000')) return here;
        stack.push([child, here]);
      }
    }
  }
  return null;
}

/**
 * Security headers on every response: a content security policy that allows only our own
 * scripts (Element Plus and ECharts need inline styles), no framing, no MIME sniffing, no
 * referrer to other sites; and API answers are never stored by caches.
 */
function securityHeaders() {
  const headers = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:', 'blob:'],
        'font-src': ["'self'", 'data:'],
        'connect-src': ["'self'"],
        'object-src': ["'none'"],
        'base-uri': ["'self'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
      },
    },
    strictTransportSecurity: false, // the TLS proxy in front sets it; over plain HTTP it means nothing
    referrerPolicy: { policy: 'same-origin' },
    crossOriginEmbedderPolicy: false,
  });
  return (request: Request, response: Response, next: NextFunction) => {
    if (request.path === '/api' || request.path.startsWith('/api/')) response.setHeader('Cache-Control', 'no-store');
    headers(request, response, next);
  };
}

/**
 * The built dashboard: its files, and index.html for every other GET outside /api so that
 * the router's URLs survive a reload.
 */
function serveDashboard(app: NestExpressApplication, dir: string): void {
  const root = path.resolve(dir);
  app.useStaticAssets(root, {
    index: false,
    maxAge: '1h',
    setHeaders: (response: { setHeader(name: string, value: string): void }, file: string) => {
      if (file.endsWith('index.html')) response.setHeader('Cache-Control', 'no-cache');
    },
  });
  app.use((request: Request, response: Response, next: NextFunction) => {
    if (request.method !== 'GET' || request.path === '/api' || request.path.startsWith('/api/')) return next();
    response.setHeader('Cache-Control', 'no-cache');
    // relative to `root`: sendFile refuses an absolute path with a dot-folder in it
    // (a checkout under ~/.local/…), while only the part under root is judged this way
    response.sendFile('index.html', { root }, (error) => {
      if (error) next(error);
    });
  });
}

/**
 * One structured line per request (method, path, status, milliseconds), and the time spent
 * in the server as a `Server-Timing` header (shown by browsers' developer tools, read by
 * the benchmarks).
 */
function requestLog(logger: LoggerService | false) {
  return (request: Request, response: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with .apply(this)
    const writeHead = response.writeHead;
    response.writeHead = function timed(this: Response, ...args: unknown[]) {
      if (!this.headersSent) this.setHeader('Server-Timing', `app;dur=${(Number(process.hrtime.bigint() - started) / 1e6).toFixed(1)}`);
      return (writeHead as (...a: unknown[]) => Response).apply(this, args);
    } as Response['writeHead'];
    response.on('finish', () => {
      if (logger === false) return;
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const line = `${request.method} ${request.originalUrl} ${response.statusCode} ${ms.toFixed(1)}ms`;
      if (response.statusCode >= 500) logger.error(line, undefined, 'HTTP');
      else logger.log(line, 'HTTP');
    });
    next();
  };
}
