import { createHash } from 'node:crypto';
import { PassThrough, type Writable } from 'node:stream';
import { countyLimit, SYSTEM, type Caller } from '../auth/principal';
import { Inject, Injectable, StreamableFile } from '@nestjs/common';
import { shanghaiToday } from '@xuncha/shared';
import type { FiltersInput, InspectionMode } from '../common/filters';
import { MODE_LABELS } from '../common/labels';
import { AppError } from '../common/http-exception.filter';
import type { AppConfig } from '../config/app-config';
import type { Dimensions } from '../dimensions/dimensions.repository';
import { DimensionsService } from '../dimensions/dimensions.service';
import { ScopeService } from '../dimensions/scope.service';
import { DrillService } from '../drill/drill.service';
import type { FindingListQuery, TaskListQuery } from '../drill/dto/drill.dto';
import { APP_CONFIG } from '../infra/tokens';
import { MetricsService } from '../metrics/metrics.service';
import type { FindingCsvQuery, TaskCsvQuery } from './dto/exports.dto';
import { ExportsRepository } from './exports.repository';
import { contentDisposition, XLSX_TYPE } from '../files/files';
import { csvListFile, listFileName, listPages, xlsxListFile, type ListNameParts, type ListPage } from '../files/list-file';
import { FINDING_CSV_COLUMNS, findingListLabel, TASK_CSV_COLUMNS, taskListLabel } from './list-csv';
import { UNIT_CATEGORY_LABELS } from '../common/labels';
import { uncoveredFileColumns, uncoveredListLabel } from './uncovered-list-file';
import { workbookFigures, writeQuarterlyWorkbook, type Named, type OverdueTask, type QuarterlyData, type WorkbookFigure } from './quarterly-workbook';
import { endedQuarter, type QuarterPeriod } from './quarters';
import { WorkbookStore, type OpenWorkbook, type WorkbookSlot } from './workbook-store';

/**
 * Bumped whenever the workbook's layout or the definitions behind its figures change in the
 * code: the kept workbooks of earlier versions are then made again.
 */
const WORKBOOK_LAYOUT = 3;

/** Said in every title of a reported quarter's workbook as currently computed. */
export const CURRENT_EDITION = '当前计算数，非已报送数';

/** A task list read for its ids, whose rows come a chunk at a time. */
type TaskChunks = Awaited<ReturnType<DrillService['taskChunks']>>;

/** Rows read per query when a list is exported whole: memory stays flat however long the list. */
export const EXPORT_CHUNK = 20_000;

/** Limits an export to what a county account may see (accounts arrive later). */
export interface ExportRestriction {
  /** A county-level region (市本级 or a county). */
  countyId: number;
}

type Page<T> = ListPage<T>;

/**
 * The downloads: the quarterly statistics workbook (.xlsx) and the drill-down lists as CSV.
 * Every figure comes from the metric and list definitions the API uses, as of the same day.
 */
@Injectable()
export class ExportsService {
  /** Rows per read of a list exported whole (tests lower it to cross page boundaries). */
  chunkSize = EXPORT_CHUNK;
  /** The quarterly workbooks made so far (WORKBOOK_STORE_DIR). */
  readonly store: WorkbookStore;
  private readonly dimensionsDigests = new WeakMap<Dimensions, string>();
  /** The summary figures of each workbook as it stands (by slot name), with the version they are of. */
  private readonly figureMemo = new Map<string, { version: string; figures: WorkbookFigure[] }>();

  constructor(
    @Inject(ExportsRepository) private readonly repository: ExportsRepository,
    @Inject(ScopeService) private readonly scopes: ScopeService,
    @Inject(DimensionsService) private readonly dimensions: DimensionsService,
    @Inject(MetricsService) private readonly metrics: MetricsService,
    @Inject(DrillService) private readonly drill: DrillService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.store = new WorkbookStore(config.workbookStoreDir);
  }

