import { Inject, Injectable } from '@nestjs/common';
import type { Db } from '@xuncha/prisma';
import type { Warehouse } from '@xuncha/etl';
import type { SqlQuery } from '../metrics/metrics.queries';
import { PRISMA, WAREHOUSE } from '../infra/tokens';

export interface ProfileUnitRow {
  id: number;
  code: string;
  name: string;
  category: string;
  regionName: string;
  countyId: number;
  countyName: string;
  validFrom: string;
  validTo: string | null;
  principalLeader: string | null;
  leaderInCharge: string | null;
}
export interface ProfileInspectionRow {
  id: number;
  termName: string;
  roundName: string;
  mode: string;
  isCross: boolean;
  stationedFrom: string;
  stationedTo: string | null;
  feedbackDate: string | null;
  findings: number;
}
export interface ProfileFindingRow {
  id: string;
  inspectionId: number;
  categoryId: number;
  categoryName: string;
  parentName: string;
  description: string;
  foundDate: string;
}
export interface ProfileTaskRow {
  id: string;
  findingId: string;
  categoryName: string;
  measure: string;
  responsibleDept: string;
  responsiblePerson: string;
  status: string;
  originalDueDate: string | null;
  dueDate: string | null;
  extensions: number;
  closedDate: string | null;
  daysOverdue: number;
}
export interface ProfileClueRow {
  id: number;
  inspectionId: number;
  handedTo: string;
  handedDate: string;
  persons: number;
  summary: string;
  disposalStatus: string;
  concludedDate: string | null;
}

/** The unit profile's reads: the unit's records from PostgreSQL, recurrence members from the warehouse. */
@Injectable()
export class UnitProfileRepository {
  constructor(
    @Inject(PRISMA) private readonly prisma: Db,
    @Inject(WAREHOUSE) private readonly warehouse: Warehouse,
  ) {}

  /** The live unit with its region and county (a township's parent, else its region). */
  async unit(id: number): Promise<ProfileUnitRow | null> {
    const [row] = await this.prisma.$queryRaw<ProfileUnitRow[]>`
      SELECT u.id, u.code, u.name, u.category::text AS category, g.name AS "regionName", c.id AS "countyId", c.name AS "countyName",
             to_char(u.valid_from, 'YYYY-MM-DD') AS "validFrom", to_char(u.valid_to, 'YYYY-MM-DD') AS "validTo",
             u.principal_leader AS "principalLeader", u.leader_in_charge AS "leaderInCharge"
        FROM org_units u
        JOIN regions g ON g.id = u.region_id
        JOIN regions c ON c.id = (CASE WHEN g.level = 'TOWNSHIP' THEN g.parent_id ELSE g.id END)
       WHERE u.id = ${id} AND u.deleted_at IS NULL`;
    return row ?? null;
  }

  /** Its live inspections, newest first, with their live findings counted. */
  async inspections(unitId: number): Promise<ProfileInspectionRow[]> {
    return this.prisma.$queryRaw<ProfileInspectionRow[]>`
      SELECT i.id, t.name AS "termName", r.name AS "roundName", i.mode::text AS mode, i.is_cross AS "isCross",
             to_char(i.stationed_from, 'YYYY-MM-DD') AS "stationedFrom", to_char(i.stationed_to, 'YYYY-MM-DD') AS "stationedTo",
             to_char(i.feedback_date, 'YYYY-MM-DD') AS "feedbackDate",
             (SELECT count(*) FROM findings f WHERE f.inspection_id = i.id AND f.deleted_at IS NULL)::int AS findings
        FROM inspections i
        JOIN rounds r ON r.id = i.round_id
        JOIN terms t ON t.id = r.term_id
       WHERE i.unit_id = ${unitId} AND i.deleted_at IS NULL
       ORDER BY i.stationed_from DESC, i.id DESC`;
  }

  /** Its live findings (of live inspections), found by `asOf`, oldest first. */
  async findings(unitId: number, asOf: string): Promise<ProfileFindingRow[]> {
    return this.prisma.$queryRaw<ProfileFindingRow[]>`
      SELECT f.id::text AS id, f.inspection_id AS "inspectionId", c.id AS "categoryId", c.name AS "categoryName", coalesce(p.name, c.name) AS "parentName",
             f.description, to_char(f.found_date, 'YYYY-MM-DD') AS "foundDate"
        FROM findings f
        JOIN inspections i ON i.id = f.inspection_id AND i.deleted_at IS NULL
        JOIN issue_categories c ON c.id = f.category_id
        LEFT JOIN issue_categories p ON p.id = c.parent_id
       WHERE f.unit_id = ${unitId} AND f.deleted_at IS NULL AND f.found_date <= ${asOf}::date
       ORDER BY f.found_date, f.id`;
  }

