import { HttpStatus, Inject, Injectable, type StreamableFile } from '@nestjs/common';
import { shanghaiToday } from '@xuncha/shared';
import { CountyScope } from '../auth/county-scope';
import type { Principal } from '../auth/principal';
import { AppError } from '../common/http-exception.filter';
import { dbDate, isoDay } from '../common/dates';
import { UNIT_CATEGORY_LABELS } from '../common/labels';
import { csvListFile, namedFileName, xlsxListFile } from '../files/list-file';
import type {
  AbolishUnit,
  CategoryRecord,
  CreateCategory,
  CreateRegion,
  CreateRound,
  CreateTerm,
  CreateUnit,
  RegionLevel,
  RegionRecord,
  RoundRecord,
  SetupStatus,
  TermRecord,
  UnitFileQuery,
  UnitQuery,
  UnitRecord,
  UpdateRegion,
  UpdateRound,
  UpdateTerm,
  UpdateUnit,
} from './dto/masterdata.dto';
import { MasterdataRepository, type RegionRow, type UnitRow } from './masterdata.repository';
import { UNIT_FILE_COLUMNS, unitListLabel } from './unit-list-file';
import { REGION_FILE_COLUMNS, REGION_LIST_LABEL } from './region-list-file';

/** A 400 naming one field, in the error filter's shape. */
export function badField(field: string, message: string): AppError {
  return new AppError(HttpStatus.BAD_REQUEST, `${field}: ${message}`, [{ field, message }]);
}

function conflict(field: string, message: string): AppError {
  return new AppError(HttpStatus.CONFLICT, `${field}: ${message}`, [{ field, message }]);
}

/** The most units one download of the directory holds (far above any city's directory). */
const MAX_UNIT_FILE_ROWS = 1_000_000;

const cityOnly = () =>
  new AppError(
    HttpStatus.FORBIDDEN,
    "县区账号只能维护本县（区）的单位和乡镇（街道） a county account may manage only its own county's units and townships; this is the city's master data",
  );

/** Which level a region's parent must have. */
export const PARENT_LEVELS: Record<RegionLevel, readonly (RegionLevel | null)[]> = {
  CITY: [null],
  MUNICIPAL: ['CITY'],
  COUNTY: ['CITY'],
  TOWNSHIP: ['COUNTY', 'MUNICIPAL'],
};

export const LEVEL_NAMES: Record<RegionLevel, string> = { CITY: '市', MUNICIPAL: '市本级', COUNTY: '县(市、区)', TOWNSHIP: '乡镇(街道)' };

/** The county (or 市本级) a region belongs to: a township's parent, else itself. */
export const countyOf = (region: Pick<RegionRow, 'id' | 'level' | 'parentId'>): number =>
  region.level === 'TOWNSHIP' && region.parentId !== null ? region.parentId : region.id;

/** The committee a unit of `region` is managed by: the city's for the city and 市本级, else its county's. */
export function committeeOf(region: RegionRow, regions: ReadonlyMap<number, RegionRow>): number {
  const county = regions.get(countyOf(region)) ?? region;
  if (county.level === 'MUNICIPAL' && county.parentId !== null) return county.parentId;
  return county.id;
}

/** The name of a committee from its region: 市委 for the city, 某某县委 for a county. */
export function committeeName(region: { name: string }): string {
  return `${region.name}委`;
}

/**
 * The office's master data. City STAFF and ADMIN keep all of it; a COUNTY_STAFF user keeps
 * the units and townships of their own county (another county's answer as missing: 404)
 * and is refused the city's master data (403): counties, terms, rounds, categories.
 */
@Injectable()
export class MasterdataService {
  constructor(
    @Inject(MasterdataRepository) private readonly repository: MasterdataRepository,
    @Inject(CountyScope) private readonly county: CountyScope,
  ) {}

  private cityStaffOnly(auth: Principal): void {
    if (this.county.limit(auth) !== null) throw cityOnly();
  }

  // --- regions -----------------------------------------------------------------------

  async regions(auth: Principal): Promise<{ rows: RegionRecord[] }> {
    return { rows: await this.repository.regions(this.county.limit(auth)) };
  }

