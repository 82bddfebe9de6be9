import type { Server, ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';

/**
 * Closes the HTTP server's door the moment a shutdown begins, before any module hook runs:
 *
 * - the listening socket is closed (no new connections) and idle kept-alive connections are
 *   closed at once (Node's `closeIdleConnections`);
 * - a request that still arrives on a kept-alive connection is answered 503 with
 *   `Connection: close`, so the client goes elsewhere and the connection ends;
 * - a request under way finishes, its answer carries `Connection: close`, and its
 *   connection is closed once it is idle;
 * - after `graceMs` every connection still open is cut (`closeAllConnections`), so a
 *   shutdown never waits on a slow or stalled client for longer than that.
 */
export class ShutdownGate {
  private closing = false;
  private readonly inFlight = new Set<ServerResponse>();
  private force?: NodeJS.Timeout;

  constructor(
    private readonly server: Server,
    private readonly graceMs: number,
  ) {}

  get isClosing(): boolean {
    return this.closing;
  }

  /** Express middleware, first in the chain: counts requests under way, refuses new ones when closing. */
  readonly middleware = (request: Request, response: Response, next: NextFunction): void => {
    if (this.closing) {
      response.setHeader('Connection', 'close');
      response.setHeader('Retry-After', '5');
      response
        .status(503)
        .json({ statusCode: 503, error: 'Service Unavailable', message: '服务正在停止，请稍后重试 the server is stopping; try again shortly' });
      return;
    }
    this.inFlight.add(response);
    response.once('close', () => {
      this.inFlight.delete(response);
      // its connection is idle now: close it rather than keep it alive for the next request
      if (this.closing) setImmediate(() => this.server.closeIdleConnections());
    });
    next();
  };

  /** Starts the shutdown: idempotent. */
  begin(): void {
    if (this.closing) return;
    this.closing = true;
    if (this.server.listening) this.server.close();
    for (const response of this.inFlight) if (!response.headersSent) response.setHeader('Connection', 'close');
    this.server.closeIdleConnections();
    this.force = setTimeout(() => this.server.closeAllConnections(), this.graceMs);
    this.force.unref();
  }

  /** The shutdown is over: the forcing timer is no longer needed. */
  end(): void {
    clearTimeout(this.force);
  }
}
