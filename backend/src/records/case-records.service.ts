import { HttpStatus, Inject, Injectable, type StreamableFile } from '@nestjs/common';
import { type Prisma } from '@xuncha/prisma';
import { shanghaiToday } from '@xuncha/shared';
import { CountyScope } from '../auth/county-scope';
import type { Principal } from '../auth/principal';
import { AppError } from '../common/http-exception.filter';
import { dbDate, isoDay, isoDayOrNull } from '../common/dates';
import { csvListFile, listPages, xlsxListFile } from '../files/list-file';
import { CaseRecordsRepository, type FindingRowSql, type InspectionRowSql } from './case-records.repository';
import type {
  Change,
  EarlierFindings,
  FindingRecordFileQuery,
  FindingRecordListQuery,
  FindingRecordPage,
  FindingRow,
  InspectionDetail,
  InspectionFileQuery,
  InspectionListQuery,
  InspectionPage,
  InspectionRow,
  UnitChoices,
  UnitLookupQuery,
  UpdateFinding,
  UpdateInspection,
  UpdateTask,
} from './dto/case-records.dto';
import type { FindingRecord, InspectionRecord, TaskRecord } from './dto/records.dto';
import { FINDING_LIST_COLUMNS, findingListFileName, INSPECTION_LIST_COLUMNS, inspectionListFileName } from './record-list-files';
import { RecordsRepository } from './records.repository';
import { badField, RoundRules } from './round-rules';

type Scalar = string | number | boolean | null;

/** The fields whose values differ between `before` and `after`, in `after`'s order. */
export function changesBetween(before: Record<string, Scalar>, after: Record<string, Scalar>): Change[] {
  return Object.keys(after)
    .filter((field) => before[field] !== after[field])
    .map((field) => ({ field, before: before[field], after: after[field] }));
}

const notFound = (what: string, english: string, id: number | bigint) => () =>
  new AppError(HttpStatus.NOT_FOUND, `${what}不存在或已删除 ${english} ${id} does not exist or was deleted`);

/**
 * The case-record pages: lists and one inspection with its findings and tasks, read from
 * PostgreSQL within the reader's county; and corrections of inspections, findings and tasks
 * (PATCH), each answering the fields it changed with their before and after values, which
 * the audit log keeps. A correction of a task's due date fixes what was entered; a due date
 * agreed later is a 延期 (extension) with its reason.
 */
@Injectable()
export class CaseRecordsService {
  /** Rows per read of a list downloaded whole (tests lower it to cross page boundaries). */
  fileChunk = 5_000;

  constructor(
    @Inject(CaseRecordsRepository) private readonly repository: CaseRecordsRepository,
    @Inject(RecordsRepository) private readonly records: RecordsRepository,
    @Inject(CountyScope) private readonly county: CountyScope,
    @Inject(RoundRules) private readonly rounds: RoundRules,
  ) {}

  // --- reads --------------------------------------------------------------------------

  async inspections(auth: Principal, query: InspectionListQuery): Promise<InspectionPage> {
    const { total, rows } = await this.repository.inspections(query, this.county.limit(auth));
    return { total, page: query.page, pageSize: query.pageSize, rows: rows.map(inspectionRowView) };
  }

  async findings(auth: Principal, query: FindingRecordListQuery): Promise<FindingRecordPage> {
    const { total, rows } = await this.repository.findings(query, this.county.limit(auth));
    return { total, page: query.page, pageSize: query.pageSize, rows: rows.map(findingRowView) };
  }