  /** The live tasks of its live findings: state now, extensions recorded, days past due as of `asOf`. */
  async tasks(unitId: number, asOf: string): Promise<ProfileTaskRow[]> {
    return this.prisma.$queryRaw<ProfileTaskRow[]>`
      SELECT k.id::text AS id, k.finding_id::text AS "findingId", c.name AS "categoryName", k.measure,
             k.responsible_dept AS "responsibleDept", k.responsible_person AS "responsiblePerson", k.status::text AS status,
             to_char(k.original_due_date, 'YYYY-MM-DD') AS "originalDueDate", to_char(k.current_due_date, 'YYYY-MM-DD') AS "dueDate",
             (SELECT count(*) FROM task_events e WHERE e.task_id = k.id AND e.type = 'EXTENSION' AND e.deleted_at IS NULL)::int AS extensions,
             to_char(k.closed_date, 'YYYY-MM-DD') AS "closedDate",
             (CASE WHEN k.status <> 'CLOSED' AND k.current_due_date < ${asOf}::date THEN ${asOf}::date - k.current_due_date ELSE 0 END)::int AS "daysOverdue"
        FROM rectification_tasks k
        JOIN findings f ON f.id = k.finding_id AND f.deleted_at IS NULL
        JOIN inspections i ON i.id = f.inspection_id AND i.deleted_at IS NULL
        JOIN issue_categories c ON c.id = f.category_id
       WHERE f.unit_id = ${unitId} AND k.deleted_at IS NULL
       ORDER BY (k.status = 'CLOSED'), k.current_due_date NULLS LAST, k.id`;
  }

  /**
   * Days to close of the unit's closed findings, as the rectification figure counts them
   * (DEFINITIONS.md, Rectification): findings fed back and found by `asOf` with at least one
   * task and every task CLOSED; days = max(0, latest closed day − feedback day). A histogram.
   */
  async closeDays(unitId: number, asOf: string): Promise<{ days: number; n: number }[]> {
    return this.prisma.$queryRaw<{ days: number; n: number }[]>`
      WITH closed AS (
        SELECT f.id, max(i.feedback_date) AS feedback, max(k.closed_date) AS closure
          FROM findings f
          JOIN inspections i ON i.id = f.inspection_id AND i.deleted_at IS NULL
          JOIN rectification_tasks k ON k.finding_id = f.id AND k.deleted_at IS NULL
         WHERE f.unit_id = ${unitId} AND f.deleted_at IS NULL AND f.found_date <= ${asOf}::date AND i.feedback_date <= ${asOf}::date
         GROUP BY f.id
        HAVING bool_and(k.status = 'CLOSED')
      )
      SELECT greatest(0, closure - feedback)::int AS days, count(*)::int AS n FROM closed GROUP BY 1 ORDER BY 1`;
  }

  /** The live clues of its live inspections. */
  async clues(unitId: number): Promise<ProfileClueRow[]> {
    return this.prisma.$queryRaw<ProfileClueRow[]>`
      SELECT c.id, c.inspection_id AS "inspectionId", c.handed_to::text AS "handedTo", to_char(c.handed_date, 'YYYY-MM-DD') AS "handedDate",
             c.persons, c.summary, c.disposal_status::text AS "disposalStatus", to_char(c.concluded_date, 'YYYY-MM-DD') AS "concludedDate"
        FROM clues c
        JOIN inspections i ON i.id = c.inspection_id AND i.deleted_at IS NULL
       WHERE i.unit_id = ${unitId} AND c.deleted_at IS NULL
       ORDER BY c.handed_date DESC, c.id DESC`;
  }

  /** 填报单位 of a download: the county account's county (`county`), else the city. */
  async reportingUnit(county: number | null): Promise<string> {
    const [row] = await this.prisma.$queryRaw<{ name: string }[]>`
      SELECT name FROM regions
       WHERE deleted_at IS NULL AND (CASE WHEN ${county}::int IS NULL THEN level = 'CITY' ELSE id = ${county}::int END)
       ORDER BY id LIMIT 1`;
    return row?.name ?? '';
  }

  /** The finding ids a recurrence members subquery lists (64-bit ids as strings). */
  async memberIds(sql: SqlQuery): Promise<Set<string>> {
    const rows = await this.warehouse.query<{ id: string }>(`SELECT toString(id) AS id FROM (\n${sql.query}\n)`, sql.params);
    return new Set(rows.map((r) => r.id));
  }
}
