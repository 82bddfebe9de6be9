/**
 * Calendar days as integers: days since 1970-01-01. All date arithmetic of the generator
 * runs on these; the loader writes them as PostgreSQL dates directly (binary COPY).
 */
const MS_PER_DAY = 86_400_000;

export function dayFromParts(year: number, month: number, day: number): number {
  return Math.floor(Date.UTC(year, month - 1, day) / MS_PER_DAY);
}

/** Parses YYYY-MM-DD; undefined when it is not a real calendar date. */
export function parseDay(text: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const value = dayFromParts(year, month, day);
  const back = new Date(value * MS_PER_DAY);
  if (back.getUTCFullYear() !== year || back.getUTCMonth() + 1 !== month || back.getUTCDate() !== day) return undefined;
  return value;
}

export function yearOf(day: number): number {
  return new Date(day * MS_PER_DAY).getUTCFullYear();
}

/** The same calendar day `years` later (29 Feb → 28 Feb). */
export function addYears(day: number, years: number): number {
  const date = new Date(day * MS_PER_DAY);
  const target = date.getUTCFullYear() + years;
  const month = date.getUTCMonth();
  const last = new Date(Date.UTC(target, month + 1, 0)).getUTCDate();
  return Math.floor(Date.UTC(target, month, Math.min(date.getUTCDate(), last)) / MS_PER_DAY);
}
