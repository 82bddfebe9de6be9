import { Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { AuditInterceptor } from './audit.interceptor';
import { AuditService } from './audit.service';

/**
 * The recording of the audit log: the entry of every write, import, export and sign-in
 * attempt (AuditService, the interceptor of @Audited routes, the transaction a write's entry
 * joins). It depends on no feature; reading the log is the audit-log/ feature's.
 */
@Global()
@Module({
  providers: [AuditService, { provide: APP_INTERCEPTOR, useClass: AuditInterceptor }],
  exports: [AuditService],
})
export class AuditModule {}
