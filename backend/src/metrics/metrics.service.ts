import type { Caller } from '../auth/principal';
import { Inject, Injectable } from '@nestjs/common';
import { AGING_BUCKETS, DUE_SOON_DAYS, type DueSoonDays, type FiltersInput, type UnitCategory } from '../common/filters';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../infra/tokens';
import { ScopeService } from '../dimensions/scope.service';
import type { Dimensions } from '../dimensions/dimensions.repository';
import type { Scope } from '../dimensions/scope';
import { UNIT_CATEGORY_LABELS } from '../common/labels';
import { areaLevelOf, areaUnitCategory, levelOf, type AreaLevel } from './areas';
import type { Area, CategoriesResponse, CoverageResponse, OverviewResponse, Ratio, RecurrenceResponse, RectificationResponse } from './dto/metrics.dto';
import { CATEGORY_SETS, groupingMask } from './metrics.queries';
import { MetricsRepository, type RecurrenceCount, type UncoveredUnit } from './metrics.repository';
import { QuarterStateService } from './quarter-state.service';
import { chooseReadSource, type BoundSource, type MetricName } from './read-source';

/** One metric's read: the scope, and the source chosen for it (a quarter end bound to its build). */
export interface MetricRead {
  scope: Scope;
  dims: Dimensions;
  source: BoundSource;
}

export interface CoverageQuery extends FiltersInput {
  uncoveredLimit?: number;
  uncoveredOffset?: number;
}

export function ratio(numerator: number, denominator: number): Ratio {
  return { numerator, denominator, rate: denominator === 0 ? null : numerator / denominator };
}

/** Nearest-rank percentile over a histogram sorted by value: the value at rank ⌈p·n⌉. */
export function nearestRank(histogram: readonly { days: number; n: number }[], p: number): number | null {
  const n = histogram.reduce((sum, h) => sum + h.n, 0);
  if (n === 0) return null;
  const rank = Math.max(1, Math.ceil(p * n));
  let seen = 0;
  for (const h of histogram) {
    seen += h.n;
    if (seen >= rank) return h.days;
  }
  return histogram[histogram.length - 1].days;
}

/** Whole days from a to b (YYYY-MM-DD, b later). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

function sumBy<T, K>(rows: readonly T[], key: (row: T) => K, add: (target: Record<string, number>, row: T) => void): Map<K, Record<string, number>> {
  const out = new Map<K, Record<string, number>>();
  for (const row of rows) {
    const k = key(row);
    let target = out.get(k);
    if (!target) out.set(k, (target = {}));
    add(target, row);
  }
  return out;
}

const inc = (target: Record<string, number>, name: string, value: number) => {
  target[name] = (target[name] ?? 0) + value;
};

const byKey = <K extends number | string>(a: K, b: K) => (a < b ? -1 : a > b ? 1 : 0);

/** An uncovered unit as the API answers it: the days and years since its last inspection. */
function uncoveredView(u: UncoveredUnit, asOf: string): CoverageResponse['uncovered']['rows'][number] {
  const days = u.lastInspectionDate === null ? null : daysBetween(u.lastInspectionDate, asOf);
  return {
    ...u,
    unitCategory: u.unitCategory as UnitCategory,
    daysSinceLast: days,
    yearsSinceLast: days === null ? null : Math.round((days / 365.25) * 10) / 10,
  };
}

/**
 * Assembles the metric responses from the repository's grouped rows. Authorization (the
 * region scope of a county user) joins here when accounts arrive.
 */
@Injectable()
export class MetricsService {
  constructor(
    @Inject(MetricsRepository) private readonly repository: MetricsRepository,
    @Inject(ScopeService) private readonly scopes: ScopeService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(QuarterStateService) private readonly quarters: QuarterStateService,
  ) {}

