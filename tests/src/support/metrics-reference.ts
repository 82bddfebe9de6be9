/**
 * An independent reference implementation of every dashboard metric, in plain SQL on the
 * PostgreSQL case records (backend/src/metrics/DEFINITIONS.md, followed to the letter).
 * Tests compare the product's ClickHouse figures with these. Nothing here reads the
 * "current" task columns (rectification_tasks.status, current_due_date, closed_date): a
 * task's state as of D comes from its events alone.
 *
 * Every query starts with the CTE `p` holding the shared filters as typed parameters
 * ($1 asOf … $7 mode, $8 countyUnits); metric-specific values follow as $9, $10, ….
 */
import { Client } from 'pg';
import type {
  AgingBucket,
  Filters,
  InspectionMode,
  UnitCategory,
  CategoriesResponse,
  CoverageResponse,
  OverviewResponse,
  Ratio,
  RectificationResponse,
  RecurrenceResponse,
} from '@xuncha/backend';

type AppliedFilters = CoverageResponse['filters'];
type Row = Record<string, unknown>;

const BUCKETS: readonly AgingBucket[] = ['1-30', '31-90', '91-180', '180+'];
const DEFAULT_MODES: readonly InspectionMode[] = ['ROUTINE', 'SPECIAL', 'MOBILE'];
const UNCOVERED_LIMIT_DEFAULT = 50;
const UNCOVERED_LIMIT_MAX = 500;

export interface CoverageOptions {
  uncoveredLimit?: number;
  uncoveredOffset?: number;
  /** COVERAGE_MODES; default ROUTINE, SPECIAL, MOBILE */
  coverageModes?: string[];
}

// --- SQL building blocks -------------------------------------------------------------

/** The shared filters as one typed row; `term` is the effective term (coverage defaults it). */
const P = `p AS (
  SELECT $1::date AS d, $2::text AS term, $3::int AS round_id, $4::int AS region_id,
         $5::text AS unit_category, $6::int AS category_id, $7::text AS mode, $8::boolean AS county_units
)`;

/** Each committee's current term (start ≤ D ≤ end), its previous one, and the selected one. */
const TERMS = `
cur_term AS (
  SELECT DISTINCT ON (t.committee_region_id) t.id, t.committee_region_id, t.start_date, t.end_date
  FROM terms t CROSS JOIN p
  WHERE t.deleted_at IS NULL AND t.start_date <= p.d AND t.end_date >= p.d
  ORDER BY t.committee_region_id, t.start_date DESC, t.id DESC
),
prev_term AS (
  SELECT DISTINCT ON (t.committee_region_id) t.id, t.committee_region_id, t.start_date, t.end_date
  FROM terms t JOIN cur_term c ON c.committee_region_id = t.committee_region_id
  WHERE t.deleted_at IS NULL AND t.end_date < c.start_date
  ORDER BY t.committee_region_id, t.end_date DESC, t.id DESC
),
sel_term AS (
  SELECT cur_term.* FROM cur_term CROSS JOIN p WHERE p.term = 'current'
  UNION ALL
  SELECT prev_term.* FROM prev_term CROSS JOIN p WHERE p.term = 'previous'
)`;

/** Units with their county: the MUNICIPAL/COUNTY region they lie in (a township's parent). */
const UNIT_GEO = `
unit_geo AS (
  SELECT u.id, u.code, u.name, u.category::text AS unit_category, u.region_id, u.committee_region_id,
         u.valid_from, u.valid_to, u.deleted_at,
         CASE r.level WHEN 'TOWNSHIP' THEN r.parent_id WHEN 'CITY' THEN NULL ELSE r.id END AS county_id
  FROM org_units u JOIN regions r ON r.id = u.region_id
)`;

/** The regionId filter on a row alias carrying region_id and county_id. */
const regionPasses = (a: string): string => `(p.region_id IS NULL OR EXISTS (
    SELECT 1 FROM regions fr WHERE fr.id = p.region_id AND (
      fr.level = 'CITY'
      OR (fr.level IN ('MUNICIPAL', 'COUNTY') AND ${a}.county_id = fr.id)
      OR (fr.level = 'TOWNSHIP' AND ${a}.region_id = fr.id))))
  AND (p.county_units IS NOT TRUE OR ${a}.region_id = p.region_id)`;

/**
 * fx: every existing finding (finding and its inspection not deleted) with what it carries;
 * ff: those passing every filter (found-date and feedback conditions come per metric).
 */
