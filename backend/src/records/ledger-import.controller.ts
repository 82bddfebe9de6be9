import { Body, Controller, Get, Header, HttpCode, Inject, Post, Req, StreamableFile, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ZodResponse } from 'nestjs-zod';
import { Audited } from '../auth/access';
import type { AuditedRequest } from '../audit/audit.interceptor';
import { Actor } from '../auth/actor';
import { LEDGER_PREVIEW_BODY, LEDGER_UPLOAD_BODY, LedgerImportResultDto, LedgerPreviewDto } from './dto/ledger-import.dto';
import { LedgerImportService, type Upload } from './ledger-import.service';
import { UploadErrorsInterceptor } from './upload-errors.interceptor';
import { Auth } from '../auth/auth.decorator';
import type { Principal } from '../auth/principal';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const TEMPLATE_NAME = encodeURIComponent('整改台账导入模板.xlsx');

@ApiTags('records')
@Controller('imports/ledger')
export class LedgerImportController {
  constructor(@Inject(LedgerImportService) private readonly service: LedgerImportService) {}

  @Get('template')
  @ApiOperation({
    summary: '台账导入模板 the ledger import template (.xlsx: 整改台账 and 历史 sheets with the office’s rounds, units, categories as dropdowns; 说明)',
  })
  @ApiProduces(XLSX)
  @ApiOkResponse({ description: 'the template workbook', schema: { type: 'string', format: 'binary' } })
  @Header('Content-Type', XLSX)
  @Header('Content-Disposition', `attachment; filename="ledger-template.xlsx"; filename*=UTF-8''${TEMPLATE_NAME}`)
  async template(@Auth() auth: Principal) {
    return new StreamableFile(await this.service.template(auth));
  }

  @Post('preview')
  @HttpCode(200)
  @ApiOperation({ summary: '预览台账导入 preview a ledger: every problem of every row, and the inspections it would create (writes nothing)' })
  @ApiConsumes('multipart/form-data')
  @ApiBody(LEDGER_PREVIEW_BODY)
  @UseInterceptors(UploadErrorsInterceptor, FileInterceptor('file'))
  @ZodResponse({ status: 200, type: LedgerPreviewDto })
  preview(@Auth() auth: Principal, @UploadedFile() file: Upload | undefined) {
    return this.service.preview(auth, file);
  }

  @Post()
  @Audited('ledger.import')
  @ApiOperation({
    summary:
      '导入整改台账 import a ledger (with its history): every row or none (400 lists every problem of every row; 409 for the same file again within 10 minutes or while it is imported)',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody(LEDGER_UPLOAD_BODY)
  @UseInterceptors(UploadErrorsInterceptor, FileInterceptor('file'))
  @ZodResponse({ status: 201, type: LedgerImportResultDto })
  async import(
    @Auth() auth: Principal,
    @UploadedFile() file: Upload | undefined,
    @Body() body: Record<string, unknown> | undefined,
    @Actor() actor: string,
    @Req() request: AuditedRequest,
  ) {
    const result = await this.service.import(auth, file, body?.confirmNewInspections === 'true', actor);
    request.auditDetail = { result };
    return result;
  }
}
