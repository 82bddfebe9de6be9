import { Inject, Injectable } from '@nestjs/common';
import type { Db } from '@xuncha/prisma';
import type { Warehouse } from '@xuncha/etl';
import { APP_CONFIG, PRISMA, WAREHOUSE } from '../infra/tokens';
import type { AppConfig } from '../config/app-config';
import type { Scope } from '../dimensions/scope';
import type { SqlQuery } from '../metrics/metrics.queries';
import type { FindingListQuery, TaskListQuery } from './dto/drill.dto';
import {
  buildFindingListQuery,
  buildTaskListQuery,
  listsOpenFindings,
  type FindingListRow,
  type FindingPageRow,
  type TaskListRow,
  type TaskPageRow,
} from './drill.queries';

/** The lists' reads: ids and figures from ClickHouse, texts from PostgreSQL. */
export interface TaskTexts {
  id: string;
  measure: string;
  responsiblePerson: string;
  unitName: string;
  /** Only when asked for. */
  description?: string;
}

export interface FindingTexts {
  id: string;
  description: string;
  unitName: string;
}

@Injectable()
export class DrillRepository {
  constructor(
    @Inject(WAREHOUSE) private readonly warehouse: Warehouse,
    @Inject(PRISMA) private readonly prisma: Db,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** One page and the total (the rows its LIMIT chose from, counted in the same pass). */
  private async page<T>(sql: SqlQuery): Promise<{ total: number; rows: T[] }> {
    const { rows, rowsBeforeLimit } = await this.warehouse.queryPage<T>(sql.query, sql.params);
    return { total: rowsBeforeLimit, rows };
  }

  /** A page of tasks: its ids and the total from the columns the filters and the order need, then their rows. */
  async tasks(scope: Scope, query: TaskListQuery, current: boolean): Promise<{ total: number; rows: TaskListRow[] }> {
    const { total, rows: page } = await this.page<TaskPageRow>(buildTaskListQuery(scope, query, current, undefined, this.config.warningDays));
    if (page.length === 0) return { total, rows: [] };
    const sql = buildTaskListQuery(
      scope,
      query,
      current,
      page.map((r) => r.id),
      this.config.warningDays,
    );
    const rows = await this.warehouse.query<TaskListRow>(sql.query, sql.params);
    return { total, rows };
  }

  /**
   * For exports: every id of the task list in its order, in one read
   * of the few columns the filters and the order need.
   */
  async taskIds(scope: Scope, query: TaskListQuery, current: boolean): Promise<string[]> {
    const sql = buildTaskListQuery(scope, query, current, undefined, this.config.warningDays);
    const rows = await this.warehouse.query<TaskPageRow>(sql.query, { ...sql.params, limit: 4_000_000_000, offset: 0 });
    return rows.map((r) => r.id);
  }

  /** The rows of these tasks (read by their primary key), in the list's order. */
  async tasksByIds(scope: Scope, query: TaskListQuery, current: boolean, ids: readonly string[]): Promise<TaskListRow[]> {
    if (ids.length === 0) return [];
    const sql = buildTaskListQuery(scope, query, current, ids, this.config.warningDays);
    return this.warehouse.query<TaskListRow>(sql.query, sql.params);
  }

  /** A page of findings; from the open findings, its ids and the total first, then their rows. */
  async findings(scope: Scope, query: FindingListQuery, current: boolean): Promise<{ total: number; rows: FindingListRow[] }> {
    if (!listsOpenFindings(query, current)) return this.page<FindingListRow>(buildFindingListQuery(scope, query, current));
    const { total, rows: page } = await this.page<FindingPageRow>(buildFindingListQuery(scope, query, current));
    if (page.length === 0) return { total, rows: [] };
    const sql = buildFindingListQuery(
      scope,
      query,
      current,
      page.map((r) => r.id),
    );
    const rows = await this.warehouse.query<FindingListRow>(sql.query, sql.params);
    return { total, rows };
  }

  /**
   * What a task list shows beside the warehouse's rows, from PostgreSQL in one query per
   * list page: each task's measure, responsible person and unit name (its finding's unit),
   * and with `descriptions` its finding's description, by task id (as strings).
   */
  /**
   * 搜索: the live tasks whose number is `q`, or whose unit's name, responsible person or
   * department contains it (case-insensitive), at most `limit` of them.
   */
  async searchTaskIds(q: string, limit: number): Promise<string[]> {
    const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const rows = await this.prisma.$queryRawUnsafe<{ id: string }[]>(
      `SELECT t.id::text AS id
         FROM rectification_tasks t
         JOIN findings f ON f.id = t.finding_id
         JOIN org_units u ON u.id = f.unit_id
        WHERE t.deleted_at IS NULL
          AND (t.id::text = $1 OR u.name ILIKE $2 OR t.responsible_person ILIKE $2 OR t.responsible_dept ILIKE $2)
        LIMIT $3`,
      q.replace(/^#/, ''),
      pattern,
      limit,
    );
    return rows.map((r) => r.id);
  }

  async taskTexts(ids: readonly (bigint | string)[], descriptions = false): Promise<Map<string, TaskTexts>> {
    if (ids.length === 0) return new Map();
    const rows = await this.prisma.$queryRawUnsafe<TaskTexts[]>(
      `SELECT t.id::text AS id, t.measure, t.responsible_person AS "responsiblePerson", u.name AS "unitName"${descriptions ? ', f.description' : ''}
         FROM rectification_tasks t
         JOIN findings f ON f.id = t.finding_id
         JOIN org_units u ON u.id = f.unit_id
        WHERE t.id = ANY($1::bigint[])`,
      ids.map(String),
    );
    return new Map(rows.map((r) => [r.id, r]));
  }

  /** A finding list page's descriptions and unit names from PostgreSQL in one query, by finding id (as strings). */
  async findingTexts(ids: readonly (bigint | string)[]): Promise<Map<string, FindingTexts>> {
    if (ids.length === 0) return new Map();
    const rows = await this.prisma.$queryRawUnsafe<FindingTexts[]>(
      `SELECT f.id::text AS id, f.description, u.name AS "unitName"
         FROM findings f
         JOIN org_units u ON u.id = f.unit_id
        WHERE f.id = ANY($1::bigint[])`,
      ids.map(String),
    );
    return new Map(rows.map((r) => [r.id, r]));
  }

  /** A task with its finding, inspection, unit and every event, or null when it does not exist (or was deleted). */
  async taskDetail(id: bigint) {
    return this.prisma.rectificationTask.findFirst({
      where: { id, deletedAt: null, finding: { deletedAt: null, inspection: { deletedAt: null } } },
      include: {
        finding: { include: { category: true, inspection: { include: { round: true } }, unit: { include: { region: true } } } },
        events: { where: { deletedAt: null }, orderBy: [{ eventDate: 'asc' }, { id: 'asc' }] },
      },
    });
  }

  /** Whether the task has a closure request awaiting review. */
  async hasPendingClosure(taskId: bigint): Promise<boolean> {
    return (await this.prisma.closureRequest.count({ where: { taskId, status: 'PENDING' } })) > 0;
  }

  /** The names of the accounts that wrote events (TaskEvent.actor is a username), username → 姓名. */
  async actorNames(usernames: readonly string[]): Promise<Map<string, string>> {
    if (usernames.length === 0) return new Map();
    const rows = await this.prisma.user.findMany({ where: { username: { in: [...new Set(usernames)] } }, select: { username: true, displayName: true } });
    return new Map(rows.map((r) => [r.username, r.displayName]));
  }
}
