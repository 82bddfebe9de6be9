import { badParameter } from '../dimensions/scope';

/** A calendar quarter and its days (YYYY-MM-DD, Asia/Shanghai calendar days). */
export interface QuarterPeriod {
  year: number;
  quarter: number;
  /** First day of the quarter. */
  start: string;
  /** Last day of the quarter: the workbook's as-of day. */
  end: string;
  /** 1 January of the year. */
  yearStart: string;
  /** "2026年第1季度" */
  label: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

export function quarterPeriod(year: number, quarter: number): QuarterPeriod {
  const firstMonth = (quarter - 1) * 3 + 1;
  const end = new Date(Date.UTC(year, firstMonth + 2, 1) - 86_400_000);
  return {
    year,
    quarter,
    start: `${year}-${pad(firstMonth)}-01`,
    end: end.toISOString().slice(0, 10),
    yearStart: `${year}-01-01`,
    label: `${year}年第${quarter}季度`,
  };
}

/**
 * The quarter a workbook may be made for on `today`: a year from 2000 to this year and a
 * quarter that has ended — its last day on or before today, like every as-of day (on the
 * quarter's last day itself the figures are today's so far). A quarter not over yet is
 * refused (400 naming `quarter`): the workbook is the quarter-end statistics, never a
 * partial quarter under the quarter's name.
 */
export function endedQuarter(year: number, quarter: number, today: string): QuarterPeriod {
  const thisYear = Number(today.slice(0, 4));
  if (!Number.isInteger(year) || year < 2000 || year > thisYear) throw badParameter('year', `must be a year from 2000 to ${thisYear}`);
  if (!Number.isInteger(quarter) || quarter < 1 || quarter > 4) throw badParameter('quarter', 'must be 1, 2, 3 or 4');
  const period = quarterPeriod(year, quarter);
  if (period.end > today) {
    const when = period.start > today ? 'lies in the future' : 'has not ended yet';
    throw badParameter(
      'quarter',
      `${period.label} ${when} (it ends ${period.end}); the workbook is computed as of a quarter's last day, so choose a quarter that has ended`,
    );
  }
  return period;
}

/** The `count` quarters that ended last before `today`, the last one first. */
export function lastEndedQuarters(today: string, count: number): { year: number; quarter: number }[] {
  const out: { year: number; quarter: number }[] = [];
  let q = lastEndedQuarter(today);
  while (out.length < count) {
    out.push(q);
    q = q.quarter === 1 ? { year: q.year - 1, quarter: 4 } : { year: q.year, quarter: q.quarter - 1 };
  }
  return out;
}

/** The last quarter that ended before `today` (whose last day is earlier than today). */
export function lastEndedQuarter(today: string): { year: number; quarter: number } {
  const year = Number(today.slice(0, 4));
  const current = Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1;
  return current === 1 ? { year: year - 1, quarter: 4 } : { year, quarter: current - 1 };
}
