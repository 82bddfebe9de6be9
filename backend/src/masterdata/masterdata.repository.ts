import { Inject, Injectable } from '@nestjs/common';
import type { Db } from '@xuncha/prisma';
import type { UnitCategory } from '../common/filters';
import { isoDay } from '../common/dates';
import { PRISMA } from '../infra/tokens';
import type { RegionLevel, UnitQuery } from './dto/masterdata.dto';
import { auditedTransaction } from '../audit/audit-context';

export interface RegionRow {
  id: number;
  code: string;
  name: string;
  level: RegionLevel;
  parentId: number | null;
}

export interface UnitRow {
  id: number;
  code: string;
  name: string;
  category: UnitCategory;
  regionId: number;
  regionName: string;
  committeeRegionId: number;
  committeeName: string;
  parentUnitId: number | null;
  parentUnitName: string | null;
  validFrom: string;
  validTo: string | null;
  mergedIntoId: number | null;
  mergedIntoName: string | null;
  principalLeader: string | null;
  leaderInCharge: string | null;
}

export interface UnitData {
  code: string;
  name: string;
  category: UnitCategory;
  regionId: number;
  committeeRegionId: number;
  parentUnitId: number | null;
  validFrom: string;
  validTo: string | null;
  /** 主要负责人 and 分管领导 (names; null when not known) */
  principalLeader: string | null;
  leaderInCharge: string | null;
}

/** A row of the unit import, its parent named by code (in the file or already in the directory). */
export interface UnitImportRow extends Omit<UnitData, 'parentUnitId'> {
  parentCode: string | null;
}

export interface RegionImportRow {
  code: string;
  name: string;
  level: RegionLevel;
  parentCode: string | null;
}

/** The county (or 市本级) a region belongs to: a township's parent, else itself. */
const COUNTY_OF = `(CASE WHEN g.level = 'TOWNSHIP' THEN g.parent_id ELSE g.id END)`;

const UNIT_SELECT = `
  SELECT u.id, u.code, u.name, u.category::text AS category, u.region_id AS "regionId", g.name AS "regionName",
         u.committee_region_id AS "committeeRegionId", c.name AS "committeeName",
         u.parent_unit_id AS "parentUnitId", p.name AS "parentUnitName",
         to_char(u.valid_from, 'YYYY-MM-DD') AS "validFrom", to_char(u.valid_to, 'YYYY-MM-DD') AS "validTo",
         u.merged_into_id AS "mergedIntoId", m.name AS "mergedIntoName",
         u.principal_leader AS "principalLeader", u.leader_in_charge AS "leaderInCharge"
    FROM org_units u
    JOIN regions g ON g.id = u.region_id
    JOIN regions c ON c.id = u.committee_region_id
    LEFT JOIN org_units p ON p.id = u.parent_unit_id
    LEFT JOIN org_units m ON m.id = u.merged_into_id`;

/** Master data in PostgreSQL: plain queries; every write goes through the change-capture triggers. */
@Injectable()
export class MasterdataRepository {
  constructor(@Inject(PRISMA) private readonly prisma: Db) {}

  // --- regions -----------------------------------------------------------------------

  /** Live regions (only those of `county` and its townships when given), with their live units. */
  async regions(county: number | null): Promise<(RegionRow & { units: number })[]> {
    const rows = await this.prisma.$queryRawUnsafe<(RegionRow & { units: bigint })[]>(
      `SELECT g.id, g.code, g.name, g.level::text AS level, g.parent_id AS "parentId",
              (SELECT count(*) FROM org_units u WHERE u.region_id = g.id AND u.deleted_at IS NULL) AS units
         FROM regions g
        WHERE g.deleted_at IS NULL AND ($1::int IS NULL OR ${COUNTY_OF} = $1::int)
        ORDER BY g.code`,
      county,
    );
    return rows.map((r) => ({ ...r, units: Number(r.units) }));
  }

