import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { shanghaiToday } from '@xuncha/shared';
import { CountyScope } from '../auth/county-scope';
import type { Principal } from '../auth/principal';
import { AppError } from '../common/http-exception.filter';
import { TASK_STATUS_LABELS } from '../common/labels';
import { dbDate, isoDay, isoDayOrNull } from '../common/dates';
import type {
  ChangeStatus,
  CreateFinding,
  CreateInspection,
  CreateTask,
  Deleted,
  Extension,
  FindingRecord,
  InspectionRecord,
  ProgressNote,
  TaskEventRecord,
  TaskRecord,
  TaskWrite,
} from './dto/records.dto';
import { RecordsRepository, type Tx } from './records.repository';
import { RoundRules } from './round-rules';
import { isDirectTransition, refusedTransitionMessage } from './task-transitions';
import { effectiveDay, requireReason } from './backdating';

type Row<K extends keyof RecordsRepository> = RecordsRepository[K] extends (...args: never[]) => Promise<infer R> ? NonNullable<R> : never;
type InspectionRow = Row<'createInspection'>;
type FindingRow = Row<'createFinding'>;
type TaskRow = Row<'createTask'>['task'];
type EventRow = Row<'createTask'>['event'];

/** A 400 naming one field, in the error filter's shape. */
function badField(field: string, message: string): AppError {
  return new AppError(HttpStatus.BAD_REQUEST, `${field}: ${message}`, [{ field, message }]);
}

/**
 * Case-record writes: inspections, findings, rectification tasks and their history. Every
 * task write goes into PostgreSQL in one transaction with the TaskEvent that records it;
 * the ETL carries both to ClickHouse.
 */
@Injectable()
export class RecordsService {
  constructor(
    @Inject(RecordsRepository) private readonly repository: RecordsRepository,
    @Inject(CountyScope) private readonly county: CountyScope,
    @Inject(RoundRules) private readonly rounds: RoundRules,
  ) {}

  async createInspection(auth: Principal, input: CreateInspection): Promise<InspectionRecord> {
    // a county user's unit of another county is answered as one that does not exist
    await this.county.check(auth, 'unit', input.unitId, () =>
      badField('unitId', `被巡察单位不存在或已删除 unit ${input.unitId} does not exist or was deleted`),
    );
    const unit = await this.repository.unit(input.unitId);
    if (!unit) throw badField('unitId', `被巡察单位不存在或已删除 unit ${input.unitId} does not exist or was deleted`);
    // the round: of the writer's own committee (403 otherwise), stationed within its dates
    await this.rounds.check(auth, input.roundId, input.stationedFrom);
    if (input.stationedFrom < isoDay(unit.validFrom)) {
      throw badField('unitId', `进驻时该单位尚未设立 unit ${input.unitId} was established on ${isoDay(unit.validFrom)}, after ${input.stationedFrom}`);
    }
    if (unit.validTo && input.stationedFrom > isoDay(unit.validTo)) {
      throw badField('unitId', `进驻时该单位已撤销 unit ${input.unitId} was abolished on ${isoDay(unit.validTo)}, before ${input.stationedFrom}`);
    }
    const row = await this.repository.createInspection({
      roundId: input.roundId,
      unitId: input.unitId,
      team: input.team,
      mode: input.mode,
      isCross: input.isCross,
      isElevated: input.isElevated,
      stationedFrom: dbDate(input.stationedFrom),
      stationedTo: input.stationedTo ? dbDate(input.stationedTo) : null,
      feedbackDate: input.feedbackDate ? dbDate(input.feedbackDate) : null,
    });
    return inspectionView(row);
  }

