import { Controller, Get, Inject, UseInterceptors } from '@nestjs/common';
import { ResponseCacheInterceptor } from '../common/response-cache.interceptor';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ZodResponse } from 'nestjs-zod';
import { OptionsDto } from './dto/options.dto';
import { OptionsService } from './options.service';

@ApiTags('options')
@UseInterceptors(ResponseCacheInterceptor)
@Controller('options')
export class OptionsController {
  constructor(@Inject(OptionsService) private readonly service: OptionsService) {}

  @Get()
  @ApiOperation({ summary: '筛选项 the values the filter bar offers' })
  @ZodResponse({ status: 200, type: OptionsDto })
  options() {
    return this.service.options();
  }
}