  async region(id: number): Promise<RegionRow | null> {
    return this.prisma.region.findFirst({ where: { id, deletedAt: null }, select: { id: true, code: true, name: true, level: true, parentId: true } });
  }

  async regionByCode(code: string): Promise<RegionRow | null> {
    return this.prisma.region.findFirst({ where: { code }, select: { id: true, code: true, name: true, level: true, parentId: true } });
  }

  async allRegions(): Promise<RegionRow[]> {
    return this.prisma.region.findMany({
      where: { deletedAt: null },
      select: { id: true, code: true, name: true, level: true, parentId: true },
      orderBy: { code: 'asc' },
    });
  }

  /** The levels of a region's live children. */
  async childLevels(id: number): Promise<RegionLevel[]> {
    const rows = await this.prisma.region.findMany({ where: { parentId: id, deletedAt: null }, select: { level: true }, distinct: ['level'] });
    return rows.map((r) => r.level);
  }

  createRegion(data: { code: string; name: string; level: RegionLevel; parentId: number | null }) {
    return auditedTransaction(this.prisma, (tx) => tx.region.create({ data, select: { id: true, code: true, name: true, level: true, parentId: true } }));
  }

  updateRegion(id: number, data: { code?: string; name?: string; parentId?: number | null }) {
    return auditedTransaction(this.prisma, (tx) =>
      tx.region.update({ where: { id }, data, select: { id: true, code: true, name: true, level: true, parentId: true } }),
    );
  }

  /** Inserts regions level by level (a parent before its children), all or none. */
  async importRegions(rows: RegionImportRow[]): Promise<number> {
    return auditedTransaction(
      this.prisma,
      async (tx) => {
        let pending = rows;
        while (pending.length > 0) {
          const known = new Map(
            (
              await tx.region.findMany({
                where: { code: { in: [...new Set(pending.map((r) => r.parentCode).filter((c): c is string => c !== null))] } },
                select: { id: true, code: true },
              })
            ).map((r) => [r.code, r.id]),
          );
          const ready = pending.filter((r) => r.parentCode === null || known.has(r.parentCode));
          if (ready.length === 0) throw new Error('region import: parents never inserted');
          await tx.$executeRaw`
            INSERT INTO regions (code, name, level, parent_id)
            SELECT * FROM unnest(${ready.map((r) => r.code)}::text[], ${ready.map((r) => r.name)}::text[], ${ready.map((r) => r.level)}::region_level[],
                                 ${ready.map((r) => (r.parentCode === null ? null : (known.get(r.parentCode) ?? null)))}::int[])`;
          const done = new Set(ready);
          pending = pending.filter((r) => !done.has(r));
        }
        return rows.length;
      },
      { maxWait: 10_000, timeout: 120_000 },
    );
  }

  // --- terms and rounds -------------------------------------------------------------

  terms() {
    return this.prisma.term.findMany({
      where: { deletedAt: null },
      include: {
        committeeRegion: { select: { name: true, level: true } },
        rounds: { where: { deletedAt: null }, orderBy: { ordinal: 'asc' }, include: { _count: { select: { inspections: { where: { deletedAt: null } } } } } },
      },
      orderBy: [{ committeeRegionId: 'asc' }, { ordinal: 'asc' }],
    });
  }

  term(id: number) {
    return this.prisma.term.findFirst({ where: { id, deletedAt: null } });
  }

  /** Other live terms of the committee. */
  committeeTerms(committeeRegionId: number, except: number | null) {
    return this.prisma.term.findMany({ where: { committeeRegionId, deletedAt: null, ...(except === null ? {} : { id: { not: except } }) } });
  }

  createTerm(data: { committeeRegionId: number; ordinal: number; name: string; startDate: Date; endDate: Date }) {
    return auditedTransaction(this.prisma, (tx) => tx.term.create({ data }));
  }

