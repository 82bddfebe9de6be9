/** Calendar days are Asia/Shanghai days (DESIGN.md, "Metric definitions"). */
export const TIME_ZONE = 'Asia/Shanghai';

/** Today's date in Asia/Shanghai as YYYY-MM-DD. */
export function shanghaiToday(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}
