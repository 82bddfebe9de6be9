import { Body, Controller, Get, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ZodResponse } from 'nestjs-zod';
import { EtlFreshnessDto, EtlRejectsDto, EtlRunResultDto, EtlRunsDto, PageQueryDto, RunEtlBodyDto, RunIdParamDto } from './dto/etl.dto';
import { Allow, Audited } from '../auth/access';
import { Auth } from '../auth/auth.decorator';
import { countyLimit, type Principal } from '../auth/principal';
import { AppError } from '../common/http-exception.filter';
import { EtlService } from './etl.service';

@ApiTags('etl')
@Controller('etl')
export class EtlController {
  constructor(@Inject(EtlService) private readonly service: EtlService) {}

  @Post('run')
  @Allow('etlRun')
  @Audited('etl.run')
  @ApiOperation({
    summary:
      "立即同步 run the ETL now (incremental by default). A full run is the administrator's (403 otherwise); it waits behind a run under way and answers once it has run. An incremental run answers skipped while another run is under way.",
  })
  @ZodResponse({ status: 200, type: EtlRunResultDto })
  run(@Auth() auth: Principal, @Body() body: RunEtlBodyDto) {
    return this.service.runNow(body.mode, auth);
  }

  @Get('runs')
  @Allow('etlStatus')
  @ApiOperation({ summary: '同步记录 ETL runs, newest first, with counts' })
  @ZodResponse({ status: 200, type: EtlRunsDto })
  runs(@Query() query: PageQueryDto) {
    return this.service.runs(query.page, query.pageSize);
  }

  @Get('freshness')
  @Allow('etlStatus')
  @ApiOperation({ summary: '数据更新于 when the figures were last brought up to date: the end of the last successful ETL run' })
  @ZodResponse({ status: 200, type: EtlFreshnessDto })
  async freshness() {
    const { lastSucceeded } = await this.service.lastRuns();
    return { lastSucceededAt: lastSucceeded?.finishedAt ?? null };
  }

  @Get('runs/:id/rejects')
  @Allow('etlStatus')
  @ApiOperation({ summary: '拒收记录 the records a run rejected, with their reasons' })
  @ZodResponse({ status: 200, type: EtlRejectsDto })
  rejects(@Auth() auth: Principal, @Param() params: RunIdParamDto, @Query() query: PageQueryDto) {
    // rejected rows may be of any county: a county user sees the counts, not the rows
    if (countyLimit(auth) !== null)
      throw new AppError(403, '拒收明细可能含其他县区的数据，县区用户无权查看 rejected rows may be of other counties: not shown to county users');
    return this.service.rejects(params.id, query.page, query.pageSize);
  }
}