  async createFinding(auth: Principal, input: CreateFinding): Promise<FindingRecord> {
    await this.county.check(auth, 'inspection', input.inspectionId, () =>
      badField('inspectionId', `巡察不存在或已删除 inspection ${input.inspectionId} does not exist or was deleted`),
    );
    const [inspection, category] = await Promise.all([this.repository.inspection(input.inspectionId), this.repository.category(input.categoryId)]);
    if (!inspection) throw badField('inspectionId', `巡察不存在或已删除 inspection ${input.inspectionId} does not exist or was deleted`);
    if (!category) throw badField('categoryId', `问题类别不存在 category ${input.categoryId} does not exist`);
    if (category.level !== 2) throw badField('categoryId', `问题类别须为二级类别 category ${category.code} is not a level-2 category`);
    const stationed = isoDay(inspection.stationedFrom);
    if (input.foundDate < stationed)
      throw badField('foundDate', `发现日期早于进驻日期 must not be before the inspection's stationing (${input.foundDate} < ${stationed})`);
    const today = shanghaiToday();
    if (input.foundDate > today) throw badField('foundDate', `发现日期不能晚于今天 must not be in the future (${input.foundDate} > ${today})`);
    let recurrenceOfId: bigint | null = null;
    if (input.recurrenceOfId !== undefined && input.recurrenceOfId !== null) {
      const earlier = await this.repository.finding(BigInt(input.recurrenceOfId));
      if (!earlier) throw badField('recurrenceOfId', `复发所指问题不存在或已删除 finding ${input.recurrenceOfId} does not exist or was deleted`);
      if (earlier.unitId !== inspection.unitId) {
        throw badField(
          'recurrenceOfId',
          `复发所指问题须为同一单位的问题 finding ${input.recurrenceOfId} is of another unit (${earlier.unitId}, not ${inspection.unitId})`,
        );
      }
      const earlierFound = isoDay(earlier.foundDate);
      if (earlierFound >= input.foundDate) {
        throw badField(
          'recurrenceOfId',
          `复发所指问题须早于本问题发现 finding ${input.recurrenceOfId} was found on ${earlierFound}, not before ${input.foundDate}`,
        );
      }
      recurrenceOfId = earlier.id;
    }
    const row = await this.repository.createFinding({
      inspectionId: inspection.id,
      unitId: inspection.unitId,
      categoryId: category.id,
      description: input.description,
      isImmediate: input.isImmediate,
      isKeyConcern: input.isKeyConcern,
      recurrenceOfId,
      foundDate: dbDate(input.foundDate),
    });
    return findingView(row);
  }

  async createTask(auth: Principal, input: CreateTask, actor: string): Promise<TaskWrite> {
    await this.county.check(auth, 'finding', input.findingId, () =>
      badField('findingId', `问题不存在或已删除 finding ${input.findingId} does not exist or was deleted`),
    );
    const finding = await this.repository.finding(BigInt(input.findingId));
    if (!finding) throw badField('findingId', `问题不存在或已删除 finding ${input.findingId} does not exist or was deleted`);
    const due = input.originalDueDate ?? null;
    const feedback = isoDayOrNull(finding.inspection.feedbackDate);
    // 立行立改 items may fall due before the formal feedback (as the ETL's validation allows); the others may not.
    if (due && feedback && input.track !== 'IMMEDIATE' && due < feedback) {
      throw badField('originalDueDate', `整改时限早于巡察反馈日期 must not be before the inspection's feedback date (${due} < ${feedback})`);
    }
    // backdating (补录): created on an effective day, not before the finding was found
    const effective = effectiveDay(input, shanghaiToday());
    const found = isoDay(finding.foundDate);
    if (effective.day < found)
      throw badField('effectiveDate', `生效日期早于问题发现日期 must not be before the finding was found (${effective.day} < ${found})`);
    requireReason(effective);
    const written = await this.repository.transaction((tx) =>
      this.repository.createTask(
        tx,
        {
          findingId: finding.id,
          measure: input.measure,
          responsibleDept: input.responsibleDept,
          responsiblePerson: input.responsiblePerson,
          track: input.track,
          originalDueDate: due ? dbDate(due) : null,
        },
        {
          type: 'CREATED',
          eventDate: dbDate(effective.day),
          toStatus: 'NOT_STARTED',
          actor,
          backdated: effective.backdated,
          backdateReason: effective.backdateReason,
        },
      ),
    );
    return writeView(written);
  }

