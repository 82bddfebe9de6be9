import { createHash } from 'node:crypto';
import type { Writable } from 'node:stream';
import { currentCountyLimit } from '../auth/principal';
import { Inject, Injectable, StreamableFile } from '@nestjs/common';
import { shanghaiToday } from '@xuncha/prisma/src/calendar';
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
import { contentDisposition, XLSX_TYPE, type CsvColumn } from './files';
import { listCsvFile, listXlsxFile } from './list-download';
import { FINDING_CSV_COLUMNS, findingListLabel, listFileName, TASK_CSV_COLUMNS, taskListLabel, type ListNameParts } from './list-csv';
import { UNIT_CATEGORY_LABELS } from '../common/labels';
import { writeQuarterlyWorkbook, type Named, type OverdueTask, type QuarterlyData } from './quarterly-workbook';
import { endedQuarter, type QuarterPeriod } from './quarters';
import { WorkbookStore, type OpenWorkbook, type WorkbookSlot } from './workbook-store';

/**
 * Bumped whenever the workbook's layout or the definitions behind its figures change in the
 * code: the kept workbooks of earlier versions are then made again.
 */
const WORKBOOK_LAYOUT = 2;

/** A task list read for its ids, whose rows come a chunk at a time. */
type TaskChunks = Awaited<ReturnType<DrillService['taskChunks']>>;

/** Rows read per query when a list is exported whole: memory stays flat however long the list. */
export const EXPORT_CHUNK = 20_000;

/** Limits an export to what a county account may see (accounts arrive later). */
export interface ExportRestriction {
  /** A county-level region (市本级 or a county). */
  countyId: number;
}

