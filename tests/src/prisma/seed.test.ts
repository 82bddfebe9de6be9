/**
 * The demo-data generator, checked against PostgreSQL itself: every expectation below is
 * computed with plain SQL over the loaded tables, not with the generator's own helpers.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { isDatabaseEmpty, parseSeedArgs, seedDatabase, type SeedSummary } from '@xuncha/prisma';
import { UserError } from '@xuncha/shared';
import { createTestDatabase, query, type TestDatabase } from '../support/pg';

const ROOT = path.join(__dirname, '..', '..', '..');
const TODAY = '2026-06-30';
const CASE_TABLES = ['regions', 'terms', 'org_units', 'rounds', 'issue_categories', 'inspections', 'clues', 'findings', 'rectification_tasks', 'task_events'];

/** md5 per table over the business columns, rows in id order. */
async function checksums(url: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of CASE_TABLES) {
    const columns = await query<{ column_name: string }>(
      url,
      `SELECT column_name FROM information_schema.columns
        WHERE table_schema = current_schema() AND table_name = $1
          AND column_name NOT IN ('created_at', 'updated_at', 'change_xid', 'change_seq')
        ORDER BY ordinal_position`,
      [table],
    );
    const row = columns.map((c) => `t."${c.column_name}"`).join(', ');
    const [{ md5 }] = await query<{ md5: string }>(url, `SELECT md5(coalesce(string_agg((${row})::text, '|' ORDER BY t.id), '')) AS md5 FROM "${table}" t`);
    out[table] = md5;
  }
  return out;
}

async function one<T extends Record<string, unknown>>(url: string, sql: string, params: unknown[] = []): Promise<T> {
  const rows = await query<T>(url, sql, params);
  return rows[0];
}

// seeding takes seconds: hooks and tests get the integration project's two minutes explicitly
jest.setTimeout(120_000);

/** A count from `SELECT count(*) AS n …`; params are passed when the query uses them. */
const count = async (url: string, sql: string, params: unknown[] = []) => Number((await one<{ n: string }>(url, sql, sql.includes('$1') ? params : [])).n);

