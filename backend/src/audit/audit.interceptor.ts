import { Inject, Injectable, Logger, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { HttpException } from '@nestjs/common';
import { catchError, concatMap, type Observable } from 'rxjs';
import type { Request } from 'express';
import { auditContext, type PendingAudit } from './audit-context';
import { AUDIT_KEY } from './audited';
import { AuditService, type AuditActor } from './audit.service';

/**
 * A request whose handler may add to its audit entry (what a write did: rows imported, a
 * backdated day). Its principal is whoever the auth middleware signed in (auth/principal.ts);
 * the entry needs only who that was.
 */
export interface AuditedRequest extends Request {
  principal?: AuditActor;
  auditDetail?: Record<string, unknown>;
}

/**
 * One audit entry per call of an @Audited route. Before the handler runs, the success
 * entry is prepared in the request's audit context (audit-context.ts): the write's
 * transaction inserts it, so that it commits with the write or not at all. After the
 * handler: a read (GET: exports) or a route whose write did not join gets its entry written
 * on its own — the latter marked `outsideTransaction` and logged as a defect; a refused or
 * failed call gets a failure entry of its own (its transaction, if any, rolled back).
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Audit');

  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const action = this.reflector.get<string | undefined>(AUDIT_KEY, context.getHandler());
    if (!action) return next.handle();
    const request = context.switchToHttp().getRequest<AuditedRequest & { file?: { originalname: string; size: number } }>();
    const body: unknown = request.body;
    const entry = (success: boolean, extra: Record<string, unknown>) => ({
      action,
      principal: request.principal,
      target: request.path,
      ip: request.ip,
      success,
      detail: {
        ...(Object.keys(request.query ?? {}).length > 0 ? { query: request.query } : {}),
        ...(body && typeof body === 'object' && Object.keys(body).length > 0 ? { body } : {}),
        ...(request.file ? { file: { name: request.file.originalname, bytes: request.file.size } } : {}),
        ...(request.auditDetail ?? {}),
        ...extra,
      },
    });
    let entryId: bigint | undefined;
    const pending: PendingAudit = {
      committed: false,
      inserting: false,
      insert: async (tx) => {
        entryId = await this.audit.insert(tx, entry(true, {}));
      },
    };
    // next.handle() binds the handler to the async context it is called in: the handler
    // and every transaction it opens see `pending`
    const handled = auditContext.run(pending, () => next.handle());
    const isRead = request.method === 'GET' || request.method === 'HEAD';
    return handled.pipe(
      concatMap(async (value: unknown) => {
        // what the handler's answer tells (a correction's fields before and after, a backdated
        // day) and what it set on the request (an import's counts): added to the entry
        const extras = { ...changesOf(value), ...backdatedOf(value), ...(request.auditDetail ?? {}) };
        if (pending.committed) {
          if (entryId !== undefined && Object.keys(extras).length > 0) await this.audit.addDetail(entryId, extras);
          return value;
        }
        if (!isRead)
          this.logger.error(`audit entry written outside its write's transaction: ${action} ${request.method} ${request.path} (see audit-context.ts)`);
        await this.audit.record(entry(true, { ...extras, ...(isRead ? {} : { outsideTransaction: true }) }));
        return value;
      }),
      catchError(async (error: unknown) => {
        // the write committed (with its entry) and something failed after it: nothing to add
        if (pending.committed) throw error;
        const status = error instanceof HttpException ? error.getStatus() : 500;
        const message = error instanceof HttpException ? (error.getResponse() as { message?: unknown }).message : undefined;
        await this.audit.record(entry(false, { status, ...(typeof message === 'string' ? { error: message.slice(0, 300) } : {}) }));
        throw error;
      }),
    );
  }
}

/** A correction answers the fields it changed, before and after: the log keeps them. */
function changesOf(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && 'changes' in value ? { changes: value.changes } : {};
}

/** A task write recorded after its day (补录) says so in its audit entry, with the day. */
function backdatedOf(value: unknown): Record<string, unknown> {
  const event = (value as { event?: { backdated?: unknown; eventDate?: unknown; backdateReason?: unknown } } | null)?.event;
  return event?.backdated === true ? { backdated: true, effectiveDate: event.eventDate, backdateReason: event.backdateReason } : {};
}
