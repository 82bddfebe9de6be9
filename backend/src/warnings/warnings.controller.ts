import { Body, Controller, Get, Inject, Post, Query, UseInterceptors } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ZodResponse } from 'nestjs-zod';
import { Audited } from '../auth/access';
import { ResponseCacheInterceptor } from '../response-cache/response-cache.interceptor';
import { Actor } from '../auth/actor';
import { Auth } from '../auth/auth.decorator';
import type { Principal } from '../auth/principal';
import { NoticeBodyDto, NoticeQueryDto, WarningSummaryDto, WarningSummaryQueryDto } from './dto/warnings.dto';
import { DOCX_TYPE, WarningsService, ZIP_TYPE } from './warnings.service';

@ApiTags('warnings')
@Controller()
export class WarningsController {
  constructor(@Inject(WarningsService) private readonly service: WarningsService) {}

  @Get('warnings/summary')
  @UseInterceptors(ResponseCacheInterceptor)
  @ApiOperation({
    summary:
      '预警 open tasks per level of the ladder (yellow ≤ WARNING_YELLOW_DAYS, orange ≤ WARNING_ORANGE_DAYS before due, red overdue); the lists: GET /api/tasks?warning=',
  })
  @ZodResponse({ status: 200, type: WarningSummaryDto })
  summary(@Auth() auth: Principal, @Query() query: WarningSummaryQueryDto) {
    return this.service.summary(auth, query);
  }

  @Post('notices')
  @Audited('notice.issue')
  @ApiOperation({
    summary:
      '生成预警函/督办单 Word notices (.docx) for every task of GET /api/tasks under the same parameters, one per unit or per unit and responsible department (a zip when several); records an ESCALATION event on each task',
  })
  @ApiProduces(DOCX_TYPE, ZIP_TYPE)
  @ApiCreatedResponse({ description: 'the notice, or a zip of notices', schema: { type: 'string', format: 'binary' } })
  issue(@Auth() auth: Principal, @Query() query: NoticeQueryDto, @Body() body: NoticeBodyDto, @Actor() actor: string) {
    return this.service.issue(auth, query, body, actor);
  }
}
