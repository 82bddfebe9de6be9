import { Body, Controller, Get, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ZodResponse } from 'nestjs-zod';
import { Allow, Audited } from '../auth/access';
import { Actor } from '../auth/actor';
import { ReportedQueryDto, ReportedStateDto, ReportQuarterDto, WithdrawnIdParamDto, WithdrawQuarterDto } from './dto/reported.dto';
import { XLSX_TYPE } from '../files/files';
import { ReportedService } from './reported.service';
import { Auth } from '../auth/auth.decorator';
import type { Principal } from '../auth/principal';

/** 已报送: a quarter's statistics marked reported, kept as reported, and their corrections since. */
@ApiTags('exports')
@Controller('exports/quarterly/report')
export class ReportedController {
  constructor(@Inject(ReportedService) private readonly service: ReportedService) {}

  @Get()
  @Allow('quarterReportRead')
  @ApiOperation({
    summary:
      "季度统计报送状态 a quarter's state for a workbook (the city's, or regionId's; a county account's own): 未报送, 已报送 (when, by whom) or 已报送，有更正 with every figure that differs now (reported, current, difference)",
  })
  @ZodResponse({ status: 200, type: ReportedStateDto })
  state(@Auth() auth: Principal, @Query() query: ReportedQueryDto) {
    return this.service.state(auth, query.year, query.quarter, query.regionId);
  }

  @Post()
  @Allow('quarterReport')
  @Audited('export.quarterly-report')
  @ApiOperation({
    summary:
      "标记已报送 mark a quarter's statistics reported: the workbook and its figures are kept as they are now (in PostgreSQL) and served as reported from then on; a later change shows as a correction. Reported already: 409",
  })
  @ZodResponse({ status: 201, type: ReportedStateDto })
  report(@Auth() auth: Principal, @Body() body: ReportQuarterDto, @Actor() actor: string) {
    return this.service.report(auth, body, actor);
  }

  @Post('withdraw')
  @Allow('admin')
  @Audited('export.quarterly-withdraw')
  @ApiOperation({
    summary:
      '撤回已报送 withdraw a quarter’s report (ADMIN, with a reason): it is kept as 已撤回 (who, when, why) with its file and figures, and the quarter may be reported again. Nothing reported: 409',
  })
  @ZodResponse({ status: 201, type: ReportedStateDto })
  withdraw(@Auth() auth: Principal, @Body() body: WithdrawQuarterDto, @Actor() actor: string) {
    return this.service.withdraw(auth, body, actor);
  }

  @Get('withdrawn/:id')
  @Audited('export.quarterly-withdrawn')
  @ApiOperation({ summary: '已撤回的报送表 a withdrawn report’s workbook, byte for byte as it was reported (a county account: its county’s only)' })
  @ApiProduces(XLSX_TYPE)
  @ApiOkResponse({ description: 'the workbook as reported', schema: { type: 'string', format: 'binary' } })
  withdrawnFile(@Auth() auth: Principal, @Param() params: WithdrawnIdParamDto) {
    return this.service.withdrawnFile(auth, params.id);
  }
}
