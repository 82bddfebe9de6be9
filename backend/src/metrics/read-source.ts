/**
 * Where a metric reads its figures, chosen in one place. Every source gives the same figures
 * for the scopes it may answer (the parity tests hold them together); they differ in cost:
 *
 * - `facts`: the fact tables (fact_findings, fact_tasks, fact_inspections, dim_units), any
 *   scope. `current`: no task event loaded lies after as-of, so each task's current state is
 *   its state as of then (fact_tasks), else it is replayed from fact_task_state.
 * - `summary`: the current-state tables, when as-of lies on or after every day they depend
 *   on: fact_finding_summary (by county: no township filter), and for coverage
 *   fact_unit_coverage (each unit's latest inspection by mode: no round filter, not the
 *   previous term).
 * - `quarter`: a past quarter end's build (quarter_summary, quarter_units), the same
 *   columns as of that day, under the same conditions on the filters.
 * - `timeline`: rectification only, any day and any scope: the changes of its figures by
 *   day (fact_rectification_timeline, by the summary's dimensions and the township), summed
 *   up to as-of; chosen where the facts would replay the tasks' history (fact_task_state).
 */
import { isQuarterEnd } from '@xuncha/etl';
import type { ResolvedScope } from '../dimensions/scope.service';
import { belowSummary, levelOf } from './areas';

/** The metrics that choose a source: each reads all its figures from the one chosen. */
export type MetricName = 'coverage' | 'categories' | 'rectification' | 'recurrence';

/** The source chosen for a metric under a scope. */
export type ReadSource = { kind: 'facts'; current: boolean } | { kind: 'summary' } | { kind: 'quarter'; quarterEnd: string } | { kind: 'timeline' };

/** A chosen source ready to read: a quarter end with the build that holds its state. */
export type BoundSource = Exclude<ReadSource, { kind: 'quarter' }> | { kind: 'quarter'; quarterEnd: string; build: string };

/** The precomputed sources: the tables the summary builders read. */
export type TableSource = Exclude<BoundSource, { kind: 'facts' }>;

/** What the choice depends on: the scope, whether the tasks' current state holds as of as-of, and the days the current-state tables hold. */
export type ChoiceInput = Pick<ResolvedScope, 'scope' | 'current'> & { dims: Pick<ResolvedScope['dims'], 'summary' | 'unitCoverageBy'> };

/** Whether a quarter end's state may hold as-of: a quarter's last day before today. */
export function quarterEndBefore(asOf: string, today: string): boolean {
  return isQuarterEnd(asOf) && asOf < today;
}

/**
 * The source of `metric` under `scope`: the current-state tables when they hold the figures
 * as of as-of, else a past quarter end's build when as-of is one, else the facts. The
 * summaries are by county and coverage's by unit over whole terms, so a township filter or
 * series by township or unit (the finding figures, metrics/areas.ts), a round filter or the
 * previous term (coverage) reads the facts. Rectification reads its timeline wherever it
 * would replay the tasks' history from the facts (an as-of day before the last event
 * loaded), unless its series are by unit: the timeline has the township, not the unit.
 */
export function chooseReadSource(metric: MetricName, { scope, current, dims }: ChoiceInput, today: string): ReadSource {
  const asOf = scope.asOf;
  const facts: ReadSource = { kind: 'facts', current };
  const quarter: ReadSource | undefined = quarterEndBefore(asOf, today) ? { kind: 'quarter', quarterEnd: asOf } : undefined;
  if (metric === 'coverage') {
    if (scope.roundId !== undefined || scope.filters.term === 'previous') return facts;
    // every inspection loaded lies on or before as-of
    if (dims.unitCoverageBy !== null && asOf >= dims.unitCoverageBy) return { kind: 'summary' };
    return quarter ?? facts;
  }
  const level = levelOf(scope);
  // the rectification figures as of a past day, where the facts would replay the tasks' history
  const otherwise: ReadSource = metric === 'rectification' && !current && level !== 'unit' ? { kind: 'timeline' } : facts;
  // by township or unit (the series below a county or a township): the summaries have no such column
  if (scope.townshipId !== undefined || belowSummary(level)) return otherwise;
  const summary = dims.summary;
  const summaryHolds =
    summary !== null &&
    (metric === 'categories'
      ? // every finding loaded was found by as-of
        asOf >= summary.foundBy
      : // every day loaded lies on or before as-of, and the tasks' current state is their state then
        current && asOf >= summary.allBy);
  if (summaryHolds) return { kind: 'summary' };
  return quarter ?? otherwise;
}
