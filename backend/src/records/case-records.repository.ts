import { Inject, Injectable } from '@nestjs/common';
import { Prisma, type Db } from '@xuncha/prisma';
import { PRISMA } from '../infra/tokens';
import type { FindingRecordListQuery, InspectionListQuery } from './dto/case-records.dto';
import type { Tx } from './records.repository';
import { auditedTransaction } from '../audit/audit-context';

/** The county (or 市本级) region of the unit `u`: a township's parent, else its own region. */
const COUNTY = Prisma.sql`(CASE WHEN g.level = 'TOWNSHIP' THEN g.parent_id ELSE g.id END)`;

const INSPECTION_ORDER: Record<InspectionListQuery['sort'], Prisma.Sql> = {
  '-stationedFrom': Prisma.sql`i.stationed_from DESC, i.id DESC`,
  stationedFrom: Prisma.sql`i.stationed_from, i.id`,
  '-feedbackDate': Prisma.sql`i.feedback_date DESC NULLS LAST, i.id DESC`,
  feedbackDate: Prisma.sql`i.feedback_date NULLS LAST, i.id`,
  '-id': Prisma.sql`i.id DESC`,
  id: Prisma.sql`i.id`,
  unit: Prisma.sql`u.code, i.stationed_from, i.id`,
  '-unit': Prisma.sql`u.code DESC, i.stationed_from DESC, i.id DESC`,
};

const FINDING_ORDER: Record<FindingRecordListQuery['sort'], Prisma.Sql> = {
  '-foundDate': Prisma.sql`f.found_date DESC, f.id DESC`,
  foundDate: Prisma.sql`f.found_date, f.id`,
  '-id': Prisma.sql`f.id DESC`,
  id: Prisma.sql`f.id`,
  unit: Prisma.sql`u.code, f.found_date, f.id`,
  '-unit': Prisma.sql`u.code DESC, f.found_date DESC, f.id DESC`,
};

/** `%text%` for ILIKE, with the pattern characters taken literally. */
const contains = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export interface InspectionRowSql {
  id: number;
  round_id: number;
  unit_id: number;
  team: string;
  mode: 'ROUTINE' | 'SPECIAL' | 'MOBILE' | 'REVISIT';
  is_cross: boolean;
  is_elevated: boolean;
  stationed_from: string;
  stationed_to: string | null;
  feedback_date: string | null;
  round_name: string;
  round_start: string;
  round_end: string;
  committee_region_id: number;
  unit_code: string;
  unit_name: string;
  county_id: number;
  county_name: string;
  findings: number;
  tasks: number;
}

export interface FindingRowSql {
  id: bigint;
  inspection_id: number;
  unit_id: number;
  category_id: number;
  description: string;
  is_immediate: boolean;
  is_key_concern: boolean;
  recurrence_of_id: bigint | null;
  found_date: string;
  unit_code: string;
  unit_name: string;
  county_name: string;
  round_id: number;
  round_name: string;
  category_code: string;
  category_name: string;
  parent_category_name: string;
  tasks: number;
}

const INSPECTION_SELECT = Prisma.sql`
  SELECT i.id, i.round_id, i.unit_id, i.team, i.mode::text AS mode, i.is_cross, i.is_elevated,
         to_char(i.stationed_from, 'YYYY-MM-DD') AS stationed_from, to_char(i.stationed_to, 'YYYY-MM-DD') AS stationed_to,
         to_char(i.feedback_date, 'YYYY-MM-DD') AS feedback_date,
         r.name AS round_name, to_char(r.start_date, 'YYYY-MM-DD') AS round_start, to_char(r.end_date, 'YYYY-MM-DD') AS round_end,
         t.committee_region_id, u.code AS unit_code, u.name AS unit_name, c.id AS county_id, c.name AS county_name,
         (SELECT count(*)::int FROM findings f WHERE f.inspection_id = i.id AND f.deleted_at IS NULL) AS findings,
         (SELECT count(*)::int FROM rectification_tasks k JOIN findings f ON f.id = k.finding_id
           WHERE f.inspection_id = i.id AND f.deleted_at IS NULL AND k.deleted_at IS NULL) AS tasks
    FROM inspections i
    JOIN rounds r ON r.id = i.round_id
    JOIN terms t ON t.id = r.term_id
    JOIN org_units u ON u.id = i.unit_id
    JOIN regions g ON g.id = u.region_id
    JOIN regions c ON c.id = ${COUNTY}`;

