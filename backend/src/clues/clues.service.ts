import { HttpStatus, Inject, Injectable, type StreamableFile } from '@nestjs/common';
import { shanghaiToday } from '@xuncha/shared';
import { CountyScope } from '../auth/county-scope';
import type { Principal } from '../auth/principal';
import { isoDay } from '../common/dates';
import { AppError } from '../common/http-exception.filter';
import type { AppConfig } from '../config/app-config';
import { DimensionsService } from '../dimensions/dimensions.service';
import type { WarningLevel } from '../drill/dto/drill.dto';
import { APP_CONFIG } from '../infra/tokens';
import { CluesRepository, type ClueContext, type ClueListRow, type ClueTallyRow } from './clues.repository';
import type { ClueFileQuery, ClueListQuery, CreateClue, UpdateClue } from './dto/clues.dto';
import { csvListFile, listFileName, xlsxListFile } from '../files/list-file';
import { CLUE_FILE_COLUMNS, clueListLabel } from './clue-list-file';

/** The most clues one download holds (far above any city's clues). */
const MAX_CLUE_FILE_ROWS = 1_000_000;

type Recipient = 'DISCIPLINE' | 'ORGANIZATION' | 'OTHER';
type Status = 'PENDING' | 'IN_PROGRESS' | 'CONCLUDED';

/**
 * 线索: the clues handed over from inspections (问题线索移交) — list, record, edit — warned on
 * the 预警 ladder against their feedback deadline (handover + CLUE_FEEDBACK_MONTHS), and
 * counted by county and by inspection. A county account sees and writes its county's only.
 */
