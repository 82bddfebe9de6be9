import type { Caller } from '../auth/principal';
import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { agingWindowOf, type AgingBucket, type InspectionMode, type TaskStatus, type UnitCategory } from '../common/filters';
import { AppError } from '../common/http-exception.filter';
import { CountyScope } from '../auth/county-scope';
import { ScopeService } from '../dimensions/scope.service';
import type { Dimensions } from '../dimensions/dimensions.repository';
import { count } from '../metrics/metrics.repository';
import { isoDay, isoDayOrNull } from '../common/dates';
import { DIRECT_TRANSITIONS, mayApplyForClosure } from '../records/task-transitions';
import { DrillRepository } from './drill.repository';
import type { TaskListRow } from './drill.queries';
import type { FindingListQuery, TaskListQuery } from './dto/drill.dto';

type Track = 'IMMEDIATE' | 'DEADLINE' | 'LONG_TERM';

/** The most tasks a search may find (a list of ids handed to the warehouse). */
const SEARCH_LIMIT = 20_000;

function agingBucket(daysOverdue: number): AgingBucket | null {
  return agingWindowOf(daysOverdue)?.bucket ?? null;
}

/** The drill-down lists and one task's full record. */
@Injectable()
export class DrillService {
  constructor(
    @Inject(DrillRepository) private readonly repository: DrillRepository,
    @Inject(ScopeService) private readonly scopes: ScopeService,
    @Inject(CountyScope) private readonly county: CountyScope,
  ) {}

  private scope(auth: Caller, input: TaskListQuery | FindingListQuery) {
    return this.scopes.resolve(auth, input);
  }

  /** A search (q) resolved in PostgreSQL to the tasks it finds; the warehouse list keeps only those. */
  private async searched(query: TaskListQuery): Promise<TaskListQuery & { searchIds?: string[] }> {
    if (query.q === undefined) return query;
    const ids = await this.repository.searchTaskIds(query.q, SEARCH_LIMIT + 1);
    if (ids.length > SEARCH_LIMIT) {
      const message = `搜索结果超过 ${SEARCH_LIMIT} 条，请输入更具体的关键词 more than ${SEARCH_LIMIT} tasks match; search for something more specific`;
      throw new AppError(HttpStatus.BAD_REQUEST, `q: ${message}`, [{ field: 'q', message }]);
    }
    return { ...query, searchIds: ids.length > 0 ? ids : ['0'] };
  }

  private names(dims: Dimensions) {
    const regions = new Map(dims.regions.map((r) => [r.id, r.name]));
    const categories = new Map(dims.categories.map((c) => [c.id, c.name]));
    return { region: (id: number) => regions.get(id) ?? '', category: (id: number) => categories.get(id) ?? '' };
  }

  async tasks(auth: Caller, input: TaskListQuery) {
    const query = await this.searched(input);
    const { scope, dims, current } = await this.scope(auth, query);
    const { total, rows } = await this.repository.tasks(scope, query, current);
    return { asOf: scope.asOf, total, page: query.page, pageSize: query.pageSize, rows: await this.taskRows(rows, dims) };
  }

  /**
   * For exports: the whole task list, read once for its ids in order, then a chunk of rows
   * at a time by id (instead of page after page, each evaluating the list again).
   */
  async taskChunks(auth: Caller, input: TaskListQuery, options: { descriptions?: boolean } = {}) {
    const query = await this.searched(input);
    const { scope, dims, current } = await this.scope(auth, query);
    const ids = await this.repository.taskIds(scope, query, current);
    return {
      asOf: scope.asOf,
      total: ids.length,
      chunk: async (from: number, size: number) =>
        this.taskRows(await this.repository.tasksByIds(scope, query, current, ids.slice(from, from + size)), dims, options.descriptions),
    };
  }

  /** The list's rows from the warehouse's, with their texts (and with `descriptions`, the findings'). */
  private async taskRows(rows: TaskListRow[], dims: Dimensions, descriptions = false) {
    const texts = await this.repository.taskTexts(
      rows.map((r) => r.id),
      descriptions,
    );
    const names = this.names(dims);
    return rows.map((r) => {
      const daysOverdue = count(r.days_overdue);
      const text = texts.get(r.id);
      return {
        id: count(r.id),
        findingId: count(r.finding_id),
        unitId: r.unit_id,
        unitName: text?.unitName ?? '',
        unitCategory: r.unit_category as UnitCategory,
        regionId: r.region_id,
        countyId: r.county_id,
        countyName: names.region(r.county_id),
        categoryId: r.category_id,
        categoryName: names.category(r.category_id),
        category1Id: r.category1_id,
        mode: r.mode as InspectionMode,
        track: r.track as Track,
        measure: text?.measure ?? '',
        responsibleDept: r.responsible_dept,
        responsiblePerson: text?.responsiblePerson ?? '',
        status: r.status as TaskStatus,
        originalDueDate: r.original_due_date,
        dueDate: r.due,
        closedDate: r.closed_date,
        feedbackDate: r.feedback_date,
        extended: r.due !== null && r.original_due_date !== null && r.due > r.original_due_date,
        daysOverdue,
        agingBucket: agingBucket(daysOverdue),
        ...(descriptions ? { description: text?.description ?? '' } : {}),
      };
    });
  }

