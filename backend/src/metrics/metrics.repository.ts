import { Inject, Injectable } from '@nestjs/common';
import type { Warehouse } from '@xuncha/etl';
import { WAREHOUSE } from '../infra/tokens';
import type { Scope } from '../dimensions/scope';
import {
  AGED_COLUMNS,
  DUE_SOON_COLUMNS,
  buildCategoriesQuery,
  buildCoverageQuery,
  buildRectificationTasksQuery,
  buildFindingTotalsQuery,
  CLOSED_GROUPING_COLUMNS,
  groupingMask,
  buildReboundQuery,
  buildRepeatQuery,
  buildUncoveredQuery,
  buildSummaryCategoriesQuery,
  buildSummaryCloseDaysQuery,
  buildSummaryFindingClosureQuery,
  buildSummaryRecurrenceQuery,
  buildSummaryTaskFiguresQuery,
  type CategoriesRow,
  type SummaryCloseDaysRow,
  type SummaryFindingClosureRow,
  type SummaryRecurrenceRow,
  type CoverageOptions,
  type CoverageRow,
  type RectificationTasksRow,
  type FindingTotalsRow,
  type ReboundRow,
  type RepeatRow,
  type SqlQuery,
  type TaskFiguresRow,
  type UncoveredRow,
} from './metrics.queries';
import type { BoundSource } from './read-source';

/** A ClickHouse count (UInt64, sent as a string) as a number; counts here stay far below 2^53. */
export function count(value: string | number): number {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isSafeInteger(n)) throw new Error(`count out of range: ${value}`);
  return n;
}

/** `area`: the key of the by-region series' row (metrics/areas.ts, at the scope's level). */
export interface FindingClosure {
  countyId: number;
  area: number;
  roundId: number;
  immediate: boolean;
  findings: number;
  closed: number;
}
export interface TaskFigures {
  countyId: number;
  area: number;
  roundId: number;
  tasks: number;
  closed: number;
  onTime: number;
  /** closed without an original due date */
  closedUndated: number;
  overdue: number;
  /** open tasks overdue, per aging window (AGING_WINDOWS) */
  aged: number[];
  /** open tasks due soon, per due-soon window (DUE_SOON_DAYS) */
  dueSoon: number[];
  extended: number;
}
export interface CategoryCount {
  categoryId: number;
  area: number;
  category1Id: number;
  unitCategory: string;
  roundId: number;
  mode: string;
  quarter: string;
  n: number;
  g: number;
}
export interface CoverageCount {
  countyId: number;
  area: number;
  termId: number;
  unitCategory: string;
  inScope: number;
  covered: number;
}
export interface UncoveredUnit {
  unitId: number;
  code: string;
  name: string;
  unitCategory: string;
  regionId: number;
  countyId: number;
  lastInspectionDate: string | null;
}
export interface RecurrenceCount {
  countyId: number;
  area: number;
  category1Id: number;
  a: number;
  b: number;
}

export interface Rectification {
  groups: FindingClosure[];
  days: { days: number; n: number }[];
  tasks: TaskFigures[];
}

function taskFigures(r: TaskFiguresRow): TaskFigures {
  return {
    countyId: r.county_id,
    area: count(r.area),
    roundId: r.round_id,
    tasks: count(r.tasks),
    closed: count(r.closed),
    onTime: count(r.on_time),
    closedUndated: count(r.closed_undated),
    overdue: count(r.overdue),
    aged: AGED_COLUMNS.map((column) => count(r[column])),
    dueSoon: DUE_SOON_COLUMNS.map((column) => count(r[column])),
    extended: count(r.extended),
  };
}

/** The metrics' reads from ClickHouse, returning typed rows with numbers as numbers. */
@Injectable()
export class MetricsRepository {
  constructor(@Inject(WAREHOUSE) private readonly warehouse: Warehouse) {}

  private run<T>(sql: SqlQuery): Promise<T[]> {
    return this.warehouse.query<T>(sql.query, sql.params);
  }