const FINDINGS = `
fx AS (
  SELECT f.id, f.inspection_id, f.unit_id, f.category_id, c.parent_id AS category1_id, f.is_immediate,
         f.recurrence_of_id, f.found_date, i.round_id, ro.term_id, i.mode::text AS mode, i.stationed_from,
         i.feedback_date, ug.unit_category, ug.region_id, ug.county_id, ug.committee_region_id
  FROM findings f
  JOIN inspections i ON i.id = f.inspection_id AND i.deleted_at IS NULL
  JOIN rounds ro ON ro.id = i.round_id
  JOIN unit_geo ug ON ug.id = f.unit_id
  JOIN issue_categories c ON c.id = f.category_id
  WHERE f.deleted_at IS NULL
),
ff AS (
  SELECT fx.* FROM fx CROSS JOIN p
  WHERE (p.term IS NULL OR fx.term_id IN (SELECT st.id FROM sel_term st WHERE st.committee_region_id = fx.committee_region_id))
    AND (p.round_id IS NULL OR fx.round_id = p.round_id)
    AND (p.unit_category IS NULL OR fx.unit_category = p.unit_category)
    AND (p.category_id IS NULL OR fx.category_id = p.category_id OR fx.category1_id = p.category_id)
    AND (p.mode IS NULL OR fx.mode = p.mode)
    AND ${regionPasses('fx')}
)`;

/**
 * Task state as of D from the task's events with event_date ≤ D, ordered by (event_date, id):
 * status and its day from the last event with a to_status (no such event: the task does not
 * exist yet), due date from the last EXTENSION, else the original due date.
 */
const TASK_STATE = `
ev AS (
  SELECT e.id, e.task_id, e.type::text AS type, e.event_date, e.to_status::text AS to_status, e.new_due_date
  FROM task_events e CROSS JOIN p
  WHERE e.deleted_at IS NULL AND e.event_date <= p.d
),
ev_status AS (
  SELECT DISTINCT ON (ev.task_id) ev.task_id, ev.to_status AS status, ev.event_date
  FROM ev WHERE ev.to_status IS NOT NULL
  ORDER BY ev.task_id, ev.event_date DESC, ev.id DESC
),
ev_extension AS (
  SELECT DISTINCT ON (ev.task_id) ev.task_id, ev.new_due_date
  FROM ev WHERE ev.type = 'EXTENSION'
  ORDER BY ev.task_id, ev.event_date DESC, ev.id DESC
),
task_asof AS (
  SELECT t.id, t.finding_id, t.original_due_date, s.status,
         CASE WHEN x.task_id IS NULL THEN t.original_due_date ELSE x.new_due_date END AS due_date,
         CASE WHEN s.status = 'CLOSED' THEN s.event_date END AS closed_date
  FROM rectification_tasks t
  JOIN ev_status s ON s.task_id = t.id
  LEFT JOIN ev_extension x ON x.task_id = t.id
  WHERE t.deleted_at IS NULL
),
finding_close AS (
  SELECT ta.finding_id, count(*) AS n_tasks, count(*) FILTER (WHERE ta.status = 'CLOSED') AS n_closed,
         max(ta.closed_date) AS closure
  FROM task_asof ta GROUP BY ta.finding_id
)`;

const withCtes = (...ctes: string[]): string => `WITH ${[P, ...ctes].join(',\n')}\n`;

// --- areas: the rows of the "各地区" series -----------------------------------------

type Run = (sql: string, params: unknown[]) => Promise<Row[]>;
type AreaRow = Pick<CoverageResponse['byRegion'][number], 'level' | 'regionId' | 'unitCategory' | 'unitId' | 'name'>;

const UNIT_CATEGORY_ORDER = ['PARTY_GOV', 'INSTITUTION', 'SOE', 'TOWNSHIP', 'VILLAGE', 'OTHER'];
const UNIT_CATEGORY_NAMES: Record<string, string> = {
  PARTY_GOV: '党政机关',
  INSTITUTION: '事业单位',
  SOE: '国有企业',
  TOWNSHIP: '乡镇(街道)',
  VILLAGE: '村(社区)',
  OTHER: '其他',
};

/**
 * The areas the by-region series group by, one level below the region filter (issue 18,
 * item 9): none or the city, each county (county_id); a county, each unit's region (a
 * township, or the county itself: 县直单位); 市本级, each unit category (without a
 * unit-category filter) or else each unit; a township, or a county's 县直单位 (countyUnits), each unit. `key(alias)` is the
 * grouping key over a row carrying unit_id, region_id, unit_category and county_id, as text;
 * `describe` names the keys found, ordered as the API orders them.
 */
interface Areas {
  key: (alias: string) => string;
  describe: (run: Run, keys: string[]) => Promise<Map<string, AreaRow>>;
  order: (a: string, b: string) => number;
}

