/**
 * fact_open_findings: the findings not closed, with their task counts (see
 * migrations/007_open_findings.sql), derived by the ETL for the findings a run touched:
 * each such finding's latest row (deleted ones included) with the counts of its tasks
 * (current state, not deleted), a tombstone when it is deleted or closed (with tasks, all
 * 已销号). Every row a refresh writes gets version v (one more than the table's highest),
 * so it replaces what the table held for the finding.
 */
export interface OpenFindingsQuery {
  query: string;
  params: Record<string, unknown>;
}

const COLUMNS =
  'id, inspection_id, unit_id, unit_category, region_id, county_id, committee_region_id, round_id, term_id, round_year, mode, category_id, category1_id, is_immediate, is_key_concern, recurrence_of_id, found_date, stationed_from, feedback_date';

export function buildOpenFindingsRebuild(findingIds: readonly string[] | 'all', version: bigint): OpenFindingsQuery {
  const all = findingIds === 'all';
  const findings = all
    ? 'SELECT * FROM fact_findings FINAL'
    : 'SELECT * FROM fact_findings WHERE id IN {ids:Array(UInt64)} ORDER BY id, version DESC LIMIT 1 BY id';
  return {
    query: `INSERT INTO fact_open_findings (${COLUMNS}, task_count, closed_count, version, is_deleted)
SELECT ${COLUMNS.split(', ')
      .map((c) => `f.${c}`)
      .join(', ')}, p.n, p.closed_n, {version:UInt64},
  toUInt8(f.is_deleted = 1 OR (p.n > 0 AND p.closed_n = p.n)) AS gone
FROM (${findings}) AS f
LEFT JOIN (
  SELECT finding_id, count() AS n, countIf(status = 'CLOSED') AS closed_n
  FROM fact_tasks FINAL
  WHERE is_deleted = 0${
    // the tasks' ids first, from every version of the rows (no FINAL): the primary key then prunes the FINAL read
    all ? '' : ' AND finding_id IN {ids:Array(UInt64)} AND id IN (SELECT id FROM fact_tasks WHERE finding_id IN {ids:Array(UInt64)})'
  }
  GROUP BY finding_id
) AS p ON p.finding_id = f.id${all ? '\nWHERE gone = 0' : ''}`,
    params: all ? { version: version.toString() } : { ids: [...findingIds], version: version.toString() },
  };
}

/** The version the next refresh writes. */
export const OPEN_FINDINGS_NEXT_VERSION = 'SELECT max(version) + 1 AS v FROM fact_open_findings';

/** Marks the findings that loading these rows (by id) may change, as the warehouse holds them now. */
export function buildMarkFindingsDirty(table: string, ids: readonly string[]): OpenFindingsQuery | null {
  if (table === 'fact_findings')
    return { query: 'INSERT INTO etl_findings_dirty (finding_id) SELECT arrayJoin({ids:Array(UInt64)})', params: { ids: [...ids] } };
  if (table === 'fact_tasks') {
    return {
      query: 'INSERT INTO etl_findings_dirty (finding_id) SELECT DISTINCT finding_id FROM fact_tasks FINAL WHERE id IN {ids:Array(UInt64)}',
      params: { ids: [...ids] },
    };
  }
  return null;
}

export const DIRTY_FINDINGS = 'SELECT toString(finding_id) AS id FROM etl_findings_dirty GROUP BY finding_id ORDER BY finding_id';

/** How many findings one refresh statement takes. */
export const OPEN_FINDINGS_CHUNK = 50_000;