describe('demo data generator (seed)', () => {
  let a: TestDatabase; // demo, seed 7
  let b: TestDatabase; // demo, seed 7 again
  let c: TestDatabase; // demo, seed 8, later replaced with seed 7 (--force)
  let summary: SeedSummary;
  let sumA: Record<string, string>;
  const consoleCalls: unknown[][] = [];

  beforeAll(async () => {
    [a, b, c] = await Promise.all([createTestDatabase(), createTestDatabase(), createTestDatabase()]);
    const spies = (['log', 'info', 'warn', 'error'] as const).map((name) =>
      jest.spyOn(console, name).mockImplementation((...args) => void consoleCalls.push(args)),
    );
    try {
      [summary] = await Promise.all([
        seedDatabase(a.url, { scale: 'demo', seed: 7, today: TODAY }),
        seedDatabase(b.url, { scale: 'demo', seed: 7, today: TODAY }),
      ]);
      await seedDatabase(c.url, { scale: 'demo', seed: 8, today: TODAY });
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    sumA = await checksums(a.url);
  });

  afterAll(async () => {
    await Promise.all([a, b, c].filter(Boolean).map((db) => db.drop()));
  });

  it('writes nothing to the console and reports the rows it loaded', async () => {
    expect(consoleCalls).toEqual([]);
    for (const table of CASE_TABLES) {
      expect(summary.counts[table]).toBe(await count(a.url, `SELECT count(*) AS n FROM "${table}"`));
    }
    // the demo scale: ~30k findings, ~3k units
    expect(summary.counts.findings).toBeGreaterThan(25_000);
    expect(summary.counts.findings).toBeLessThan(36_000);
    expect(summary.counts.org_units).toBeGreaterThan(2_000);
    expect(summary.counts.org_units).toBeLessThan(4_000);
    expect(summary.seconds).toBeGreaterThan(0);
  });

  it('is deterministic: same seed, same rows; another seed, other rows', async () => {
    const sumB = await checksums(b.url);
    const sumC = await checksums(c.url);
    expect(sumB).toEqual(sumA);
    for (const table of CASE_TABLES) {
      if (table === 'issue_categories')
        expect(sumC[table]).toBe(sumA[table]); // the fixed seeded tree
      else expect(sumC[table]).not.toBe(sumA[table]);
    }
  });

  it('refuses a database with case records, and --force replaces them (keeping users’ region scopes)', async () => {
    expect(await isDatabaseEmpty(c.url)).toBe(false);
    await expect(seedDatabase(c.url, { scale: 'tiny', seed: 1, today: TODAY })).rejects.toThrow(UserError);
    const [{ id: regionId, code }] = await query<{ id: number; code: string }>(
      c.url,
      `SELECT id, code FROM regions WHERE level = 'COUNTY' ORDER BY code DESC LIMIT 1`,
    );
    await query(c.url, `INSERT INTO users (username, display_name, password_hash, role, region_id) VALUES ('county', '县区用户', 'x', 'COUNTY_STAFF', $1)`, [
      regionId,
    ]);
    await seedDatabase(c.url, { scale: 'demo', seed: 7, today: TODAY, force: true });
    expect(await checksums(c.url)).toEqual(sumA);
    const [user] = await query<{ code: string }>(c.url, `SELECT r.code FROM users u JOIN regions r ON r.id = u.region_id WHERE u.username = 'county'`);
    expect(user?.code).toBe(code);
  });

  it('reports an empty database as empty, and asks for migrations where the tables are missing', async () => {
    const fresh = await createTestDatabase();
    const bare = await createTestDatabase({ migrated: false });
    try {
      expect(await isDatabaseEmpty(fresh.url)).toBe(true);
      expect(await isDatabaseEmpty(bare.url)).toBe(true);
      await expect(seedDatabase(bare.url, { scale: 'tiny', seed: 1, today: TODAY })).rejects.toThrow(/run npm run db:migrate first/);
      await expect(seedDatabase(fresh.url, { scale: 'huge' as 'tiny', seed: 1, today: TODAY })).rejects.toThrow(UserError);
      await expect(seedDatabase(fresh.url, { scale: 'tiny', seed: 1, today: '2026-13-01' })).rejects.toThrow(UserError);
      expect(await isDatabaseEmpty(fresh.url)).toBe(true);
    } finally {
      await Promise.all([fresh.drop(), bare.drop()]);
    }
  });

  it('has the regions of 示例市, terms, rounds and the two-level issue-category tree', async () => {
    const levels = await query<{ level: string; n: string }>(a.url, `SELECT level::text, count(*) AS n FROM regions GROUP BY level ORDER BY level`);
    expect(Object.fromEntries(levels.map((l) => [l.level, Number(l.n)]))).toMatchObject({ CITY: 1, MUNICIPAL: 1, COUNTY: 8 });
    expect(await count(a.url, `SELECT count(*) AS n FROM regions WHERE level = 'TOWNSHIP'`)).toBeGreaterThan(60);
    // every committee (the city and each county) has a previous and a current term; the current one ~60 % through
    const terms = await query<{ committee: string; n: string; current_share: number }>(
      a.url,
      `SELECT r.name AS committee, count(*) AS n,
              max(CASE WHEN t.start_date <= $1::date AND t.end_date >= $1::date
                       THEN ($1::date - t.start_date)::float / (t.end_date - t.start_date + 1) END) AS current_share
         FROM terms t JOIN regions r ON r.id = t.committee_region_id GROUP BY r.name`,
      [TODAY],
    );
    expect(terms).toHaveLength(9);
    for (const term of terms) {
      expect(Number(term.n)).toBe(2);
      expect(term.current_share).toBeGreaterThan(0.5);
      expect(term.current_share).toBeLessThan(0.7);
    }
    // about two rounds a year, each within its term
    expect(
      await count(a.url, `SELECT count(*) AS n FROM rounds o JOIN terms t ON t.id = o.term_id WHERE o.start_date < t.start_date OR o.start_date > t.end_date`),
    ).toBe(0);
    const perYear = await one<{ rate: number }>(a.url, `SELECT count(*)::float / (9 * 8.0) AS rate FROM rounds`);
    expect(perYear.rate).toBeGreaterThan(1.5);
    expect(perYear.rate).toBeLessThan(2.5);
    const tree = await query<{ code: string; level: number; parent: string | null }>(
      a.url,
      `SELECT c.code, c.level, p.code AS parent FROM issue_categories c LEFT JOIN issue_categories p ON p.id = c.parent_id ORDER BY c.code`,
    );
    expect(tree.filter((t) => t.level === 1).map((t) => t.code)).toEqual(['1', '2', '3', '4', '5']);
    expect(tree.filter((t) => t.level === 2)).toHaveLength(23);
    for (const t of tree.filter((x) => x.level === 2)) expect(t.code.startsWith(`${t.parent}.`)).toBe(true);
  });

  it('has every unit category in every county, villages under townships, and units that come and go', async () => {
    const rows = await query<{ county: string; categories: string }>(
      a.url,
      `SELECT c.name AS county, count(DISTINCT u.category) AS categories
         FROM regions c
         JOIN regions r ON r.id = c.id OR r.parent_id = c.id
         JOIN org_units u ON u.region_id = r.id
        WHERE c.level = 'COUNTY'
        GROUP BY c.name`,
    );
    expect(rows).toHaveLength(8);
    for (const row of rows) expect(Number(row.categories)).toBe(6);
    // 市管 units sit in 市本级 under the city's committee; county units under their county's
    expect(
      await count(
        a.url,
        `SELECT count(*) AS n FROM org_units u JOIN regions r ON r.id = u.region_id
          WHERE NOT ((r.level = 'MUNICIPAL' AND u.committee_region_id = r.parent_id)
                  OR (r.level = 'COUNTY' AND u.committee_region_id = r.id)
                  OR (r.level = 'TOWNSHIP' AND u.committee_region_id = r.parent_id))`,
      ),
    ).toBe(0);
    expect(
      await count(
        a.url,
        `SELECT count(*) AS n FROM org_units v LEFT JOIN org_units t ON t.id = v.parent_unit_id
          WHERE v.category = 'VILLAGE' AND (t.category IS DISTINCT FROM 'TOWNSHIP' OR t.region_id <> v.region_id)`,
      ),
    ).toBe(0);
    const changes = await one<{ abolished: string; created: string }>(
      a.url,
      `SELECT count(*) FILTER (WHERE u.valid_to BETWEEN t.start_date AND $1::date) AS abolished,
              count(*) FILTER (WHERE u.valid_from BETWEEN t.start_date AND $1::date) AS created
         FROM org_units u JOIN terms t ON t.committee_region_id = u.committee_region_id AND $1::date BETWEEN t.start_date AND t.end_date`,
      [TODAY],
    );
    expect(Number(changes.abolished)).toBeGreaterThan(5);
    expect(Number(changes.created)).toBeGreaterThan(5);
  });

  it('covers the previous term almost fully and the current one unevenly by county and unit category', async () => {
    const coverage = await query<{ committee: string; category: string; previous: number; current: number }>(
      a.url,
      `WITH t AS (
         SELECT committee_region_id, start_date, end_date,
                CASE WHEN $1::date BETWEEN start_date AND end_date THEN 'current' ELSE 'previous' END AS which
           FROM terms),
       scope AS (
         SELECT u.id, u.category, u.committee_region_id, t.which,
                EXISTS (SELECT 1 FROM inspections i
                         WHERE i.unit_id = u.id AND i.mode <> 'REVISIT'
                           AND i.stationed_from BETWEEN t.start_date AND least(t.end_date, $1::date)) AS covered
           FROM org_units u JOIN t ON t.committee_region_id = u.committee_region_id
          WHERE u.valid_from <= least(t.end_date, $1::date)
            AND (u.valid_to IS NULL OR u.valid_to >= least(t.end_date, $1::date)))
       SELECT r.name AS committee, s.category::text AS category,
              avg(covered::int) FILTER (WHERE which = 'previous')::float8 AS previous,
              avg(covered::int) FILTER (WHERE which = 'current')::float8 AS current
         FROM scope s JOIN regions r ON r.id = s.committee_region_id
        GROUP BY GROUPING SETS ((r.name), (s.category))`,
      [TODAY],
    );
    const byCommittee = coverage.filter((c) => c.committee !== null);
    const byCategory = Object.fromEntries(coverage.filter((c) => c.category !== null).map((c) => [c.category, c.current]));
    for (const c of byCommittee) expect(c.previous).toBeGreaterThan(0.93);
    const counties = byCommittee.filter((c) => c.committee !== '示例市').map((c) => c.current);
    expect(Math.max(...counties)).toBeGreaterThan(0.8);
    expect(Math.min(...counties)).toBeLessThan(0.55);
    expect(byCategory.VILLAGE).toBeLessThan(byCategory.PARTY_GOV);
    // 回头看 follows an earlier inspection of the same unit
    expect(
      await count(
        a.url,
        `SELECT count(*) AS n FROM inspections i WHERE i.mode = 'REVISIT'
            AND NOT EXISTS (SELECT 1 FROM inspections e WHERE e.unit_id = i.unit_id AND e.stationed_to < i.stationed_from)`,
      ),
    ).toBe(0);
    const modes = await query<{ mode: string }>(a.url, `SELECT DISTINCT mode::text FROM inspections ORDER BY 1`);
    expect(modes.map((m) => m.mode)).toEqual(['MOBILE', 'REVISIT', 'ROUTINE', 'SPECIAL']);
    const flags = await one<{ cross: string; elevated: string; open: string }>(
      a.url,
      `SELECT count(*) FILTER (WHERE is_cross) AS cross, count(*) FILTER (WHERE is_elevated) AS elevated,
              count(*) FILTER (WHERE feedback_date IS NULL) AS open FROM inspections`,
    );
    expect(Number(flags.cross)).toBeGreaterThan(0);
    expect(Number(flags.elevated)).toBeGreaterThan(0);
    expect(Number(flags.open)).toBeGreaterThan(0);
  });

  it('keeps every date in order and on or before today', async () => {
    const checks = [
      `SELECT count(*) AS n FROM inspections i JOIN rounds o ON o.id = i.round_id
        WHERE i.stationed_from < o.start_date OR i.stationed_from > o.end_date OR i.stationed_from > $1::date
           OR i.stationed_to < i.stationed_from OR i.stationed_to > $1::date
           OR i.feedback_date < i.stationed_to OR i.feedback_date > $1::date
           OR (i.feedback_date IS NOT NULL AND i.stationed_to IS NULL)`,
      `SELECT count(*) AS n FROM inspections i JOIN org_units u ON u.id = i.unit_id
        WHERE i.stationed_from < u.valid_from OR i.stationed_from > u.valid_to`,
      `SELECT count(*) AS n FROM inspections i JOIN inspections j ON j.unit_id = i.unit_id AND j.id <> i.id
        WHERE j.stationed_from BETWEEN i.stationed_from AND coalesce(i.stationed_to, $1::date)`,
      `SELECT count(*) AS n FROM findings f JOIN inspections i ON i.id = f.inspection_id
        WHERE f.unit_id <> i.unit_id OR f.found_date < i.stationed_from
           OR f.found_date > coalesce(i.stationed_to, $1::date) OR f.found_date > $1::date`,
      `SELECT count(*) AS n FROM rectification_tasks WHERE closed_date > $1::date`,
      `SELECT count(*) AS n FROM clues c JOIN inspections i ON i.id = c.inspection_id
        WHERE c.handed_date < i.stationed_from OR c.handed_date > $1::date OR c.concluded_date > $1::date
           OR (c.disposal_status = 'CONCLUDED') <> (c.concluded_date IS NOT NULL) OR c.concluded_date < c.handed_date`,
      `SELECT count(*) AS n FROM org_units WHERE valid_from > $1::date OR valid_to > $1::date OR valid_to < valid_from`,
    ];
    for (const sql of checks) expect([sql, await count(a.url, sql, [TODAY])]).toEqual([sql, 0]);
    expect(await count(a.url, `SELECT count(*) AS n FROM clues`)).toBeGreaterThan(100);
  });

  it('gives findings the expected mix: 5–15 per inspection, categories 2 and 3 most common, 立行立改 and key concerns', async () => {
    const perInspection = await one<{ min: number; max: number }>(
      a.url,
      `SELECT min(n)::int AS min, max(n)::int AS max FROM (SELECT count(*) AS n FROM findings GROUP BY inspection_id) x`,
    );
    expect(perInspection.min).toBeGreaterThanOrEqual(5);
    expect(perInspection.max).toBeLessThanOrEqual(15);
    expect(await count(a.url, `SELECT count(*) AS n FROM inspections i WHERE NOT EXISTS (SELECT 1 FROM findings f WHERE f.inspection_id = i.id)`)).toBe(0);
    const top = await query<{ code: string }>(
      a.url,
      `SELECT p.code FROM findings f JOIN issue_categories c ON c.id = f.category_id JOIN issue_categories p ON p.id = c.parent_id
        GROUP BY p.code ORDER BY count(*) DESC LIMIT 2`,
    );
    expect(top.map((t) => t.code).sort()).toEqual(['2', '3']);
    expect(await count(a.url, `SELECT count(*) AS n FROM findings f JOIN issue_categories c ON c.id = f.category_id WHERE c.level <> 2`)).toBe(0);
    const flags = await one<{ immediate: number; key: number }>(
      a.url,
      `SELECT avg(is_immediate::int)::float8 AS immediate, avg(is_key_concern::int)::float8 AS key FROM findings`,
    );
    expect(flags.immediate).toBeGreaterThan(0.05);
    expect(flags.key).toBeGreaterThan(0.02);
  });

  it('links recurrences only to earlier findings of the same unit, some of them after the earlier one was closed', async () => {
    const violations = await count(
      a.url,
      `SELECT count(*) AS n FROM findings f JOIN findings p ON p.id = f.recurrence_of_id
        WHERE p.unit_id <> f.unit_id OR p.found_date >= f.found_date OR p.inspection_id = f.inspection_id`,
    );
    expect(violations).toBe(0);
    expect(await count(a.url, `SELECT count(*) AS n FROM findings WHERE recurrence_of_id IS NOT NULL`)).toBeGreaterThan(100);
    // rebounds: the earlier finding's tasks were all closed before the new one was found
    const rebounds = await count(
      a.url,
      `SELECT count(*) AS n FROM findings f JOIN findings p ON p.id = f.recurrence_of_id
        WHERE EXISTS (SELECT 1 FROM rectification_tasks t WHERE t.finding_id = p.id)
          AND NOT EXISTS (SELECT 1 FROM rectification_tasks t WHERE t.finding_id = p.id
                           AND (t.status <> 'CLOSED' OR t.closed_date >= f.found_date))`,
    );
    expect(rebounds).toBeGreaterThan(50);
    // same-category repeats in re-inspected units
    const repeats = await count(
      a.url,
      `SELECT count(*) AS n FROM findings f JOIN inspections i ON i.id = f.inspection_id
        WHERE EXISTS (SELECT 1 FROM findings e JOIN inspections ei ON ei.id = e.inspection_id
                       WHERE e.unit_id = f.unit_id AND e.category_id = f.category_id AND ei.stationed_from < i.stationed_from)`,
    );
    expect(repeats).toBeGreaterThan(1000);
  });

  it('has overdue tasks in every aging bucket, tasks due soon, extensions and every status', async () => {
    const buckets = await query<{ bucket: string; n: string }>(
      a.url,
      `SELECT CASE WHEN d <= 30 THEN '1-30' WHEN d <= 90 THEN '31-90' WHEN d <= 180 THEN '91-180' ELSE '>180' END AS bucket, count(*) AS n
         FROM (SELECT $1::date - current_due_date AS d FROM rectification_tasks
                WHERE status <> 'CLOSED' AND current_due_date < $1::date) x
        GROUP BY 1`,
      [TODAY],
    );
    const byBucket = Object.fromEntries(buckets.map((b) => [b.bucket, Number(b.n)]));
    for (const bucket of ['1-30', '31-90', '91-180', '>180']) expect([bucket, (byBucket[bucket] ?? 0) > 10]).toEqual([bucket, true]);
    const soon = await one<{ ten: string; twenty: string }>(
      a.url,
      `SELECT count(*) FILTER (WHERE current_due_date - $1::date BETWEEN 0 AND 10) AS ten,
              count(*) FILTER (WHERE current_due_date - $1::date BETWEEN 11 AND 20) AS twenty
         FROM rectification_tasks WHERE status <> 'CLOSED'`,
      [TODAY],
    );
    expect(Number(soon.ten)).toBeGreaterThan(0);
    expect(Number(soon.twenty)).toBeGreaterThan(0);
    const statuses = await query<{ status: string; n: string }>(a.url, `SELECT status::text, count(*) AS n FROM rectification_tasks GROUP BY 1`);
    const byStatus = Object.fromEntries(statuses.map((s) => [s.status, Number(s.n)]));
    for (const status of ['NOT_STARTED', 'IN_PROGRESS', 'CLOSE_REQUESTED', 'CLOSED', 'BASICALLY_DONE', 'NOT_DONE']) expect(byStatus[status]).toBeGreaterThan(0);
    const total = Object.values(byStatus).reduce((s, n) => s + n, 0);
    expect(byStatus.CLOSED / total).toBeGreaterThan(0.7);
    const mix = await one<{ extended: string; on_time: string; late: string; no_due: string; tracks: string }>(
      a.url,
      `SELECT count(*) FILTER (WHERE current_due_date > original_due_date) AS extended,
              count(*) FILTER (WHERE status = 'CLOSED' AND closed_date <= original_due_date) AS on_time,
              count(*) FILTER (WHERE status = 'CLOSED' AND closed_date > original_due_date) AS late,
              count(*) FILTER (WHERE track = 'LONG_TERM' AND original_due_date IS NULL) AS no_due,
              count(DISTINCT track) AS tracks
         FROM rectification_tasks`,
    );
    for (const value of Object.values(mix)) expect(Number(value)).toBeGreaterThan(0);
    expect(Number(mix.tracks)).toBe(3);
    // 1–3 tasks per finding fed back, none before feedback; tracks follow the finding
    const perFinding = await one<{ min: number; max: number }>(
      a.url,
      `SELECT min(n)::int AS min, max(n)::int AS max FROM (SELECT count(*) AS n FROM rectification_tasks GROUP BY finding_id) x`,
    );
    expect([perFinding.min, perFinding.max]).toEqual([1, 3]);
    const rules = [
      `SELECT count(*) AS n FROM findings f JOIN inspections i ON i.id = f.inspection_id
        WHERE (i.feedback_date IS NULL) = EXISTS (SELECT 1 FROM rectification_tasks t WHERE t.finding_id = f.id)`,
      `SELECT count(*) AS n FROM rectification_tasks t JOIN findings f ON f.id = t.finding_id
        WHERE (t.track = 'IMMEDIATE') <> f.is_immediate`,
      `SELECT count(*) AS n FROM rectification_tasks t JOIN findings f ON f.id = t.finding_id JOIN inspections i ON i.id = f.inspection_id
        WHERE t.original_due_date <= i.feedback_date
           OR (t.track <> 'LONG_TERM' AND (t.original_due_date IS NULL OR t.current_due_date IS NULL))
           OR t.current_due_date < t.original_due_date
           OR (t.original_due_date IS NULL) <> (t.current_due_date IS NULL)
           OR (t.status = 'CLOSED') <> (t.closed_date IS NOT NULL)`,
    ];
    for (const sql of rules) expect([sql, await count(a.url, sql)]).toEqual([sql, 0]);
  });

  it('explains every task’s state by its events', async () => {
    const rules: Record<string, string> = {
      'one CREATED event per task, to NOT_STARTED on the feedback date, first in the history': `
        SELECT count(*) AS n FROM rectification_tasks t JOIN findings f ON f.id = t.finding_id JOIN inspections i ON i.id = f.inspection_id
         WHERE (SELECT count(*) FROM task_events e WHERE e.task_id = t.id AND e.type = 'CREATED') <> 1
            OR NOT EXISTS (SELECT 1 FROM task_events e WHERE e.task_id = t.id AND e.type = 'CREATED'
                             AND e.to_status = 'NOT_STARTED' AND e.from_status IS NULL AND e.event_date = i.feedback_date
                             AND e.id = (SELECT min(id) FROM task_events x WHERE x.task_id = t.id))`,
      'the last status event gives the status': `
        SELECT count(*) AS n FROM rectification_tasks t
         WHERE t.status IS DISTINCT FROM (SELECT e.to_status FROM task_events e
                                           WHERE e.task_id = t.id AND e.type IN ('CREATED', 'STATUS_CHANGE')
                                           ORDER BY e.event_date DESC, e.id DESC LIMIT 1)`,
      'each status change starts where the previous one ended': `
        SELECT count(*) AS n FROM (
          SELECT e.type, e.from_status, e.to_status,
                 lag(e.to_status) OVER (PARTITION BY e.task_id ORDER BY e.event_date, e.id) AS before
            FROM task_events e WHERE e.type IN ('CREATED', 'STATUS_CHANGE')) x
         WHERE x.type = 'STATUS_CHANGE' AND (x.from_status IS DISTINCT FROM x.before OR x.to_status IS NULL OR x.from_status = x.to_status)`,
      'closed ⇔ closed_date = the date of the CLOSED event': `
        SELECT count(*) AS n FROM rectification_tasks t
         WHERE (t.status = 'CLOSED') <> (t.closed_date IS NOT NULL)
            OR t.closed_date IS DISTINCT FROM (SELECT max(e.event_date) FROM task_events e
                                                WHERE e.task_id = t.id AND e.to_status = 'CLOSED' AND t.status = 'CLOSED')`,
      'the last extension gives the current due date; without one it is the original': `
        SELECT count(*) AS n FROM rectification_tasks t
         WHERE t.current_due_date IS DISTINCT FROM coalesce(
                 (SELECT e.new_due_date FROM task_events e WHERE e.task_id = t.id AND e.type = 'EXTENSION'
                   ORDER BY e.event_date DESC, e.id DESC LIMIT 1), t.original_due_date)`,
      'extensions carry a later due date and a reason; others carry no due date': `
        SELECT count(*) AS n FROM task_events e
         WHERE (e.type = 'EXTENSION') <> (e.new_due_date IS NOT NULL)
            OR (e.type = 'EXTENSION' AND e.note IS NULL)
            OR (e.type NOT IN ('CREATED', 'STATUS_CHANGE') AND (e.from_status IS NOT NULL OR e.to_status IS NOT NULL))`,
      'no event after today, dates and times never go back within a task, occurred_at on the event date': `
        SELECT count(*) AS n FROM (
          SELECT e.event_date, e.occurred_at,
                 lag(e.event_date) OVER (PARTITION BY e.task_id ORDER BY e.id) AS before,
                 lag(e.occurred_at) OVER (PARTITION BY e.task_id ORDER BY e.id) AS before_at
            FROM task_events e) x
         WHERE x.event_date > $1::date OR x.event_date < x.before OR x.occurred_at < x.before_at
            OR (x.occurred_at AT TIME ZONE 'Asia/Shanghai')::date <> x.event_date`,
    };
    for (const [rule, sql] of Object.entries(rules)) {
      expect([rule, await count(a.url, sql, [TODAY])]).toEqual([rule, 0]);
    }
    const types = await query<{ type: string; n: string }>(a.url, `SELECT type::text, count(*) AS n FROM task_events GROUP BY 1`);
    for (const t of types) expect(Number(t.n)).toBeGreaterThan(0);
    expect(types.map((t) => t.type).sort()).toEqual(['CREATED', 'ESCALATION', 'EXTENSION', 'PROGRESS_NOTE', 'STATUS_CHANGE']);
    const perTask = await one<{ avg: number }>(a.url, `SELECT (SELECT count(*) FROM task_events)::float / (SELECT count(*) FROM rectification_tasks) AS avg`);
    expect(perTask.avg).toBeGreaterThan(3);
    expect(perTask.avg).toBeLessThan(4.6);
  });

  it('leaves change capture as the triggers would: distinct change_seq > 0, change_xid set, triggers and keys in place', async () => {
    const union = CASE_TABLES.map((t) => `SELECT change_seq, change_xid FROM "${t}"`).join(' UNION ALL ');
    const seq = await one<{ rows: string; distinct: string; bad: string; xids: string; max: string }>(
      a.url,
      `SELECT count(*) AS rows, count(DISTINCT change_seq) AS distinct,
              count(*) FILTER (WHERE change_seq <= 0 OR change_xid IS NULL) AS bad,
              count(DISTINCT change_xid::text) AS xids, max(change_seq) AS max
         FROM (${union}) x`,
    );
    expect(Number(seq.bad)).toBe(0);
    expect(seq.distinct).toBe(seq.rows);
    expect(Number(seq.xids)).toBe(1); // one loading transaction
    const sequence = await one<{ last_value: string }>(a.url, `SELECT last_value FROM change_capture_seq`);
    expect(BigInt(sequence.last_value)).toBeGreaterThanOrEqual(BigInt(seq.max));
    // the triggers are enabled again: a later write gets a newer change_seq from them
    const triggers = await query<{ tgname: string; tgenabled: string }>(
      a.url,
      `SELECT tgname, tgenabled FROM pg_trigger WHERE tgname LIKE '%\\_capture\\_change'`,
    );
    expect(triggers).toHaveLength(CASE_TABLES.length);
    for (const t of triggers) expect(t.tgenabled).toBe('O');
    const fresh = await createTestDatabase();
    try {
      // the same foreign keys, indexes and sequences' positions as a freshly migrated database would have
      const schema = `SELECT conrelid::regclass::text AS t, conname, pg_get_constraintdef(oid) AS def FROM pg_constraint
                       WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2`;
      expect(await query(a.url, schema)).toEqual(await query(fresh.url, schema));
      const indexes = `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1`;
      expect(await query(a.url, indexes)).toEqual(await query(fresh.url, indexes));
    } finally {
      await fresh.drop();
    }
    for (const table of CASE_TABLES) {
      const ok = await one<{ ok: boolean }>(
        a.url,
        `SELECT (SELECT last_value FROM pg_sequences WHERE sequencename = '${table}_id_seq') >= (SELECT max(id) FROM "${table}") AS ok`,
      );
      expect([table, ok.ok]).toEqual([table, true]);
    }
    await query(b.url, `UPDATE findings SET is_key_concern = NOT is_key_concern WHERE id = 1`);
    const updated = await one<{ newer: boolean }>(b.url, `SELECT change_seq > (SELECT max(change_seq) FROM task_events) AS newer FROM findings WHERE id = 1`);
    expect(updated.newer).toBe(true);
  });

  it('goes through the capture triggers when asked to, with the same business data', async () => {
    const db = await createTestDatabase();
    try {
      await seedDatabase(db.url, { scale: 'tiny', seed: 3, today: TODAY, captureMode: 'trigger', foreignKeys: 'per-row' });
      const direct = await createTestDatabase();
      try {
        await seedDatabase(direct.url, { scale: 'tiny', seed: 3, today: TODAY });
        expect(await checksums(db.url)).toEqual(await checksums(direct.url));
        // in both, change_seq follows insertion order (table by table, id by id)
        const order = `SELECT count(*) AS n FROM (SELECT change_seq, lag(change_seq) OVER (ORDER BY t, id) AS before
                         FROM (${CASE_TABLES.map((t, i) => `SELECT ${i} AS t, id, change_seq FROM "${t}"`).join(' UNION ALL ')}) x) y
                        WHERE change_seq <= before`;
        expect(await count(db.url, order)).toBe(0);
        expect(await count(direct.url, order)).toBe(0);
      } finally {
        await direct.drop();
      }
    } finally {
      await db.drop();
    }
  });
});

describe('seed arguments', () => {
  const now = new Date('2026-03-01T17:30:00Z'); // already 2 March in Asia/Shanghai

  it('parses the options, with defaults', () => {
    expect(parseSeedArgs([], now)).toEqual({ scale: 'demo', seed: 1, today: '2026-03-02', force: false });
    expect(parseSeedArgs(['--scale', '1m', '--seed', '42', '--today', '2025-12-31', '--force'], now)).toEqual({
      scale: '1m',
      seed: 42,
      today: '2025-12-31',
      force: true,
    });
    expect(parseSeedArgs(['--scale=10m', '--seed=0'], now)).toMatchObject({ scale: '10m', seed: 0 });
  });

  it.each([
    [['--scale', 'huge'], /unknown scale "huge"/],
    [['--seed', '1.5'], /--seed must be a non-negative integer/],
    [['--seed', 'abc'], /--seed must be a non-negative integer/],
    [['--seed', '-1'], /--seed/],
    [['--today', '2026-02-30'], /--today must be a calendar date/],
    [['--today', '30.06.2026'], /--today must be a calendar date/],
    [['--fast'], /unknown option "--fast"/],
    [['--scale'], /--scale needs a value/],
    [['demo'], /unexpected argument "demo"/],
  ])('rejects %j with one line', (argv, message) => {
    let error: unknown;
    try {
      parseSeedArgs(argv, now);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });
});

describe('db:seed command', () => {
  const tsx = path.join(ROOT, 'node_modules', '.bin', 'tsx');
  const cli = path.join(ROOT, 'prisma', 'src', 'cli', 'seed.ts');

  it('exits 1 with one line on stderr and no stack trace for a bad argument', () => {
    const run = spawnSync(tsx, [cli, '--scale', 'huge'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/none' },
    });
    expect(run.status).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/unknown scale "huge"/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('seeds a database, prints the counts, then refuses to seed it again without --force', async () => {
    const db = await createTestDatabase({ migrated: false });
    try {
      const env = { ...process.env, DATABASE_URL: db.url };
      const first = spawnSync(tsx, [cli, '--scale', 'tiny', '--seed', '5', '--today', TODAY], { cwd: ROOT, encoding: 'utf8', env });
      expect([first.status, first.stderr]).toEqual([0, '']);
      expect(first.stdout).toMatch(/findings\s+[\d,]+/);
      expect(first.stdout).toMatch(/rows in [\d.]+ s/);
      const findings = await count(db.url, `SELECT count(*) AS n FROM findings`);
      expect(findings).toBeGreaterThan(500);
      const again = spawnSync(tsx, [cli, '--scale', 'tiny', '--seed', '5', '--today', TODAY], { cwd: ROOT, encoding: 'utf8', env });
      expect(again.status).toBe(1);
      expect(again.stderr.trim().split('\n')).toHaveLength(1);
      expect(again.stderr).toMatch(/already holds case records.*--force/);
    } finally {
      await db.drop();
    }
  });
});