async function areasOf(run: Run, filters: Filters): Promise<Areas> {
  const [region] = filters.regionId === undefined ? [] : await run('SELECT id, level::text AS level FROM regions WHERE id = $1', [filters.regionId]);
  const level = region ? str(region.level) : 'CITY';
  const byNumber = (a: string, b: string) => Number(a) - Number(b);
  const regionNames = async (keys: string[]) =>
    new Map((await run('SELECT id::text AS id, name FROM regions WHERE id = ANY($1::int[])', [keys.map(Number)])).map((r) => [str(r.id), str(r.name)]));
  const none = { unitCategory: null, unitId: null };
  if (level === 'CITY')
    return {
      key: (a) => `${a}.county_id::text`,
      order: byNumber,
      describe: async (_run, keys) => {
        const names = await regionNames(keys);
        return new Map(keys.map((k) => [k, { level: 'county', regionId: Number(k), name: names.get(k)!, ...none }]));
      },
    };
  if (level === 'COUNTY' && !filters.countyUnits)
    return {
      key: (a) => `${a}.region_id::text`,
      order: byNumber,
      describe: async (_run, keys) => {
        const names = await regionNames(keys);
        return new Map(
          keys.map((k) => [
            k,
            Number(k) === filters.regionId
              ? { level: 'countyUnits', regionId: Number(k), name: '县直单位', ...none }
              : { level: 'township', regionId: Number(k), name: names.get(k)!, ...none },
          ]),
        );
      },
    };
  if (level === 'MUNICIPAL' && filters.unitCategory === undefined)
    return {
      key: (a) => `${a}.unit_category::text`,
      order: (a, b) => UNIT_CATEGORY_ORDER.indexOf(a) - UNIT_CATEGORY_ORDER.indexOf(b),
      describe: async (_run, keys) =>
        new Map(
          keys.map((k) => [
            k,
            { level: 'unitCategory', regionId: filters.regionId!, unitCategory: k as UnitCategory, unitId: null, name: UNIT_CATEGORY_NAMES[k] },
          ]),
        ),
    };
  return {
    key: (a) => `${a}.unit_id::text`,
    order: byNumber,
    describe: async (r, keys) => {
      const names = new Map(
        (await r('SELECT id::text AS id, name FROM org_units WHERE id = ANY($1::int[])', [keys.map(Number)])).map((u) => [str(u.id), str(u.name)]),
      );
      return new Map(keys.map((k) => [k, { level: 'unit', regionId: filters.regionId!, unitCategory: null, unitId: Number(k), name: names.get(k)! }]));
    },
  };
}

/** Rows with a text `key` (areasOf), sorted as the API sorts them and described. */
async function describedRows(run: Run, areas: Areas, rows: Row[]): Promise<{ area: AreaRow; row: Row }[]> {
  const keys = [...new Set(rows.map((r) => str(r.key)))];
  const described = await areas.describe(run, keys);
  return rows
    .map((row) => ({ area: described.get(str(row.key))!, row, key: str(row.key) }))
    .sort((a, b) => areas.order(a.key, b.key))
    .map(({ area, row }) => ({ area, row }));
}

// --- helpers -------------------------------------------------------------------------

function num(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  throw new Error(`metrics reference: expected a number, got ${JSON.stringify(value)}`);
}

function numOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : num(value);
}

function str(value: unknown): string {
  if (typeof value === 'string') return value;
  throw new Error(`metrics reference: expected a string, got ${JSON.stringify(value)}`);
}

function strOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : str(value);
}

function ratio(numerator: number, denominator: number): Ratio {
  return { numerator, denominator, rate: denominator === 0 ? null : numerator / denominator };
}

function rateOf(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

function projectedOf(rate: number | null, pace: number | null): number | null {
  if (rate === null || pace === null || pace === 0) return null;
  return Math.min(1, rate / pace);
}

function appliedFilters(filters: Filters, ignored: string[]): AppliedFilters {
  return {
    asOf: filters.asOf,
    term: filters.term ?? null,
    roundId: filters.roundId ?? null,
    regionId: filters.regionId ?? null,
    unitCategory: filters.unitCategory ?? null,
    categoryId: filters.categoryId ?? null,
    mode: filters.mode ?? null,
    countyUnits: filters.countyUnits ?? false,
    ignored,
  };
}

/** $1…$8 in the order of the `p` CTE. */
function baseParams(filters: Filters, term: 'current' | 'previous' | null): unknown[] {
  return [
    filters.asOf,
    term,
    filters.roundId ?? null,
    filters.regionId ?? null,
    filters.unitCategory ?? null,
    filters.categoryId ?? null,
    filters.mode ?? null,
    filters.countyUnits ?? null,
  ];
}

async function withClient<T>(
  databaseUrl: string,
  work: (run: (sql: string, params: unknown[]) => Promise<Row[]>) => Promise<T>,
  options: { hashJoinsOnly?: boolean } = {},
): Promise<T> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    // The generic "filter IS NULL OR …" conditions make the planner expect one row where
    // there are tens of thousands; where it then picks nested loops over whole tables (the
    // task-level joins), they take minutes: such queries ask for hash joins only.
    if (options.hashJoinsOnly) await client.query('SET enable_nestloop = off');
    // the task history is sorted per task: in memory, not in temporary files
    await client.query("SET work_mem = '64MB'");
    return await work(async (sql, params) => (await client.query<Row>(sql, params)).rows);
  } finally {
    await client.end();
  }
}

// --- coverage ------------------------------------------------------------------------

