/**
 * Calendar days travel as 'YYYY-MM-DD'. Prisma maps `@db.Date` columns to JS Dates at UTC
 * midnight (the sessions run in UTC), so a day goes in and comes out through these two.
 */
export function dbDate(day: string): Date {
  return new Date(`${day}T00:00:00Z`);
}

export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function isoDayOrNull(date: Date | null): string | null {
  return date === null ? null : isoDay(date);
}
