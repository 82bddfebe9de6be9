import { Body, Controller, Get, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ZodResponse } from 'nestjs-zod';
import { EtlRejectsDto, EtlRunResultDto, EtlRunsDto, PageQueryDto, RunEtlBodyDto, RunIdParamDto } from './dto/etl.dto';
import { EtlService } from './etl.service';

@ApiTags('etl')
@Controller('etl')
export class EtlController {
  constructor(@Inject(EtlService) private readonly service: EtlService) {}

  @Post('run')
  @ApiOperation({ summary: '立即同步 run the ETL now (incremental by default)' })
  @ZodResponse({ status: 200, type: EtlRunResultDto })
  run(@Body() body: RunEtlBodyDto) {
    return this.service.runNow(body.mode);
  }

  @Get('runs')
  @ApiOperation({ summary: '同步记录 ETL runs, newest first, with counts' })
  @ZodResponse({ status: 200, type: EtlRunsDto })
  runs(@Query() query: PageQueryDto) {
    return this.service.runs(query.page, query.pageSize);
  }

  @Get('runs/:id/rejects')
  @ApiOperation({ summary: '拒收记录 the records a run rejected, with their reasons' })
  @ZodResponse({ status: 200, type: EtlRejectsDto })
  rejects(@Param() params: RunIdParamDto, @Query() query: PageQueryDto) {
    return this.service.rejects(params.id, query.page, query.pageSize);
  }
}
