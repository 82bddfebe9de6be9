import { z } from 'zod';

/**
 * The shared dashboard filters (backend/src/metrics/DEFINITIONS.md). Every metric and list
 * takes them as query parameters; a bad one is answered with a 400 naming the parameter.
 */
export const UNIT_CATEGORIES = ['PARTY_GOV', 'INSTITUTION', 'SOE', 'TOWNSHIP', 'VILLAGE', 'OTHER'] as const;
export const INSPECTION_MODES = ['ROUTINE', 'SPECIAL', 'MOBILE', 'REVISIT'] as const;
export const TASK_STATUSES = ['NOT_STARTED', 'IN_PROGRESS', 'CLOSE_REQUESTED', 'CLOSED', 'BASICALLY_DONE', 'NOT_DONE'] as const;
export const TASK_TRACKS = ['IMMEDIATE', 'DEADLINE', 'LONG_TERM'] as const;
/**
 * The windows of the overdue and due-soon figures, the one table the metrics' queries, the
 * drill lists' filters and each listed task's bucket read (DEFINITIONS.md): a task not 已销号
 * overdue by `from` through `to` whole days (as-of − its current due date; `to` null: no
 * bound) falls in `bucket`.
 */
export const AGING_WINDOWS = [
  { bucket: '1-30', from: 1, to: 30 },
  { bucket: '31-90', from: 31, to: 90 },
  { bucket: '91-180', from: 91, to: 180 },
  { bucket: '180+', from: 181, to: null },
] as const;
type BucketsOf<T extends readonly { bucket: string }[]> = { readonly [K in keyof T]: T[K] extends { bucket: infer B } ? B : never };
export const AGING_BUCKETS = AGING_WINDOWS.map((w) => w.bucket) as unknown as BucketsOf<typeof AGING_WINDOWS>;
/** The due-soon windows: a task not 已销号 whose current due date lies from as-of through as-of + N days. */
export const DUE_SOON_DAYS = [10, 20] as const;
/** Modes whose inspections count for coverage unless COVERAGE_MODES says otherwise; 回头看 does not. */
export const DEFAULT_COVERAGE_MODES = ['ROUTINE', 'SPECIAL', 'MOBILE'] as const;

export type UnitCategory = (typeof UNIT_CATEGORIES)[number];
export type InspectionMode = (typeof INSPECTION_MODES)[number];
export type TaskStatus = (typeof TASK_STATUSES)[number];
export type AgingBucket = (typeof AGING_BUCKETS)[number];
export type AgingWindow = (typeof AGING_WINDOWS)[number];
export type DueSoonDays = (typeof DUE_SOON_DAYS)[number];

/** The aging window of a task overdue by `days` whole days; none when it is not overdue. */
export function agingWindowOf(days: number): AgingWindow | null {
  return AGING_WINDOWS.find((w) => days >= w.from && (w.to === null || days <= w.to)) ?? null;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The days every date may take, in requests and uploads alike: both engines hold them
 * (ClickHouse's `Date` runs from 1970-01-01 to 2149-06-06 and silently clamps anything
 * outside, PostgreSQL holds far more), with room for due dates moved later.
 */
export const DATE_RANGE = { first: '1970-01-01', last: '2100-12-31' } as const;
export const DATE_RANGE_MESSAGE = `须在 ${DATE_RANGE.first} 至 ${DATE_RANGE.last} 之间 must lie from ${DATE_RANGE.first} to ${DATE_RANGE.last}`;

/** 'YYYY-MM-DD' that names a day of the calendar (no 2026-02-30). */
export function isRealDay(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  const [y, m, d] = value.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** A real day inside DATE_RANGE (ISO days compare as strings). */
export function isDayInRange(value: string): boolean {
  return value >= DATE_RANGE.first && value <= DATE_RANGE.last;
}

/** A calendar day, YYYY-MM-DD, that exists and lies in DATE_RANGE. */
export const isoDate = z
  .string()
  .regex(ISO_DATE, 'must be a date as YYYY-MM-DD')
  .refine(isRealDay, { message: 'is not a real calendar day', abort: true })
  .refine(isDayInRange, DATE_RANGE_MESSAGE);

/**
 * A whole number written in plain decimal digits (no sign, exponent, hex or blanks), from
 * min to max: for ids, pages and limits in query strings and paths.
 */
export function wholeNumber(min: number, max: number, message = `must be a whole number from ${min} to ${max}`) {
  return z
    .string(message)
    .regex(/^\d{1,16}$/, message)
    .transform(Number)
    .pipe(z.number().min(min, message).max(max, message));
}

/** A positive database id given as a query parameter or path segment. */
export const queryId = wholeNumber(1, 2 ** 31 - 1, 'must be a positive integer id');

export const filtersSchema = z.object({
  /** current: each committee's term containing asOf; previous: the term before it. */
  term: z.enum(['current', 'previous']).optional(),
  roundId: queryId.optional(),
  /** A region includes everything under it. */
  regionId: queryId.optional(),
  /**
   * 县直单位: with the regionId of a county, only its units that lie in no township (units
   * whose region is the county itself); refused with any other region.
   */
  countyUnits: z
    .enum(['true', 'false'], 'must be true or false')
    .transform((v) => v === 'true')
    .optional(),
  unitCategory: z.enum(UNIT_CATEGORIES).optional(),
  /** A level-1 category includes its level-2 children. */
  categoryId: queryId.optional(),
  mode: z.enum(INSPECTION_MODES).optional(),
  /** Default: today in Asia/Shanghai. May not lie in the future. */
  asOf: isoDate.optional(),
});
export type FiltersInput = z.infer<typeof filtersSchema>;

/** Filters after validation and defaulting: what queries receive. */
export interface Filters {
  term?: 'current' | 'previous';
  roundId?: number;
  regionId?: number;
  countyUnits?: boolean;
  unitCategory?: UnitCategory;
  categoryId?: number;
  mode?: InspectionMode;
  asOf: string;
}

/** Paging of every list: page from 1, at most 200 rows a page. */
export const pageParam = wholeNumber(1, 1_000_000);
export const pageSizeParam = wholeNumber(1, 200);