  /**
   * Resolves the filters once and chooses each metric's source (read-source.ts) under them:
   * `read(metric)` answers the metric's read, building a past quarter end's state on first
   * use, once per request however many metrics read it.
   */
  private async reads(auth: Caller, input: FiltersInput, area?: AreaLevel) {
    const found = await this.scopes.resolve(auth, input);
    // the by-region series one level below the region in scope, unless the caller names the level
    const resolved = { ...found, scope: { ...found.scope, area: area ?? areaLevelOf(found.scope, found.dims) } };
    const builds = new Map<string, Promise<string>>();
    const bind = async (metric: MetricName): Promise<BoundSource> => {
      const source = chooseReadSource(metric, resolved, resolved.today);
      if (source.kind !== 'quarter') return source;
      let build = builds.get(source.quarterEnd);
      if (!build) builds.set(source.quarterEnd, (build = this.quarters.get(source.quarterEnd).then((q) => q.build)));
      return { ...source, build: await build };
    };
    return async (metric: MetricName): Promise<MetricRead> => ({ scope: resolved.scope, dims: resolved.dims, source: await bind(metric) });
  }

  /**
   * What each key of the by-region series stands for (metrics/areas.ts), in the order of the
   * keys: a region and its name, 县直单位 (a county's units in no township: the county's key), a
   * 市直 unit category, a unit and its name.
   */
  private async areas(scope: Scope, dims: Dimensions, keys: Iterable<number>): Promise<Map<number, Area>> {
    const level = levelOf(scope);
    const sorted = [...new Set(keys)].sort((a, b) => a - b);
    const regionName = (id: number) => dims.regions.find((r) => r.id === id)?.name ?? String(id);
    const names = level === 'unit' ? await this.repository.unitNames(sorted) : new Map<number, string>();
    const within = scope.townshipId ?? scope.countyId ?? 0;
    const area = (key: number): Area => {
      const none = { unitCategory: null, unitId: null };
      switch (level) {
        case 'county':
          return { level: 'county', regionId: key, name: regionName(key), ...none };
        case 'township':
          return key === scope.countyId
            ? { level: 'countyUnits', regionId: key, name: '县直单位', ...none }
            : { level: 'township', regionId: key, name: regionName(key), ...none };
        case 'unitCategory': {
          const unitCategory = areaUnitCategory(key);
          return { level: 'unitCategory', regionId: within, unitCategory, unitId: null, name: UNIT_CATEGORY_LABELS[unitCategory] };
        }
        case 'unit':
          return { level: 'unit', regionId: within, unitCategory: null, unitId: key, name: names.get(key) ?? String(key) };
      }
    };
    return new Map(sorted.map((key) => [key, area(key)]));
  }

  /** Rows keyed by area (sorted by key) with what each area stands for. */
  private async byArea<G extends object>(scope: Scope, dims: Dimensions, rows: [number, G][]): Promise<(Area & G)[]> {
    const areas = await this.areas(
      scope,
      dims,
      rows.map(([key]) => key),
    );
    return rows.map(([key, g]) => ({ ...areas.get(key)!, ...g }));
  }

  private applied(scope: Scope, ignored: string[] = []) {
    const f = scope.filters;
    return {
      asOf: scope.asOf,
      term: f.term ?? null,
      roundId: f.roundId ?? null,
      regionId: f.regionId ?? null,
      unitCategory: f.unitCategory ?? null,
      categoryId: f.categoryId ?? null,
      mode: f.mode ?? null,
      countyUnits: f.countyUnits ?? false,
      ignored,
    };
  }

  async coverage(auth: Caller, input: CoverageQuery): Promise<CoverageResponse> {
    const read = await this.reads(auth, input);
    return this.coverageFrom(await read('coverage'), input.uncoveredLimit ?? 50, input.uncoveredOffset ?? 0);
  }