export async function referenceCoverage(databaseUrl: string, filters: Filters, opts: CoverageOptions = {}): Promise<CoverageResponse> {
  const configured = opts.coverageModes ?? [...DEFAULT_MODES];
  // the mode filter narrows the counting modes to itself (none when it does not count)
  const modes = filters.mode ? configured.filter((m) => m === filters.mode) : configured;
  const limit = Math.min(UNCOVERED_LIMIT_MAX, Math.max(0, Math.floor(opts.uncoveredLimit ?? UNCOVERED_LIMIT_DEFAULT)));
  const offset = Math.max(0, Math.floor(opts.uncoveredOffset ?? 0));
  const params = [...baseParams(filters, filters.term ?? 'current'), modes];

  const scopeSql = withCtes(
    TERMS,
    UNIT_GEO,
    // without a round filter each committee's selected term; with one, the round's term alone
    `committee AS (
      SELECT st.id AS term_id, st.committee_region_id, st.start_date, st.end_date, LEAST(p.d, st.end_date) AS e
      FROM sel_term st CROSS JOIN p
      WHERE p.round_id IS NULL
      UNION ALL
      SELECT t.id, t.committee_region_id, t.start_date, t.end_date, LEAST(p.d, t.end_date)
      FROM rounds ro JOIN terms t ON t.id = ro.term_id CROSS JOIN p
      WHERE ro.id = p.round_id AND t.deleted_at IS NULL
    )`,
    `candidate AS (
      SELECT ug.id, ug.id AS unit_id, ug.code, ug.name, ug.unit_category, ug.region_id, ug.county_id, ug.committee_region_id,
             c.term_id, c.start_date AS term_start, c.end_date AS term_end, c.e,
             (ug.valid_from <= c.e AND (ug.valid_to IS NULL OR ug.valid_to >= c.e)) AS active,
             (ug.valid_to IS NOT NULL AND ug.valid_to >= c.start_date AND ug.valid_to < c.e) AS abolished_in_term,
             EXISTS (
               SELECT 1 FROM inspections i
               WHERE i.unit_id = ug.id AND i.deleted_at IS NULL
                 AND i.mode::text = ANY ($9::text[])
                 AND (p.round_id IS NULL OR i.round_id = p.round_id)
                 AND i.stationed_from BETWEEN c.start_date AND c.e
             ) AS covered
      FROM unit_geo ug
      JOIN committee c ON c.committee_region_id = ug.committee_region_id
      CROSS JOIN p
      WHERE ug.deleted_at IS NULL
        AND (p.unit_category IS NULL OR ug.unit_category = p.unit_category)
        AND ${regionPasses('ug')}
    )`,
    `scope AS (SELECT * FROM candidate WHERE active OR (abolished_in_term AND covered))`,
  );

  return withClient(databaseUrl, async (run) => {
    const areas = await areasOf(run, filters);
    const committees = await run(
      `${scopeSql}
       SELECT committee_region_id, (e - term_start + 1) AS elapsed, (term_end - term_start + 1) AS term_days,
              count(*)::int AS in_scope, count(*) FILTER (WHERE covered)::int AS covered
       FROM scope GROUP BY committee_region_id, term_id, term_start, term_end, e
       ORDER BY committee_region_id`,
      params,
    );
    const counties = await run(
      `${scopeSql}
       SELECT ${areas.key('s')} AS key, term_id, to_char(term_start, 'YYYY-MM-DD') AS term_start, to_char(term_end, 'YYYY-MM-DD') AS term_end,
              (e - term_start + 1) AS elapsed, (term_end - term_start + 1) AS term_days,
              count(*)::int AS in_scope, count(*) FILTER (WHERE covered)::int AS covered
       FROM scope s WHERE county_id IS NOT NULL
       GROUP BY 1, term_id, term_start, term_end, e
       ORDER BY term_id`,
      params,
    );
    const regionRows = await describedRows(run, areas, counties);
    const categories = await run(
      `${scopeSql}
       SELECT unit_category, count(*)::int AS in_scope, count(*) FILTER (WHERE covered)::int AS covered
       FROM scope GROUP BY unit_category ORDER BY unit_category COLLATE "C"`,
      params,
    );
    const [{ total }] = await run(`${scopeSql} SELECT count(*)::int AS total FROM scope WHERE NOT covered`, params);
    const uncovered = await run(
      `${scopeSql},
       last_seen AS (
         SELECT s.*, (
           SELECT max(i.stationed_from) FROM inspections i
           WHERE i.unit_id = s.id AND i.deleted_at IS NULL AND i.stationed_from <= p.d
         ) AS last_date
         FROM scope s CROSS JOIN p WHERE NOT s.covered
       )
       SELECT l.id, l.code, l.name, l.unit_category, l.region_id, l.county_id,
              to_char(l.last_date, 'YYYY-MM-DD') AS last_date, (p.d - l.last_date) AS days_since,
              round((p.d - l.last_date)::numeric / 365.25, 1)::text AS years_since
       FROM last_seen l CROSS JOIN p
       ORDER BY l.last_date IS NOT NULL, l.last_date, l.id
       LIMIT $10::int OFFSET $11::int`,
      [...params, limit, offset],
    );

    let covered = 0;
    let inScope = 0;
    let weightedPace = 0;
    for (const c of committees) {
      const n = num(c.in_scope);
      inScope += n;
      covered += num(c.covered);
      weightedPace += (num(c.elapsed) / num(c.term_days)) * n;
    }
    const coverage = ratio(covered, inScope);
    const pace = inScope === 0 ? null : weightedPace / inScope;

    return {
      filters: appliedFilters(filters, filters.categoryId !== undefined ? ['categoryId'] : []),
      coverage,
      pace,
      projected: projectedOf(coverage.rate, pace),
      byRegion: regionRows.map(({ area, row: r }) => {
        const n = num(r.in_scope);
        const k = num(r.covered);
        const regionPace = num(r.elapsed) / num(r.term_days);
        const rate = rateOf(k, n);
        return {
          ...area,
          termId: num(r.term_id),
          termStart: str(r.term_start),
          termEnd: str(r.term_end),
          pace: regionPace,
          projected: projectedOf(rate, regionPace),
          inScope: n,
          covered: k,
          rate,
        };
      }),
      byUnitCategory: categories.map((r) => ({
        unitCategory: str(r.unit_category) as UnitCategory,
        inScope: num(r.in_scope),
        covered: num(r.covered),
        rate: rateOf(num(r.covered), num(r.in_scope)),
      })),
      uncovered: {
        total: num(total),
        rows: uncovered.map((r) => ({
          unitId: num(r.id),
          code: str(r.code),
          name: str(r.name),
          unitCategory: str(r.unit_category) as UnitCategory,
          regionId: num(r.region_id),
          // a unit placed in the CITY region itself has no county: 0, as the ETL writes it
          countyId: r.county_id === null ? 0 : num(r.county_id),
          lastInspectionDate: strOrNull(r.last_date),
          daysSinceLast: numOrNull(r.days_since),
          yearsSinceLast: numOrNull(r.years_since),
        })),
      },
    };
  });
}

