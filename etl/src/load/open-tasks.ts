/**
 * fact_open_tasks: fact_tasks' rows of the tasks not 已销号 (see
 * migrations/006_open_tasks.sql), derived by the ETL for the tasks a run loaded: each
 * task's latest row (deleted ones included), a tombstone when the task is closed or
 * deleted, with the task's own version, so it replaces what the table held for it.
 */
export interface OpenTasksQuery {
  query: string;
  params: Record<string, unknown>;
}

const COLUMNS =
  'id, finding_id, inspection_id, unit_id, unit_category, region_id, county_id, committee_region_id, round_id, term_id, round_year, mode, category_id, category1_id, finding_is_immediate, track, responsible_dept, original_due_date, current_due_date, status, closed_date, found_date, feedback_date, version';

export function buildOpenTasksRebuild(taskIds: readonly bigint[] | 'all'): OpenTasksQuery {
  if (taskIds === 'all') {
    return {
      query: `INSERT INTO fact_open_tasks (${COLUMNS}, is_deleted)
SELECT ${COLUMNS}, 0 FROM fact_tasks FINAL WHERE is_deleted = 0 AND status != 'CLOSED'`,
      params: {},
    };
  }
  return {
    query: `INSERT INTO fact_open_tasks (${COLUMNS}, is_deleted)
SELECT ${COLUMNS}, toUInt8(is_deleted = 1 OR status = 'CLOSED')
FROM fact_tasks
WHERE id IN {taskIds:Array(UInt64)}
ORDER BY id, version DESC
LIMIT 1 BY id`,
    params: { taskIds: taskIds.map((id) => id.toString()) },
  };
}