interface Page<T> {
  total: number;
  rows: T[];
}

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
   * units, findings and tasks (and the county as 填报单位).
   */
  async quarterly(year: number, quarter: number, restrict?: ExportRestriction): Promise<{ file: StreamableFile; source: OpenWorkbook['source'] }> {
    const period = endedQuarter(year, quarter, shanghaiToday());
    const dims = await this.dimensions.get();
    const region = restrict ? dims.regions.find((r) => r.id === restrict.countyId) : undefined;
    if (restrict && (!region || (region.level !== 'COUNTY' && region.level !== 'MUNICIPAL'))) {
      throw new AppError(400, `regionId: 须为县（市、区）或市本级 must be a county-level region (got ${restrict.countyId})`);
    }
    const county = restrict ? this.county(dims, restrict.countyId) : undefined;
    const slot = await this.quarterlySlot(period, dims, county);
    const made = await this.store.open(slot, (output, signal) => this.writeQuarterly(output, period, dims, county, signal));
    const reportingUnit = county?.name ?? dims.regions.find((r) => r.level === 'CITY')?.name ?? '';
    const name = `${reportingUnit}巡察工作统计-${period.label}.xlsx`;
    const ascii = `xuncha-quarterly-${year}Q${quarter}${county ? `-county${county.id}` : ''}.xlsx`;
    const file = new StreamableFile(made.handle.createReadStream(), { type: XLSX_TYPE, disposition: contentDisposition(ascii, name), length: made.size });
    return { file, source: made.source };
  }

  /**
   * Whose workbook a request gets: a county account its county's (naming another county is
   * refused, 403); anyone else the city's, or with `regionId` that county-level region's.
   */
  quarterlyRestriction(countyLimit: number | null, regionId: number | undefined): ExportRestriction | undefined {
    if (countyLimit !== null) {
      if (regionId !== undefined && regionId !== countyLimit) throw new AppError(403, `regionId: 县区账号只能下载本县区的报表 a county account may download only its own county's workbook`);
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

  private async writeQuarterly(output: Writable, period: QuarterPeriod, dims: Dimensions, county: Named | undefined, signal?: AbortSignal): Promise<void> {
    const data = await this.quarterlyData(period, dims, county, signal);
    await writeQuarterlyWorkbook(output, data);
  }

  private county(dims: Dimensions, countyId: number): Named {
    const region = dims.regions.find((r) => r.id === countyId);
    if (!region || (region.level !== 'COUNTY' && region.level !== 'MUNICIPAL')) throw new Error(`export restricted to region ${countyId}, which is not a county-level region`);
    return { id: region.id, name: region.name };
  }

  private async quarterlyData(period: QuarterPeriod, dims: Dimensions, county: Named | undefined, signal?: AbortSignal): Promise<QuarterlyData> {
    const filters: FiltersInput = { asOf: period.end, ...(county ? { regionId: county.id } : {}) };
    const { scope, current } = await this.scopes.resolve(filters);
    const countingModes = this.config.coverageModes;
    const coverage = await this.repository.coverageByPeriod(scope, countingModes, { quarterStart: period.start, yearStart: period.yearStart });
    const categoryCounts = await this.repository.regionLevel2(scope);
    const units = await this.repository.unitRectification(scope, current);
    const recurrence = await this.metrics.recurrence(filters);
    const overdueQuery: TaskListQuery = { ...filters, overdue: true, sort: '-daysOverdue', page: 1, pageSize: this.chunkSize };
    const overdueList = await this.drill.taskChunks(overdueQuery, { descriptions: true });
    const overduePage = (page: number) => this.overduePage(overdueList, page);
    const firstOverdue = await overduePage(1);

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
    units.sort((a, b) => (countyOrder.get(a.countyId) ?? 0) - (countyOrder.get(b.countyId) ?? 0) || a.unitCode.localeCompare(b.unitCode) || a.unitId - b.unitId);

    return {
      period,
      reportingUnit: county?.name ?? city?.name ?? '',
      asOfIsToday: period.end === shanghaiToday(),
      counties,
      coverageModes: countingModes.map((m: InspectionMode) => MODE_LABELS[m]),
      coverage: coverage.map((c) => ({ countyId: c.countyId, unitCategory: c.unitCategory, inScope: c.inScope, quarter: c.coveredQuarter, year: c.coveredYear, term: c.covered })),
      categories1: dims.categories.filter((c) => c.level === 1).map((c) => ({ id: c.id, name: c.name })),
      categories2: dims.categories.filter((c) => c.level === 2).map((c) => ({ id: c.id, name: c.name, parentId: c.parentId })),
      categoryCounts,
      rounds: rounds.map((r) => ({ id: r.id, name: r.name })),
      units,
      overdueTotal: firstOverdue.total,
      overdueSample: firstOverdue.rows,
      overdue: this.pages(firstOverdue, overduePage, signal),
      recurrenceByRegion: recurrence.byRegion,
      recurrenceByCategory: recurrence.byCategory,
    };
  }

  /** A page of the overdue list (the drill-down list's rows, with the findings' descriptions). */
  private async overduePage(list: TaskChunks, page: number): Promise<Page<OverdueTask>> {
    const rows = await list.chunk((page - 1) * this.chunkSize, this.chunkSize);
    return { total: list.total, rows: rows.map((r) => ({ ...r, description: r.description ?? '' })) };
  }

  /**
   * The pages of a list from the first on, until a page comes back short. Each next page is
   * read ahead, while the current one is written (two pages in memory at most); the second
   * is asked for at once.
   */
  private pages<T>(first: Page<T>, read: (page: number) => Promise<Page<T>>, signal?: AbortSignal): AsyncIterable<T[]> {
    const size = this.chunkSize;
    const ahead = (current: Page<T>, page: number) => {
      const next = current.rows.length < size ? undefined : read(page + 1);
      // a read failing while the consumer is busy is reported where it is awaited, not as unhandled
      next?.catch(() => undefined);
      return next;
    };
    let next = ahead(first, 1);
    return (async function* () {
      let current = first;
      for (let page = 1; ; page++) {
        if (current.rows.length > 0) yield current.rows;
        signal?.throwIfAborted();
        if (!next) return;
        current = await next;
        next = ahead(current, page + 1);
      }
    })();
  }

  // --- CSV ---------------------------------------------------------------------------------

  /** Every row of GET /api/tasks under the same parameters, as CSV or .xlsx; the file named after the filters. */
  async tasksFile(query: TaskCsvQuery, format: 'csv' | 'xlsx'): Promise<StreamableFile> {
    const list = await this.drill.taskChunks({ ...query, page: 1, pageSize: this.chunkSize });
    const read = async (page: number) => ({ total: list.total, rows: await list.chunk((page - 1) * this.chunkSize, this.chunkSize) });
    const first = await read(1);
    const label = taskListLabel(query);
    const name = listFileName(label, await this.nameParts(query), list.asOf, format);
    const ascii = `tasks-${list.asOf}.${format}`;
    if (format === 'csv') return this.csvFile(TASK_CSV_COLUMNS, this.pages(first, read), ascii, name);
    return this.xlsxFile(TASK_CSV_COLUMNS, this.pages(first, read), first.rows, { title: label, asOf: list.asOf, ascii, name });
  }

  /** Every row of GET /api/findings under the same parameters, as CSV or .xlsx; the file named after the filters. */
  async findingsFile(query: FindingCsvQuery, format: 'csv' | 'xlsx'): Promise<StreamableFile> {
    const read = (page: number) => this.drill.findings({ ...query, page, pageSize: this.chunkSize } satisfies FindingListQuery);
    const first = await read(1);
    const label = findingListLabel(query);
    const name = listFileName(label, await this.nameParts(query), first.asOf, format);
    const ascii = `findings-${first.asOf}.${format}`;
    if (format === 'csv') return this.csvFile(FINDING_CSV_COLUMNS, this.pages(first, read), ascii, name);
    return this.xlsxFile(FINDING_CSV_COLUMNS, this.pages(first, read), first.rows, { title: label, asOf: first.asOf, ascii, name });
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

  /** A list as one table of a streamed workbook (see `listXlsxFile`). */
  private xlsxFile<T>(columns: readonly CsvColumn<T>[], pages: AsyncIterable<T[]>, sample: readonly T[], file: { title: string; asOf: string; ascii: string; name: string }): StreamableFile {
    return listXlsxFile(columns, pages, sample, { ...file, reportingUnit: this.reportingUnitName() });
  }

  /** 填报单位 of a list: the county account's county, else the city. */
  private async reportingUnitName(): Promise<string> {
    const dims = await this.dimensions.get();
    const county = currentCountyLimit();
    return dims.regions.find((r) => (county === null ? r.level === 'CITY' : r.id === county))?.name ?? '';
  }

  /** CSV streamed a page at a time (see `listCsvFile`). */
  private csvFile<T>(columns: readonly CsvColumn<T>[], pages: AsyncIterable<T[]>, ascii: string, name: string): StreamableFile {
    return listCsvFile(columns, pages, ascii, name);
  }
}