  /**
   * The rectification figures: findings fed back by as-of and how many of them are closed,
   * by county, round and 立行立改; the days-to-close histogram; the task-level figures by
   * county and round, from `source` (chooseReadSource).
   */
  async rectification(scope: Scope, source: BoundSource): Promise<Rectification> {
    if (source.kind !== 'facts') {
      const groups = await this.run<SummaryFindingClosureRow>(buildSummaryFindingClosureQuery(scope, source));
      const days = await this.run<SummaryCloseDaysRow>(buildSummaryCloseDaysQuery(scope, source));
      const tasks = await this.run<TaskFiguresRow>(buildSummaryTaskFiguresQuery(scope, source));
      return {
        groups: groups.map((r) => ({
          countyId: r.county_id,
          area: count(r.area),
          roundId: r.round_id,
          immediate: r.immediate === 1,
          findings: count(r.n_findings),
          closed: count(r.n_closed),
        })),
        days: days.map((r) => ({ days: count(r.days), n: count(r.n) })),
        tasks: tasks.map(taskFigures),
      };
    }
    const totals = await this.run<FindingTotalsRow>(buildFindingTotalsQuery(scope));
    const rows = await this.run<RectificationTasksRow>(buildRectificationTasksQuery(scope, source.current));
    const groupMask = groupingMask(['county_id', 'area', 'round_id', 'immediate'], CLOSED_GROUPING_COLUMNS);
    const daysMask = groupingMask(['days'], CLOSED_GROUPING_COLUMNS);
    const groupRows = rows.filter((r) => count(r.g) === groupMask);
    const key = (county: number, area: string | number, round: number, immediate: number) => `${county}:${area}:${round}:${immediate}`;
    const closedBy = new Map(groupRows.map((r) => [key(r.county_id, count(r.area), r.round_id, r.immediate), count(r.closed_findings)]));
    // task figures by county, area and round: the sum over 立行立改 or not
    const tasks = new Map<string, TaskFigures>();
    for (const row of groupRows.map(taskFigures)) {
      const k = `${row.countyId}:${row.area}:${row.roundId}`;
      const seen = tasks.get(k);
      if (!seen) {
        tasks.set(k, row);
        continue;
      }
      for (const name of ['tasks', 'closed', 'onTime', 'closedUndated', 'overdue', 'extended'] as const) seen[name] += row[name];
      seen.aged = seen.aged.map((n, i) => n + row.aged[i]);
      seen.dueSoon = seen.dueSoon.map((n, i) => n + row.dueSoon[i]);
    }
    return {
      groups: totals.map((r) => ({
        countyId: r.county_id,
        area: count(r.area),
        roundId: r.round_id,
        immediate: r.immediate === 1,
        findings: count(r.findings),
        closed: closedBy.get(key(r.county_id, count(r.area), r.round_id, r.immediate)) ?? 0,
      })),
      days: rows
        .filter((r) => count(r.g) === daysMask && r.days !== null && count(r.closed_findings) > 0)
        .map((r) => ({ days: count(r.days!), n: count(r.closed_findings) }))
        .sort((a, b) => a.days - b.days),
      tasks: [...tasks.values()].sort((a, b) => a.countyId - b.countyId || a.area - b.area || a.roundId - b.roundId),
    };
  }

  /** Category counts, from `source` (chooseReadSource). */
  async categories(scope: Scope, source: BoundSource): Promise<CategoryCount[]> {
    if (source.kind === 'timeline') throw new Error('the rectification timeline holds no category counts');
    const rows = await this.run<CategoriesRow>(source.kind === 'facts' ? buildCategoriesQuery(scope) : buildSummaryCategoriesQuery(scope, source));
    return rows.map((r) => ({
      categoryId: r.category_id,
      area: count(r.area),
      category1Id: r.category1_id,
      unitCategory: r.unit_category,
      roundId: r.round_id,
      mode: r.mode,
      quarter: r.quarter,
      n: count(r.n),
      g: count(r.g),
    }));
  }

  async coverage(scope: Scope, options: CoverageOptions): Promise<CoverageCount[]> {
    const rows = await this.run<CoverageRow>(buildCoverageQuery(scope, options));
    return rows.map((r) => ({
      countyId: r.county_id,
      area: count(r.area),
      termId: r.term_id,
      unitCategory: r.unit_category,
      inScope: count(r.in_scope),
      covered: count(r.covered_units),
    }));
  }

  async uncovered(scope: Scope, options: CoverageOptions): Promise<UncoveredUnit[]> {
    const rows = await this.run<UncoveredRow>(buildUncoveredQuery(scope, options));
    return rows.map((r) => ({
      unitId: r.unit_id,
      code: r.code,
      name: r.name,
      unitCategory: r.unit_category,
      regionId: r.region_id,
      countyId: r.county_id,
      lastInspectionDate: r.last_date,
    }));
  }

  /**
   * The repeat figures (findings of re-inspections, and repeats) and the rebound figures
   * (closed findings inspected again, and rebounds), by county and level-1 category, from
   * `source` (chooseReadSource): the summaries hold both in the same rows.
   */
  async recurrence(scope: Scope, source: BoundSource): Promise<{ repeats: RecurrenceCount[]; rebounds: RecurrenceCount[] }> {
    if (source.kind === 'timeline') throw new Error('the rectification timeline holds no recurrence figures');
    if (source.kind === 'facts') {
      const repeats = await this.run<RepeatRow>(buildRepeatQuery(scope));
      const rebounds = await this.run<ReboundRow>(buildReboundQuery(scope, source.current));
      return {
        repeats: repeats.map((r) => ({
          countyId: r.county_id,
          area: count(r.area),
          category1Id: r.category1_id,
          a: count(r.reinspection_findings),
          b: count(r.repeats),
        })),
        rebounds: rebounds.map((r) => ({
          countyId: r.county_id,
          area: count(r.area),
          category1Id: r.category1_id,
          a: count(r.closed_reinspected),
          b: count(r.rebounds),
        })),
      };
    }
    const rows = await this.run<SummaryRecurrenceRow>(buildSummaryRecurrenceQuery(scope, source));
    const of = (a: 'reinspection_findings' | 'closed_reinspected', b: 'repeats' | 'rebounds') =>
      rows
        .filter((r) => count(r[a]) > 0)
        .map((r) => ({ countyId: r.county_id, area: count(r.area), category1Id: r.category1_id, a: count(r[a]), b: count(r[b]) }));
    return { repeats: of('reinspection_findings', 'repeats'), rebounds: of('closed_reinspected', 'rebounds') };
  }

  /** The names of units (the by-unit series' rows), by id. */
  async unitNames(ids: readonly number[]): Promise<Map<number, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.run<{ id: number; name: string }>({
      query: 'SELECT id, name FROM dim_units FINAL WHERE id IN {ids:Array(UInt32)}',
      params: { ids },
    });
    return new Map(rows.map((r) => [Number(r.id), r.name]));
  }
}