  updateTerm(id: number, data: { ordinal?: number; name?: string; startDate?: Date; endDate?: Date }) {
    return auditedTransaction(this.prisma, (tx) => tx.term.update({ where: { id }, data }));
  }

  round(id: number) {
    return this.prisma.round.findFirst({ where: { id, deletedAt: null } });
  }

  termRounds(termId: number) {
    return this.prisma.round.findMany({ where: { termId, deletedAt: null } });
  }

  /** The earliest and latest stationing day of a round's live inspections. */
  async roundStationing(roundId: number): Promise<{ first: string | null; last: string | null }> {
    const result = await this.prisma.inspection.aggregate({
      where: { roundId, deletedAt: null },
      _min: { stationedFrom: true },
      _max: { stationedFrom: true },
    });
    return {
      first: result._min.stationedFrom ? isoDay(result._min.stationedFrom) : null,
      last: result._max.stationedFrom ? isoDay(result._max.stationedFrom) : null,
    };
  }

  async roundInspections(roundId: number): Promise<number> {
    return this.prisma.inspection.count({ where: { roundId, deletedAt: null } });
  }

  createRound(data: { termId: number; ordinal: number; name: string; year: number; startDate: Date; endDate: Date }) {
    return auditedTransaction(this.prisma, (tx) => tx.round.create({ data }));
  }

  updateRound(id: number, data: { ordinal?: number; name?: string; year?: number; startDate?: Date; endDate?: Date }) {
    return auditedTransaction(this.prisma, (tx) => tx.round.update({ where: { id }, data }));
  }

  // --- units -------------------------------------------------------------------------