  async changeStatus(auth: Principal, id: number, input: ChangeStatus, actor: string): Promise<TaskWrite> {
    await this.county.check(auth, 'task', id, CountyScope.notFound('整改任务', id));
    if (input.date !== undefined && input.effectiveDate !== undefined && input.date !== input.effectiveDate) {
      throw badField(
        'effectiveDate',
        `date 与 effectiveDate 不一致 date and effectiveDate differ (${input.date} ≠ ${input.effectiveDate}); send effectiveDate only`,
      );
    }
    const field = input.effectiveDate === undefined && input.date !== undefined ? 'date' : 'effectiveDate';
    const effective = effectiveDay(input, shanghaiToday(), field, input.effectiveDate ?? input.date);
    const date = effective.day;
    const written = await this.repository.transaction(async (tx) => {
      const task = await this.lockedTask(tx, id);
      if (!isDirectTransition(task.status, input.status)) throw new AppError(HttpStatus.CONFLICT, refusedTransitionMessage(task.status, input.status));
      await this.notBeforeLastEvent(tx, task.id, date, field);
      requireReason(effective);
      return this.repository.writeTask(
        tx,
        task.id,
        { status: input.status, closedDate: input.status === 'CLOSED' ? dbDate(date) : null },
        {
          type: 'STATUS_CHANGE',
          eventDate: dbDate(date),
          fromStatus: task.status,
          toStatus: input.status,
          note: input.note ?? null,
          actor,
          backdated: effective.backdated,
          backdateReason: effective.backdateReason,
        },
      );
    });
    return writeView(written);
  }

  async extend(auth: Principal, id: number, input: Extension, actor: string): Promise<TaskWrite> {
    await this.county.check(auth, 'task', id, CountyScope.notFound('整改任务', id));
    const effective = effectiveDay(input, shanghaiToday());
    const written = await this.repository.transaction(async (tx) => {
      const task = await this.lockedTask(tx, id);
      if (task.status === 'CLOSED') {
        throw new AppError(HttpStatus.CONFLICT, `已销号的任务不能延期 a ${TASK_STATUS_LABELS.CLOSED} (CLOSED) task cannot be extended (task ${id})`);
      }
      if (task.currentDueDate === null) {
        throw new AppError(HttpStatus.CONFLICT, `该任务没有整改时限，无需延期 task ${id} has no due date to extend (长期坚持 LONG_TERM without a due date)`);
      }
      const current = isoDay(task.currentDueDate);
      if (input.newDueDate <= current)
        throw badField('newDueDate', `新整改时限须晚于当前时限 must be later than the current due date (${input.newDueDate} ≤ ${current})`);
      await this.notBeforeLastEvent(tx, task.id, effective.day, input.effectiveDate === undefined ? 'date' : 'effectiveDate');
      requireReason(effective);
      return this.repository.writeTask(
        tx,
        task.id,
        { currentDueDate: dbDate(input.newDueDate) },
        {
          type: 'EXTENSION',
          eventDate: dbDate(effective.day),
          newDueDate: dbDate(input.newDueDate),
          note: input.reason,
          actor,
          backdated: effective.backdated,
          backdateReason: effective.backdateReason,
        },
      );
    });
    return writeView(written);
  }

  async addNote(auth: Principal, id: number, input: ProgressNote, actor: string): Promise<TaskWrite> {
    await this.county.check(auth, 'task', id, CountyScope.notFound('整改任务', id));
    const today = shanghaiToday();
    const written = await this.repository.transaction(async (tx) => {
      const task = await this.lockedTask(tx, id);
      return this.repository.writeTask(tx, task.id, {}, { type: 'PROGRESS_NOTE', eventDate: dbDate(today), note: input.note, actor });
    });
    return writeView(written);
  }

  async deleteInspection(auth: Principal, id: number): Promise<Deleted> {
    await this.county.check(auth, 'inspection', id, CountyScope.notFound('巡察', id));
    const row = await this.repository.deleteInspection(id);
    if (!row) throw new AppError(HttpStatus.NOT_FOUND, `巡察不存在或已删除 inspection ${id} does not exist or was deleted`);
    return deletedView(row);
  }