  /**
   * 导出 of 行政区划 (.xlsx or CSV): the rows of GET /api/masterdata/regions in its order,
   * each with its parent; a county account's file holds its county and townships and is named after it.
   */
  async regionsFile(auth: Principal, format: 'csv' | 'xlsx'): Promise<StreamableFile> {
    const limit = this.county.limit(auth);
    const today = shanghaiToday();
    const { rows } = await this.regions(auth);
    const regions = new Map((await this.repository.allRegions()).map((r) => [r.id, r]));
    const fileRows = rows.map((r) => {
      const parent = r.parentId === null ? undefined : regions.get(r.parentId);
      return { ...r, parentCode: parent?.code ?? null, parentName: parent?.name ?? null };
    });
    const reportingUnit = (limit === null ? [...regions.values()].find((r) => r.level === 'CITY') : regions.get(limit))?.name ?? '';
    const name = namedFileName([REGION_LIST_LABEL, limit === null ? undefined : reportingUnit, today], format);
    const ascii = `regions-${today}.${format}`;
    if (format === 'csv') return csvListFile(REGION_FILE_COLUMNS, [fileRows], ascii, name);
    return xlsxListFile(REGION_FILE_COLUMNS, [fileRows], fileRows, { title: REGION_LIST_LABEL, reportingUnit, asOf: today, ascii, name });
  }

  private async visibleRegion(auth: Principal, id: number): Promise<RegionRow> {
    const region = await this.repository.region(id);
    const limit = this.county.limit(auth);
    if (!region || (limit !== null && countyOf(region) !== limit)) {
      throw new AppError(HttpStatus.NOT_FOUND, `区划不存在或已删除 region ${id} does not exist or was deleted`);
    }
    return region;
  }

  /** A parent for a region of `level` (null for the city), checked against the level rules and the county limit. */
  private async parentFor(auth: Principal, level: RegionLevel, parentId: number | null | undefined): Promise<number | null> {
    const allowed = PARENT_LEVELS[level];
    if (parentId === undefined || parentId === null) {
      if (allowed.includes(null)) return null;
      throw badField('parentId', `${LEVEL_NAMES[level]}须有上级区划 a ${level} region needs a parent (${allowed.join(' or ')})`);
    }
    const parent = await this.repository.region(parentId);
    const limit = this.county.limit(auth);
    if (!parent || (limit !== null && parent.id !== limit))
      throw badField('parentId', `上级区划不存在或已删除 region ${parentId} does not exist or was deleted`);
    if (!allowed.includes(parent.level)) {
      throw badField(
        'parentId',
        `${LEVEL_NAMES[level]}的上级须为${allowed.map((l) => (l ? LEVEL_NAMES[l] : '无')).join('或')} the parent of a ${level} region must be ${allowed.join(' or ')} (got ${parent.level})`,
      );
    }
    return parent.id;
  }

  async createRegion(auth: Principal, input: CreateRegion): Promise<RegionRecord> {
    // a county user adds townships (streets) of their own county only
    if (this.county.limit(auth) !== null && input.level !== 'TOWNSHIP') throw cityOnly();
    const parentId = await this.parentFor(auth, input.level, input.parentId);
    if (await this.repository.regionByCode(input.code)) throw conflict('code', `区划代码 ${input.code} 已存在 region code ${input.code} already exists`);
    const row = await this.repository.createRegion({ code: input.code, name: input.name, level: input.level, parentId });
    return { ...row, units: 0 };
  }

  async updateRegion(auth: Principal, id: number, input: UpdateRegion): Promise<RegionRecord> {
    const region = await this.visibleRegion(auth, id);
    if (this.county.limit(auth) !== null && region.level !== 'TOWNSHIP') throw cityOnly();
    const data: { code?: string; name?: string; parentId?: number | null } = {};
    if (input.code !== undefined && input.code !== region.code) {
      if (await this.repository.regionByCode(input.code)) throw conflict('code', `区划代码 ${input.code} 已存在 region code ${input.code} already exists`);
      data.code = input.code;
    }
    if (input.name !== undefined) data.name = input.name;
    if (input.parentId !== undefined && input.parentId !== region.parentId) {
      if (input.parentId === id) throw badField('parentId', '上级区划不能是自己 a region cannot be its own parent');
      data.parentId = await this.parentFor(auth, region.level, input.parentId);
    }
    const row = Object.keys(data).length > 0 ? await this.repository.updateRegion(id, data) : region;
    const units = (await this.repository.regions(null)).find((r) => r.id === id)?.units ?? 0;
    return { ...row, units };
  }