const FINDING_SELECT = Prisma.sql`
  SELECT f.id, f.inspection_id, f.unit_id, f.category_id, f.description, f.is_immediate, f.is_key_concern, f.recurrence_of_id,
         to_char(f.found_date, 'YYYY-MM-DD') AS found_date, u.code AS unit_code, u.name AS unit_name, c.name AS county_name,
         i.round_id, r.name AS round_name, k.code AS category_code, k.name AS category_name, coalesce(p.name, '') AS parent_category_name,
         (SELECT count(*)::int FROM rectification_tasks x WHERE x.finding_id = f.id AND x.deleted_at IS NULL) AS tasks
    FROM findings f
    JOIN inspections i ON i.id = f.inspection_id
    JOIN rounds r ON r.id = i.round_id
    JOIN org_units u ON u.id = f.unit_id
    JOIN regions g ON g.id = u.region_id
    JOIN regions c ON c.id = ${COUNTY}
    JOIN issue_categories k ON k.id = f.category_id
    LEFT JOIN issue_categories p ON p.id = k.parent_id`;

/**
 * Reads and corrections behind the case-record pages, in PostgreSQL. Every read takes the
 * county limit (`county`, null for the whole city) and leaves out what is deleted.
 */
@Injectable()
export class CaseRecordsRepository {
  constructor(@Inject(PRISMA) private readonly prisma: Db) {}

  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return auditedTransaction(this.prisma, work, { maxWait: 10_000, timeout: 15_000 });
  }

  async inspections(query: InspectionListQuery, county: number | null): Promise<{ total: number; rows: InspectionRowSql[] }> {
    const where: Prisma.Sql[] = [Prisma.sql`i.deleted_at IS NULL`];
    if (county !== null) where.push(Prisma.sql`${COUNTY} = ${county}`);
    if (query.unit) where.push(Prisma.sql`(u.name ILIKE ${contains(query.unit)} OR u.code ILIKE ${contains(query.unit)})`);
    if (query.roundId !== undefined) where.push(Prisma.sql`i.round_id = ${query.roundId}`);
    if (query.regionId !== undefined) where.push(Prisma.sql`(g.id = ${query.regionId} OR ${COUNTY} = ${query.regionId} OR g.parent_id = ${query.regionId})`);
    if (query.mode) where.push(Prisma.sql`i.mode = ${query.mode}::inspection_mode`);
    if (query.team) where.push(Prisma.sql`i.team ILIKE ${contains(query.team)}`);
    if (query.stationedFrom) where.push(Prisma.sql`i.stationed_from >= ${query.stationedFrom}::date`);
    if (query.stationedTo) where.push(Prisma.sql`i.stationed_from <= ${query.stationedTo}::date`);
    if (query.feedbackFrom) where.push(Prisma.sql`i.feedback_date >= ${query.feedbackFrom}::date`);
    if (query.feedbackTo) where.push(Prisma.sql`i.feedback_date <= ${query.feedbackTo}::date`);
    const condition = Prisma.join(where, ' AND ');
    const [count, rows] = await Promise.all([
      this.prisma.$queryRaw<
        { n: number }[]
      >`SELECT count(*)::int AS n FROM inspections i JOIN org_units u ON u.id = i.unit_id JOIN regions g ON g.id = u.region_id WHERE ${condition}`,
      this.prisma.$queryRaw<InspectionRowSql[]>`${INSPECTION_SELECT} WHERE ${condition} ORDER BY ${INSPECTION_ORDER[query.sort]}
        LIMIT ${query.pageSize} OFFSET ${(query.page - 1) * query.pageSize}`,
    ]);
    return { total: count[0].n, rows };
  }

  async inspection(id: number, county: number | null): Promise<InspectionRowSql | null> {
    const scope = county === null ? Prisma.empty : Prisma.sql`AND ${COUNTY} = ${county}`;
    const rows = await this.prisma.$queryRaw<InspectionRowSql[]>`${INSPECTION_SELECT} WHERE i.id = ${id} AND i.deleted_at IS NULL ${scope}`;
    return rows[0] ?? null;
  }

  async findings(query: FindingRecordListQuery, county: number | null): Promise<{ total: number; rows: FindingRowSql[] }> {
    const where: Prisma.Sql[] = [Prisma.sql`f.deleted_at IS NULL AND i.deleted_at IS NULL`];
    if (county !== null) where.push(Prisma.sql`${COUNTY} = ${county}`);
    if (query.q) where.push(Prisma.sql`f.description ILIKE ${contains(query.q)}`);
    if (query.unit) where.push(Prisma.sql`(u.name ILIKE ${contains(query.unit)} OR u.code ILIKE ${contains(query.unit)})`);
    if (query.categoryId !== undefined) where.push(Prisma.sql`(k.id = ${query.categoryId} OR k.parent_id = ${query.categoryId})`);
    if (query.roundId !== undefined) where.push(Prisma.sql`i.round_id = ${query.roundId}`);
    if (query.regionId !== undefined) where.push(Prisma.sql`(g.id = ${query.regionId} OR ${COUNTY} = ${query.regionId} OR g.parent_id = ${query.regionId})`);
    if (query.inspectionId !== undefined) where.push(Prisma.sql`f.inspection_id = ${query.inspectionId}`);
    const condition = Prisma.join(where, ' AND ');
    const [count, rows] = await Promise.all([
      this.prisma.$queryRaw<
        { n: number }[]
      >`SELECT count(*)::int AS n FROM findings f JOIN inspections i ON i.id = f.inspection_id JOIN org_units u ON u.id = f.unit_id
        JOIN regions g ON g.id = u.region_id JOIN issue_categories k ON k.id = f.category_id WHERE ${condition}`,
      this.prisma.$queryRaw<FindingRowSql[]>`${FINDING_SELECT} WHERE ${condition} ORDER BY ${FINDING_ORDER[query.sort]}
        LIMIT ${query.pageSize} OFFSET ${(query.page - 1) * query.pageSize}`,
    ]);
    return { total: count[0].n, rows };
  }

  /** The names of a list's round, region and category filters, and 填报单位 (the county, or the city). */
  async filterNames(
    ids: { roundId?: number; regionId?: number; categoryId?: number },
    county: number | null,
  ): Promise<{ round?: string; region?: string; category?: string; reportingUnit: string }> {
    const [row] = await this.prisma.$queryRaw<{ round: string | null; region: string | null; category: string | null; reporting_unit: string | null }[]>`
      SELECT (SELECT name FROM rounds WHERE id = ${ids.roundId ?? null}::int) AS round,
             (SELECT name FROM regions WHERE id = ${ids.regionId ?? null}::int) AS region,
             (SELECT name FROM issue_categories WHERE id = ${ids.categoryId ?? null}::int) AS category,
             (SELECT name FROM regions WHERE ${county === null ? Prisma.sql`level = 'CITY'` : Prisma.sql`id = ${county}`} ORDER BY id LIMIT 1) AS reporting_unit`;
    return { round: row.round ?? undefined, region: row.region ?? undefined, category: row.category ?? undefined, reportingUnit: row.reporting_unit ?? '' };
  }

  /** The findings of one inspection, oldest first. */
  findingsOf(inspectionId: number): Promise<FindingRowSql[]> {
    return this.prisma.$queryRaw<
      FindingRowSql[]
    >`${FINDING_SELECT} WHERE f.inspection_id = ${inspectionId} AND f.deleted_at IS NULL ORDER BY f.found_date, f.id`;
  }

  /** The live tasks of the given findings. */
  tasksOf(findingIds: bigint[]) {
    return this.prisma.rectificationTask.findMany({ where: { findingId: { in: findingIds }, deletedAt: null }, orderBy: { id: 'asc' } });
  }

  /** Findings of the unit in its other live inspections stationed before `before`. */
  earlierFindings(unitId: number, inspectionId: number, before: string) {
    return this.prisma.$queryRaw<
      { id: bigint; inspection_id: number; round_name: string; found_date: string; category_name: string; description: string; closed: boolean }[]
    >`
      SELECT f.id, f.inspection_id, r.name AS round_name, to_char(f.found_date, 'YYYY-MM-DD') AS found_date, k.name AS category_name,
             left(f.description, 200) AS description,
             (EXISTS (SELECT 1 FROM rectification_tasks x WHERE x.finding_id = f.id AND x.deleted_at IS NULL)
              AND NOT EXISTS (SELECT 1 FROM rectification_tasks x WHERE x.finding_id = f.id AND x.deleted_at IS NULL AND x.status <> 'CLOSED')) AS closed
        FROM findings f JOIN inspections i ON i.id = f.inspection_id JOIN rounds r ON r.id = i.round_id JOIN issue_categories k ON k.id = f.category_id
       WHERE f.unit_id = ${unitId} AND f.inspection_id <> ${inspectionId} AND f.deleted_at IS NULL AND i.deleted_at IS NULL
         AND i.stationed_from < ${before}::date
       ORDER BY f.found_date DESC, f.id DESC
       LIMIT 500`;
  }

  /** Units whose name or code contains `q`, in the county (if any), 20 at most. */
  units(q: string | undefined, county: number | null) {
    const scope = county === null ? Prisma.empty : Prisma.sql`AND ${COUNTY} = ${county}`;
    const match = q ? Prisma.sql`AND (u.name ILIKE ${contains(q)} OR u.code ILIKE ${contains(q)})` : Prisma.empty;
    return this.prisma.$queryRaw<{ id: number; code: string; name: string; county_name: string; valid_from: string; valid_to: string | null }[]>`
      SELECT u.id, u.code, u.name, c.name AS county_name, to_char(u.valid_from, 'YYYY-MM-DD') AS valid_from, to_char(u.valid_to, 'YYYY-MM-DD') AS valid_to
        FROM org_units u JOIN regions g ON g.id = u.region_id JOIN regions c ON c.id = ${COUNTY}
       WHERE u.deleted_at IS NULL ${scope} ${match}
       ORDER BY u.code LIMIT 20`;
  }

  // --- the rules a write checks -------------------------------------------------------

  /** A round with its dates and its committee's region. */
  async round(id: number) {
    const rows = await this.prisma.$queryRaw<{ id: number; name: string; start: string; end: string; committee_region_id: number }[]>`
      SELECT r.id, r.name, to_char(r.start_date, 'YYYY-MM-DD') AS start, to_char(r.end_date, 'YYYY-MM-DD') AS end, t.committee_region_id
        FROM rounds r JOIN terms t ON t.id = r.term_id WHERE r.id = ${id} AND r.deleted_at IS NULL`;
    return rows[0] ?? null;
  }

  /** The earliest found day of an inspection's live findings, and whether any of them is linked by recurrence. */
  async findingBounds(inspectionId: number) {
    const rows = await this.prisma.$queryRaw<{ first_found: string | null; linked: boolean }[]>`
      SELECT to_char(min(f.found_date), 'YYYY-MM-DD') AS first_found,
             coalesce(bool_or(f.recurrence_of_id IS NOT NULL OR EXISTS (SELECT 1 FROM findings x WHERE x.recurrence_of_id = f.id AND x.deleted_at IS NULL)), false) AS linked
        FROM findings f WHERE f.inspection_id = ${inspectionId} AND f.deleted_at IS NULL`;
    return rows[0];
  }

  /** The earliest original due date among an inspection's live tasks that are not 立行立改. */
  async earliestDeadline(inspectionId: number): Promise<string | null> {
    const rows = await this.prisma.$queryRaw<{ due: string | null }[]>`
      SELECT to_char(min(k.original_due_date), 'YYYY-MM-DD') AS due
        FROM rectification_tasks k JOIN findings f ON f.id = k.finding_id
       WHERE f.inspection_id = ${inspectionId} AND f.deleted_at IS NULL AND k.deleted_at IS NULL AND k.track <> 'IMMEDIATE'`;
    return rows[0].due;
  }

  /** Whether a live finding recurs `findingId` (links to it as its recurrence), found on or before `day`. */
  async laterRecurrenceFoundBy(findingId: bigint, day: string): Promise<boolean> {
    const rows = await this.prisma.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM findings WHERE recurrence_of_id = ${findingId} AND deleted_at IS NULL AND found_date <= ${day}::date`;
    return rows[0].n > 0;
  }

  /** Whether the task was ever extended. */
  async extended(taskId: bigint): Promise<boolean> {
    return (await this.prisma.taskEvent.count({ where: { taskId, type: 'EXTENSION', deletedAt: null } })) > 0;
  }

  inspectionRow(id: number) {
    return this.prisma.inspection.findFirst({ where: { id, deletedAt: null } });
  }

  findingRow(id: bigint) {
    return this.prisma.finding.findFirst({
      where: { id, deletedAt: null, inspection: { is: { deletedAt: null } } },
      include: { inspection: { select: { stationedFrom: true, feedbackDate: true, unitId: true } } },
    });
  }

  taskRow(id: bigint) {
    return this.prisma.rectificationTask.findFirst({
      where: { id, deletedAt: null, finding: { is: { deletedAt: null, inspection: { is: { deletedAt: null } } } } },
      include: { finding: { select: { inspection: { select: { feedbackDate: true } } } } },
    });
  }

  // --- corrections ----------------------------------------------------------------------

  /** Updates an inspection; a new unit moves its findings along (they carry the unit). */
  updateInspection(id: number, data: Prisma.InspectionUncheckedUpdateInput) {
    return this.transaction(async (tx) => {
      const row = await tx.inspection.update({ where: { id }, data });
      if (data.unitId !== undefined) await tx.finding.updateMany({ where: { inspectionId: id, unitId: { not: row.unitId } }, data: { unitId: row.unitId } });
      return row;
    });
  }

  /** Corrects a finding, in the request's audited transaction (its entry commits with it). */
  updateFinding(id: bigint, data: Prisma.FindingUncheckedUpdateInput) {
    return this.transaction((tx) => tx.finding.update({ where: { id }, data }));
  }

  /** Corrects a task, in the request's audited transaction. */
  updateTask(id: bigint, data: Prisma.RectificationTaskUncheckedUpdateInput) {
    return this.transaction((tx) => tx.rectificationTask.update({ where: { id }, data }));
  }
}
