import { Controller, Get, Inject, Query, UseInterceptors } from '@nestjs/common';
import { ResponseCacheInterceptor } from '../response-cache/response-cache.interceptor';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ZodResponse, ZodValidationPipe } from 'nestjs-zod';
import { noQuerySchema, OptionsDto } from './dto/options.dto';
import { OptionsService } from './options.service';
import { Auth } from '../auth/auth.decorator';
import type { Principal } from '../auth/principal';

@ApiTags('options')
@UseInterceptors(ResponseCacheInterceptor)
@Controller('options')
export class OptionsController {
  constructor(@Inject(OptionsService) private readonly service: OptionsService) {}

  @Get()
  @ApiOperation({ summary: '筛选项 the values the filter bar offers' })
  @ZodResponse({ status: 200, type: OptionsDto })
  // the query is validated only: it must be empty
  options(@Auth() auth: Principal, @Query(new ZodValidationPipe(noQuerySchema)) _query: Record<string, never>) {
    return this.service.options(auth);
  }
}
