import { Body, Controller, Get, Inject, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ZodResponse } from 'nestjs-zod';
import { Allow, Audited } from '../auth/access';
import { Actor } from '../auth/actor';
import { ReportedQueryDto, ReportedStateDto, ReportQuarterDto } from './dto/reported.dto';
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
}