  // --- terms and rounds -------------------------------------------------------------

  async terms(auth: Principal): Promise<{ committees: { regionId: number; name: string; level: RegionLevel }[]; rows: TermRecord[] }> {
    const [all, regions] = await Promise.all([this.repository.terms(), this.repository.allRegions()]);
    // a county user sees the city's committee and their own, not another county's
    const limit = this.county.limit(auth);
    const shown = (r: RegionRow) => (r.level === 'CITY' || r.level === 'COUNTY') && (limit === null || r.level === 'CITY' || r.id === limit);
    const committees = regions.filter(shown).map((r) => ({ regionId: r.id, name: committeeName(r), level: r.level }));
    const ids = new Set(committees.map((c) => c.regionId));
    const terms = all.filter((t) => ids.has(t.committeeRegionId));
    return {
      committees,
      rows: terms.map((t) => ({
        id: t.id,
        committeeRegionId: t.committeeRegionId,
        committeeName: committeeName(t.committeeRegion),
        ordinal: t.ordinal,
        name: t.name,
        startDate: isoDay(t.startDate),
        endDate: isoDay(t.endDate),
        rounds: t.rounds.map((r) => roundView(r, r._count.inspections)),
      })),
    };
  }

  /** The dates of a term must not overlap another term of its committee; its rounds must stay inside. */
  private async checkTerm(committeeRegionId: number, ordinal: number, start: string, end: string, except: number | null): Promise<void> {
    const others = await this.repository.committeeTerms(committeeRegionId, except);
    const same = others.find((t) => t.ordinal === ordinal);
    if (same) throw conflict('ordinal', `该党委已有第 ${ordinal} 届 the committee already has a term with ordinal ${ordinal} (${same.name})`);
    const overlap = others.find((t) => isoDay(t.startDate) <= end && isoDay(t.endDate) >= start);
    if (overlap) {
      throw badField(
        'startDate',
        `届期与${overlap.name}（${isoDay(overlap.startDate)} 至 ${isoDay(overlap.endDate)}）重叠 the term's dates overlap term "${overlap.name}" (${isoDay(overlap.startDate)} – ${isoDay(overlap.endDate)}) of the same committee`,
      );
    }
  }

  async createTerm(auth: Principal, input: CreateTerm): Promise<TermRecord> {
    this.cityStaffOnly(auth);
    const region = await this.repository.region(input.committeeRegionId);
    if (!region) throw badField('committeeRegionId', `党委所在区划不存在 region ${input.committeeRegionId} does not exist`);
    if (region.level !== 'CITY' && region.level !== 'COUNTY') {
      throw badField(
        'committeeRegionId',
        `党委须为市委或县（区）委 the committee must be the city's or a county's (region level CITY or COUNTY, got ${region.level})`,
      );
    }
    await this.checkTerm(region.id, input.ordinal, input.startDate, input.endDate, null);
    const term = await this.repository.createTerm({
      committeeRegionId: region.id,
      ordinal: input.ordinal,
      name: input.name,
      startDate: dbDate(input.startDate),
      endDate: dbDate(input.endDate),
    });
    return {
      id: term.id,
      committeeRegionId: region.id,
      committeeName: committeeName(region),
      ordinal: term.ordinal,
      name: term.name,
      startDate: input.startDate,
      endDate: input.endDate,
      rounds: [],
    };
  }

