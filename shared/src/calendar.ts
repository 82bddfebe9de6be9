/** Calendar days are Asia/Shanghai days (backend/src/metrics/DEFINITIONS.md). */
export const TIME_ZONE = 'Asia/Shanghai';

let pinnedToday: string | undefined;

/**
 * Tests: makes `shanghaiToday()` (called without a time) answer `day` in this process until
 * unpinned with `undefined`, so that a test file and the app it runs in-process agree on
 * "today" even across Shanghai midnight. Nothing outside the tests calls it.
 */
export function pinShanghaiToday(day: string | undefined): void {
  pinnedToday = day;
}

/** Today's date in Asia/Shanghai as YYYY-MM-DD (the pinned day in a test that pinned one). */
export function shanghaiToday(now?: Date): string {
  if (now === undefined && pinnedToday !== undefined) return pinnedToday;
  return new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now ?? new Date());
}
