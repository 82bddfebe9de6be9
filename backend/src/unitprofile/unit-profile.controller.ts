import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ZodResponse } from 'nestjs-zod';
import { UnitProfileDto, UnitProfileParamDto } from './dto/unit-profile.dto';
import { UnitProfileService } from './unit-profile.service';
import { Auth } from '../auth/auth.decorator';
import type { Principal } from '../auth/principal';

@ApiTags('units')
@Controller()
export class UnitProfileController {
  constructor(@Inject(UnitProfileService) private readonly service: UnitProfileService) {}

  @Get('units/:id/profile')
  @ApiOperation({
    summary:
      '单位画像 one inspected unit: inspections by mode, findings by category with repeats and rebounds, tasks, days to close against its county, clues, responsible persons',
  })
  @ZodResponse({ status: 200, type: UnitProfileDto })
  profile(@Auth() auth: Principal, @Param() params: UnitProfileParamDto) {
    return this.service.profile(auth, params.id);
  }
}