  /** Every row of the 巡察 list under the same parameters, as CSV or .xlsx; the file named after the filters. */
  async inspectionsFile(auth: Principal, query: InspectionFileQuery, format: 'csv' | 'xlsx'): Promise<StreamableFile> {
    const county = this.county.limit(auth);
    const read = async (page: number) => {
      const { total, rows } = await this.repository.inspections({ ...query, page, pageSize: this.fileChunk }, county);
      return { total, rows: rows.map(inspectionRowView) };
    };
    const first = await read(1);
    const names = await this.repository.filterNames(query, county);
    const today = shanghaiToday();
    const name = inspectionListFileName(query, names, today, format);
    const ascii = `inspections-${today}.${format}`;
    const pages = listPages(first, read, this.fileChunk);
    if (format === 'csv') return csvListFile(INSPECTION_LIST_COLUMNS, pages, ascii, name);
    return xlsxListFile(INSPECTION_LIST_COLUMNS, pages, first.rows, { title: '巡察列表', asOf: today, reportingUnit: names.reportingUnit, ascii, name });
  }

  /** Every row of the 问题 list under the same parameters, as CSV or .xlsx; the file named after the filters. */
  async findingsFile(auth: Principal, query: FindingRecordFileQuery, format: 'csv' | 'xlsx'): Promise<StreamableFile> {
    const county = this.county.limit(auth);
    const read = async (page: number) => {
      const { total, rows } = await this.repository.findings({ ...query, page, pageSize: this.fileChunk }, county);
      return { total, rows: rows.map(findingRowView) };
    };
    const first = await read(1);
    const names = await this.repository.filterNames(query, county);
    const today = shanghaiToday();
    const name = findingListFileName(query, names, today, format);
    const ascii = `findings-${today}.${format}`;
    const pages = listPages(first, read, this.fileChunk);
    if (format === 'csv') return csvListFile(FINDING_LIST_COLUMNS, pages, ascii, name);
    return xlsxListFile(FINDING_LIST_COLUMNS, pages, first.rows, { title: '问题列表', asOf: today, reportingUnit: names.reportingUnit, ascii, name });
  }

  async inspection(auth: Principal, id: number): Promise<InspectionDetail> {
    const row = await this.repository.inspection(id, this.county.limit(auth));
    if (!row) throw notFound('巡察', 'inspection', id)();
    const findings = await this.repository.findingsOf(id);
    const tasks = await this.repository.tasksOf(findings.map((f) => f.id));
    return {
      inspection: inspectionRowView(row),
      roundStartDate: row.round_start,
      roundEndDate: row.round_end,
      findings: findings.map((f) => ({ ...findingRowView(f), taskList: tasks.filter((k) => k.findingId === f.id).map(taskView) })),
    };
  }

  async earlierFindings(auth: Principal, id: number): Promise<EarlierFindings> {
    const row = await this.repository.inspection(id, this.county.limit(auth));
    if (!row) throw notFound('巡察', 'inspection', id)();
    const rows = await this.repository.earlierFindings(row.unit_id, id, row.stationed_from);
    return {
      rows: rows.map((r) => ({
        id: Number(r.id),
        inspectionId: r.inspection_id,
        roundName: r.round_name,
        foundDate: r.found_date,
        categoryName: r.category_name,
        description: r.description,
        closed: r.closed,
      })),
    };
  }

  async units(auth: Principal, query: UnitLookupQuery): Promise<UnitChoices> {
    const rows = await this.repository.units(query.q, this.county.limit(auth));
    return {
      total: rows.length,
      rows: rows.map((r) => ({ id: r.id, code: r.code, name: r.name, countyName: r.county_name, validFrom: r.valid_from, validTo: r.valid_to })),
    };
  }

  // --- corrections ----------------------------------------------------------------------

