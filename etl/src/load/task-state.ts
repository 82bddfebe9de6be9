/**
 * fact_task_state: each task's state between its events, derived in the warehouse from
 * fact_task_events and fact_tasks (see migrations/003_task_state.sql). Rebuilt for a set of
 * tasks at a time with window functions; every row of a rebuilt task gets the task's new
 * version (the highest change sequence among its events and its task row), so it replaces
 * the rows it had; a soft-deleted event leaves a tombstone.
 */
/** valid_to of a task's last state (2299-12-31 as a Date holds it): the state has not ended. */
export const STATE_OPEN_END = "toDate('2299-12-31')";

export interface TaskStateQuery {
  query: string;
  params: Record<string, unknown>;
}

export function buildTaskStateRebuild(taskIds: readonly bigint[] | 'all'): TaskStateQuery {
  const byTask = taskIds === 'all' ? '' : 'WHERE task_id IN {taskIds:Array(UInt64)}';
  const byId = taskIds === 'all' ? '' : 'WHERE id IN {taskIds:Array(UInt64)}';
  return {
    query: `INSERT INTO fact_task_state (task_id, event_id, valid_from, valid_to, status, status_date, due, version, is_deleted)
WITH
  ev AS (
    SELECT task_id, id, type, event_date, to_status, new_due_date, version, is_deleted
    FROM fact_task_events FINAL
    ${byTask}
  ),
  versions AS (SELECT task_id, max(version) AS v FROM ev GROUP BY task_id),
  task_rows AS (SELECT id, original_due_date, version FROM fact_tasks FINAL ${byId})
SELECT l.task_id, l.id, l.event_date, l.valid_to, l.status, l.status_date,
  if(l.extensions > 0, l.extended_due, t.original_due_date),
  greatest(vs.v, t.version), 0
FROM (
  SELECT task_id, id, event_date,
    leadInFrame(event_date, 1, ${STATE_OPEN_END}) OVER (PARTITION BY task_id ORDER BY event_date, id ROWS BETWEEN CURRENT ROW AND 1 FOLLOWING) AS valid_to,
    anyLast(to_status) OVER history AS status,
    anyLast(if(to_status IS NULL, NULL, event_date)) OVER history AS status_date,
    anyLast(if(type = 'EXTENSION', new_due_date, NULL)) OVER history AS extended_due,
    countIf(type = 'EXTENSION') OVER history AS extensions
  FROM ev
  WHERE is_deleted = 0
  WINDOW history AS (PARTITION BY task_id ORDER BY event_date, id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
) AS l
INNER JOIN versions AS vs ON vs.task_id = l.task_id
LEFT JOIN task_rows AS t ON t.id = l.task_id
UNION ALL
SELECT e.task_id, e.id, e.event_date, e.event_date, NULL, NULL, NULL, greatest(vs.v, t.version), 1
FROM ev AS e
INNER JOIN versions AS vs ON vs.task_id = e.task_id
LEFT JOIN task_rows AS t ON t.id = e.task_id
WHERE e.is_deleted = 1`,
    params: taskIds === 'all' ? {} : { taskIds: taskIds.map((id) => id.toString()) },
  };
}

/** How many tasks one rebuild statement takes (the id list travels as a parameter). */
export const TASK_STATE_CHUNK = 50_000;
