-- The current state of the findings and their tasks, pre-aggregated by every dimension the
-- dashboard filters on but the township (round, term, county, unit category, mode, level-1
-- and level-2 category), by 立行立改, by fed back or not, and by the quarter of the finding
-- day: what the metrics read when as-of lies on or after every day loaded (found, fed back,
-- stationed, task events), instead of scanning millions of facts. Figures that depend on
-- the as-of day (overdue, aging, due soon) are kept as maps from the open tasks' due dates
-- to their counts, evaluated at query time. backend/src/metrics/DEFINITIONS.md describes
-- each column.
-- Derived by the ETL (etl/src/load/finding-summary.ts) for every round a run touched
-- (etl_summary_dirty), before the run's watermark moves: each rebuilt key gets a new
-- version, and a key of a rebuilt round that no longer occurs a tombstone.

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
    tasks_on_time          UInt64,
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

-- Rounds (and units, whose every round is meant) whose summary rows a run must rebuild:
-- written by the sink before and after it loads changed facts, so that a round a fact
-- left is rebuilt too; emptied once the summary is rebuilt.
CREATE TABLE IF NOT EXISTS etl_summary_dirty
(
    round_id  UInt32,      -- 0: none
    unit_id   UInt32       -- 0: none
)
ENGINE = MergeTree
ORDER BY (round_id, unit_id);
