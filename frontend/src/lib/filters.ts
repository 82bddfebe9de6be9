/**
 * The shared filters, kept in the URL query under the names the API takes, so a page
 * passes them straight on. Pure: no router, no browser.
 */
export const FILTER_KEYS = ['term', 'roundId', 'regionId', 'countyUnits', 'unitCategory', 'categoryId', 'mode', 'asOf'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

export interface Filters {
  term?: 'current' | 'previous';
  roundId?: string;
  regionId?: string;
  /** 'true': with a county's regionId, only its 县直单位 (units in no township) */
  countyUnits?: 'true' | 'false';
  unitCategory?: 'PARTY_GOV' | 'INSTITUTION' | 'SOE' | 'TOWNSHIP' | 'VILLAGE' | 'OTHER';
  categoryId?: string;
  mode?: 'ROUTINE' | 'SPECIAL' | 'MOBILE' | 'REVISIT';
  asOf?: string;
}

type QueryValue = string | null | undefined | (string | null)[];
export type Query = Record<string, QueryValue>;

function first(value: QueryValue): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/**
 * The filters in a URL query. Values are passed on as given: a bad one is answered by the
 * API with a 400 naming it, which the cards show.
 */
export function filtersFromQuery(query: Query): Filters {
  const out: Record<string, string> = {};
  for (const key of FILTER_KEYS) {
    const value = first(query[key]);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** The query with these filters changed (undefined or '' removes one); other keys kept, `page` reset. */
export function withFilters(query: Query, patch: Partial<Record<FilterKey, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(query)) {
    const v = first(value);
    if (v !== undefined) out[key] = v;
  }
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined || value === '') delete out[key];
    else out[key] = value;
  }
  delete out.page;
  return out;
}

/** Only the filters of a query (for links between pages, which keep the filters and drop the rest). */
export function filterQuery(query: Query): Record<string, string> {
  return { ...filtersFromQuery(query) };
}

/** The last day of a quarter, 'YYYY-MM-DD'. */
export function quarterEnd(year: number, quarter: number): string {
  const month = quarter * 3;
  const day = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The quarter a day lies in. */
export function quarterOf(day: string): { year: number; quarter: number } {
  const [y, m] = day.split('-').map(Number);
  return { year: y, quarter: Math.floor((m - 1) / 3) + 1 };
}

/** 'YYYY-Qn' of a quarter-end day, or undefined when the day is not a quarter's last. */
export function quarterKeyOf(day: string | undefined): string | undefined {
  if (!day) return undefined;
  const { year, quarter } = quarterOf(day);
  return quarterEnd(year, quarter) === day ? `${year}-Q${quarter}` : undefined;
}

/** Quarters that have ended by `today`, newest first: `count` of them. */
export function pastQuarters(today: string, count: number): { year: number; quarter: number; end: string }[] {
  let { year, quarter } = quarterOf(today);
  const out: { year: number; quarter: number; end: string }[] = [];
  while (out.length < count) {
    quarter -= 1;
    if (quarter === 0) {
      quarter = 4;
      year -= 1;
    }
    out.push({ year, quarter, end: quarterEnd(year, quarter) });
  }
  return out;
}