  async updateTerm(auth: Principal, id: number, input: UpdateTerm): Promise<TermRecord> {
    this.cityStaffOnly(auth);
    const term = await this.repository.term(id);
    if (!term) throw new AppError(HttpStatus.NOT_FOUND, `届次不存在或已删除 term ${id} does not exist or was deleted`);
    const start = input.startDate ?? isoDay(term.startDate);
    const end = input.endDate ?? isoDay(term.endDate);
    if (end < start) throw badField('endDate', `结束日期早于开始日期 must not be before startDate (${end} < ${start})`);
    await this.checkTerm(term.committeeRegionId, input.ordinal ?? term.ordinal, start, end, id);
    for (const round of await this.repository.termRounds(id)) {
      if (isoDay(round.startDate) < start || isoDay(round.endDate) > end) {
        throw badField(
          isoDay(round.startDate) < start ? 'startDate' : 'endDate',
          `${round.name}（${isoDay(round.startDate)} 至 ${isoDay(round.endDate)}）将超出届期 round "${round.name}" would fall outside the term's dates`,
        );
      }
    }
    await this.repository.updateTerm(id, { ordinal: input.ordinal, name: input.name, startDate: dbDate(start), endDate: dbDate(end) });
    const updated = (await this.terms(auth)).rows.find((t) => t.id === id);
    if (!updated) throw new AppError(HttpStatus.NOT_FOUND, `届次不存在或已删除 term ${id} does not exist or was deleted`);
    return updated;
  }

  private async checkRound(termId: number, ordinal: number, start: string, end: string, except: number | null): Promise<void> {
    const term = await this.repository.term(termId);
    if (!term) throw badField('termId', `届次不存在或已删除 term ${termId} does not exist or was deleted`);
    const termStart = isoDay(term.startDate);
    const termEnd = isoDay(term.endDate);
    if (start < termStart) throw badField('startDate', `开始日期早于届期开始 must not be before the term's start (${start} < ${termStart})`);
    if (end > termEnd) throw badField('endDate', `结束日期晚于届期结束 must not be after the term's end (${end} > ${termEnd})`);
    const same = (await this.repository.termRounds(termId)).find((r) => r.ordinal === ordinal && r.id !== except);
    if (same) throw conflict('ordinal', `该届已有第 ${ordinal} 轮 the term already has a round with ordinal ${ordinal} (${same.name})`);
  }

  async createRound(auth: Principal, input: CreateRound): Promise<RoundRecord> {
    this.cityStaffOnly(auth);
    await this.checkRound(input.termId, input.ordinal, input.startDate, input.endDate, null);
    const round = await this.repository.createRound({ ...input, startDate: dbDate(input.startDate), endDate: dbDate(input.endDate) });
    return roundView(round, 0);
  }

  async updateRound(auth: Principal, id: number, input: UpdateRound): Promise<RoundRecord> {
    this.cityStaffOnly(auth);
    const round = await this.repository.round(id);
    if (!round) throw new AppError(HttpStatus.NOT_FOUND, `轮次不存在或已删除 round ${id} does not exist or was deleted`);
    const start = input.startDate ?? isoDay(round.startDate);
    const end = input.endDate ?? isoDay(round.endDate);
    if (end < start) throw badField('endDate', `结束日期早于开始日期 must not be before startDate (${end} < ${start})`);
    await this.checkRound(round.termId, input.ordinal ?? round.ordinal, start, end, id);
    const updated = await this.repository.updateRound(id, {
      ordinal: input.ordinal,
      name: input.name,
      year: input.year,
      startDate: dbDate(start),
      endDate: dbDate(end),
    });
    return roundView(updated, await this.repository.roundInspections(id));
  }

  // --- units -------------------------------------------------------------------------

  /** A county account's limit, refusing a region of another county (403). */
  private async unitsLimit(auth: Principal, regionId: number | undefined): Promise<number | null> {
    const limit = this.county.limit(auth);
    if (limit !== null && regionId !== undefined) {
      const region = await this.repository.region(regionId);
      if (!region || countyOf(region) !== limit)
        throw new AppError(HttpStatus.FORBIDDEN, `regionId: 县区账号只能查看本县（区） a county account may see only its own county (region ${regionId})`);
    }
    return limit;
  }

  async units(auth: Principal, query: UnitQuery): Promise<{ total: number; page: number; pageSize: number; rows: UnitRecord[] }> {
    const limit = await this.unitsLimit(auth, query.regionId);
    const { total, rows } = await this.repository.units(query, limit, shanghaiToday());
    return { total, page: query.page ?? 1, pageSize: query.pageSize ?? 20, rows };
  }

