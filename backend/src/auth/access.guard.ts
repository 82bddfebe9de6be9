import { HttpStatus, Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppError } from '../common/http-exception.filter';
import { AuditService } from '../audit/audit.service';
import { ACCESS_KEY, ACCESS_ROLES, AUDIT_KEY, type Access } from './access';
import type { SignedRequest } from './principal';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The access a route declares, or its default: read for GET, write otherwise. */
export function routeAccess(reflector: Reflector, context: ExecutionContext, method: string): Access {
  return (
    reflector.getAllAndOverride<Access | undefined>(ACCESS_KEY, [context.getHandler(), context.getClass()]) ?? (SAFE_METHODS.has(method) ? 'read' : 'write')
  );
}

/**
 * A write must come from our own pages: a browser tells where a request comes from
 * (Origin, Sec-Fetch-Site), and a request from another site is refused even when it carries
 * the cookie (which SameSite=Lax already withholds from cross-site POSTs in current browsers).
 */
export function crossSiteProblem(request: SignedRequest): string | null {
  if (SAFE_METHODS.has(request.method)) return null;
  const site = request.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') return `Sec-Fetch-Site: ${site}`;
  const origin = request.headers.origin;
  if (origin === undefined) return null;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return `Origin: ${origin}`;
  }
  // behind a reverse proxy, the proxy passes the browser's Host on (proxy_set_header Host $host)
  return host === request.headers.host ? null : `Origin: ${origin}`;
}

/**
 * Every route is closed to requests without a session but those declared public, and open
 * only to the roles of its access (see access.ts). A refused write or export is recorded in
 * the audit log.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<SignedRequest>();
    const access = routeAccess(this.reflector, context, request.method);
    const action = this.reflector.get<string | undefined>(AUDIT_KEY, context.getHandler());
    const refuse = async (status: number, message: string) => {
      if (action) {
        await this.audit.record({ action, principal: request.principal, target: request.path, ip: request.ip, success: false, detail: { refused: message } });
      }
      throw new AppError(status, message);
    };
    const crossSite = crossSiteProblem(request);
    if (crossSite) return refuse(HttpStatus.FORBIDDEN, `拒绝跨站请求 cross-site request refused (${crossSite})`);
    if (access === 'public') return true;
    const principal = request.principal;
    if (!principal) return refuse(HttpStatus.UNAUTHORIZED, '未登录或会话已过期，请登录 sign in first (no session, or it has expired)');
    if (access === 'signedIn') return true;
    if (!ACCESS_ROLES[access].includes(principal.role)) {
      return refuse(HttpStatus.FORBIDDEN, `当前角色无权执行此操作 your role (${principal.role}) may not do this; allowed: ${ACCESS_ROLES[access].join(', ')}`);
    }
    return true;
  }
}
