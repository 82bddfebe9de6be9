import { Module } from '@nestjs/common';
import { AuditLogController } from './audit-log.controller';
import { AuditLogRepository } from './audit-log.repository';
import { AuditLogService } from './audit-log.service';

/**
 * The 审计日志 page (ADMIN): the audit log read back, each entry named in words, filtered and
 * downloaded. A feature above the recording itself (audit/), which depends on nothing here.
 */
@Module({
  controllers: [AuditLogController],
  providers: [AuditLogRepository, AuditLogService],
})
export class AuditLogModule {}
