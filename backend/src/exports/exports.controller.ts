import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { FindingCsvQueryDto, QuarterlyQueryDto, TaskCsvQueryDto } from './dto/exports.dto';
import { Audited } from '../auth/access';
import { currentCountyLimit } from '../auth/principal';
import { ExportsService } from './exports.service';
import { CSV_TYPE, XLSX_TYPE } from './files';

const FILE = { schema: { type: 'string', format: 'binary' } } as const;

/** Downloads. `tasks.csv` and `findings.csv` sit beside the lists they export (and never match `tasks/:id`). */
@ApiTags('exports')
@Controller()
export class ExportsController {
  constructor(@Inject(ExportsService) private readonly service: ExportsService) {}

  @Get('exports/quarterly')
  @ApiOperation({
    summary:
      '季度统计报表 the quarterly statistics workbook (.xlsx, five sheets) as of the quarter’s last day; the quarter must have ended (its last day on or before today)',
  })
  @Audited('export.quarterly')
  @ApiProduces(XLSX_TYPE)
  @ApiOkResponse({
    description: 'the workbook',
    ...FILE,
    headers: {
      'X-Xuncha-Workbook': {
        description: 'kept: made before and served as made (its figures have not changed since); made: made for this request',
        schema: { type: 'string', enum: ['kept', 'made'] },
      },
    },
  })
  async quarterly(@Query() query: QuarterlyQueryDto, @Res({ passthrough: true }) response: Response) {
    const county = currentCountyLimit();
    const { file, source } = await this.service.quarterly(query.year, query.quarter, county === null ? undefined : { countyId: county });
    // kept: made before, served as it was made (its figures have not changed since)
    response.setHeader('X-Xuncha-Workbook', source);
    return file;
  }

  @Get('tasks.csv')
  @ApiOperation({ summary: '整改任务清单 CSV: every row of GET /api/tasks under the same parameters (UTF-8 with BOM, Chinese headers)' })
  @Audited('export.tasks-csv')
  @ApiProduces(CSV_TYPE)
  @ApiOkResponse({ description: 'the task list as CSV', ...FILE })
  tasksCsv(@Query() query: TaskCsvQueryDto) {
    return this.service.tasksCsv(query);
  }

  @Get('findings.csv')
  @ApiOperation({ summary: '问题清单 CSV: every row of GET /api/findings under the same parameters (UTF-8 with BOM, Chinese headers)' })
  @Audited('export.findings-csv')
  @ApiProduces(CSV_TYPE)
  @ApiOkResponse({ description: 'the finding list as CSV', ...FILE })
  findingsCsv(@Query() query: FindingCsvQueryDto) {
    return this.service.findingsCsv(query);
  }
}
