import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ZodResponse } from 'nestjs-zod';
import type { Db } from '@xuncha/prisma';
import { Allow } from '../auth/access';
import { AuditPageDto, AuditQueryDto, type AuditPage } from '../auth/dto/auth.dto';
import { PRISMA } from '../infra/tokens';

@ApiTags('audit')
@Controller('audit')
@Allow('admin')
export class AuditController {
  constructor(@Inject(PRISMA) private readonly prisma: Db) {}

  @Get()
  @ApiOperation({ summary: '审计日志 who did what, when and from where, newest first (ADMIN)' })
  @ZodResponse({ status: 200, type: AuditPageDto })
  async list(@Query() query: AuditQueryDto): Promise<AuditPage> {
    const where = {
      ...(query.username ? { username: query.username } : {}),
      ...(query.action ? { action: { startsWith: query.action } } : {}),
      ...(query.success ? { success: query.success === 'true' } : {}),
    };
    const [total, rows] = await Promise.all([
      this.prisma.auditLog.count({ where }),
      this.prisma.auditLog.findMany({ where, orderBy: { id: 'desc' }, skip: (query.page - 1) * query.pageSize, take: query.pageSize }),
    ]);
    return {
      total,
      page: query.page,
      pageSize: query.pageSize,
      rows: rows.map((r) => ({
        id: r.id.toString(),
        at: r.at.toISOString(),
        username: r.username,
        action: r.action,
        target: r.target,
        ip: r.ip,
        success: r.success,
        detail: r.detail && typeof r.detail === 'object' && !Array.isArray(r.detail) ? (r.detail as Record<string, unknown>) : null,
      })),
    };
  }
}