// --- categories ----------------------------------------------------------------------

export async function referenceCategories(databaseUrl: string, filters: Filters): Promise<CategoriesResponse> {
  const params = baseParams(filters, filters.term ?? null);
  const sql = withCtes(TERMS, UNIT_GEO, FINDINGS, `cf AS (SELECT ff.* FROM ff CROSS JOIN p WHERE ff.found_date <= p.d)`);
  return withClient(databaseUrl, async (run) => {
    const areas = await areasOf(run, filters);
    const [{ total }] = await run(`${sql} SELECT count(*)::int AS total FROM cf`, params);
    const level1 = await run(
      `${sql}
       SELECT c.id, c.code, c.name, count(cf.id)::int AS count
       FROM issue_categories c LEFT JOIN cf ON cf.category1_id = c.id
       WHERE c.deleted_at IS NULL AND c.level = 1
       GROUP BY c.id, c.code, c.name ORDER BY c.code COLLATE "C", c.id`,
      params,
    );
    const level2 = await run(
      `${sql}
       SELECT c.id, c.parent_id, c.code, c.name, count(cf.id)::int AS count
       FROM issue_categories c LEFT JOIN cf ON cf.category_id = c.id
       WHERE c.deleted_at IS NULL AND c.level = 2
       GROUP BY c.id, c.parent_id, c.code, c.name ORDER BY c.code COLLATE "C", c.id`,
      params,
    );
    const byRegion = await describedRows(
      run,
      areas,
      await run(`${sql} SELECT ${areas.key('cf')} AS key, count(*)::int AS count FROM cf WHERE county_id IS NOT NULL GROUP BY 1`, params),
    );
    const regionCategory = await describedRows(
      run,
      areas,
      await run(
        `${sql}
       SELECT ${areas.key('cf')} AS key, category1_id, count(*)::int AS count FROM cf
       WHERE county_id IS NOT NULL AND category1_id IS NOT NULL GROUP BY 1, 2 ORDER BY 2`,
        params,
      ),
    );
    const matrix = await run(
      `${sql}
       SELECT unit_category, category1_id, count(*)::int AS count FROM cf
       WHERE category1_id IS NOT NULL GROUP BY 1, 2 ORDER BY unit_category COLLATE "C", category1_id`,
      params,
    );
    const byRound = await run(`${sql} SELECT round_id AS key, count(*)::int AS count FROM cf GROUP BY 1 ORDER BY 1`, params);
    const byMode = await run(`${sql} SELECT mode AS key, count(*)::int AS count FROM cf GROUP BY mode ORDER BY mode COLLATE "C"`, params);
    const quarterly = await run(
      `${sql}
       SELECT quarter, category1_id, count(*)::int AS count
       FROM (SELECT to_char(found_date, 'YYYY"Q"Q') AS quarter, category1_id FROM cf WHERE category1_id IS NOT NULL) q
       GROUP BY quarter, category1_id ORDER BY quarter COLLATE "C", category1_id`,
      params,
    );
    return {
      filters: appliedFilters(filters, []),
      total: num(total),
      level1: level1.map((r) => ({ categoryId: num(r.id), code: str(r.code), name: str(r.name), count: num(r.count) })),
      level2: level2.map((r) => ({
        categoryId: num(r.id),
        parentId: num(r.parent_id),
        code: str(r.code),
        name: str(r.name),
        count: num(r.count),
      })),
      byRegion: byRegion.map(({ area, row }) => ({ ...area, count: num(row.count) })),
      regionCategory: regionCategory.map(({ area, row }) => ({ ...area, categoryId: num(row.category1_id), count: num(row.count) })),
      unitCategoryMatrix: matrix.map((r) => ({
        unitCategory: str(r.unit_category) as UnitCategory,
        categoryId: num(r.category1_id),
        count: num(r.count),
      })),
      byRound: byRound.map((r) => ({ roundId: num(r.key), count: num(r.count) })),
      byMode: byMode.map((r) => ({ mode: str(r.key) as InspectionMode, count: num(r.count) })),
      quarterly: quarterly.map((r) => ({ quarter: str(r.quarter), categoryId: num(r.category1_id), count: num(r.count) })),
    };
  });
}