@Injectable()
export class CluesService {
  constructor(
    @Inject(CluesRepository) private readonly repository: CluesRepository,
    @Inject(CountyScope) private readonly county: CountyScope,
    @Inject(DimensionsService) private readonly dimensions: DimensionsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The county a read is limited to: a county account's own (another is refused), else the one asked for. */
  private async context(auth: Principal, regionId: number | undefined): Promise<ClueContext> {
    const limit = this.county.limit(auth);
    if (limit !== null && regionId !== undefined && regionId !== limit)
      throw new AppError(HttpStatus.FORBIDDEN, `regionId: 只能查看本县区的线索 a county account sees only its own county (region ${regionId})`);
    const countyId = limit ?? regionId ?? null;
    if (countyId !== null && limit === null) {
      const region = (await this.dimensions.get()).regions.find((r) => r.id === countyId);
      if (!region || (region.level !== 'COUNTY' && region.level !== 'MUNICIPAL'))
        throw new AppError(400, `regionId: 须为县（市、区）或市本级 must be a county-level region (got ${countyId})`);
    }
    return { today: shanghaiToday(), months: this.config.clueFeedbackMonths, ladder: this.config.warningDays, countyId };
  }

  private async names() {
    const dims = await this.dimensions.get();
    const regions = new Map(dims.regions.map((r) => [r.id, r.name]));
    return (id: number) => regions.get(id) ?? '';
  }

  private view(r: ClueListRow, county: (id: number) => string) {
    return {
      id: r.id,
      inspectionId: r.inspection_id,
      unitId: r.unit_id,
      unitName: r.unit_name,
      countyId: r.county_id,
      countyName: county(r.county_id),
      roundId: r.round_id,
      roundName: r.round_name,
      handedTo: r.handed_to as Recipient,
      handedDate: r.handed_date,
      persons: r.persons,
      summary: r.summary,
      disposalStatus: r.disposal_status as Status,
      concludedDate: r.concluded_date,
      feedbackDue: r.feedback_due,
      warning: r.warning as WarningLevel | null,
    };
  }

  async list(auth: Principal, query: ClueListQuery) {
    const context = await this.context(auth, query.regionId);
    const rows = await this.repository.list(context, query);
    const county = await this.names();
    return {
      today: context.today,
      feedbackMonths: context.months,
      total: rows.length > 0 ? Number(rows[0].total) : 0,
      page: query.page,
      pageSize: query.pageSize,
      rows: rows.map((r) => this.view(r, county)),
    };
  }

  /**
   * Every clue of the list under the same filters as .xlsx or CSV, named after the filters
   * (`红色预警线索_某县_2026-12-03.xlsx`). Clues are hundreds, not millions: read at once.
   */
  async file(auth: Principal, query: ClueFileQuery, format: 'csv' | 'xlsx'): Promise<StreamableFile> {
    const context = await this.context(auth, query.regionId);
    const county = await this.names();
    const rows = (await this.repository.list(context, { ...query, page: 1, pageSize: MAX_CLUE_FILE_ROWS })).map((r) => this.view(r, county));
    const label = clueListLabel(query);
    const inspection = query.inspectionId === undefined ? undefined : `巡察${query.inspectionId}`;
    const name = listFileName(label, { region: context.countyId === null ? undefined : county(context.countyId), round: inspection }, context.today, format);
    const ascii = `clues-${context.today}.${format}`;
    if (format === 'csv') return csvListFile(CLUE_FILE_COLUMNS, [rows], ascii, name);
    return xlsxListFile(CLUE_FILE_COLUMNS, [rows], rows, { title: label, reportingUnit: await this.reportingUnit(auth), asOf: context.today, ascii, name });
  }

  /** 填报单位: the county account's county, else the city. */
  private async reportingUnit(auth: Principal): Promise<string> {
    const limit = this.county.limit(auth);
    const regions = (await this.dimensions.get()).regions;
    return regions.find((r) => (limit === null ? r.level === 'CITY' : r.id === limit))?.name ?? '';
  }

  async stats(auth: Principal, regionId: number | undefined) {
    const context = await this.context(auth, regionId);
    const county = await this.names();
    const tally = (r: ClueTallyRow) => ({
      clues: Number(r.clues),
      persons: Number(r.persons),
      concluded: Number(r.concluded),
      yellow: Number(r.yellow),
      orange: Number(r.orange),
      red: Number(r.red),
    });
    const byCounty = (await this.repository.tally(context, 'county')).map((r) => ({ countyId: r.county_id, countyName: county(r.county_id), ...tally(r) }));
    const byInspection = (await this.repository.tally(context, 'inspection')).map((r) => ({
      inspectionId: r.key,
      unitName: r.unit_name ?? '',
      countyName: county(r.county_id),
      roundName: r.round_name ?? '',
      ...tally(r),
    }));
    const total = { clues: 0, persons: 0, concluded: 0, yellow: 0, orange: 0, red: 0 };
    for (const row of byCounty) for (const k of Object.keys(total) as (keyof typeof total)[]) total[k] += row[k];
    return { today: context.today, total, byCounty, byInspection };
  }

  async create(auth: Principal, input: CreateClue) {
    await this.county.check(
      auth,
      'inspection',
      input.inspectionId,
      () => new AppError(400, `inspectionId: 巡察不存在或已删除 inspection ${input.inspectionId} does not exist or was deleted`),
    );
    if (!(await this.repository.inspectionExists(input.inspectionId))) {
      throw new AppError(400, `inspectionId: 巡察不存在或已删除 inspection ${input.inspectionId} does not exist or was deleted`);
    }
    this.checkDates(input.handedDate, input.disposalStatus, input.concludedDate ?? null);
    const { id } = await this.repository.create(input);
    return this.one(auth, id);
  }

  async update(auth: Principal, id: number, input: UpdateClue) {
    const inspectionId = await this.repository.clueInspection(id);
    const missing = () => new AppError(HttpStatus.NOT_FOUND, `线索不存在或已删除 clue ${id} does not exist or was deleted`);
    if (inspectionId === null) throw missing();
    await this.county.check(auth, 'inspection', inspectionId, missing);
    const current = await this.repository.current(id);
    this.checkDates(
      input.handedDate ?? isoDay(current.handedDate),
      input.disposalStatus ?? current.disposalStatus,
      input.concludedDate === undefined ? (current.concludedDate ? isoDay(current.concludedDate) : null) : input.concludedDate,
    );
    await this.repository.update(id, input);
    return this.one(auth, id);
  }

  /** Handover not in the future; 反馈日期 not before it nor in the future, and given once 已办结. */
  private checkDates(handedDate: string, status: Status, concludedDate: string | null) {
    const today = shanghaiToday();
    if (handedDate > today) throw new AppError(400, `handedDate: 移交日期不能晚于今天 must not be after today (${today})`);
    if (concludedDate !== null && concludedDate < handedDate)
      throw new AppError(400, `concludedDate: 反馈日期不能早于移交日期 must not be before the handover (${handedDate})`);
    if (concludedDate !== null && concludedDate > today) throw new AppError(400, `concludedDate: 反馈日期不能晚于今天 must not be after today (${today})`);
    if (status === 'CONCLUDED' && concludedDate === null)
      throw new AppError(400, 'concludedDate: 已办结的线索须填写反馈日期 is required once the clue is concluded');
  }

  private async one(auth: Principal, id: number) {
    const context = await this.context(auth, undefined);
    const [row] = await this.repository.list(context, { page: 1, pageSize: 1 }, id);
    return this.view(row, await this.names());
  }
}
