import { Body, Controller, Get, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ZodResponse } from 'nestjs-zod';
import { Audited } from '../auth/access';
import { CSV_TYPE, XLSX_TYPE } from '../files/files';
import {
  ClueFileQueryDto,
  ClueIdParamDto,
  ClueListQueryDto,
  CluePageDto,
  ClueRowDto,
  ClueStatsDto,
  ClueStatsQueryDto,
  CreateClueDto,
  UpdateClueDto,
} from './dto/clues.dto';
import { CluesService } from './clues.service';
import { Auth } from '../auth/auth.decorator';
import type { Principal } from '../auth/principal';

const FILE = { schema: { type: 'string', format: 'binary' } } as const;

@ApiTags('clues')
@Controller()
export class CluesController {
  constructor(@Inject(CluesService) private readonly service: CluesService) {}

  @Get('clues')
  @ApiOperation({ summary: '线索 clues handed over from inspections, with their feedback deadline and warning level (most urgent first)' })
  @ZodResponse({ status: 200, type: CluePageDto })
  list(@Auth() auth: Principal, @Query() query: ClueListQueryDto) {
    return this.service.list(auth, query);
  }

  @Get('clues.csv')
  @ApiOperation({
    summary: '线索清单 CSV: every clue of GET /api/clues under the same filters (UTF-8 with BOM, Chinese headers); the file named after the filters',
  })
  @Audited('export.clues-csv')
  @ApiProduces(CSV_TYPE)
  @ApiOkResponse({ description: 'the clue list as CSV', ...FILE })
  csv(@Auth() auth: Principal, @Query() query: ClueFileQueryDto) {
    return this.service.file(auth, query, 'csv');
  }

  @Get('clues.xlsx')
  @ApiOperation({ summary: '线索清单 .xlsx: every clue of GET /api/clues under the same filters; the file named after the filters' })
  @Audited('export.clues-xlsx')
  @ApiProduces(XLSX_TYPE)
  @ApiOkResponse({ description: 'the clue list as a workbook', ...FILE })
  xlsx(@Auth() auth: Principal, @Query() query: ClueFileQueryDto) {
    return this.service.file(auth, query, 'xlsx');
  }

  @Get('clues/stats')
  @ApiOperation({ summary: '线索统计 clues, persons, concluded and warned, by county and by inspection' })
  @ZodResponse({ status: 200, type: ClueStatsDto })
  stats(@Auth() auth: Principal, @Query() query: ClueStatsQueryDto) {
    return this.service.stats(auth, query.regionId);
  }

  @Post('clues')
  @Audited('clue.create')
  @ApiOperation({ summary: '登记线索 record a clue handed over from an inspection' })
  @ZodResponse({ status: 201, type: ClueRowDto })
  create(@Auth() auth: Principal, @Body() body: CreateClueDto) {
    return this.service.create(auth, body);
  }

  @Patch('clues/:id')
  @Audited('clue.update')
  @ApiOperation({ summary: '更新线索 change a clue: recipient, handover day, persons, summary, disposal status, feedback day' })
  @ZodResponse({ status: 200, type: ClueRowDto })
  update(@Auth() auth: Principal, @Param() params: ClueIdParamDto, @Body() body: UpdateClueDto) {
    return this.service.update(auth, params.id, body);
  }
}
