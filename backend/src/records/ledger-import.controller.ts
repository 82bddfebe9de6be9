import { Controller, Get, Header, Inject, Post, StreamableFile, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ZodResponse } from 'nestjs-zod';
import { Audited } from '../auth/access';
import { Actor } from './actor';
import { LEDGER_UPLOAD_BODY, LedgerImportResultDto } from './dto/ledger-import.dto';
import { LedgerImportService, type Upload } from './ledger-import.service';
import { UploadErrorsInterceptor } from './upload-errors.interceptor';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const TEMPLATE_NAME = encodeURIComponent('整改台账导入模板.xlsx');

@ApiTags('records')
@Controller('imports/ledger')
export class LedgerImportController {
  constructor(@Inject(LedgerImportService) private readonly service: LedgerImportService) {}

  @Get('template')
  @ApiOperation({ summary: '台账导入模板 the ledger import template (.xlsx: columns, 说明, category codes)' })
  @ApiProduces(XLSX)
  @ApiOkResponse({ description: 'the template workbook', schema: { type: 'string', format: 'binary' } })
  @Header('Content-Type', XLSX)
  @Header('Content-Disposition', `attachment; filename="ledger-template.xlsx"; filename*=UTF-8''${TEMPLATE_NAME}`)
  async template() {
    return new StreamableFile(await this.service.template());
  }

  @Post()
  @Audited('ledger.import')
  @ApiOperation({ summary: '导入整改台账 import a ledger: every row or none (400 lists each bad row by its Excel row number)' })
  @ApiConsumes('multipart/form-data')
  @ApiBody(LEDGER_UPLOAD_BODY)
  @UseInterceptors(UploadErrorsInterceptor, FileInterceptor('file'))
  @ZodResponse({ status: 201, type: LedgerImportResultDto })
  import(@UploadedFile() file: Upload | undefined, @Actor() actor: string) {
    return this.service.import(file, actor);
  }
}