// --- rectification -------------------------------------------------------------------

export async function referenceRectification(databaseUrl: string, filters: Filters): Promise<RectificationResponse> {
  const params = baseParams(filters, filters.term ?? null);
  const sql = withCtes(
    TERMS,
    UNIT_GEO,
    FINDINGS,
    TASK_STATE,
    `fed AS (SELECT ff.* FROM ff CROSS JOIN p WHERE ff.feedback_date <= p.d AND ff.found_date <= p.d)`,
    `tk AS (
      SELECT ta.id, ta.finding_id, ta.closed_date,
             (ta.status = 'CLOSED') AS closed,
             (ta.status = 'CLOSED' AND ta.original_due_date IS NOT NULL AND ta.closed_date <= ta.original_due_date) AS on_time,
             (ta.status = 'CLOSED' AND ta.original_due_date IS NULL) AS closed_undated,
             CASE WHEN ta.status <> 'CLOSED' AND ta.due_date IS NOT NULL AND ta.due_date < p.d THEN p.d - ta.due_date END AS days_overdue,
             (ta.status <> 'CLOSED' AND ta.due_date BETWEEN p.d AND p.d + 20) AS due20,
             (ta.status <> 'CLOSED' AND ta.due_date BETWEEN p.d AND p.d + 10) AS due10,
             COALESCE(ta.due_date > ta.original_due_date, false) AS extended
      FROM task_asof ta JOIN fed ON fed.id = ta.finding_id CROSS JOIN p
    )`,
    `fr AS (
      SELECT fed.id, fed.county_id, fed.region_id, fed.unit_id, fed.unit_category, fed.round_id, fed.is_immediate, fed.feedback_date,
             count(tk.id) AS n_tasks,
             count(tk.id) FILTER (WHERE tk.closed) AS n_closed,
             max(tk.closed_date) AS closure,
             count(tk.id) FILTER (WHERE tk.on_time) AS n_on_time,
             count(tk.id) FILTER (WHERE tk.closed_undated) AS n_closed_undated,
             count(tk.id) FILTER (WHERE tk.days_overdue IS NOT NULL) AS n_overdue,
             count(tk.id) FILTER (WHERE tk.days_overdue BETWEEN 1 AND 30) AS n_b1,
             count(tk.id) FILTER (WHERE tk.days_overdue BETWEEN 31 AND 90) AS n_b2,
             count(tk.id) FILTER (WHERE tk.days_overdue BETWEEN 91 AND 180) AS n_b3,
             count(tk.id) FILTER (WHERE tk.days_overdue >= 181) AS n_b4,
             count(tk.id) FILTER (WHERE tk.due20) AS n_due20,
             count(tk.id) FILTER (WHERE tk.due10) AS n_due10,
             count(tk.id) FILTER (WHERE tk.extended) AS n_extended
      FROM fed LEFT JOIN tk ON tk.finding_id = fed.id
      GROUP BY fed.id, fed.county_id, fed.region_id, fed.unit_id, fed.unit_category, fed.round_id, fed.is_immediate, fed.feedback_date
    )`,
    `frc AS (SELECT fr.*, (fr.n_tasks > 0 AND fr.n_tasks = fr.n_closed) AS closed FROM fr)`,
  );
  const groupCols = `count(*)::int AS findings, count(*) FILTER (WHERE closed)::int AS findings_closed,
    COALESCE(sum(n_tasks), 0)::int AS tasks, COALESCE(sum(n_closed), 0)::int AS tasks_closed, COALESCE(sum(n_overdue), 0)::int AS overdue`;

  return withClient(
    databaseUrl,
    async (run) => {
      // the findings with their task counts, once into a temporary table, then summed four ways
      await run(`CREATE TEMP TABLE frc_rows AS ${sql} SELECT * FROM frc`, params);
      const [t] = await run(
        `SELECT ${groupCols},
              count(*) FILTER (WHERE is_immediate)::int AS imm, count(*) FILTER (WHERE is_immediate AND closed)::int AS imm_closed,
              COALESCE(sum(n_on_time), 0)::int AS on_time, COALESCE(sum(n_closed_undated), 0)::int AS closed_undated,
              COALESCE(sum(n_b1), 0)::int AS b1, COALESCE(sum(n_b2), 0)::int AS b2,
              COALESCE(sum(n_b3), 0)::int AS b3, COALESCE(sum(n_b4), 0)::int AS b4,
              COALESCE(sum(n_due20), 0)::int AS due20, COALESCE(sum(n_due10), 0)::int AS due10,
              COALESCE(sum(n_extended), 0)::int AS extended
       FROM frc_rows`,
        [],
      );
      const [dc] = await run(
        `WITH dc AS (
         SELECT GREATEST(0, closure - feedback_date) AS days,
                row_number() OVER (ORDER BY GREATEST(0, closure - feedback_date)) AS rk,
                count(*) OVER () AS n
         FROM frc_rows WHERE closed
       )
       SELECT count(*)::int AS n,
              max(days) FILTER (WHERE rk = (n + 1) / 2) AS median,
              max(days) FILTER (WHERE rk = (9 * n + 9) / 10) AS p90
       FROM dc`,
        [],
      );
      const areas = await areasOf(run, filters);
      const byRegion = await describedRows(
        run,
        areas,
        await run(`SELECT ${areas.key('r')} AS key, ${groupCols} FROM frc_rows r WHERE county_id IS NOT NULL GROUP BY 1`, []),
      );
      const byRound = await run(`SELECT round_id AS key, ${groupCols} FROM frc_rows GROUP BY 1 ORDER BY 1`, []);

      const group = (r: Row) => ({
        findings: num(r.findings),
        findingsClosed: num(r.findings_closed),
        tasks: num(r.tasks),
        tasksClosed: num(r.tasks_closed),
        overdue: num(r.overdue),
      });
      const bucketCounts = [num(t.b1), num(t.b2), num(t.b3), num(t.b4)];
      return {
        filters: appliedFilters(filters, []),
        findingClosure: ratio(num(t.findings_closed), num(t.findings)),
        taskClosure: ratio(num(t.tasks_closed), num(t.tasks)),
        immediateClosure: ratio(num(t.imm_closed), num(t.imm)),
        onTime: ratio(num(t.on_time), num(t.tasks_closed) - num(t.closed_undated)),
        closedUndated: num(t.closed_undated),
        overdue: { count: num(t.overdue), buckets: BUCKETS.map((bucket, i) => ({ bucket, count: bucketCounts[i] })) },
        dueSoon: { within20: num(t.due20), within10: num(t.due10) },
        extended: ratio(num(t.extended), num(t.tasks)),
        daysToClose: { count: num(dc.n), median: numOrNull(dc.median), p90: numOrNull(dc.p90) },
        byRegion: byRegion.map(({ area, row }) => ({ ...area, ...group(row) })),
        byRound: byRound.map((r) => ({ roundId: num(r.key), ...group(r) })),
      };
    },
    { hashJoinsOnly: true },
  );
}