  /** The coverage figures by a given read (any source that may answer its scope gives the same). */
  async coverageFrom({ scope, dims, source }: MetricRead, uncoveredLimit: number, uncoveredOffset: number): Promise<CoverageResponse> {
    const countingModes = this.config.coverageModes.filter((m) => scope.mode === undefined || m === scope.mode);
    const options = { countingModes, uncoveredLimit, uncoveredOffset, source };
    const rows = await this.repository.coverage(scope, options);
    // In scope and not covered means active and not covered: abolished units are in scope only when covered.
    const uncovered = uncoveredLimit > 0 ? await this.repository.uncovered(scope, options) : [];
    const terms = new Map(scope.coverageTerms.map((t) => [t.id, t]));
    const paceOf = (termId: number) => {
      const term = terms.get(termId);
      if (!term) return 0;
      const end = scope.asOf < term.endDate ? scope.asOf : term.endDate;
      return (daysBetween(term.startDate, end) + 1) / (daysBetween(term.startDate, term.endDate) + 1);
    };
    const projected = (rate: number | null, pace: number) => (rate === null || pace <= 0 ? null : Math.min(1, rate / pace));
    const regions = sumBy(
      rows,
      (r) => `${r.area}:${r.termId}`,
      (t, r) => {
        inc(t, 'inScope', r.inScope);
        inc(t, 'covered', r.covered);
        t.area = r.area;
        t.termId = r.termId;
      },
    );
    const areas = await this.areas(
      scope,
      dims,
      rows.map((r) => r.area),
    );
    const byRegion = [...regions.values()]
      .filter((g) => g.inScope > 0)
      .sort((a, b) => a.area - b.area || a.termId - b.termId)
      .map((g) => {
        const term = terms.get(g.termId)!;
        const pace = paceOf(g.termId);
        const rate = g.covered / g.inScope;
        return {
          ...areas.get(g.area)!,
          termId: g.termId,
          termStart: term.startDate,
          termEnd: term.endDate,
          pace,
          projected: projected(rate, pace),
          inScope: g.inScope,
          covered: g.covered,
          rate,
        };
      });
    const categories = sumBy(
      rows,
      (r) => r.unitCategory,
      (t, r) => {
        inc(t, 'inScope', r.inScope);
        inc(t, 'covered', r.covered);
      },
    );
    const byUnitCategory = [...categories.entries()]
      .filter(([, g]) => g.inScope > 0)
      .map(([unitCategory, g]) => ({ unitCategory: unitCategory as UnitCategory, inScope: g.inScope, covered: g.covered, rate: g.covered / g.inScope }))
      .sort((a, b) => byKey(a.unitCategory, b.unitCategory));
    const inScope = byRegion.reduce((s, r) => s + r.inScope, 0);
    const covered = byRegion.reduce((s, r) => s + r.covered, 0);
    const coverage = ratio(covered, inScope);
    const pace = inScope === 0 ? null : byRegion.reduce((s, r) => s + r.pace * r.inScope, 0) / inScope;
    return {
      filters: this.applied(scope, scope.filters.categoryId !== undefined ? ['categoryId'] : []),
      coverage,
      pace,
      projected: pace === null ? null : projected(coverage.rate, pace),
      byRegion,
      byUnitCategory,
      uncovered: { total: inScope - covered, rows: uncovered.map((u) => uncoveredView(u, scope.asOf)) },
    };
  }

  /**
   * The 未覆盖单位 list under the coverage filters, a page at a time (its 导出): the scope and
   * source resolved once; page 1 is the coverage answer's own list, later pages read the rows only.
   */
  async uncoveredPages(auth: Caller, input: FiltersInput, pageSize: number) {
    const read = await (await this.reads(auth, input))('coverage');
    const first = (await this.coverageFrom(read, pageSize, 0)).uncovered;
    const countingModes = this.config.coverageModes.filter((m) => read.scope.mode === undefined || m === read.scope.mode);
    const page = async (n: number): Promise<CoverageResponse['uncovered']> => {
      if (n === 1) return first;
      const options = { countingModes, uncoveredLimit: pageSize, uncoveredOffset: (n - 1) * pageSize, source: read.source };
      return { total: first.total, rows: (await this.repository.uncovered(read.scope, options)).map((u) => uncoveredView(u, read.scope.asOf)) };
    };
    return { asOf: read.scope.asOf, first, page };
  }

  async categories(auth: Caller, input: FiltersInput): Promise<CategoriesResponse> {
    const read = await this.reads(auth, input);
    return this.categoriesFrom(await read('categories'));
  }