  /**
   * The quarterly workbook as of the quarter's last day; with `restrict`, only that county's
   * units, findings and tasks (and the county as 填报单位). `current`: a reported quarter's
   * workbook as currently computed, said so in every title and in the file name.
   */
  async quarterly(
    year: number,
    quarter: number,
    restrict?: ExportRestriction,
    current = false,
  ): Promise<{ file: StreamableFile; source: OpenWorkbook['source'] }> {
    const period = endedQuarter(year, quarter, shanghaiToday());
    const dims = await this.dimensions.get();
    const county = restrict ? this.checkedCounty(dims, restrict.countyId) : undefined;
    const slot = await this.quarterlySlot(period, dims, county);
    const edition = current ? CURRENT_EDITION : undefined;
    const kept = current ? { ...slot, name: `${slot.name}-current` } : slot;
    const made = await this.store.open(kept, (output, signal) => this.writeQuarterly(output, period, dims, county, signal, edition));
    const name = this.quarterlyFileName(period, dims, county, current ? '当前计算' : undefined);
    const ascii = `xuncha-quarterly-${year}Q${quarter}${county ? `-county${county.id}` : ''}${current ? '-current' : ''}.xlsx`;
    const file = new StreamableFile(made.handle.createReadStream(), { type: XLSX_TYPE, disposition: contentDisposition(ascii, name), length: made.size });
    return { file, source: made.source };
  }

  /** The workbook's file name: `<填报单位>巡察工作统计-<quarter>[-<label>].xlsx`. */
  quarterlyFileName(period: QuarterPeriod, dims: Dimensions, county: Named | undefined, label?: string): string {
    const reportingUnit = county?.name ?? dims.regions.find((r) => r.level === 'CITY')?.name ?? '';
    return `${reportingUnit}巡察工作统计-${period.label}${label ? `-${label}` : ''}.xlsx`;
  }

  /** The 填报单位 of a workbook: the county it is restricted to (a county-level region, else 400), or the city. */
  async reportingRegion(restrict: ExportRestriction | undefined): Promise<Named> {
    const dims = await this.dimensions.get();
    if (restrict) return this.checkedCounty(dims, restrict.countyId);
    const city = dims.regions.find((r) => r.level === 'CITY');
    if (!city) throw new Error('no city region');
    return { id: city.id, name: city.name };
  }

  /**
   * A quarter's workbook made now, whole in memory, and its summary figures from the same
   * reading: what marking a quarter 已报送 keeps.
   */
  async quarterlyToReport(
    year: number,
    quarter: number,
    restrict: ExportRestriction | undefined,
  ): Promise<{ content: Buffer; figures: WorkbookFigure[]; fileName: string }> {
    const period = endedQuarter(year, quarter, shanghaiToday());
    const dims = await this.dimensions.get();
    const county = restrict ? this.checkedCounty(dims, restrict.countyId) : undefined;
    const data = await this.quarterlyData(period, dims, county);
    const figures = workbookFigures(data);
    const output = new PassThrough();
    const chunks: Buffer[] = [];
    output.on('data', (chunk: Buffer) => chunks.push(chunk));
    await writeQuarterlyWorkbook(output, data);
    return { content: Buffer.concat(chunks), figures, fileName: this.quarterlyFileName(period, dims, county) };
  }

  /** The summary figures of a quarter's workbook as it stands now (kept while the warehouse's figures of that day hold). */
  async currentFigures(year: number, quarter: number, restrict: ExportRestriction | undefined): Promise<WorkbookFigure[]> {
    const period = endedQuarter(year, quarter, shanghaiToday());
    const dims = await this.dimensions.get();
    const county = restrict ? this.checkedCounty(dims, restrict.countyId) : undefined;
    const slot = await this.quarterlySlot(period, dims, county);
    const memo = this.figureMemo.get(slot.name);
    if (memo?.version === slot.version) return memo.figures;
    const figures = workbookFigures(await this.quarterlyData(period, dims, county, undefined, true));
    this.figureMemo.set(slot.name, { version: slot.version, figures });
    return figures;
  }