// --- recurrence ----------------------------------------------------------------------

export async function referenceRecurrence(databaseUrl: string, filters: Filters): Promise<RecurrenceResponse> {
  const params = baseParams(filters, filters.term ?? null);
  const sql = withCtes(
    TERMS,
    UNIT_GEO,
    FINDINGS,
    TASK_STATE,
    // the history compared with: every existing inspection stationed by D, any mode or round,
    // summed up per unit (first and last visit), per unit and level-2 category (first time
    // found) and per finding named as a recurrence (last time named by D)
    `visits AS (
      SELECT i.unit_id, min(i.stationed_from) AS first_day, max(i.stationed_from) AS last_day
      FROM inspections i CROSS JOIN p
      WHERE i.deleted_at IS NULL AND i.stationed_from <= p.d
      GROUP BY i.unit_id
    )`,
    `first_found AS (
      SELECT g.unit_id, g.category_id, min(gi.stationed_from) AS first_day
      FROM findings g JOIN inspections gi ON gi.id = g.inspection_id AND gi.deleted_at IS NULL
      WHERE g.deleted_at IS NULL
      GROUP BY g.unit_id, g.category_id
    )`,
    `links AS (
      SELECT g.recurrence_of_id AS finding_id, max(g.found_date) AS last_found
      FROM findings g JOIN inspections gi ON gi.id = g.inspection_id AND gi.deleted_at IS NULL CROSS JOIN p
      WHERE g.deleted_at IS NULL AND g.recurrence_of_id IS NOT NULL AND g.found_date <= p.d
      GROUP BY g.recurrence_of_id
    )`,
    // a re-inspection: an earlier visit of the unit; a repeat: its category found at an earlier visit
    `reinspection_findings AS (
      SELECT ff.id, ff.county_id, ff.region_id, ff.unit_id, ff.unit_category, ff.category1_id, (first_found.first_day < ci.stationed_from) AS is_repeat
      FROM ff
      JOIN inspections ci ON ci.id = ff.inspection_id AND ci.deleted_at IS NULL
      JOIN visits v ON v.unit_id = ci.unit_id
      JOIN first_found ON first_found.unit_id = ff.unit_id AND first_found.category_id = ff.category_id
      CROSS JOIN p
      WHERE ff.found_date <= p.d AND ci.stationed_from <= p.d AND v.first_day < ci.stationed_from
    )`,
    // closed, the unit visited again after the closure; a rebound: named by a finding found after it
    `closed_reinspected AS (
      SELECT ff.id, ff.county_id, ff.region_id, ff.unit_id, ff.unit_category, ff.category1_id, COALESCE(links.last_found > fc.closure, false) AS is_rebound
      FROM ff
      JOIN finding_close fc ON fc.finding_id = ff.id
      JOIN visits v ON v.unit_id = ff.unit_id
      LEFT JOIN links ON links.finding_id = ff.id
      WHERE fc.n_tasks = fc.n_closed AND v.last_day > fc.closure
    )`,
    `counted AS (
      SELECT county_id, region_id, unit_id, unit_category, category1_id, 1 AS reinspection, is_repeat::int AS repeat, 0 AS closed_reinspected, 0 AS rebound
      FROM reinspection_findings
      UNION ALL
      SELECT county_id, region_id, unit_id, unit_category, category1_id, 0, 0, 1, is_rebound::int FROM closed_reinspected
    )`,
  );
  const sums = `COALESCE(sum(reinspection), 0)::int AS reinspection, COALESCE(sum(repeat), 0)::int AS repeat,
    COALESCE(sum(closed_reinspected), 0)::int AS closed_reinspected, COALESCE(sum(rebound), 0)::int AS rebound`;
  return withClient(
    databaseUrl,
    async (run) => {
      // counted once into a temporary table, then summed three ways
      await run(`CREATE TEMP TABLE counted_rows AS ${sql} SELECT * FROM counted`, params);
      const [t] = await run(`SELECT ${sums} FROM counted_rows`, []);
      const areas = await areasOf(run, filters);
      const byRegion = await describedRows(
        run,
        areas,
        await run(`SELECT ${areas.key('r')} AS key, ${sums} FROM counted_rows r WHERE county_id IS NOT NULL GROUP BY 1`, []),
      );
      const byCategory = await run(`SELECT category1_id AS key, ${sums} FROM counted_rows WHERE category1_id IS NOT NULL GROUP BY 1 ORDER BY 1`, []);
      const group = (r: Row) => ({
        reinspectionFindings: num(r.reinspection),
        repeats: num(r.repeat),
        closedReinspected: num(r.closed_reinspected),
        rebounds: num(r.rebound),
      });
      return {
        filters: appliedFilters(filters, []),
        repeat: ratio(num(t.repeat), num(t.reinspection)),
        rebound: ratio(num(t.rebound), num(t.closed_reinspected)),
        byRegion: byRegion.map(({ area, row }) => ({ ...area, ...group(row) })),
        byCategory: byCategory.map((r) => ({ categoryId: num(r.key), ...group(r) })),
      };
    },
    { hashJoinsOnly: true },
  );
}

