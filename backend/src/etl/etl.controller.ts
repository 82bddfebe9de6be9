import { Body, Controller, Get, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ZodResponse } from 'nestjs-zod';
import { EtlFreshnessDto, EtlRejectsDto, EtlRunResultDto, EtlRunsDto, PageQueryDto, RunEtlBodyDto, RunIdParamDto } from './dto/etl.dto';
import { Allow, Audited } from '../auth/access';
import { Auth } from '../auth/auth.decorator';
import { countyLimit, type Principal } from '../auth/principal';
import { AppError } from '../common/http-exception.filter';
import { EtlService } from './etl.service';
import { CSV_TYPE, XLSX_TYPE } from '../files/files';

const FILE = { schema: { type: 'string', format: 'binary' } } as const;

/** Rejected rows may be of any county: a county user sees the counts, not the rows. */
function refuseCountyUser(auth: Principal): void {
  if (countyLimit(auth) !== null)
    throw new AppError(403, '拒收明细可能含其他县区的数据，县区用户无权查看 rejected rows may be of other counties: not shown to county users');
}

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

  @Get('runs.csv')
  @Allow('etlStatus')
  @Audited('export.etl-runs-csv')
  @ApiOperation({ summary: '同步记录 CSV: every ETL run, newest first, as GET /api/etl/runs lists them' })
  @ApiProduces(CSV_TYPE)
  @ApiOkResponse({ description: 'the run history as CSV', ...FILE })
  runsCsv() {
    return this.service.runsFile('csv');
  }

  @Get('runs.xlsx')
  @Allow('etlStatus')
  @Audited('export.etl-runs-xlsx')
  @ApiOperation({ summary: '同步记录 .xlsx: every ETL run, newest first, as GET /api/etl/runs lists them' })
  @ApiProduces(XLSX_TYPE)
  @ApiOkResponse({ description: 'the run history as a workbook', ...FILE })
  runsXlsx() {
    return this.service.runsFile('xlsx');
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
    refuseCountyUser(auth);
    return this.service.rejects(params.id, query.page, query.pageSize);
  }

  @Get('runs/:id/rejects.csv')
  @Allow('etlStatus')
  @Audited('export.etl-rejects-csv')
  @ApiOperation({ summary: '拒收记录 CSV: every record a run rejected, as GET /api/etl/runs/:id/rejects lists them (not county users)' })
  @ApiProduces(CSV_TYPE)
  @ApiOkResponse({ description: 'the rejects as CSV', ...FILE })
  rejectsCsv(@Auth() auth: Principal, @Param() params: RunIdParamDto) {
    refuseCountyUser(auth);
    return this.service.rejectsFile(params.id, 'csv');
  }

  @Get('runs/:id/rejects.xlsx')
  @Allow('etlStatus')
  @Audited('export.etl-rejects-xlsx')
  @ApiOperation({ summary: '拒收记录 .xlsx: every record a run rejected, as GET /api/etl/runs/:id/rejects lists them (not county users)' })
  @ApiProduces(XLSX_TYPE)
  @ApiOkResponse({ description: 'the rejects as a workbook', ...FILE })
  rejectsXlsx(@Auth() auth: Principal, @Param() params: RunIdParamDto) {
    refuseCountyUser(auth);
    return this.service.rejectsFile(params.id, 'xlsx');
  }
}
