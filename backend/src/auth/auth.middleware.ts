import type { NextFunction, Request, Response } from 'express';
import { parse } from 'cookie';
import { AppError } from '../common/http-exception.filter';
import type { SignedRequest } from './principal';
import { SESSION_COOKIE, type SessionsService } from './sessions.service';

/**
 * Reads the session cookie and makes its user the request's principal, on the request only:
 * the controllers take it with @Auth() and hand it to the services. It refuses nothing
 * itself: the AccessGuard decides per route; the OpenAPI pages, outside Nest's routes, need
 * a session here.
 */
export function sessionMiddleware(sessions: SessionsService) {
  return (request: Request, _response: Response, next: NextFunction) => {
    const token = request.headers.cookie ? parse(request.headers.cookie)[SESSION_COOKIE] : undefined;
    const resolved = token ? sessions.principal(token) : Promise.resolve(undefined);
    resolved.then(
      (principal) => {
        (request as SignedRequest).principal = principal;
        if (!principal && request.path.startsWith('/api/docs')) return next(new AppError(401, '请先登录 sign in first'));
        next();
      },
      (error: unknown) => next(error),
    );
  };
}