// --- overview ------------------------------------------------------------------------

export async function referenceOverview(databaseUrl: string, filters: Filters, opts: CoverageOptions = {}): Promise<OverviewResponse> {
  const coverage = await referenceCoverage(databaseUrl, filters, { ...opts, uncoveredLimit: 0 });
  const categories = await referenceCategories(databaseUrl, filters);
  const rectification = await referenceRectification(databaseUrl, filters);
  const recurrence = await referenceRecurrence(databaseUrl, filters);
  return {
    filters: appliedFilters(filters, []),
    cards: {
      coverage: coverage.coverage,
      pace: coverage.pace,
      projected: coverage.projected,
      findings: categories.total,
      findingClosure: rectification.findingClosure,
      taskClosure: rectification.taskClosure,
      immediateClosure: rectification.immediateClosure,
      onTime: rectification.onTime,
      closedUndated: rectification.closedUndated,
      overdue: rectification.overdue.count,
      dueSoon20: rectification.dueSoon.within20,
      repeat: recurrence.repeat,
      rebound: recurrence.rebound,
    },
    charts: {
      coverageByRegion: coverage.byRegion,
      categoriesLevel1: categories.level1,
      closureByRegion: rectification.byRegion,
      overdueBuckets: rectification.overdue.buckets,
    },
  };
}
