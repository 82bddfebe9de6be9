/**
 * The per-task and per-finding figures (backend/src/metrics/DEFINITIONS.md), each written
 * once as an SQL fragment over the columns a query has them in. The metric queries over the
 * facts (backend/src/metrics/metrics.queries.ts), the current-state summary build
 * (finding-summary.ts) and the quarter-end build (quarter-state.ts) all take them from here,
 * so the three sources evaluate one definition.
 */
import { STATE_OPEN_END } from './task-state';

/**
 * A finding's history cut at the bounds of its tasks' state intervals, one row per span
 * [b, e) over which the same tasks hold (`FROM spans ARRAY JOIN arrayEnumerate(bounds) AS i`,
 * the arrays of each task interval: fr from, tt to, cl 已销号 (1/0), cd its 销号 day): n tasks,
 * closed_n of them 已销号, closure_day the last 销号 among them. A span with n > 0 and
 * closed_n = n is one in which the finding is closed (fact_finding_closure reads the same).
 */
export const SPAN_COLUMNS = `bounds[i] AS b, if(i < length(bounds), bounds[i + 1], ${STATE_OPEN_END}) AS e,
      arrayCount((x, y) -> x <= b AND b < y, fr, tt) AS n,
      arrayCount((x, y, z) -> x <= b AND b < y AND z = 1, fr, tt, cl) AS closed_n,
      arrayMax(arrayMap((x, y, z, d) -> if(x <= b AND b < y AND z = 1, d, toDate(0)), fr, tt, cl, cd)) AS closure_day`;

/** Where a query holds a task's state: SQL expressions (columns, or `alias.column`). */
export interface TaskColumns {
  status: string;
  /** the current due date (nullable) */
  due: string;
  /** the day of its 销号 (nullable: read only for a CLOSED task) */
  closedDate: string;
  original: string;
}

/** Per-task conditions, for countIf and the like. */
export function taskFigures(c: TaskColumns) {
  return {
    /** 已销号 */
    closed: `${c.status} = 'CLOSED'`,
    /** 已销号 on or before its original due date (a task without one, 长期坚持, is neither on time nor late) */
    onTime: `${c.status} = 'CLOSED' AND ${c.original} IS NOT NULL AND ${c.closedDate} <= ${c.original}`,
    /** 已销号 without an original due date (长期坚持): left out of the on-time rate, counted beside it */
    closedUndated: `${c.status} = 'CLOSED' AND ${c.original} IS NULL`,
    /** its current due date later than the original one */
    extended: `${c.due} IS NOT NULL AND ${c.original} IS NOT NULL AND ${c.due} > ${c.original}`,
    /** not 已销号, with a due date (overdue, aging and due soon are read off the due date) */
    openWithDue: `${c.status} != 'CLOSED' AND ${c.due} IS NOT NULL`,
    /** aggregate over a finding's tasks: the day of the last 销号 (its closure day once all are 已销号) */
    closureDay: `max(${c.closedDate})`,
  };
}

/**
 * Days from a closed finding's feedback to its closure day (the last task's 销号), never
 * negative: both arguments non-null expressions' sources (wrapped in assumeNotNull here).
 */
export function closeDays(feedbackDate: string, closureDay: string): string {
  return `greatest(0, dateDiff('day', assumeNotNull(${feedbackDate}), assumeNotNull(${closureDay})))`;
}

/** A finding of a re-inspection: stationed after its unit's first inspection. */
export function isReinspection(stationedFrom: string, unitFirstVisit: string): string {
  return `${stationedFrom} > ${unitFirstVisit}`;
}

/** A repeat: stationed after the first finding of its level-2 category at its unit. */
export function isRepeat(stationedFrom: string, categoryFirstFound: string): string {
  return `${stationedFrom} > ${categoryFirstFound}`;
}

/** A closed finding inspected again: its unit's last inspection after the closure day. */
export function isReinspectedAfterClosure(unitLastVisit: string, closureDay: string): string {
  return `${unitLastVisit} > assumeNotNull(${closureDay})`;
}

/** A rebound: a finding naming it as its recurrence was found after its closure day. */
export function isRebound(lastLinkedFound: string, closureDay: string): string {
  return `${lastLinkedFound} > assumeNotNull(${closureDay})`;
}