  async findings(auth: Caller, query: FindingListQuery) {
    const { scope, dims, current } = await this.scope(auth, query);
    const { total, rows } = await this.repository.findings(scope, query, current);
    const texts = await this.repository.findingTexts(rows.map((r) => r.id));
    const names = this.names(dims);
    return {
      asOf: scope.asOf,
      total,
      page: query.page,
      pageSize: query.pageSize,
      rows: rows.map((r) => ({
        id: count(r.id),
        inspectionId: r.inspection_id,
        unitId: r.unit_id,
        unitName: texts.get(r.id)?.unitName ?? '',
        unitCategory: r.unit_category as UnitCategory,
        countyId: r.county_id,
        countyName: names.region(r.county_id),
        categoryId: r.category_id,
        categoryName: names.category(r.category_id),
        category1Id: r.category1_id,
        mode: r.mode as InspectionMode,
        roundId: r.round_id,
        description: texts.get(r.id)?.description ?? '',
        isImmediate: r.is_immediate === 1,
        foundDate: r.found_date,
        feedbackDate: r.feedback_date,
        tasks: count(r.task_count),
        tasksClosed: count(r.closed_count),
        closed: r.closed === 1,
        closureDate: r.closure_day,
      })),
    };
  }

  async task(auth: Caller, id: number) {
    await this.county.check(auth, 'task', id, () => new AppError(404, `整改任务不存在 No rectification task with id ${id}`));
    const task = await this.repository.taskDetail(BigInt(id));
    if (!task) throw new AppError(404, `整改任务不存在 No rectification task with id ${id}`);
    const { finding } = task;
    const { inspection, unit } = finding;
    const names = await this.repository.actorNames(task.events.map((e) => e.actor).filter((a): a is string => a !== null));
    return {
      task: {
        id: Number(task.id),
        measure: task.measure,
        responsibleDept: task.responsibleDept,
        responsiblePerson: task.responsiblePerson,
        track: task.track,
        status: task.status,
        originalDueDate: isoDayOrNull(task.originalDueDate),
        currentDueDate: isoDayOrNull(task.currentDueDate),
        closedDate: isoDayOrNull(task.closedDate),
        nextStatuses: [...DIRECT_TRANSITIONS[task.status]],
        mayApplyForClosure: mayApplyForClosure(task.status, task.status === 'CLOSE_REQUESTED' && (await this.repository.hasPendingClosure(task.id))),
      },
      finding: {
        id: Number(finding.id),
        description: finding.description,
        categoryId: finding.categoryId,
        categoryCode: finding.category.code,
        categoryName: finding.category.name,
        isImmediate: finding.isImmediate,
        isKeyConcern: finding.isKeyConcern,
        foundDate: isoDay(finding.foundDate),
        recurrenceOfId: finding.recurrenceOfId === null ? null : Number(finding.recurrenceOfId),
      },
      inspection: {
        id: inspection.id,
        roundId: inspection.roundId,
        roundName: inspection.round.name,
        team: inspection.team,
        mode: inspection.mode,
        stationedFrom: isoDay(inspection.stationedFrom),
        stationedTo: isoDayOrNull(inspection.stationedTo),
        feedbackDate: isoDayOrNull(inspection.feedbackDate),
      },
      unit: { id: unit.id, code: unit.code, name: unit.name, category: unit.category, regionId: unit.regionId, regionName: unit.region.name },
      events: task.events.map((e) => ({
        id: Number(e.id),
        type: e.type,
        eventDate: isoDay(e.eventDate),
        fromStatus: e.fromStatus,
        toStatus: e.toStatus,
        newDueDate: isoDayOrNull(e.newDueDate),
        note: e.note,
        actor: e.actor,
        actorName: e.actor === null ? null : (names.get(e.actor) ?? null),
        occurredAt: e.occurredAt.toISOString(),
        backdated: e.backdated,
        backdateReason: e.backdateReason,
      })),
    };
  }
}