  /** A county-level region (市本级 or a county) by id; another region is a 400 naming regionId. */
  private checkedCounty(dims: Dimensions, countyId: number): Named {
    const region = dims.regions.find((r) => r.id === countyId);
    if (!region || (region.level !== 'COUNTY' && region.level !== 'MUNICIPAL')) {
      throw new AppError(400, `regionId: 须为县（市、区）或市本级 must be a county-level region (got ${countyId})`);
    }
    return { id: region.id, name: region.name };
  }

  /**
   * Whose workbook a request gets: a county account its county's (naming another county is
   * refused, 403); anyone else the city's, or with `regionId` that county-level region's.
   */
  quarterlyRestriction(countyLimit: number | null, regionId: number | undefined): ExportRestriction | undefined {
    if (countyLimit !== null) {
      if (regionId !== undefined && regionId !== countyLimit)
        throw new AppError(403, `regionId: 县区账号只能下载本县区的报表 a county account may download only its own county's workbook`);
      return { countyId: countyLimit };
    }
    return regionId === undefined ? undefined : { countyId: regionId };
  }

  /**
   * Makes and keeps the workbook of a quarter (that has ended) for a scope unless it is kept
   * already, as a request for it would: true when it was made. Stops early when `signal` aborts.
   */
  async prepareQuarterly(year: number, quarter: number, restrict: ExportRestriction | undefined, signal?: AbortSignal): Promise<boolean> {
    const period = endedQuarter(year, quarter, shanghaiToday());
    const dims = await this.dimensions.get();
    const county = restrict ? this.county(dims, restrict.countyId) : undefined;
    const slot = await this.quarterlySlot(period, dims, county);
    return this.store.prepare(slot, (output, aborted) => this.writeQuarterly(output, period, dims, county, aborted), signal);
  }

  /**
   * The kept file a quarter's workbook for a scope is: its version digests what the content
   * depends on. The warehouse's change token is read before any figure, so that a file never
   * holds older figures than its version names.
   */
  private async quarterlySlot(period: QuarterPeriod, dims: Dimensions, county: Named | undefined): Promise<WorkbookSlot> {
    const token = await this.repository.changeToken(period.end);
    let labels = this.dimensionsDigests.get(dims);
    if (labels === undefined) {
      const { regions, categories, terms, rounds, modes, unitCategories } = dims;
      labels = createHash('sha256').update(JSON.stringify({ regions, categories, terms, rounds, modes, unitCategories })).digest('hex');
      this.dimensionsDigests.set(dims, labels);
    }
    const version = createHash('sha256')
      .update(JSON.stringify([WORKBOOK_LAYOUT, token, labels, this.config.coverageModes, period.end === shanghaiToday()]))
      .digest('hex')
      .slice(0, 32);
    return { name: `${period.year}Q${period.quarter}-${county ? `county${county.id}` : 'city'}`, version };
  }

  private async writeQuarterly(
    output: Writable,
    period: QuarterPeriod,
    dims: Dimensions,
    county: Named | undefined,
    signal?: AbortSignal,
    edition?: string,
  ): Promise<void> {
    const data = await this.quarterlyData(period, dims, county, signal);
    await writeQuarterlyWorkbook(output, { ...data, edition });
  }

  private county(dims: Dimensions, countyId: number): Named {
    const region = dims.regions.find((r) => r.id === countyId);
    if (!region || (region.level !== 'COUNTY' && region.level !== 'MUNICIPAL'))
      throw new Error(`export restricted to region ${countyId}, which is not a county-level region`);
    return { id: region.id, name: region.name };
  }

