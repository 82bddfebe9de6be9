import { formatShanghai } from './time';

/**
 * The days a date picker offers: the server's rules for that field, so that a clerk cannot
 * pick a day the server refuses. Bounds are ISO days (YYYY-MM-DD) in Asia/Shanghai;
 * `after` excludes its day, `from` and `to` include theirs; an undefined bound is no bound.
 */
export interface DayBounds {
  from?: string | null;
  after?: string | null;
  to?: string | null;
}

/** Today in Asia/Shanghai (the office's day, whatever the browser's zone). */
export function shanghaiToday(now: Date = new Date()): string {
  return (formatShanghai(now.toISOString()) as string).slice(0, 10);
}

/** A picker's day (a local midnight) as YYYY-MM-DD. */
export function dayOf(date: Date): string {
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}

/** Whether a day lies outside the bounds. */
export function outside(day: string, bounds: DayBounds): boolean {
  return (!!bounds.from && day < bounds.from) || (!!bounds.after && day <= bounds.after) || (!!bounds.to && day > bounds.to);
}

/** An Element Plus `disabled-date` for the bounds (read at each call, so they may change). */
export function disabledOutside(bounds: () => DayBounds): (date: Date) => boolean {
  return (date) => outside(dayOf(date), bounds());
}
