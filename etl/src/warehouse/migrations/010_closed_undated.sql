-- The on-time rate leaves out the closed tasks without an original due date (长期坚持) on
-- both sides (backend/src/metrics/DEFINITIONS.md), so tasks_on_time no longer counts them,
-- and the summaries get a column counting them, shown beside the rate. The stored rows were
-- computed under the old rule: both tables are dropped and created again with the column.
-- Applying a migration records that the warehouse needs a full load (prisma/src/etl-state.ts),
-- which rebuilds fact_finding_summary and empties the quarter ends' builds (built again on
-- demand). On a cluster fact_finding_summary is a Distributed table over
-- fact_finding_summary_local: both are dropped (the second does not exist on one node).

DROP TABLE IF EXISTS fact_finding_summary;
DROP TABLE IF EXISTS fact_finding_summary_local;

CREATE TABLE IF NOT EXISTS fact_finding_summary
(
    round_id               UInt32,
    term_id                UInt32,
    county_id              UInt32,
    unit_category          LowCardinality(String),
    mode                   LowCardinality(String),
    category1_id           UInt32,
    category_id            UInt32,
    is_immediate           UInt8,
    fed_back               UInt8,              -- feedback_date is not null
    found_quarter          Date,               -- first day of the quarter of found_date
    findings               UInt64,
    findings_closed        UInt64,             -- with tasks, all 已销号
    close_days             Map(UInt32, UInt64), -- closed findings by days from feedback to closure
    tasks                  UInt64,
    tasks_closed           UInt64,
    tasks_on_time          UInt64,             -- closed on or before an original due date
    tasks_closed_undated   UInt64,             -- closed without an original due date
    tasks_extended         UInt64,
    open_due               Map(Date, UInt64),  -- open tasks with a due date, by current due date
    reinspection_findings  UInt64,
    repeats                UInt64,
    closed_reinspected     UInt64,
    rebounds               UInt64,
    max_found              Date,
    max_feedback           Nullable(Date),
    version                UInt64,
    is_deleted             UInt8
)
ENGINE = ReplacingMergeTree(version, is_deleted)
ORDER BY (round_id, county_id, term_id, unit_category, mode, category1_id, category_id, is_immediate, fed_back, found_quarter);

DROP TABLE IF EXISTS quarter_summary;

CREATE TABLE IF NOT EXISTS quarter_summary
(
    as_of                  Date,
    build                  UInt64,
    round_id               UInt32,
    term_id                UInt32,
    county_id              UInt32,
    unit_category          LowCardinality(String),
    mode                   LowCardinality(String),
    category1_id           UInt32,
    category_id            UInt32,
    is_immediate           UInt8,
    fed_back               UInt8,              -- feedback_date <= as_of
    found_quarter          Date,
    findings               UInt64,
    findings_closed        UInt64,
    close_days             Map(UInt32, UInt64),
    tasks                  UInt64,
    tasks_closed           UInt64,
    tasks_on_time          UInt64,
    tasks_closed_undated   UInt64,
    tasks_extended         UInt64,
    open_due               Map(Date, UInt64),  -- open tasks as of as_of, by their due date then
    reinspection_findings  UInt64,
    repeats                UInt64,
    closed_reinspected     UInt64,
    rebounds               UInt64
)
ENGINE = MergeTree
ORDER BY (as_of, build, round_id, county_id, term_id, unit_category, mode, category1_id, category_id, is_immediate, fed_back, found_quarter);

-- The builds of the dropped quarter_summary are gone: none may be read.
TRUNCATE TABLE IF EXISTS quarter_builds;