  async updateInspection(auth: Principal, id: number, input: UpdateInspection): Promise<{ record: InspectionRecord; changes: Change[] }> {
    await this.county.check(auth, 'inspection', id, notFound('巡察', 'inspection', id));
    const current = await this.repository.inspectionRow(id);
    if (!current) throw notFound('巡察', 'inspection', id)();
    const before = inspectionRecord(current);
    const after: InspectionRecord = {
      ...before,
      ...definedOf(input),
      stationedTo: input.stationedTo === undefined ? before.stationedTo : input.stationedTo,
      feedbackDate: input.feedbackDate === undefined ? before.feedbackDate : input.feedbackDate,
    };
    const changes = changesBetween(before, after);
    if (changes.length === 0) return { record: before, changes };
    const changed = new Set(changes.map((c) => c.field));

    if (after.stationedTo && after.stationedTo < after.stationedFrom) {
      throw badField(
        changed.has('stationedTo') ? 'stationedTo' : 'stationedFrom',
        `进驻结束日期早于进驻日期 must not be before stationedFrom (${after.stationedTo} < ${after.stationedFrom})`,
      );
    }
    if (after.feedbackDate && after.feedbackDate < after.stationedFrom) {
      throw badField(
        changed.has('feedbackDate') ? 'feedbackDate' : 'stationedFrom',
        `反馈日期早于进驻日期 must not be before stationedFrom (${after.feedbackDate} < ${after.stationedFrom})`,
      );
    }
    const bounds = await this.repository.findingBounds(id);
    if (changed.has('unitId')) {
      await this.county.check(auth, 'unit', after.unitId, () =>
        badField('unitId', `被巡察单位不存在或已删除 unit ${after.unitId} does not exist or was deleted`),
      );
      if (!(await this.records.unit(after.unitId))) throw badField('unitId', `被巡察单位不存在或已删除 unit ${after.unitId} does not exist or was deleted`);
      if (bounds.linked)
        throw badField(
          'unitId',
          `该巡察的问题已与其他问题建立复发关联，不能更换被巡察单位 findings of this inspection are linked as recurrences; unlink them before changing the unit`,
        );
    }
    if (changed.has('unitId') || changed.has('stationedFrom')) {
      const unit = await this.records.unit(after.unitId);
      if (unit && after.stationedFrom < isoDay(unit.validFrom))
        throw badField('unitId', `进驻时该单位尚未设立 unit ${after.unitId} was established on ${isoDay(unit.validFrom)}, after ${after.stationedFrom}`);
      if (unit?.validTo && after.stationedFrom > isoDay(unit.validTo))
        throw badField('unitId', `进驻时该单位已撤销 unit ${after.unitId} was abolished on ${isoDay(unit.validTo)}, before ${after.stationedFrom}`);
    }
    if (changed.has('roundId') || changed.has('stationedFrom')) await this.rounds.check(auth, after.roundId, after.stationedFrom);
    if (changed.has('stationedFrom') && bounds.first_found && bounds.first_found < after.stationedFrom) {
      throw badField(
        'stationedFrom',
        `该巡察已有早于此日发现的问题（${bounds.first_found}） a finding of this inspection was found on ${bounds.first_found}, before ${after.stationedFrom}`,
      );
    }
    if (changed.has('feedbackDate') && after.feedbackDate) {
      const deadline = await this.repository.earliestDeadline(id);
      if (deadline && deadline < after.feedbackDate) {
        throw badField(
          'feedbackDate',
          `该巡察有整改时限早于此反馈日期的任务（${deadline}） a task of this inspection falls due on ${deadline}, before the feedback date ${after.feedbackDate}`,
        );
      }
    }
    const data: Prisma.InspectionUncheckedUpdateInput = {};
    for (const field of changed) {
      const value = after[field as keyof InspectionRecord];
      (data as Record<string, unknown>)[field] = ['stationedFrom', 'stationedTo', 'feedbackDate'].includes(field)
        ? value === null
          ? null
          : dbDate(value as string)
        : value;
    }
    const row = await this.repository.updateInspection(id, data);
    return { record: inspectionRecord(row), changes };
  }