  /** The category figures by a given read. */
  async categoriesFrom({ scope, dims, source }: MetricRead): Promise<CategoriesResponse> {
    const rows = await this.repository.categories(scope, source);
    const of = (set: readonly string[]) => {
      const mask = groupingMask(set);
      return rows.filter((r) => r.g === mask && r.n > 0);
    };
    const level2Counts = new Map(of(CATEGORY_SETS.level2).map((r) => [r.categoryId, r.n]));
    const level2 = dims.categories
      .filter((c) => c.level === 2)
      .map((c) => ({ categoryId: c.id, parentId: c.parentId, code: c.code, name: c.name, count: level2Counts.get(c.id) ?? 0 }));
    const level1 = dims.categories
      .filter((c) => c.level === 1)
      .map((c) => ({ categoryId: c.id, code: c.code, name: c.name, count: level2.filter((l) => l.parentId === c.id).reduce((s, l) => s + l.count, 0) }));
    const cells = of(CATEGORY_SETS.regionCategory).sort((a, b) => a.area - b.area || a.category1Id - b.category1Id);
    const areas = await this.areas(
      scope,
      dims,
      cells.map((r) => r.area),
    );
    const regionCategory = cells.map((r) => ({ ...areas.get(r.area)!, categoryId: r.category1Id, count: r.n }));
    const regionTotals = sumBy(
      cells,
      (r) => r.area,
      (t, r) => inc(t, 'count', r.n),
    );
    return {
      filters: this.applied(scope),
      total: level2.reduce((s, l) => s + l.count, 0),
      level1,
      level2,
      byRegion: [...regionTotals.entries()].map(([key, t]) => ({ ...areas.get(key)!, count: t.count })),
      regionCategory,
      unitCategoryMatrix: of(CATEGORY_SETS.unitCategoryMatrix)
        .map((r) => ({ unitCategory: r.unitCategory as UnitCategory, categoryId: r.category1Id, count: r.n }))
        .sort((a, b) => byKey(a.unitCategory, b.unitCategory) || a.categoryId - b.categoryId),
      byRound: of(CATEGORY_SETS.byRound)
        .map((r) => ({ roundId: r.roundId, count: r.n }))
        .sort((a, b) => a.roundId - b.roundId),
      byMode: of(CATEGORY_SETS.byMode)
        .map((r) => ({ mode: r.mode as CategoriesResponse['byMode'][number]['mode'], count: r.n }))
        .sort((a, b) => byKey(a.mode, b.mode)),
      quarterly: of(CATEGORY_SETS.quarterly)
        .map((r) => ({ quarter: r.quarter, categoryId: r.category1Id, count: r.n }))
        .sort((a, b) => byKey(a.quarter, b.quarter) || a.categoryId - b.categoryId),
    };
  }

  async rectification(auth: Caller, input: FiltersInput): Promise<RectificationResponse> {
    const read = await this.reads(auth, input);
    return this.rectificationFrom(await read('rectification'));
  }

  /** The rectification figures by a given read. */
  async rectificationFrom({ scope, dims, source }: MetricRead): Promise<RectificationResponse> {
    const { groups: findings, days, tasks } = await this.repository.rectification(scope, source);
    const total = <T, K extends keyof T>(rows: readonly T[], name: K) => rows.reduce((s, r) => s + Number(r[name]), 0);
    const immediate = findings.filter((f) => f.immediate);
    const group = (key: 'area' | 'roundId') => {
      const out = new Map<number, { findings: number; findingsClosed: number; tasks: number; tasksClosed: number; overdue: number }>();
      const get = (k: number) => out.get(k) ?? out.set(k, { findings: 0, findingsClosed: 0, tasks: 0, tasksClosed: 0, overdue: 0 }).get(k)!;
      for (const f of findings) {
        const g = get(f[key]);
        g.findings += f.findings;
        g.findingsClosed += f.closed;
      }
      for (const t of tasks) {
        const g = get(t[key]);
        g.tasks += t.tasks;
        g.tasksClosed += t.closed;
        g.overdue += t.overdue;
      }
      return [...out.entries()].sort(([a], [b]) => a - b);
    };
    const closedTasks = total(tasks, 'closed');
    const dueWithin = (days: DueSoonDays) => tasks.reduce((s, t) => s + t.dueSoon[DUE_SOON_DAYS.indexOf(days)], 0);
    return {
      filters: this.applied(scope),
      findingClosure: ratio(total(findings, 'closed'), total(findings, 'findings')),
      taskClosure: ratio(closedTasks, total(tasks, 'tasks')),
      immediateClosure: ratio(total(immediate, 'closed'), total(immediate, 'findings')),
      onTime: ratio(total(tasks, 'onTime'), closedTasks - total(tasks, 'closedUndated')),
      closedUndated: total(tasks, 'closedUndated'),
      overdue: {
        count: total(tasks, 'overdue'),
        buckets: AGING_BUCKETS.map((bucket, i) => ({ bucket, count: tasks.reduce((s, t) => s + t.aged[i], 0) })),
      },
      dueSoon: { within20: dueWithin(20), within10: dueWithin(10) },
      extended: ratio(total(tasks, 'extended'), total(tasks, 'tasks')),
      daysToClose: { count: days.reduce((s, d) => s + d.n, 0), median: nearestRank(days, 0.5), p90: nearestRank(days, 0.9) },
      byRegion: await this.byArea(scope, dims, group('area')),
      byRound: group('roundId').map(([roundId, g]) => ({ roundId, ...g })),
    };
  }

