import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ZodResponse } from 'nestjs-zod';
import { UnitProfileDto, UnitProfileFileQueryDto, UnitProfileParamDto } from './dto/unit-profile.dto';
import { UnitProfileService } from './unit-profile.service';
import { Auth } from '../auth/auth.decorator';
import type { Principal } from '../auth/principal';
import { Audited } from '../auth/access';
import { CSV_TYPE, XLSX_TYPE } from '../files/files';

const FILE = { schema: { type: 'string', format: 'binary' } } as const;

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

  @Get('units/:id/profile.csv')
  @ApiOperation({
    summary:
      '单位画像 导出 CSV: one table of GET /api/units/:id/profile (table=inspections|categories|findings|tasks|clues|persons), row for row (UTF-8 with BOM, Chinese headers); the file named after the unit, the table and the day',
  })
  @Audited('export.unit-profile-csv')
  @ApiProduces(CSV_TYPE)
  @ApiOkResponse({ description: 'the table as CSV', ...FILE })
  csv(@Auth() auth: Principal, @Param() params: UnitProfileParamDto, @Query() query: UnitProfileFileQueryDto) {
    return this.service.file(auth, params.id, query.table, 'csv');
  }

  @Get('units/:id/profile.xlsx')
  @ApiOperation({
    summary:
      '单位画像 导出 .xlsx: one table of GET /api/units/:id/profile (table=inspections|categories|findings|tasks|clues|persons), row for row; the file named after the unit, the table and the day',
  })
  @Audited('export.unit-profile-xlsx')
  @ApiProduces(XLSX_TYPE)
  @ApiOkResponse({ description: 'the table as a workbook', ...FILE })
  xlsx(@Auth() auth: Principal, @Param() params: UnitProfileParamDto, @Query() query: UnitProfileFileQueryDto) {
    return this.service.file(auth, params.id, query.table, 'xlsx');
  }
}
