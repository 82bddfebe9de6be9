import { Controller, Get, Inject, Query, UseInterceptors } from '@nestjs/common';
import { ResponseCacheInterceptor } from '../response-cache/response-cache.interceptor';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ZodResponse } from 'nestjs-zod';
import { CategoriesDto, CoverageDto, CoverageQueryDto, FiltersDto, OverviewDto, RecurrenceDto, RectificationDto } from './dto/metrics-query.dto';
import { MetricsService } from './metrics.service';
import { Auth } from '../auth/auth.decorator';
import type { Principal } from '../auth/principal';

@ApiTags('metrics')
@UseInterceptors(ResponseCacheInterceptor)
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(MetricsService) private readonly service: MetricsService) {}

  @Get('overview')
  @ApiOperation({ summary: '总览 KPI cards and the four main charts' })
  @ZodResponse({ status: 200, type: OverviewDto })
  overview(@Auth() auth: Principal, @Query() query: FiltersDto) {
    return this.service.overview(auth, query);
  }

  @Get('coverage')
  @ApiOperation({ summary: '覆盖率 coverage by region and unit category, pace, projection, uncovered units' })
  @ZodResponse({ status: 200, type: CoverageDto })
  coverage(@Auth() auth: Principal, @Query() query: CoverageQueryDto) {
    return this.service.coverage(auth, query);
  }

  @Get('categories')
  @ApiOperation({ summary: '问题分类 findings by issue category, region, unit category, round, mode and quarter' })
  @ZodResponse({ status: 200, type: CategoriesDto })
  categories(@Auth() auth: Principal, @Query() query: FiltersDto) {
    return this.service.categories(auth, query);
  }

  @Get('rectification')
  @ApiOperation({ summary: '整改 closure, on-time, overdue aging, due soon, extended, days to close' })
  @ZodResponse({ status: 200, type: RectificationDto })
  rectification(@Auth() auth: Principal, @Query() query: FiltersDto) {
    return this.service.rectification(auth, query);
  }

  @Get('recurrence')
  @ApiOperation({ summary: '复发 same-category repeat and rebound rates' })
  @ZodResponse({ status: 200, type: RecurrenceDto })
  recurrence(@Auth() auth: Principal, @Query() query: FiltersDto) {
    return this.service.recurrence(auth, query);
  }
}
