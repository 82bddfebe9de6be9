import { createHash } from 'node:crypto';
import type { Warehouse } from '@xuncha/etl';
import { query } from './pg';

/**
 * Parity between PostgreSQL and the warehouse, computed independently of the ETL: for
 * each warehouse table, one query over the case records in PostgreSQL (written here, not
 * taken from the extract's specs) and one over the warehouse with FINAL, each giving one
 * text line per live record, ordered by id. Equal line lists mean equal counts and equal
 * key columns.
 */
interface ParityQuery {
  pg: string;
  ch: string;
}

// The county-level region of a unit's region, by walking up from a township.
const PG_COUNTY = `CASE r.level WHEN 'TOWNSHIP' THEN r.parent_id WHEN 'CITY' THEN 0 ELSE r.id END`;

export const PARITY: Record<string, ParityQuery> = {
  dim_regions: {
    pg: `SELECT concat_ws('|', id, code, name, level, coalesce(parent_id, 0)) AS line FROM regions WHERE deleted_at IS NULL ORDER BY id`,
    ch: `SELECT concat_ws('|', toString(id), code, name, level, toString(parent_id)) AS line FROM dim_regions FINAL ORDER BY id`,
  },
  dim_units: {
    pg: `SELECT concat_ws('|', u.id, u.code, u.name, u.category, u.region_id, ${PG_COUNTY}, u.committee_region_id, coalesce(u.valid_to::text, '')) AS line
         FROM org_units u JOIN regions r ON r.id = u.region_id WHERE u.deleted_at IS NULL ORDER BY u.id`,
    ch: `SELECT concat_ws('|', toString(id), code, name, category, toString(region_id), toString(county_id), toString(committee_region_id), ifNull(toString(valid_to), '')) AS line
         FROM dim_units FINAL ORDER BY id`,
  },
  dim_categories: {
    pg: `SELECT concat_ws('|', id, code, name, level, coalesce(parent_id, 0)) AS line FROM issue_categories WHERE deleted_at IS NULL ORDER BY id`,
    ch: `SELECT concat_ws('|', toString(id), code, name, toString(level), toString(parent_id)) AS line FROM dim_categories FINAL ORDER BY id`,
  },
  dim_terms: {
    pg: `SELECT concat_ws('|', id, committee_region_id, ordinal, start_date, end_date) AS line FROM terms WHERE deleted_at IS NULL ORDER BY id`,
    ch: `SELECT concat_ws('|', toString(id), toString(committee_region_id), toString(ordinal), toString(start_date), toString(end_date)) AS line FROM dim_terms FINAL ORDER BY id`,
  },
  dim_rounds: {
    pg: `SELECT concat_ws('|', id, term_id, year, start_date, end_date) AS line FROM rounds WHERE deleted_at IS NULL ORDER BY id`,
    ch: `SELECT concat_ws('|', toString(id), toString(term_id), toString(year), toString(start_date), toString(end_date)) AS line FROM dim_rounds FINAL ORDER BY id`,
  },
  fact_inspections: {
    pg: `SELECT concat_ws('|', i.id, i.unit_id, i.round_id, i.mode, i.stationed_from, coalesce(i.feedback_date::text, ''), u.category, ${PG_COUNTY}) AS line
         FROM inspections i JOIN org_units u ON u.id = i.unit_id JOIN regions r ON r.id = u.region_id
         WHERE i.deleted_at IS NULL ORDER BY i.id`,
    ch: `SELECT concat_ws('|', toString(id), toString(unit_id), toString(round_id), mode, toString(stationed_from), ifNull(toString(feedback_date), ''), unit_category, toString(county_id)) AS line
         FROM fact_inspections FINAL ORDER BY id`,
  },
  fact_findings: {
    pg: `SELECT concat_ws('|', f.id, f.unit_id, f.category_id, c.parent_id, f.found_date, f.is_immediate::int, coalesce(f.recurrence_of_id::text, ''), ${PG_COUNTY}, i.round_id) AS line
         FROM findings f JOIN inspections i ON i.id = f.inspection_id JOIN org_units u ON u.id = f.unit_id
              JOIN regions r ON r.id = u.region_id JOIN issue_categories c ON c.id = f.category_id
         WHERE f.deleted_at IS NULL AND i.deleted_at IS NULL ORDER BY f.id`,
    ch: `SELECT concat_ws('|', toString(id), toString(unit_id), toString(category_id), toString(category1_id), toString(found_date), toString(is_immediate), ifNull(toString(recurrence_of_id), ''), toString(county_id), toString(round_id)) AS line
         FROM fact_findings FINAL ORDER BY id`,
  },
  fact_tasks: {
    pg: `SELECT concat_ws('|', t.id, t.finding_id, t.status, t.track, coalesce(t.original_due_date::text, ''), coalesce(t.current_due_date::text, ''), coalesce(t.closed_date::text, ''), ${PG_COUNTY}, u.category) AS line
         FROM rectification_tasks t JOIN findings f ON f.id = t.finding_id JOIN inspections i ON i.id = f.inspection_id
              JOIN org_units u ON u.id = f.unit_id JOIN regions r ON r.id = u.region_id
         WHERE t.deleted_at IS NULL AND f.deleted_at IS NULL AND i.deleted_at IS NULL ORDER BY t.id`,
    ch: `SELECT concat_ws('|', toString(id), toString(finding_id), status, track, ifNull(toString(original_due_date), ''), ifNull(toString(current_due_date), ''), ifNull(toString(closed_date), ''), toString(county_id), unit_category) AS line
         FROM fact_tasks FINAL ORDER BY id`,
  },
  fact_task_events: {
    pg: `SELECT concat_ws('|', id, task_id, type, event_date, coalesce(to_status::text, ''), coalesce(new_due_date::text, '')) AS line FROM task_events WHERE deleted_at IS NULL ORDER BY id`,
    ch: `SELECT concat_ws('|', toString(id), toString(task_id), type, toString(event_date), ifNull(to_status, ''), ifNull(toString(new_due_date), '')) AS line FROM fact_task_events FINAL ORDER BY id`,
  },
  fact_clues: {
    pg: `SELECT concat_ws('|', k.id, k.inspection_id, k.handed_to, k.disposal_status, coalesce(k.concluded_date::text, '')) AS line
         FROM clues k JOIN inspections i ON i.id = k.inspection_id WHERE k.deleted_at IS NULL AND i.deleted_at IS NULL ORDER BY k.id`,
    ch: `SELECT concat_ws('|', toString(id), toString(inspection_id), handed_to, disposal_status, ifNull(toString(concluded_date), '')) AS line FROM fact_clues FINAL ORDER BY id`,
  },
};

