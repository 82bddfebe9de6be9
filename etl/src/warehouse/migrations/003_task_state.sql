-- Each task's state between its events, so that "as of day D" reads one row per task
-- instead of replaying its history. One row per task event (the identity of
-- fact_task_events): the task's status, the day of its last status change and its due date
-- after that event, valid from the event's day until the next event's day (exclusive;
-- 2299-12-31 after the last one). The state as of D is the row with
-- valid_from <= D < valid_to and a status; events on the same day leave empty intervals
-- but the last. A soft-deleted event is a tombstone here too.
-- Derived in the warehouse from fact_task_events and fact_tasks by the ETL, for every task
-- whose events or task row a run loaded, before the run's watermark moves.

CREATE TABLE IF NOT EXISTS fact_task_state
(
    task_id      UInt64,
    event_id     UInt64,
    valid_from   Date,
    valid_to     Date,
    status       LowCardinality(Nullable(String)),
    status_date  Nullable(Date),
    due          Nullable(Date),
    version      UInt64,
    is_deleted   UInt8
)
ENGINE = ReplacingMergeTree(version, is_deleted)
ORDER BY (task_id, event_id);
