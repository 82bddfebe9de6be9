import { createParamDecorator, HttpStatus, type ExecutionContext } from '@nestjs/common';
import { AppError } from '../common/http-exception.filter';
import type { Principal, SignedRequest } from './principal';

/**
 * The signed-in user as a route parameter: `@Auth() auth: Principal`. Controllers hand it to
 * the services, which derive the county limit from it (countyLimit). The AccessGuard has
 * refused a request without a session before any route that takes it runs.
 */
export const Auth = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<SignedRequest>().principal;
  if (!principal) throw new AppError(HttpStatus.UNAUTHORIZED, '未登录或会话已过期，请登录 sign in first (no session, or it has expired)');
  return principal;
});