export interface TableParity {
  table: string;
  pgCount: number;
  chCount: number;
  pgChecksum: string;
  chChecksum: string;
  /** The first line that differs, for the failure message. */
  firstDifference?: { pg?: string; ch?: string };
}

const md5 = (lines: string[]) => createHash('md5').update(lines.join('\n')).digest('hex');

export async function tableParity(pgUrl: string, warehouse: Warehouse, table: string): Promise<TableParity> {
  const spec = PARITY[table];
  const pgLines = (await query<{ line: string }>(pgUrl, spec.pg)).map((r) => r.line);
  const chLines = (await warehouse.query<{ line: string }>(spec.ch)).map((r) => r.line);
  const result: TableParity = { table, pgCount: pgLines.length, chCount: chLines.length, pgChecksum: md5(pgLines), chChecksum: md5(chLines) };
  if (result.pgChecksum !== result.chChecksum) {
    const index = pgLines.findIndex((line, i) => line !== chLines[i]);
    const at = index === -1 ? pgLines.length : index;
    result.firstDifference = { pg: pgLines[at], ch: chLines[at] };
  }
  return result;
}

/** Parity of every warehouse table; `expect(...).toEqual(allEqual(...))` reads well in tests. */
export async function warehouseParity(pgUrl: string, warehouse: Warehouse): Promise<TableParity[]> {
  const results: TableParity[] = [];
  for (const table of Object.keys(PARITY)) results.push(await tableParity(pgUrl, warehouse, table));
  return results;
}

/** Rows (live and replaced) per key beyond one, and keys missing, for the crash test. */
export async function keyCounts(warehouse: Warehouse, table: string): Promise<{ final: number; unique: number }> {
  const [row] = await warehouse.query<{ final: string; unique: string }>(
    `SELECT (SELECT count() FROM ${table} FINAL) AS final, (SELECT uniqExact(id) FROM ${table} FINAL) AS unique`,
  );
  return { final: Number(row.final), unique: Number(row.unique) };
}
