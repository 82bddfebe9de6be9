import { Body, Controller, Get, Inject, Param, Post, Query, Res, StreamableFile, UploadedFiles, UseInterceptors } from '@nestjs/common';
import { FilesInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ZodResponse } from 'nestjs-zod';
import { Audited } from '../auth/access';
import { contentDisposition, CSV_TYPE, XLSX_TYPE } from '../files/files';
import { Actor } from '../auth/actor';
import { TaskRecordIdParamDto, TaskWriteResultDto } from '../records/dto/records.dto';
import { ClosureService, type EvidenceUpload } from './closure.service';
import {
  APPLY_BODY,
  ApplyClosureDto,
  ApproveClosureDto,
  ClosureQueueFileQueryDto,
  ClosureQueuePageDto,
  ClosureQueueQueryDto,
  ClosureReasonDto,
  ClosureRequestIdParamDto,
  ClosureRequestListDto,
  ClosureWriteDto,
  EvidenceIdParamDto,
} from './dto/closure.dto';
import { EvidenceErrorsInterceptor } from './evidence-errors.interceptor';
import { Auth } from '../auth/auth.decorator';
import type { Principal } from '../auth/principal';

const FILE = { schema: { type: 'string', format: 'binary' } } as const;

/** 销号审核: apply with evidence, approve or return, reopen; the review queue; evidence downloads. */
@ApiTags('closure')
@Controller()
export class ClosureController {
  constructor(@Inject(ClosureService) private readonly service: ClosureService) {}

  @Post('tasks/:id/closure-requests')
  @Audited('closure.apply')
  @ApiOperation({ summary: '申请销号 apply for closure with a 整改情况说明 and evidence files (the type read from the bytes; → 申请销号 CLOSE_REQUESTED)' })
  @ApiConsumes('multipart/form-data')
  @ApiBody(APPLY_BODY)
  @UseInterceptors(EvidenceErrorsInterceptor, FilesInterceptor('files'))
  @ZodResponse({ status: 201, type: ClosureWriteDto })
  apply(
    @Auth() auth: Principal,
    @Param() params: TaskRecordIdParamDto,
    @Body() body: ApplyClosureDto,
    @UploadedFiles() files: EvidenceUpload[] | undefined,
    @Actor() actor: string,
  ) {
    return this.service.apply(auth, params.id, body, files, actor);
  }

  @Get('tasks/:id/closure-requests')
  @ApiOperation({ summary: "销号申请记录 a task's closure requests with their evidence (without the bytes) and review results" })
  @ZodResponse({ status: 200, type: ClosureRequestListDto })
  ofTask(@Auth() auth: Principal, @Param() params: TaskRecordIdParamDto) {
    return this.service.requestsOfTask(auth, params.id);
  }

  @Post('tasks/:id/reopen')
  @Audited('closure.reopen')
  @ApiOperation({ summary: '撤销销号 reopen a closed task with a reason (→ 整改中 IN_PROGRESS from today; earlier days keep it closed)' })
  @ZodResponse({ status: 201, type: TaskWriteResultDto })
  reopen(@Auth() auth: Principal, @Param() params: TaskRecordIdParamDto, @Body() body: ClosureReasonDto, @Actor() actor: string) {
    return this.service.reopen(auth, params.id, body, actor);
  }

  @Get('closure-requests')
  @ApiOperation({ summary: "待审核销号 the closure review queue (default PENDING), oldest first, within the user's county" })
  @ZodResponse({ status: 200, type: ClosureQueuePageDto })
  queue(@Auth() auth: Principal, @Query() query: ClosureQueueQueryDto) {
    return this.service.queue(auth, query);
  }

  @Get('closure-requests.csv')
  @ApiOperation({
    summary:
      '销号申请清单 CSV: every request of GET /api/closure-requests under the same status (UTF-8 with BOM, Chinese headers); the file named after the filters',
  })
  @Audited('export.closure-queue-csv')
  @ApiProduces(CSV_TYPE)
  @ApiOkResponse({ description: 'the closure review queue as CSV', ...FILE })
  csv(@Auth() auth: Principal, @Query() query: ClosureQueueFileQueryDto) {
    return this.service.queueFile(auth, query, 'csv');
  }

  @Get('closure-requests.xlsx')
  @ApiOperation({ summary: '销号申请清单 .xlsx: every request of GET /api/closure-requests under the same status; the file named after the filters' })
  @Audited('export.closure-queue-xlsx')
  @ApiProduces(XLSX_TYPE)
  @ApiOkResponse({ description: 'the closure review queue as a workbook', ...FILE })
  xlsx(@Auth() auth: Principal, @Query() query: ClosureQueueFileQueryDto) {
    return this.service.queueFile(auth, query, 'xlsx');
  }

  @Post('closure-requests/:id/approve')
  @Audited('closure.approve')
  @ApiOperation({ summary: '销号审核通过 approve a closure request (→ 已销号 CLOSED); the applicant may not (403)' })
  @ZodResponse({ status: 201, type: ClosureWriteDto })
  approve(@Auth() auth: Principal, @Param() params: ClosureRequestIdParamDto, @Body() body: ApproveClosureDto, @Actor() actor: string) {
    return this.service.approve(auth, params.id, body, actor);
  }

  @Post('closure-requests/:id/return')
  @Audited('closure.return')
  @ApiOperation({ summary: '销号申请退回 return a closure request with a reason (→ 整改中 IN_PROGRESS); the applicant may not (403)' })
  @ZodResponse({ status: 201, type: ClosureWriteDto })
  giveBack(@Auth() auth: Principal, @Param() params: ClosureRequestIdParamDto, @Body() body: ClosureReasonDto, @Actor() actor: string) {
    return this.service.giveBack(auth, params.id, body, actor);
  }

  @Get('closure-evidence/:id')
  @Audited('closure.evidence.download')
  @ApiOperation({ summary: '下载佐证材料 download one evidence file (audited)' })
  @ApiOkResponse({ description: 'the file', schema: { type: 'string', format: 'binary' } })
  async evidence(@Auth() auth: Principal, @Param() params: EvidenceIdParamDto, @Res({ passthrough: true }) response: Response) {
    const file = await this.service.evidence(auth, params.id);
    response.setHeader('Content-Type', file.contentType);
    response.setHeader('Content-Disposition', contentDisposition(`evidence-${params.id}.${file.kind}`, file.fileName));
    response.setHeader('X-Content-Type-Options', 'nosniff');
    return new StreamableFile(file.content);
  }
}
