-- The tasks not 已销号: fact_tasks' rows with a closed task counted as deleted, so that the
-- worklists (overdue, due soon, open; ~1 task in 10) read a tenth of the tasks. Same
-- columns, versions and sort key as fact_tasks; read with FINAL.
-- Derived by the ETL (etl/src/load/open-tasks.ts) for every task a run loaded, before the
-- run's watermark moves: the task's latest row, as a tombstone when it is closed or deleted.

CREATE TABLE IF NOT EXISTS fact_open_tasks
(
    id                    UInt64,
    finding_id            UInt64,
    inspection_id         UInt32,
    unit_id               UInt32,
    unit_category         LowCardinality(String),
    region_id             UInt32,
    county_id             UInt32,
    committee_region_id   UInt32,
    round_id              UInt32,
    term_id               UInt32,
    round_year            UInt16,
    mode                  LowCardinality(String),
    category_id           UInt32,
    category1_id          UInt32,
    finding_is_immediate  UInt8,
    track                 LowCardinality(String),
    responsible_dept      String,
    original_due_date     Nullable(Date),
    current_due_date      Nullable(Date),
    status                LowCardinality(String),
    closed_date           Nullable(Date),
    found_date            Date,
    feedback_date         Nullable(Date),
    version               UInt64,
    is_deleted            UInt8,
    INDEX idx_county county_id TYPE set(64) GRANULARITY 4
)
ENGINE = ReplacingMergeTree(version, is_deleted)
ORDER BY id;
