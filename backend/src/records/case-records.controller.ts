import { Body, Controller, Get, Inject, Param, Patch, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ZodResponse } from 'nestjs-zod';
import { Audited } from '../auth/access';
import { CSV_TYPE, XLSX_TYPE } from '../files/files';
import { CaseRecordsService } from './case-records.service';
import {
  EarlierFindingsDto,
  FindingRecordFileQueryDto,
  FindingRecordListQueryDto,
  FindingRecordPageDto,
  FindingUpdateResultDto,
  InspectionDetailDto,
  InspectionFileQueryDto,
  InspectionPageDto,
  InspectionPathDto,
  InspectionListQueryDto,
  InspectionUpdateResultDto,
  TaskUpdateResultDto,
  UnitChoicesDto,
  UnitLookupQueryDto,
  UpdateFindingDto,
  UpdateInspectionDto,
  UpdateTaskDto,
} from './dto/case-records.dto';
import { FindingIdParamDto, TaskRecordIdParamDto } from './dto/records.dto';
import { Auth } from '../auth/auth.decorator';
import type { Principal } from '../auth/principal';

const FILE = { schema: { type: 'string', format: 'binary' } } as const;

/** The 巡察 and 问题 lists, inspections with their findings and tasks, and their corrections. `inspections.csv` and the like sit beside their lists (and never match `inspections/:id`). */
@ApiTags('records')
@Controller()
export class CaseRecordsController {
  constructor(@Inject(CaseRecordsService) private readonly service: CaseRecordsService) {}

  @Get('inspections')
  @ApiOperation({ summary: '巡察列表 inspections from PostgreSQL: search by unit and team, filter by round, region, mode and dates; sort; page' })
  @ZodResponse({ status: 200, type: InspectionPageDto })
  inspections(@Auth() auth: Principal, @Query() query: InspectionListQueryDto) {
    return this.service.inspections(auth, query);
  }

  @Get('inspections.csv')
  @ApiOperation({
    summary: '巡察列表 CSV: every row of GET /api/inspections under the same parameters (UTF-8 with BOM, Chinese headers); the file named after the filters',
  })
  @Audited('export.inspections-csv')
  @ApiProduces(CSV_TYPE)
  @ApiOkResponse({ description: 'the inspection list as CSV', ...FILE })
  inspectionsCsv(@Auth() auth: Principal, @Query() query: InspectionFileQueryDto) {
    return this.service.inspectionsFile(auth, query, 'csv');
  }

  @Get('inspections.xlsx')
  @ApiOperation({ summary: '巡察列表 .xlsx: every row of GET /api/inspections under the same parameters; the file named after the filters' })
  @Audited('export.inspections-xlsx')
  @ApiProduces(XLSX_TYPE)
  @ApiOkResponse({ description: 'the inspection list as a workbook', ...FILE })
  inspectionsXlsx(@Auth() auth: Principal, @Query() query: InspectionFileQueryDto) {
    return this.service.inspectionsFile(auth, query, 'xlsx');
  }

  @Get('inspections/:id')
  @ApiOperation({ summary: '巡察详情 one inspection with its findings and their tasks' })
  @ZodResponse({ status: 200, type: InspectionDetailDto })
  inspection(@Auth() auth: Principal, @Param() params: InspectionPathDto) {
    return this.service.inspection(auth, params.id);
  }

  @Get('inspections/:id/earlier-findings')
  @ApiOperation({ summary: "可关联的复发问题 the same unit's findings of earlier inspections (what a finding may be a recurrence of)" })
  @ZodResponse({ status: 200, type: EarlierFindingsDto })
  earlierFindings(@Auth() auth: Principal, @Param() params: InspectionPathDto) {
    return this.service.earlierFindings(auth, params.id);
  }

  @Patch('inspections/:id')
  @Audited('inspection.update')
  @ApiOperation({ summary: '修改巡察 correct an inspection (round, unit, team, mode, flags, dates); answers the changed fields before and after' })
  @ZodResponse({ status: 200, type: InspectionUpdateResultDto })
  updateInspection(@Auth() auth: Principal, @Param() params: InspectionPathDto, @Body() body: UpdateInspectionDto) {
    return this.service.updateInspection(auth, params.id, body);
  }

  @Patch('findings/:id')
  @Audited('finding.update')
  @ApiOperation({ summary: '修改问题 correct a finding (category, description, flags, recurrence-of, found date)' })
  @ZodResponse({ status: 200, type: FindingUpdateResultDto })
  updateFinding(@Auth() auth: Principal, @Param() params: FindingIdParamDto, @Body() body: UpdateFindingDto) {
    return this.service.updateFinding(auth, params.id, body);
  }

  @Patch('tasks/:id')
  @Audited('task.update')
  @ApiOperation({ summary: '修改整改任务 correct a task as entered (measure, department, person, track, original due date); a later due date is an extension' })
  @ZodResponse({ status: 200, type: TaskUpdateResultDto })
  updateTask(@Auth() auth: Principal, @Param() params: TaskRecordIdParamDto, @Body() body: UpdateTaskDto) {
    return this.service.updateTask(auth, params.id, body);
  }

  @Get('records/findings')
  @ApiOperation({ summary: '问题列表 findings from PostgreSQL: search by description and unit, filter by category, round, region; page' })
  @ZodResponse({ status: 200, type: FindingRecordPageDto })
  findings(@Auth() auth: Principal, @Query() query: FindingRecordListQueryDto) {
    return this.service.findings(auth, query);
  }

  @Get('records/findings.csv')
  @ApiOperation({
    summary:
      '问题列表 CSV: every row of GET /api/records/findings under the same parameters (UTF-8 with BOM, Chinese headers); the file named after the filters',
  })
  @Audited('export.record-findings-csv')
  @ApiProduces(CSV_TYPE)
  @ApiOkResponse({ description: 'the finding list as CSV', ...FILE })
  findingsCsv(@Auth() auth: Principal, @Query() query: FindingRecordFileQueryDto) {
    return this.service.findingsFile(auth, query, 'csv');
  }

  @Get('records/findings.xlsx')
  @ApiOperation({ summary: '问题列表 .xlsx: every row of GET /api/records/findings under the same parameters; the file named after the filters' })
  @Audited('export.record-findings-xlsx')
  @ApiProduces(XLSX_TYPE)
  @ApiOkResponse({ description: 'the finding list as a workbook', ...FILE })
  findingsXlsx(@Auth() auth: Principal, @Query() query: FindingRecordFileQueryDto) {
    return this.service.findingsFile(auth, query, 'xlsx');
  }

  @Get('records/units')
  @ApiOperation({ summary: '选择被巡察单位 units whose name or code contains q (20 at most), for the inspection form' })
  @ZodResponse({ status: 200, type: UnitChoicesDto })
  units(@Auth() auth: Principal, @Query() query: UnitLookupQueryDto) {
    return this.service.units(auth, query);
  }
}