  /**
   * Every unit of the directory under the same filters as .xlsx or CSV, within the user's
   * county, named after the filters (`被巡察单位名录(现存单位)_某县_国有企业_搜索-医院_2026-12-03.xlsx`).
   * A city's directory is thousands of units, not millions: read at once.
   */
  async unitsFile(auth: Principal, query: UnitFileQuery, format: 'csv' | 'xlsx'): Promise<StreamableFile> {
    const limit = await this.unitsLimit(auth, query.regionId);
    const today = shanghaiToday();
    const { rows } = await this.repository.units({ ...query, page: 1, pageSize: MAX_UNIT_FILE_ROWS }, limit, today);
    const regions = new Map((await this.repository.allRegions()).map((r) => [r.id, r]));
    const regionId = query.regionId ?? limit ?? undefined;
    const region = regionId === undefined ? undefined : regions.get(regionId)?.name;
    const committee = query.committeeRegionId === undefined ? undefined : `${regions.get(query.committeeRegionId)?.name ?? query.committeeRegionId}党委管辖`;
    const label = unitListLabel(query.status);
    const q = query.q?.trim() ? `搜索-${query.q.trim()}` : undefined;
    const name = namedFileName([label, region, committee, query.category ? UNIT_CATEGORY_LABELS[query.category] : undefined, q, today], format);
    const ascii = `units-${today}.${format}`;
    if (format === 'csv') return csvListFile(UNIT_FILE_COLUMNS, [rows], ascii, name);
    // 填报单位: the county account's county, else the city
    const reportingUnit = (limit === null ? [...regions.values()].find((r) => r.level === 'CITY') : regions.get(limit))?.name ?? '';
    return xlsxListFile(UNIT_FILE_COLUMNS, [rows], rows, { title: label, reportingUnit, asOf: today, ascii, name });
  }

  private async visibleUnit(auth: Principal, id: number): Promise<UnitRow> {
    await this.county.check(auth, 'unit', id, CountyScope.notFound('单位', id));
    const unit = await this.repository.unit(id);
    if (!unit) throw CountyScope.notFound('单位', id)();
    return unit;
  }

  async unit(auth: Principal, id: number): Promise<UnitRecord> {
    return this.visibleUnit(auth, id);
  }

  /** The region, committee and parent of a unit, checked (and limited to the user's county). */
  private async placement(
    auth: Principal,
    unitId: number | null,
    regionId: number,
    committeeRegionId: number | undefined,
    parentUnitId: number | null | undefined,
  ) {
    const regions = new Map((await this.repository.allRegions()).map((r) => [r.id, r]));
    const region = regions.get(regionId);
    const limit = this.county.limit(auth);
    if (!region || (limit !== null && countyOf(region) !== limit))
      throw badField('regionId', `所在区划不存在或已删除 region ${regionId} does not exist or was deleted`);
    if (region.level === 'CITY' && [...regions.values()].some((r) => r.level === 'MUNICIPAL')) {
      throw badField('regionId', '市管单位请选择“市本级”区划 units of the city belong to its 市本级 (MUNICIPAL) region, not the city itself');
    }
    let committee = committeeOf(region, regions);
    if (committeeRegionId !== undefined && committeeRegionId !== committee) {
      const chosen = regions.get(committeeRegionId);
      if (!chosen || (chosen.level !== 'CITY' && chosen.level !== 'COUNTY') || (limit !== null && chosen.id !== limit)) {
        throw badField(
          'committeeRegionId',
          `管辖党委须为市委或本单位所在县（区）委 the managing committee must be the city's or a county's (region ${committeeRegionId})`,
        );
      }
      committee = chosen.id;
    }
    if (parentUnitId !== undefined && parentUnitId !== null) {
      if (parentUnitId === unitId) throw badField('parentUnitId', '上级单位不能是自己 a unit cannot be its own parent');
      await this.county.check(auth, 'unit', parentUnitId, () =>
        badField('parentUnitId', `上级单位不存在或已删除 unit ${parentUnitId} does not exist or was deleted`),
      );
      const parent = await this.repository.unit(parentUnitId);
      if (!parent) throw badField('parentUnitId', `上级单位不存在或已删除 unit ${parentUnitId} does not exist or was deleted`);
      if (unitId !== null && (await this.repository.isUnitAncestor(unitId, parentUnitId))) {
        throw badField('parentUnitId', `上级单位不能是本单位的下级 unit ${parentUnitId} lies under this unit`);
      }
    }
    return { regionId: region.id, committeeRegionId: committee };
  }

