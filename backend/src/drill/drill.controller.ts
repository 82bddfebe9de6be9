import { Controller, Get, Inject, Param, Query, UseInterceptors } from '@nestjs/common';
import { ResponseCacheInterceptor } from '../response-cache/response-cache.interceptor';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ZodResponse } from 'nestjs-zod';
import { FindingListQueryDto, FindingPageDto, TaskDetailDto, TaskIdParamDto, TaskListQueryDto, TaskPageDto } from './dto/drill.dto';
import { DrillService } from './drill.service';
import { Auth } from '../auth/auth.decorator';
import type { Principal } from '../auth/principal';

@ApiTags('drill-down')
@Controller()
export class DrillController {
  constructor(@Inject(DrillService) private readonly service: DrillService) {}

  @Get('tasks')
  @UseInterceptors(ResponseCacheInterceptor)
  @ApiOperation({ summary: '整改任务清单 tasks of findings fed back by as-of, with their state as of then; filter, sort, page' })
  @ZodResponse({ status: 200, type: TaskPageDto })
  tasks(@Auth() auth: Principal, @Query() query: TaskListQueryDto) {
    return this.service.tasks(auth, query);
  }

  @Get('findings')
  @UseInterceptors(ResponseCacheInterceptor)
  @ApiOperation({ summary: '问题清单 findings found by as-of; filter, sort, page' })
  @ZodResponse({ status: 200, type: FindingPageDto })
  findings(@Auth() auth: Principal, @Query() query: FindingListQueryDto) {
    return this.service.findings(auth, query);
  }

  @Get('tasks/:id')
  @ApiOperation({ summary: '任务详情 one task with its finding, unit, inspection and full timeline' })
  @ZodResponse({ status: 200, type: TaskDetailDto })
  task(@Auth() auth: Principal, @Param() params: TaskIdParamDto) {
    return this.service.task(auth, params.id);
  }
}