  /** The workbook's content as of the quarter's end; `figuresOnly`: without the overdue list's rows (for workbookFigures). */
  private async quarterlyData(
    period: QuarterPeriod,
    dims: Dimensions,
    county: Named | undefined,
    signal?: AbortSignal,
    figuresOnly = false,
  ): Promise<QuarterlyData> {
    const filters: FiltersInput = { asOf: period.end, ...(county ? { regionId: county.id } : {}) };
    // made once for everyone its restriction admits (quarterlyRestriction applied the county limit): read as the system
    const { scope, current } = await this.scopes.resolve(SYSTEM, filters);
    const countingModes = this.config.coverageModes;
    const coverage = await this.repository.coverageByPeriod(scope, countingModes, { quarterStart: period.start, yearStart: period.yearStart });
    const categoryCounts = await this.repository.regionLevel2(scope);
    const units = await this.repository.unitRectification(scope, current);
    // by county, as the workbook's rows are, whatever the region
    const recurrence = await this.metrics.recurrence(SYSTEM, filters, 'county');
    const overdueQuery: TaskListQuery = { ...filters, overdue: true, sort: '-daysOverdue', page: 1, pageSize: this.chunkSize };
    const overdueList = await this.drill.taskChunks(SYSTEM, overdueQuery, { descriptions: true });
    const overduePage = (page: number) => this.overduePage(overdueList, page);
    // the figures alone need the list's length, not its rows
    const firstOverdue = figuresOnly ? { total: overdueList.total, rows: [] } : await overduePage(1);

    const counties = county ? [county] : dims.regions.filter((r) => r.level === 'MUNICIPAL' || r.level === 'COUNTY').map((r) => ({ id: r.id, name: r.name }));
    const city = dims.regions.find((r) => r.level === 'CITY');
    const regionOrder = new Map(dims.regions.map((r, i) => [r.id, i]));
    const terms = new Map(dims.terms.map((t) => [t.id, t]));
    const rounds = [...dims.rounds].sort((a, b) => {
      const ta = terms.get(a.termId);
      const tb = terms.get(b.termId);
      const committee = (regionOrder.get(ta?.committeeRegionId ?? 0) ?? 0) - (regionOrder.get(tb?.committeeRegionId ?? 0) ?? 0);
      return committee || (ta?.startDate ?? '').localeCompare(tb?.startDate ?? '') || a.ordinal - b.ordinal || a.id - b.id;
    });
    const countyOrder = new Map(counties.map((c, i) => [c.id, i]));
    units.sort(
      (a, b) => (countyOrder.get(a.countyId) ?? 0) - (countyOrder.get(b.countyId) ?? 0) || a.unitCode.localeCompare(b.unitCode) || a.unitId - b.unitId,
    );

    return {
      period,
      reportingUnit: county?.name ?? city?.name ?? '',
      asOfIsToday: period.end === shanghaiToday(),
      counties,
      coverageModes: countingModes.map((m: InspectionMode) => MODE_LABELS[m]),
      coverage: coverage.map((c) => ({
        countyId: c.countyId,
        unitCategory: c.unitCategory,
        inScope: c.inScope,
        quarter: c.coveredQuarter,
        year: c.coveredYear,
        term: c.covered,
      })),
      categories1: dims.categories.filter((c) => c.level === 1).map((c) => ({ id: c.id, name: c.name })),
      categories2: dims.categories.filter((c) => c.level === 2).map((c) => ({ id: c.id, name: c.name, parentId: c.parentId })),
      categoryCounts,
      rounds: rounds.map((r) => ({ id: r.id, name: r.name })),
      units,
      overdueTotal: firstOverdue.total,
      overdueSample: firstOverdue.rows,
      overdue: listPages(firstOverdue, overduePage, this.chunkSize, signal),
      recurrenceByRegion: recurrence.byRegion,
      recurrenceByCategory: recurrence.byCategory,
    };
  }

  /** A page of the overdue list (the drill-down list's rows, with the findings' descriptions). */
  private async overduePage(list: TaskChunks, page: number): Promise<Page<OverdueTask>> {
    const rows = await list.chunk((page - 1) * this.chunkSize, this.chunkSize);
    return { total: list.total, rows: rows.map((r) => ({ ...r, description: r.description ?? '' })) };
  }

  // --- CSV ---------------------------------------------------------------------------------