  async createUnit(auth: Principal, input: CreateUnit): Promise<UnitRecord> {
    const place = await this.placement(auth, null, input.regionId, input.committeeRegionId, input.parentUnitId);
    if (await this.repository.unitIdByCode(input.code)) throw conflict('code', `单位代码 ${input.code} 已存在 unit code ${input.code} already exists`);
    const id = await this.repository.createUnit({
      code: input.code,
      name: input.name,
      category: input.category,
      ...place,
      parentUnitId: input.parentUnitId ?? null,
      validFrom: input.validFrom,
      validTo: null,
      principalLeader: input.principalLeader ?? null,
      leaderInCharge: input.leaderInCharge ?? null,
    });
    return this.visibleUnit(auth, id);
  }

  async updateUnit(auth: Principal, id: number, input: UpdateUnit): Promise<UnitRecord> {
    const unit = await this.visibleUnit(auth, id);
    const moved = input.regionId !== undefined && input.regionId !== unit.regionId;
    const place = await this.placement(
      auth,
      id,
      input.regionId ?? unit.regionId,
      input.committeeRegionId ?? (moved ? undefined : unit.committeeRegionId),
      input.parentUnitId,
    );
    if (input.code !== undefined && input.code !== unit.code && (await this.repository.unitIdByCode(input.code))) {
      throw conflict('code', `单位代码 ${input.code} 已存在 unit code ${input.code} already exists`);
    }
    const validFrom = input.validFrom ?? unit.validFrom;
    const validTo = input.validTo === undefined ? unit.validTo : input.validTo;
    if (validTo !== null && validTo < validFrom)
      throw badField(
        input.validTo !== undefined ? 'validTo' : 'validFrom',
        `撤销日期早于设立日期 validTo must not be before validFrom (${validTo} < ${validFrom})`,
      );
    const stationing = await this.repository.unitStationing(id);
    if (stationing.first !== null && validFrom > stationing.first) {
      throw badField(
        'validFrom',
        `该单位 ${stationing.first} 已被巡察，设立日期不能晚于此日 the unit was inspected on ${stationing.first}; it cannot be established later`,
      );
    }
    await this.repository.updateUnit(id, {
      code: input.code,
      name: input.name,
      category: input.category,
      ...place,
      ...(input.parentUnitId !== undefined ? { parentUnitId: input.parentUnitId } : {}),
      validFrom: input.validFrom,
      ...(input.principalLeader !== undefined ? { principalLeader: input.principalLeader } : {}),
      ...(input.leaderInCharge !== undefined ? { leaderInCharge: input.leaderInCharge } : {}),
      ...(input.validTo !== undefined ? { validTo: input.validTo, ...(input.validTo === null ? { mergedIntoId: null } : {}) } : {}),
    });
    return this.visibleUnit(auth, id);
  }

  /** 撤并: abolished on `date`, or merged on `date` into another unit (its successor). */
  async abolishUnit(auth: Principal, id: number, input: AbolishUnit): Promise<UnitRecord> {
    const unit = await this.visibleUnit(auth, id);
    if (unit.validTo !== null)
      throw conflict('date', `该单位已于 ${unit.validTo} 撤并 the unit was already abolished or merged on ${unit.validTo}; undo that first (validTo: null)`);
    if (input.date < unit.validFrom) throw badField('date', `撤并日期早于设立日期 must not be before the unit's validFrom (${input.date} < ${unit.validFrom})`);
    const mergedIntoId = input.mergedIntoId ?? null;
    if (mergedIntoId !== null) {
      if (mergedIntoId === id) throw badField('mergedIntoId', '不能并入自己 a unit cannot be merged into itself');
      await this.county.check(auth, 'unit', mergedIntoId, () =>
        badField('mergedIntoId', `并入单位不存在或已删除 unit ${mergedIntoId} does not exist or was deleted`),
      );
      const successor = await this.repository.unit(mergedIntoId);
      if (!successor) throw badField('mergedIntoId', `并入单位不存在或已删除 unit ${mergedIntoId} does not exist or was deleted`);
      if (successor.validFrom > input.date || (successor.validTo !== null && successor.validTo <= input.date)) {
        throw badField('mergedIntoId', `并入单位在 ${input.date} 不存续 unit ${successor.code} is not valid on ${input.date}`);
      }
    }
    await this.repository.updateUnit(id, { validTo: input.date, mergedIntoId });
    return this.visibleUnit(auth, id);
  }

