-- The findings not closed (without tasks, or with a task not 已销号): fact_findings' rows
-- with their task counts, a closed finding counted as deleted, so that the lists of open
-- findings read a tenth of the findings. Read with FINAL.
-- Derived by the ETL (etl/src/load/open-findings.ts), before the run's watermark moves, for
-- every finding a run loaded and every finding of a task it loaded (where the task was
-- before the load, and where it is: etl_findings_dirty), then emptied.

CREATE TABLE IF NOT EXISTS fact_open_findings
(
    id                   UInt64,
    inspection_id        UInt32,
    unit_id              UInt32,
    unit_category        LowCardinality(String),
    region_id            UInt32,
    county_id            UInt32,
    committee_region_id  UInt32,
    round_id             UInt32,
    term_id              UInt32,
    round_year           UInt16,
    mode                 LowCardinality(String),
    category_id          UInt32,
    category1_id         UInt32,
    is_immediate         UInt8,
    is_key_concern       UInt8,
    recurrence_of_id     Nullable(UInt64),
    found_date           Date,
    stationed_from       Date,
    feedback_date        Nullable(Date),
    task_count           UInt64,
    closed_count         UInt64,
    version              UInt64,
    is_deleted           UInt8,
    INDEX idx_county county_id TYPE set(64) GRANULARITY 4
)
ENGINE = ReplacingMergeTree(version, is_deleted)
ORDER BY id;

CREATE TABLE IF NOT EXISTS etl_findings_dirty
(
    finding_id  UInt64
)
ENGINE = MergeTree
ORDER BY finding_id;
