import { Controller, Get, Inject, Query, UseInterceptors } from '@nestjs/common';
import { ResponseCacheInterceptor } from '../response-cache/response-cache.interceptor';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ZodResponse } from 'nestjs-zod';
import { CategoriesDto, CoverageDto, CoverageQueryDto, FiltersDto, OverviewDto, RecurrenceDto, RectificationDto } from './dto/metrics-query.dto';
import { MetricsService } from './metrics.service';

@ApiTags('metrics')
@UseInterceptors(ResponseCacheInterceptor)
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(MetricsService) private readonly service: MetricsService) {}

  @Get('overview')
  @ApiOperation({ summary: '总览 KPI cards and the four main charts' })
  @ZodResponse({ status: 200, type: OverviewDto })
  overview(@Query() query: FiltersDto) {
    return this.service.overview(query);
  }

  @Get('coverage')
  @ApiOperation({ summary: '覆盖率 coverage by region and unit category, pace, projection, uncovered units' })
  @ZodResponse({ status: 200, type: CoverageDto })
  coverage(@Query() query: CoverageQueryDto) {
    return this.service.coverage(query);
  }

  @Get('categories')
  @ApiOperation({ summary: '问题分类 findings by issue category, region, unit category, round, mode and quarter' })
  @ZodResponse({ status: 200, type: CategoriesDto })
  categories(@Query() query: FiltersDto) {
    return this.service.categories(query);
  }

  @Get('rectification')
  @ApiOperation({ summary: '整改 closure, on-time, overdue aging, due soon, extended, days to close' })
  @ZodResponse({ status: 200, type: RectificationDto })
  rectification(@Query() query: FiltersDto) {
    return this.service.rectification(query);
  }

  @Get('recurrence')
  @ApiOperation({ summary: '复发 same-category repeat and rebound rates' })
  @ZodResponse({ status: 200, type: RecurrenceDto })
  recurrence(@Query() query: FiltersDto) {
    return this.service.recurrence(query);
  }
}