  // --- categories ---------------------------------------------------------------------

  async categories(): Promise<{ rows: CategoryRecord[] }> {
    return { rows: await this.repository.categories() };
  }

  async createCategory(auth: Principal, input: CreateCategory): Promise<CategoryRecord> {
    this.cityStaffOnly(auth);
    let level = 1;
    if (input.parentId !== undefined && input.parentId !== null) {
      const parent = await this.repository.category(input.parentId);
      if (!parent) throw badField('parentId', `上级类别不存在或已删除 category ${input.parentId} does not exist or was deleted`);
      if (parent.level !== 1)
        throw badField('parentId', `上级类别须为一级类别 the parent must be a level-1 category (${parent.code} is level ${parent.level})`);
      if (!input.code.startsWith(`${parent.code}.`))
        throw badField('code', `二级类别代码须以“${parent.code}.”开头 a level-2 code must start with "${parent.code}." (e.g. ${parent.code}.01)`);
      level = 2;
    } else if (input.code.includes('.')) {
      throw badField('code', '一级类别代码不能含“.” a level-1 code holds no "." (e.g. 6)');
    }
    if (await this.repository.categoryByCode(input.code))
      throw conflict('code', `类别代码 ${input.code} 已存在（或曾被使用） category code ${input.code} already exists (or was used before)`);
    const row = await this.repository.createCategory({ code: input.code, name: input.name, level, parentId: input.parentId ?? null });
    return { ...row, findings: 0 };
  }

  private async liveCategory(id: number) {
    const category = await this.repository.category(id);
    if (!category) throw new AppError(HttpStatus.NOT_FOUND, `问题类别不存在或已删除 category ${id} does not exist or was deleted`);
    return category;
  }

  async renameCategory(auth: Principal, id: number, name: string): Promise<CategoryRecord> {
    this.cityStaffOnly(auth);
    await this.liveCategory(id);
    await this.repository.renameCategory(id, name);
    const row = (await this.repository.categories()).find((c) => c.id === id);
    if (!row) throw new AppError(HttpStatus.NOT_FOUND, `问题类别不存在或已删除 category ${id} does not exist or was deleted`);
    return row;
  }

  async deleteCategory(auth: Principal, id: number): Promise<{ id: number }> {
    this.cityStaffOnly(auth);
    const category = await this.liveCategory(id);
    const use = await this.repository.categoryUse(id);
    if (use.findings > 0)
      throw new AppError(
        HttpStatus.CONFLICT,
        `问题类别 ${category.code} ${category.name} 已有 ${use.findings} 个问题使用，不能删除（可改名） category ${category.code} is used by ${use.findings} finding(s) and cannot be deleted (rename it instead)`,
      );
    if (use.children > 0)
      throw new AppError(
        HttpStatus.CONFLICT,
        `问题类别 ${category.code} 下还有 ${use.children} 个二级类别，请先删除它们 category ${category.code} still has ${use.children} level-2 categories; delete them first`,
      );
    await this.repository.deleteCategory(id);
    return { id };
  }

  // --- setup -------------------------------------------------------------------------

  async setup(): Promise<SetupStatus> {
    const counts = await this.repository.counts();
    const items = (['regions', 'terms', 'rounds', 'units', 'categories', 'users'] as const).map((key) => ({ key, count: counts[key], done: counts[key] > 0 }));
    return { complete: items.every((i) => i.done), items };
  }
}

function roundView(
  round: { id: number; termId: number; ordinal: number; year: number; name: string; startDate: Date; endDate: Date },
  inspections: number,
): RoundRecord {
  return {
    id: round.id,
    termId: round.termId,
    ordinal: round.ordinal,
    year: round.year,
    name: round.name,
    startDate: isoDay(round.startDate),
    endDate: isoDay(round.endDate),
    inspections,
  };
}
