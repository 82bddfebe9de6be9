import { Body, Controller, Delete, Inject, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ZodResponse } from 'nestjs-zod';
import { Audited } from '../auth/access';
import { Actor } from '../auth/actor';
import {
  ChangeTaskStatusDto,
  CreateFindingDto,
  CreateInspectionDto,
  CreateTaskDto,
  DeletedRecordDto,
  ExtendTaskDto,
  FindingIdParamDto,
  FindingRecordDto,
  InspectionIdParamDto,
  InspectionRecordDto,
  TaskNoteDto,
  TaskRecordIdParamDto,
  TaskWriteResultDto,
} from './dto/records.dto';
import { RecordsService } from './records.service';
import { Auth } from '../auth/auth.decorator';
import type { Principal } from '../auth/principal';

@ApiTags('records')
@Controller()
export class RecordsController {
  constructor(@Inject(RecordsService) private readonly service: RecordsService) {}

  @Post('inspections')
  @Audited('inspection.create')
  @ApiOperation({ summary: '新建巡察 record an inspection of a unit in a round' })
  @ZodResponse({ status: 201, type: InspectionRecordDto })
  createInspection(@Auth() auth: Principal, @Body() body: CreateInspectionDto) {
    return this.service.createInspection(auth, body);
  }

  @Delete('inspections/:id')
  @Audited('inspection.delete')
  @ApiOperation({ summary: '删除巡察 soft-delete an inspection (its findings and tasks drop out with it)' })
  @ZodResponse({ status: 200, type: DeletedRecordDto })
  deleteInspection(@Auth() auth: Principal, @Param() params: InspectionIdParamDto) {
    return this.service.deleteInspection(auth, params.id);
  }

  @Post('findings')
  @Audited('finding.create')
  @ApiOperation({ summary: '新建问题 record a finding of an inspection (level-2 category)' })
  @ZodResponse({ status: 201, type: FindingRecordDto })
  createFinding(@Auth() auth: Principal, @Body() body: CreateFindingDto) {
    return this.service.createFinding(auth, body);
  }

  @Delete('findings/:id')
  @Audited('finding.delete')
  @ApiOperation({ summary: '删除问题 soft-delete a finding (its tasks drop out with it)' })
  @ZodResponse({ status: 200, type: DeletedRecordDto })
  deleteFinding(@Auth() auth: Principal, @Param() params: FindingIdParamDto) {
    return this.service.deleteFinding(auth, params.id);
  }

  @Post('tasks')
  @Audited('task.create')
  @ApiOperation({ summary: '新建整改任务 create a rectification task (未开始 NOT_STARTED) with its CREATED event' })
  @ZodResponse({ status: 201, type: TaskWriteResultDto })
  createTask(@Auth() auth: Principal, @Body() body: CreateTaskDto, @Actor() actor: string) {
    return this.service.createTask(auth, body, actor);
  }

  @Delete('tasks/:id')
  @Audited('task.delete')
  @ApiOperation({ summary: '删除整改任务 soft-delete a rectification task' })
  @ZodResponse({ status: 200, type: DeletedRecordDto })
  deleteTask(@Auth() auth: Principal, @Param() params: TaskRecordIdParamDto) {
    return this.service.deleteTask(auth, params.id);
  }

  @Post('tasks/:id/status')
  @Audited('task.status')
  @ApiOperation({ summary: "变更任务状态 change a task's status along the allowed transitions (409 otherwise)" })
  @ZodResponse({ status: 201, type: TaskWriteResultDto })
  changeStatus(@Auth() auth: Principal, @Param() params: TaskRecordIdParamDto, @Body() body: ChangeTaskStatusDto, @Actor() actor: string) {
    return this.service.changeStatus(auth, params.id, body, actor);
  }

  @Post('tasks/:id/extensions')
  @Audited('task.extend')
  @ApiOperation({ summary: "延期 extend a task's due date, with a reason" })
  @ZodResponse({ status: 201, type: TaskWriteResultDto })
  extend(@Auth() auth: Principal, @Param() params: TaskRecordIdParamDto, @Body() body: ExtendTaskDto, @Actor() actor: string) {
    return this.service.extend(auth, params.id, body, actor);
  }

  @Post('tasks/:id/notes')
  @Audited('task.note')
  @ApiOperation({ summary: '进展记录 add a progress note to a task' })
  @ZodResponse({ status: 201, type: TaskWriteResultDto })
  addNote(@Auth() auth: Principal, @Param() params: TaskRecordIdParamDto, @Body() body: TaskNoteDto, @Actor() actor: string) {
    return this.service.addNote(auth, params.id, body, actor);
  }
}
