import { Body, Controller, Get, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ZodResponse } from 'nestjs-zod';
import { Audited } from '../auth/access';
import { ClueIdParamDto, ClueListQueryDto, CluePageDto, ClueRowDto, ClueStatsDto, ClueStatsQueryDto, CreateClueDto, UpdateClueDto } from './dto/clues.dto';
import { CluesService } from './clues.service';

@ApiTags('clues')
@Controller()
export class CluesController {
  constructor(@Inject(CluesService) private readonly service: CluesService) {}

  @Get('clues')
  @ApiOperation({ summary: '线索 clues handed over from inspections, with their feedback deadline and warning level (most urgent first)' })
  @ZodResponse({ status: 200, type: CluePageDto })
  list(@Query() query: ClueListQueryDto) {
    return this.service.list(query);
  }

  @Get('clues/stats')
  @ApiOperation({ summary: '线索统计 clues, persons, concluded and warned, by county and by inspection' })
  @ZodResponse({ status: 200, type: ClueStatsDto })
  stats(@Query() query: ClueStatsQueryDto) {
    return this.service.stats(query.regionId);
  }

  @Post('clues')
  @Audited('clue.create')
  @ApiOperation({ summary: '登记线索 record a clue handed over from an inspection' })
  @ZodResponse({ status: 201, type: ClueRowDto })
  create(@Body() body: CreateClueDto) {
    return this.service.create(body);
  }

  @Patch('clues/:id')
  @Audited('clue.update')
  @ApiOperation({ summary: '更新线索 change a clue: recipient, handover day, persons, summary, disposal status, feedback day' })
  @ZodResponse({ status: 200, type: ClueRowDto })
  update(@Param() params: ClueIdParamDto, @Body() body: UpdateClueDto) {
    return this.service.update(params.id, body);
  }
}
