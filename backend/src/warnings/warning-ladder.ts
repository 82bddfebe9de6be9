import type { WarningDays } from '../drill/drill.queries';
import type { WarningLevel } from '../drill/dto/drill.dto';

/**
 * The early-warning ladder (三色预警, as 江津's platform runs it), pure. For an open item due
 * on `due`, as of day D (days = due − D):
 * - red 红色: days < 0 (overdue: due before D) — to the responsible person, the 分管领导 and the 主要负责人;
 * - orange 橙色: 0 ≤ days ≤ orange (due today is orange, not overdue) — responsible person and 分管领导;
 * - yellow 黄色: orange < days ≤ yellow — the responsible person;
 * - none: later, no due date, or closed.
 * The same windows as the due-soon and overdue counts (DEFINITIONS.md) with the default 20 and 10.
 */

export const WARNING_LABELS: Record<WarningLevel, string> = { yellow: '黄色预警', orange: '橙色预警', red: '红色预警' };

/** Who a warning of each level goes to: each level adds to the one below. */
export const WARNING_RECIPIENTS: Record<WarningLevel, readonly string[]> = {
  yellow: ['责任人'],
  orange: ['责任人', '分管领导'],
  red: ['责任人', '分管领导', '主要负责人'],
};

const DAY_MS = 86_400_000;

/** Whole days from `from` to `to` (YYYY-MM-DD each). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** The level of an open item due on `due` (null: no due date) as of `asOf`; null when not warned. */
export function warningLevel(due: string | null, asOf: string, ladder: WarningDays): WarningLevel | null {
  if (due === null) return null;
  const days = daysBetween(asOf, due);
  if (days < 0) return 'red';
  if (days <= ladder.orange) return 'orange';
  if (days <= ladder.yellow) return 'yellow';
  return null;
}

/** The most urgent of several levels (null when none). */
export function highestLevel(levels: Iterable<WarningLevel | null>): WarningLevel | null {
  const order: (WarningLevel | null)[] = [null, 'yellow', 'orange', 'red'];
  let best: WarningLevel | null = null;
  for (const level of levels) if (order.indexOf(level) > order.indexOf(best)) best = level;
  return best;
}

/** YYYY-MM-DD plus whole months, the day kept or, past the month's end, its last day (3 months after 11-30 is 02-28/29). */
export function addMonths(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number);
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, last));
  return first.toISOString().slice(0, 10);
}
