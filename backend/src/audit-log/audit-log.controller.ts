import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ZodResponse } from 'nestjs-zod';
import { Allow, Audited } from '../auth/access';
import { CSV_TYPE, XLSX_TYPE } from '../files/files';
import { AuditLogService } from './audit-log.service';
import { AuditFileQueryDto, AuditPageDto, AuditQueryDto, type AuditPage } from './dto/audit.dto';

const FILE = { schema: { type: 'string', format: 'binary' } } as const;

/** 审计日志 (ADMIN): the log in words, and its downloads beside it. */
@ApiTags('audit')
@Controller()
@Allow('admin')
export class AuditLogController {
  constructor(@Inject(AuditLogService) private readonly service: AuditLogService) {}

  @Get('audit')
  @ApiOperation({ summary: '审计日志 who did what, when and from where, newest first, each entry named in words (ADMIN)' })
  @ZodResponse({ status: 200, type: AuditPageDto })
  list(@Query() query: AuditQueryDto): Promise<AuditPage> {
    return this.service.page(query);
  }

  @Get('audit.csv')
  @ApiOperation({ summary: '审计日志 CSV: every entry under the same filters as GET /api/audit; the file named after the filters (ADMIN)' })
  @Audited('export.audit-csv')
  @ApiProduces(CSV_TYPE)
  @ApiOkResponse({ description: 'the audit log as CSV', ...FILE })
  csv(@Query() query: AuditFileQueryDto) {
    return this.service.file(query, 'csv');
  }

  @Get('audit.xlsx')
  @ApiOperation({ summary: '审计日志 .xlsx: every entry under the same filters as GET /api/audit; the file named after the filters (ADMIN)' })
  @Audited('export.audit-xlsx')
  @ApiProduces(XLSX_TYPE)
  @ApiOkResponse({ description: 'the audit log as a workbook', ...FILE })
  xlsx(@Query() query: AuditFileQueryDto) {
    return this.service.file(query, 'xlsx');
  }
}