  async units(query: UnitQuery, county: number | null, today: string): Promise<{ total: number; rows: UnitRow[] }> {
    const where: string[] = ['u.deleted_at IS NULL'];
    const params: unknown[] = [];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    if (county !== null) where.push(`${COUNTY_OF} = ${param(county)}::int`);
    if (query.q) {
      const like = param(`%${query.q.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      where.push(`(u.name ILIKE ${like} OR u.code ILIKE ${like})`);
    }
    if (query.regionId !== undefined) {
      const region = param(query.regionId);
      where.push(`(u.region_id = ${region}::int OR g.parent_id = ${region}::int OR g.parent_id IN (SELECT id FROM regions WHERE parent_id = ${region}::int))`);
    }
    if (query.category) where.push(`u.category = ${param(query.category)}::unit_category`);
    if (query.committeeRegionId !== undefined) where.push(`u.committee_region_id = ${param(query.committeeRegionId)}::int`);
    const status = query.status ?? 'all';
    if (status === 'active') where.push(`(u.valid_to IS NULL OR u.valid_to > ${param(today)}::date)`);
    if (status === 'closed') where.push(`(u.valid_to IS NOT NULL AND u.valid_to <= ${param(today)}::date)`);
    const filter = where.join(' AND ');
    const [{ n }] = await this.prisma.$queryRawUnsafe<{ n: bigint }[]>(
      `SELECT count(*) AS n FROM org_units u JOIN regions g ON g.id = u.region_id WHERE ${filter}`,
      ...params,
    );
    const page = query.page ?? 1;
    const size = query.pageSize ?? 20;
    const rows = await this.prisma.$queryRawUnsafe<UnitRow[]>(
      `${UNIT_SELECT} WHERE ${filter} ORDER BY u.code LIMIT ${size} OFFSET ${(page - 1) * size}`,
      ...params,
    );
    return { total: Number(n), rows };
  }

  async unit(id: number): Promise<UnitRow | null> {
    const [row] = await this.prisma.$queryRawUnsafe<UnitRow[]>(`${UNIT_SELECT} WHERE u.id = $1 AND u.deleted_at IS NULL`, id);
    return row ?? null;
  }

  async unitIdByCode(code: string): Promise<number | null> {
    const row = await this.prisma.orgUnit.findFirst({ where: { code }, select: { id: true } });
    return row?.id ?? null;
  }

  /** Units of the given codes (deleted ones too: a code stays taken). */
  async unitsByCode(codes: string[]) {
    return this.prisma.orgUnit.findMany({ where: { code: { in: codes } }, select: { id: true, code: true, regionId: true, deletedAt: true } });
  }

  /** Whether `ancestor` is `id` or lies above it in the unit tree. */
  async isUnitAncestor(ancestor: number, id: number): Promise<boolean> {
    const rows = await this.prisma.$queryRaw<{ found: boolean }[]>`
      WITH RECURSIVE up(id, parent) AS (SELECT id, parent_unit_id FROM org_units WHERE id = ${id}
                                         UNION SELECT o.id, o.parent_unit_id FROM org_units o JOIN up ON o.id = up.parent)
      SELECT EXISTS (SELECT 1 FROM up WHERE id = ${ancestor}) AS found`;
    return rows[0]?.found ?? false;
  }

  async createUnit(data: UnitData): Promise<number> {
    const row = await auditedTransaction(this.prisma, (tx) =>
      tx.orgUnit.create({
        data: { ...data, validFrom: new Date(`${data.validFrom}T00:00:00Z`), validTo: data.validTo ? new Date(`${data.validTo}T00:00:00Z`) : null },
        select: { id: true },
      }),
    );
    return row.id;
  }

  async updateUnit(id: number, data: Partial<UnitData> & { mergedIntoId?: number | null }): Promise<void> {
    const { validFrom, validTo, ...rest } = data;
    await auditedTransaction(this.prisma, (tx) =>
      tx.orgUnit.update({
        where: { id },
        data: {
          ...rest,
          ...(validFrom !== undefined ? { validFrom: new Date(`${validFrom}T00:00:00Z`) } : {}),
          ...(validTo !== undefined ? { validTo: validTo === null ? null : new Date(`${validTo}T00:00:00Z`) } : {}),
        },
      }),
    );
  }

  /** The earliest stationing day of the unit's live inspections, and the latest. */
  async unitStationing(id: number): Promise<{ first: string | null; last: string | null }> {
    const result = await this.prisma.inspection.aggregate({
      where: { unitId: id, deletedAt: null },
      _min: { stationedFrom: true },
      _max: { stationedFrom: true },
    });
    return {
      first: result._min.stationedFrom ? isoDay(result._min.stationedFrom) : null,
      last: result._max.stationedFrom ? isoDay(result._max.stationedFrom) : null,
    };
  }

  /**
   * Inserts units in one transaction, a parent before its children: each pass inserts the
   * rows whose parent is already in the directory (one INSERT … unnest per pass).
   */
  async importUnits(rows: UnitImportRow[]): Promise<number> {
    return auditedTransaction(
      this.prisma,
      async (tx) => {
        const parentCodes = [...new Set(rows.map((r) => r.parentCode).filter((c): c is string => c !== null))];
        const known = new Map(
          (await tx.orgUnit.findMany({ where: { code: { in: parentCodes } }, select: { id: true, code: true } })).map((u) => [u.code, u.id]),
        );
        let pending = rows;
        while (pending.length > 0) {
          const ready = pending.filter((r) => r.parentCode === null || known.has(r.parentCode));
          if (ready.length === 0) throw new Error('unit import: parents never inserted');
          const inserted = await tx.$queryRaw<{ id: number; code: string }[]>`
            INSERT INTO org_units (code, name, category, region_id, committee_region_id, parent_unit_id, valid_from, valid_to, principal_leader, leader_in_charge)
            SELECT * FROM unnest(${ready.map((r) => r.code)}::text[], ${ready.map((r) => r.name)}::text[], ${ready.map((r) => r.category)}::unit_category[],
                                 ${ready.map((r) => r.regionId)}::int[], ${ready.map((r) => r.committeeRegionId)}::int[],
                                 ${ready.map((r) => (r.parentCode === null ? null : (known.get(r.parentCode) ?? null)))}::int[],
                                 ${ready.map((r) => r.validFrom)}::date[], ${ready.map((r) => r.validTo)}::date[],
                                 ${ready.map((r) => r.principalLeader)}::text[], ${ready.map((r) => r.leaderInCharge)}::text[])
            RETURNING id, code`;
          for (const u of inserted) known.set(u.code, u.id);
          const done = new Set(ready);
          pending = pending.filter((r) => !done.has(r));
        }
        return rows.length;
      },
      { maxWait: 10_000, timeout: 120_000 },
    );
  }

  // --- categories ---------------------------------------------------------------------

  async categories(): Promise<{ id: number; code: string; name: string; level: number; parentId: number | null; findings: number }[]> {
    const rows = await this.prisma.$queryRaw<{ id: number; code: string; name: string; level: number; parentId: number | null; findings: bigint }[]>`
      SELECT c.id, c.code, c.name, c.level, c.parent_id AS "parentId",
             (SELECT count(*) FROM findings f WHERE f.deleted_at IS NULL AND (f.category_id = c.id OR f.category_id IN (SELECT id FROM issue_categories k WHERE k.parent_id = c.id))) AS findings
        FROM issue_categories c WHERE c.deleted_at IS NULL ORDER BY c.code`;
    return rows.map((r) => ({ ...r, findings: Number(r.findings) }));
  }

  category(id: number) {
    return this.prisma.issueCategory.findFirst({ where: { id, deletedAt: null }, select: { id: true, code: true, name: true, level: true, parentId: true } });
  }

  categoryByCode(code: string) {
    return this.prisma.issueCategory.findFirst({ where: { code }, select: { id: true } });
  }

  /** Findings (deleted ones too: they still name it) filed under the category, and its live children. */
  async categoryUse(id: number): Promise<{ findings: number; children: number }> {
    const [findings, children] = await Promise.all([
      this.prisma.finding.count({ where: { categoryId: id } }),
      this.prisma.issueCategory.count({ where: { parentId: id, deletedAt: null } }),
    ]);
    return { findings, children };
  }

  createCategory(data: { code: string; name: string; level: number; parentId: number | null }) {
    return auditedTransaction(this.prisma, (tx) =>
      tx.issueCategory.create({ data, select: { id: true, code: true, name: true, level: true, parentId: true } }),
    );
  }

  renameCategory(id: number, name: string) {
    return auditedTransaction(this.prisma, (tx) =>
      tx.issueCategory.update({ where: { id }, data: { name }, select: { id: true, code: true, name: true, level: true, parentId: true } }),
    );
  }

  async deleteCategory(id: number): Promise<void> {
    await auditedTransaction(this.prisma, (tx) => tx.issueCategory.delete({ where: { id } }));
  }

  // --- setup ----------------------------------------------------------------------------

  async counts(): Promise<Record<'regions' | 'terms' | 'rounds' | 'units' | 'categories' | 'users', number>> {
    const [row] = await this.prisma.$queryRaw<Record<string, bigint>[]>`
      SELECT (SELECT count(*) FROM regions WHERE deleted_at IS NULL) AS regions,
             (SELECT count(*) FROM terms WHERE deleted_at IS NULL) AS terms,
             (SELECT count(*) FROM rounds WHERE deleted_at IS NULL) AS rounds,
             (SELECT count(*) FROM org_units WHERE deleted_at IS NULL) AS units,
             (SELECT count(*) FROM issue_categories WHERE deleted_at IS NULL AND level = 2) AS categories,
             (SELECT count(*) FROM users WHERE deleted_at IS NULL AND active AND role <> 'ADMIN') AS users`;
    return {
      regions: Number(row.regions),
      terms: Number(row.terms),
      rounds: Number(row.rounds),
      units: Number(row.units),
      categories: Number(row.categories),
      users: Number(row.users),
    };
  }
}