  /** Every row of GET /api/tasks under the same parameters, as CSV or .xlsx; the file named after the filters. */
  async tasksFile(auth: Caller, query: TaskCsvQuery, format: 'csv' | 'xlsx'): Promise<StreamableFile> {
    const list = await this.drill.taskChunks(auth, { ...query, page: 1, pageSize: this.chunkSize });
    const read = async (page: number) => ({ total: list.total, rows: await list.chunk((page - 1) * this.chunkSize, this.chunkSize) });
    const first = await read(1);
    const label = taskListLabel(query);
    const name = listFileName(label, await this.nameParts(query), list.asOf, format);
    const ascii = `tasks-${list.asOf}.${format}`;
    const pages = listPages(first, read, this.chunkSize);
    if (format === 'csv') return csvListFile(TASK_CSV_COLUMNS, pages, ascii, name);
    return xlsxListFile(TASK_CSV_COLUMNS, pages, first.rows, { title: label, asOf: list.asOf, reportingUnit: await this.reportingUnitName(auth), ascii, name });
  }

  /** Every row of GET /api/findings under the same parameters, as CSV or .xlsx; the file named after the filters. */
  async findingsFile(auth: Caller, query: FindingCsvQuery, format: 'csv' | 'xlsx'): Promise<StreamableFile> {
    const read = (page: number) => this.drill.findings(auth, { ...query, page, pageSize: this.chunkSize } satisfies FindingListQuery);
    const first = await read(1);
    const label = findingListLabel(query);
    const name = listFileName(label, await this.nameParts(query), first.asOf, format);
    const ascii = `findings-${first.asOf}.${format}`;
    const pages = listPages(first, read, this.chunkSize);
    if (format === 'csv') return csvListFile(FINDING_CSV_COLUMNS, pages, ascii, name);
    return xlsxListFile(FINDING_CSV_COLUMNS, pages, first.rows, {
      title: label,
      asOf: first.asOf,
      reportingUnit: await this.reportingUnitName(auth),
      ascii,
      name,
    });
  }

  /**
   * The coverage page's 未覆盖单位 list under the same filters as GET /api/metrics/coverage, as
   * CSV or .xlsx, in its order (`未覆盖单位_某县_2026-12-03.xlsx`; coverage ignores categoryId, so
   * the name does too).
   */
  async uncoveredFile(auth: Caller, query: FiltersInput, format: 'csv' | 'xlsx'): Promise<StreamableFile> {
    const list = await this.metrics.uncoveredPages(auth, query, this.chunkSize);
    const dims = await this.dimensions.get();
    const regions = new Map(dims.regions.map((r) => [r.id, r.name]));
    const columns = uncoveredFileColumns((id) => regions.get(id));
    const label = uncoveredListLabel(query.term);
    const name = listFileName(label, { ...(await this.nameParts(query)), category: undefined }, list.asOf, format);
    const ascii = `uncovered-units-${list.asOf}.${format}`;
    const pages = listPages(list.first, list.page, this.chunkSize);
    if (format === 'csv') return csvListFile(columns, pages, ascii, name);
    return xlsxListFile(columns, pages, list.first.rows, { title: label, asOf: list.asOf, reportingUnit: await this.reportingUnitName(auth), ascii, name });
  }

  /** The names of a list's filters that pick a region, round, category, unit category or mode. */
  private async nameParts(query: FiltersInput): Promise<ListNameParts> {
    const dims = await this.dimensions.get();
    return {
      region: query.regionId === undefined ? undefined : dims.regions.find((r) => r.id === query.regionId)?.name,
      round: query.roundId === undefined ? undefined : dims.rounds.find((r) => r.id === query.roundId)?.name,
      category: query.categoryId === undefined ? undefined : dims.categories.find((c) => c.id === query.categoryId)?.name,
      unitCategory: query.unitCategory === undefined ? undefined : UNIT_CATEGORY_LABELS[query.unitCategory],
      mode: query.mode === undefined ? undefined : MODE_LABELS[query.mode],
    };
  }

  /** 填报单位 of a list: the county account's county, else the city. */
  private async reportingUnitName(auth: Caller): Promise<string> {
    const dims = await this.dimensions.get();
    const county = countyLimit(auth);
    return dims.regions.find((r) => (county === null ? r.level === 'CITY' : r.id === county))?.name ?? '';
  }
}