  async updateFinding(auth: Principal, id: number, input: UpdateFinding): Promise<{ record: FindingRecord; changes: Change[] }> {
    await this.county.check(auth, 'finding', id, notFound('问题', 'finding', id));
    const current = await this.repository.findingRow(BigInt(id));
    if (!current) throw notFound('问题', 'finding', id)();
    const before = findingRecord(current);
    const after: FindingRecord = {
      ...before,
      ...definedOf(input),
      recurrenceOfId: input.recurrenceOfId === undefined ? before.recurrenceOfId : input.recurrenceOfId,
    };
    const changes = changesBetween(before, after);
    if (changes.length === 0) return { record: before, changes };
    const changed = new Set(changes.map((c) => c.field));

    if (changed.has('categoryId')) {
      const category = await this.records.category(after.categoryId);
      if (!category) throw badField('categoryId', `问题类别不存在 category ${after.categoryId} does not exist`);
      if (category.level !== 2) throw badField('categoryId', `问题类别须为二级类别 category ${category.code} is not a level-2 category`);
    }
    if (changed.has('foundDate')) {
      const stationed = isoDay(current.inspection.stationedFrom);
      if (after.foundDate < stationed)
        throw badField('foundDate', `发现日期早于进驻日期 must not be before the inspection's stationing (${after.foundDate} < ${stationed})`);
      const today = shanghaiToday();
      if (after.foundDate > today) throw badField('foundDate', `发现日期不能晚于今天 must not be in the future (${after.foundDate} > ${today})`);
      if (await this.repository.laterRecurrenceFoundBy(current.id, after.foundDate)) {
        throw badField(
          'foundDate',
          `已有问题作为本问题的复发记录，发现日期须早于其发现日期 a finding recorded as a recurrence of this one was found on or before ${after.foundDate}`,
        );
      }
    }
    if ((changed.has('recurrenceOfId') || changed.has('foundDate')) && after.recurrenceOfId !== null) {
      if (after.recurrenceOfId === after.id) throw badField('recurrenceOfId', `问题不能是自身的复发 a finding cannot recur itself`);
      const earlier = await this.records.finding(BigInt(after.recurrenceOfId));
      if (!earlier) throw badField('recurrenceOfId', `复发所指问题不存在或已删除 finding ${after.recurrenceOfId} does not exist or was deleted`);
      if (earlier.unitId !== current.unitId) {
        throw badField(
          'recurrenceOfId',
          `复发所指问题须为同一单位的问题 finding ${after.recurrenceOfId} is of another unit (${earlier.unitId}, not ${current.unitId})`,
        );
      }
      const earlierFound = isoDay(earlier.foundDate);
      if (earlierFound >= after.foundDate) {
        throw badField(
          changed.has('recurrenceOfId') ? 'recurrenceOfId' : 'foundDate',
          `复发所指问题须早于本问题发现 finding ${after.recurrenceOfId} was found on ${earlierFound}, not before ${after.foundDate}`,
        );
      }
    }
    const data: Prisma.FindingUncheckedUpdateInput = {};
    for (const field of changed) {
      const value = after[field as keyof FindingRecord];
      (data as Record<string, unknown>)[field] =
        field === 'foundDate' ? dbDate(value as string) : field === 'recurrenceOfId' ? (value === null ? null : BigInt(value)) : value;
    }
    const row = await this.repository.updateFinding(current.id, data);
    return { record: findingRecord(row), changes };
  }

