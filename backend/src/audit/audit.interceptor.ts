import { Inject, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { HttpException } from '@nestjs/common';
import { catchError, concatMap, type Observable } from 'rxjs';
import { AUDIT_KEY } from '../auth/access';
import type { SignedRequest } from '../auth/principal';
import { AuditService } from './audit.service';

/** A request whose handler may add to its audit entry (what a write did: rows imported, a backdated day). */
export interface AuditedRequest extends SignedRequest {
  auditDetail?: Record<string, unknown>;
}

/**
 * Writes one audit entry per call of an @Audited route, after the handler has answered or
 * failed: who, from where, the path, the query and body (secrets hidden), and the outcome.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const action = this.reflector.get<string | undefined>(AUDIT_KEY, context.getHandler());
    if (!action) return next.handle();
    const request = context.switchToHttp().getRequest<AuditedRequest & { file?: { originalname: string; size: number } }>();
    const entry = (success: boolean, extra: Record<string, unknown>) => ({
      action,
      principal: request.principal,
      target: request.path,
      ip: request.ip,
      success,
      detail: {
        ...(Object.keys(request.query ?? {}).length > 0 ? { query: request.query } : {}),
        ...(request.body && typeof request.body === 'object' && Object.keys(request.body).length > 0 ? { body: request.body } : {}),
        ...(request.file ? { file: { name: request.file.originalname, bytes: request.file.size } } : {}),
        ...(request.auditDetail ?? {}),
        ...extra,
      },
    });
    return next.handle().pipe(
      concatMap(async (value: unknown) => {
        // a correction answers the fields it changed, before and after: the log keeps them
        const changes = value && typeof value === 'object' && 'changes' in value ? { changes: (value as { changes: unknown }).changes } : {};
        await this.audit.record(entry(true, { ...changes, ...backdatedOf(value) }));
        return value;
      }),
      catchError(async (error: unknown) => {
        const status = error instanceof HttpException ? error.getStatus() : 500;
        const message = error instanceof HttpException ? (error.getResponse() as { message?: unknown }).message : undefined;
        await this.audit.record(entry(false, { status, ...(typeof message === 'string' ? { error: message.slice(0, 300) } : {}) }));
        throw error;
      }),
    );
  }
}

/** A task write recorded after its day (补录) says so in its audit entry, with the day. */
function backdatedOf(value: unknown): Record<string, unknown> {
  const event = (value as { event?: { backdated?: unknown; eventDate?: unknown; backdateReason?: unknown } } | null)?.event;
  return event?.backdated === true ? { backdated: true, effectiveDate: event.eventDate, backdateReason: event.backdateReason } : {};
}
