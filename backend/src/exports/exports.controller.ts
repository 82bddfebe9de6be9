import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { FindingCsvQueryDto, QuarterlyQueryDto, TaskCsvQueryDto } from './dto/exports.dto';
import { Audited } from '../auth/access';
import { ExportsService } from './exports.service';
import { CSV_TYPE, XLSX_TYPE } from '../files/files';
import { ReportedService } from './reported.service';
import { Auth } from '../auth/auth.decorator';
import type { Principal } from '../auth/principal';
import { FiltersDto } from '../metrics/dto/metrics-query.dto';

const FILE = { schema: { type: 'string', format: 'binary' } } as const;

/** Downloads. `tasks.csv` and `findings.csv` sit beside the lists they export (and never match `tasks/:id`). */
@ApiTags('exports')
@Controller()
export class ExportsController {
  constructor(
    @Inject(ExportsService) private readonly service: ExportsService,
    @Inject(ReportedService) private readonly reported: ReportedService,
  ) {}

  @Get('exports/quarterly')
  @ApiOperation({
    summary:
      '季度统计报表 the quarterly statistics workbook (.xlsx: the summaries, then the annexes 附表) as of the quarter’s last day; the quarter must have ended (its last day on or before today). A quarter marked 已报送 is served as reported (version=current: as computed now, labelled so)',
  })
  @Audited('export.quarterly')
  @ApiProduces(XLSX_TYPE)
  @ApiOkResponse({
    description: 'the workbook',
    ...FILE,
    headers: {
      'X-Xuncha-Workbook': {
        description:
          'reported: the workbook kept when the quarter was marked 已报送 (with a 更正说明 sheet when a figure differs now); kept: made before and served as made (its figures have not changed since); made: made for this request',
        schema: { type: 'string', enum: ['reported', 'kept', 'made'] },
      },
    },
  })
  async quarterly(@Auth() auth: Principal, @Query() query: QuarterlyQueryDto, @Res({ passthrough: true }) response: Response) {
    const { file, source } = await this.reported.download(auth, query.year, query.quarter, query.regionId, query.version);
    response.setHeader('X-Xuncha-Workbook', source);
    return file;
  }

  @Get('uncovered-units.csv')
  @ApiOperation({
    summary:
      '未覆盖单位 CSV: every uncovered unit under the same filters as GET /api/metrics/coverage (its uncovered list, in its order); the file named after the filters',
  })
  @Audited('export.uncovered-csv')
  @ApiProduces(CSV_TYPE)
  @ApiOkResponse({ description: 'the uncovered units as CSV', ...FILE })
  uncoveredCsv(@Auth() auth: Principal, @Query() query: FiltersDto) {
    return this.service.uncoveredFile(auth, query, 'csv');
  }

  @Get('uncovered-units.xlsx')
  @ApiOperation({
    summary:
      '未覆盖单位 .xlsx: every uncovered unit under the same filters as GET /api/metrics/coverage (its uncovered list, in its order); the file named after the filters',
  })
  @Audited('export.uncovered-xlsx')
  @ApiProduces(XLSX_TYPE)
  @ApiOkResponse({ description: 'the uncovered units as a workbook', ...FILE })
  uncoveredXlsx(@Auth() auth: Principal, @Query() query: FiltersDto) {
    return this.service.uncoveredFile(auth, query, 'xlsx');
  }

  @Get('tasks.csv')
  @ApiOperation({
    summary: '整改任务清单 CSV: every row of GET /api/tasks under the same parameters (UTF-8 with BOM, Chinese headers); the file named after the filters',
  })
  @Audited('export.tasks-csv')
  @ApiProduces(CSV_TYPE)
  @ApiOkResponse({ description: 'the task list as CSV', ...FILE })
  tasksCsv(@Auth() auth: Principal, @Query() query: TaskCsvQueryDto) {
    return this.service.tasksFile(auth, query, 'csv');
  }

  @Get('tasks.xlsx')
  @ApiOperation({ summary: '整改任务清单 .xlsx: every row of GET /api/tasks under the same parameters; the file named after the filters' })
  @Audited('export.tasks-xlsx')
  @ApiProduces(XLSX_TYPE)
  @ApiOkResponse({ description: 'the task list as a workbook', ...FILE })
  tasksXlsx(@Auth() auth: Principal, @Query() query: TaskCsvQueryDto) {
    return this.service.tasksFile(auth, query, 'xlsx');
  }

  @Get('findings.csv')
  @ApiOperation({
    summary: '问题清单 CSV: every row of GET /api/findings under the same parameters (UTF-8 with BOM, Chinese headers); the file named after the filters',
  })
  @Audited('export.findings-csv')
  @ApiProduces(CSV_TYPE)
  @ApiOkResponse({ description: 'the finding list as CSV', ...FILE })
  findingsCsv(@Auth() auth: Principal, @Query() query: FindingCsvQueryDto) {
    return this.service.findingsFile(auth, query, 'csv');
  }

  @Get('findings.xlsx')
  @ApiOperation({ summary: '问题清单 .xlsx: every row of GET /api/findings under the same parameters; the file named after the filters' })
  @Audited('export.findings-xlsx')
  @ApiProduces(XLSX_TYPE)
  @ApiOkResponse({ description: 'the finding list as a workbook', ...FILE })
  findingsXlsx(@Auth() auth: Principal, @Query() query: FindingCsvQueryDto) {
    return this.service.findingsFile(auth, query, 'xlsx');
  }
}