  async deleteFinding(auth: Principal, id: number): Promise<Deleted> {
    await this.county.check(auth, 'finding', id, CountyScope.notFound('问题', id));
    const row = await this.repository.deleteFinding(BigInt(id));
    if (!row) throw new AppError(HttpStatus.NOT_FOUND, `问题不存在或已删除 finding ${id} does not exist or was deleted`);
    return deletedView(row);
  }

  async deleteTask(auth: Principal, id: number): Promise<Deleted> {
    await this.county.check(auth, 'task', id, CountyScope.notFound('整改任务', id));
    const row = await this.repository.deleteTask(BigInt(id));
    if (!row) throw new AppError(HttpStatus.NOT_FOUND, `整改任务不存在或已删除 task ${id} does not exist or was deleted`);
    return deletedView(row);
  }

  private async lockedTask(tx: Tx, id: number): Promise<TaskRow> {
    const task = await this.repository.lockTask(tx, BigInt(id));
    if (!task) throw new AppError(HttpStatus.NOT_FOUND, `整改任务不存在或已删除 task ${id} does not exist or was deleted`);
    return task;
  }

  /** History is in date order: a new event may not be dated before the task's last one. */
  private async notBeforeLastEvent(tx: Tx, taskId: bigint, date: string, field: string): Promise<void> {
    const last = await this.repository.lastEventDate(tx, taskId);
    if (last && date < isoDay(last)) {
      throw badField(field, `日期早于该任务最近一次记录 must not be before the task's last event (${date} < ${isoDay(last)})`);
    }
  }
}

function inspectionView(row: InspectionRow): InspectionRecord {
  return {
    id: row.id,
    roundId: row.roundId,
    unitId: row.unitId,
    team: row.team,
    mode: row.mode,
    isCross: row.isCross,
    isElevated: row.isElevated,
    stationedFrom: isoDay(row.stationedFrom),
    stationedTo: isoDayOrNull(row.stationedTo),
    feedbackDate: isoDayOrNull(row.feedbackDate),
  };
}

function findingView(row: FindingRow): FindingRecord {
  return {
    id: Number(row.id),
    inspectionId: row.inspectionId,
    unitId: row.unitId,
    categoryId: row.categoryId,
    description: row.description,
    isImmediate: row.isImmediate,
    isKeyConcern: row.isKeyConcern,
    recurrenceOfId: row.recurrenceOfId === null ? null : Number(row.recurrenceOfId),
    foundDate: isoDay(row.foundDate),
  };
}

export function taskView(row: TaskRow): TaskRecord {
  return {
    id: Number(row.id),
    findingId: Number(row.findingId),
    measure: row.measure,
    responsibleDept: row.responsibleDept,
    responsiblePerson: row.responsiblePerson,
    track: row.track,
    originalDueDate: isoDayOrNull(row.originalDueDate),
    currentDueDate: isoDayOrNull(row.currentDueDate),
    status: row.status,
    closedDate: isoDayOrNull(row.closedDate),
  };
}

export function eventView(row: EventRow): TaskEventRecord {
  return {
    id: Number(row.id),
    taskId: Number(row.taskId),
    type: row.type,
    eventDate: isoDay(row.eventDate),
    fromStatus: row.fromStatus,
    toStatus: row.toStatus,
    newDueDate: isoDayOrNull(row.newDueDate),
    note: row.note,
    actor: row.actor,
    occurredAt: row.occurredAt.toISOString(),
    backdated: row.backdated,
    backdateReason: row.backdateReason,
  };
}

export function writeView(written: { task: TaskRow; event: EventRow }): TaskWrite {
  return { task: taskView(written.task), event: eventView(written.event) };
}

function deletedView(row: { id: number | bigint; deletedAt: Date | null }): Deleted {
  return { id: Number(row.id), deletedAt: (row.deletedAt ?? new Date()).toISOString() };
}