  async updateTask(auth: Principal, id: number, input: UpdateTask): Promise<{ record: TaskRecord; changes: Change[] }> {
    await this.county.check(auth, 'task', id, notFound('整改任务', 'task', id));
    const current = await this.repository.taskRow(BigInt(id));
    if (!current) throw notFound('整改任务', 'task', id)();
    const before = taskView(current);
    const originalDueDate = input.originalDueDate === undefined ? before.originalDueDate : input.originalDueDate;
    const extended = await this.repository.extended(current.id);
    // never extended: the current due date is the original one and follows its correction;
    // extended: the extension stands, and the original may not be corrected past it
    const after: TaskRecord = { ...before, ...definedOf(input), originalDueDate, currentDueDate: extended ? before.currentDueDate : originalDueDate };
    const changes = changesBetween(before, after);
    if (changes.length === 0) return { record: before, changes };
    const changed = new Set(changes.map((c) => c.field));

    if (after.track !== 'LONG_TERM' && !after.originalDueDate) {
      throw badField('originalDueDate', '整改时限必填（长期坚持除外） is required unless track is LONG_TERM');
    }
    const feedback = isoDayOrNull(current.finding.inspection.feedbackDate);
    if (after.originalDueDate && feedback && after.track !== 'IMMEDIATE' && after.originalDueDate < feedback) {
      throw badField('originalDueDate', `整改时限早于巡察反馈日期 must not be before the inspection's feedback date (${after.originalDueDate} < ${feedback})`);
    }
    if (extended && changed.has('originalDueDate')) {
      if (!after.originalDueDate)
        throw badField('originalDueDate', '该任务已延期，原整改时限不能清空 the task was extended; its original due date cannot be removed');
      if (after.currentDueDate && after.originalDueDate > after.currentDueDate) {
        throw badField(
          'originalDueDate',
          `该任务已延期至 ${after.currentDueDate}，原整改时限不能晚于它 the task was extended to ${after.currentDueDate}; the original due date cannot be later`,
        );
      }
    }
    const data: Prisma.RectificationTaskUncheckedUpdateInput = {};
    for (const field of changed) {
      const value = after[field as keyof TaskRecord];
      (data as Record<string, unknown>)[field] =
        field === 'originalDueDate' || field === 'currentDueDate' ? (value === null ? null : dbDate(value as string)) : value;
    }
    const row = await this.repository.updateTask(current.id, data);
    return { record: taskView(row), changes };
  }
}

/** The fields given (a PATCH leaves out what it does not change). */
function definedOf<T extends Record<string, unknown>>(input: T): Partial<T> {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function inspectionRowView(row: InspectionRowSql): InspectionRow {
  return {
    id: row.id,
    roundId: row.round_id,
    unitId: row.unit_id,
    team: row.team,
    mode: row.mode,
    isCross: row.is_cross,
    isElevated: row.is_elevated,
    stationedFrom: row.stationed_from,
    stationedTo: row.stationed_to,
    feedbackDate: row.feedback_date,
    roundName: row.round_name,
    committeeRegionId: row.committee_region_id,
    unitCode: row.unit_code,
    unitName: row.unit_name,
    countyId: row.county_id,
    countyName: row.county_name,
    findings: row.findings,
    tasks: row.tasks,
  };
}

function findingRowView(row: FindingRowSql): FindingRow {
  return {
    id: Number(row.id),
    inspectionId: row.inspection_id,
    unitId: row.unit_id,
    categoryId: row.category_id,
    description: row.description,
    isImmediate: row.is_immediate,
    isKeyConcern: row.is_key_concern,
    recurrenceOfId: row.recurrence_of_id === null ? null : Number(row.recurrence_of_id),
    foundDate: row.found_date,
    unitCode: row.unit_code,
    unitName: row.unit_name,
    countyName: row.county_name,
    roundId: row.round_id,
    roundName: row.round_name,
    categoryCode: row.category_code,
    categoryName: row.category_name,
    parentCategoryName: row.parent_category_name,
    tasks: row.tasks,
  };
}

function inspectionRecord(row: {
  id: number;
  roundId: number;
  unitId: number;
  team: string;
  mode: InspectionRecord['mode'];
  isCross: boolean;
  isElevated: boolean;
  stationedFrom: Date;
  stationedTo: Date | null;
  feedbackDate: Date | null;
}): InspectionRecord {
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

function findingRecord(row: {
  id: bigint;
  inspectionId: number;
  unitId: number;
  categoryId: number;
  description: string;
  isImmediate: boolean;
  isKeyConcern: boolean;
  recurrenceOfId: bigint | null;
  foundDate: Date;
}): FindingRecord {
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

function taskView(row: {
  id: bigint;
  findingId: bigint;
  measure: string;
  responsibleDept: string;
  responsiblePerson: string;
  track: TaskRecord['track'];
  originalDueDate: Date | null;
  currentDueDate: Date | null;
  status: TaskRecord['status'];
  closedDate: Date | null;
}): TaskRecord {
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