  /** `area`: the level of the by-region rows, when not the one below the region in scope (the workbook's: county). */
  async recurrence(auth: Caller, input: FiltersInput, area?: AreaLevel): Promise<RecurrenceResponse> {
    const read = await this.reads(auth, input, area);
    return this.recurrenceFrom(await read('recurrence'));
  }

  /** The recurrence figures by a given read. */
  async recurrenceFrom({ scope, dims, source }: MetricRead): Promise<RecurrenceResponse> {
    const { repeats, rebounds } = await this.repository.recurrence(scope, source);
    const empty = () => ({ reinspectionFindings: 0, repeats: 0, closedReinspected: 0, rebounds: 0 });
    const group = (key: 'area' | 'category1Id') => {
      const out = new Map<number, ReturnType<typeof empty>>();
      const get = (k: number) => out.get(k) ?? out.set(k, empty()).get(k)!;
      const add = (rows: RecurrenceCount[], a: 'reinspectionFindings' | 'closedReinspected', b: 'repeats' | 'rebounds') => {
        for (const r of rows) {
          const g = get(r[key]);
          g[a] += r.a;
          g[b] += r.b;
        }
      };
      add(repeats, 'reinspectionFindings', 'repeats');
      add(rebounds, 'closedReinspected', 'rebounds');
      return [...out.entries()].sort(([a], [b]) => a - b);
    };
    const sum = (rows: RecurrenceCount[], k: 'a' | 'b') => rows.reduce((s, r) => s + r[k], 0);
    return {
      filters: this.applied(scope),
      repeat: ratio(sum(repeats, 'b'), sum(repeats, 'a')),
      rebound: ratio(sum(rebounds, 'b'), sum(rebounds, 'a')),
      byRegion: await this.byArea(scope, dims, group('area')),
      byCategory: group('category1Id').map(([categoryId, g]) => ({ categoryId, ...g })),
    };
  }

  async overview(auth: Caller, input: FiltersInput): Promise<OverviewResponse> {
    const read = await this.reads(auth, input);
    const coverageRead = await read('coverage');
    // the four metrics side by side: their statements queue for the warehouse's connections together
    const [coverage, categories, rectification, recurrence] = await Promise.all([
      this.coverageFrom(coverageRead, 0, 0),
      read('categories').then((r) => this.categoriesFrom(r)),
      read('rectification').then((r) => this.rectificationFrom(r)),
      read('recurrence').then((r) => this.recurrenceFrom(r)),
    ]);
    return {
      filters: this.applied(coverageRead.scope),
      cards: {
        coverage: coverage.coverage,
        pace: coverage.pace,
        projected: coverage.projected,
        findings: categories.total,
        findingClosure: rectification.findingClosure,
        taskClosure: rectification.taskClosure,
        immediateClosure: rectification.immediateClosure,
        onTime: rectification.onTime,
        closedUndated: rectification.closedUndated,
        overdue: rectification.overdue.count,
        dueSoon20: rectification.dueSoon.within20,
        repeat: recurrence.repeat,
        rebound: recurrence.rebound,
      },
      charts: {
        coverageByRegion: coverage.byRegion,
        categoriesLevel1: categories.level1,
        closureByRegion: rectification.byRegion,
        overdueBuckets: rectification.overdue.buckets,
      },
    };
  }
}
