import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ZodResponse } from 'nestjs-zod';
import { OptionsDto } from './dto/options.dto';
import { OptionsService } from './options.service';

@ApiTags('options')
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
