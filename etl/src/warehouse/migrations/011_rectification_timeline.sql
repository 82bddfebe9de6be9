-- The rectification figures as of any day, kept as changes by day: for each key (the
-- finding summary's dimensions with the township instead of fed back and the finding's
-- quarter) and each day, how much every figure changes on that day. The figures as of D are
-- the sums over the days up to D, so an as-of read of a past day sums a few million small
-- rows instead of replaying every task's history and grouping it by finding. A task counts
-- from the later of its interval's start (fact_task_state), its finding's day and its
-- feedback until the interval ends; a finding counts once fed back, and as closed (with its
-- days to close) while all its tasks then are 已销号. Figures that depend on the as-of day
-- itself (overdue, aging, due soon) are kept as changes to the map from the open tasks' due
-- dates to their counts, evaluated at query time as the summary's are.
-- Derived by the ETL (etl/src/load/rectification-timeline.ts) for every key a run touched
-- (etl_timeline_dirty), before the run's watermark moves: each rebuilt key's days get a new
-- version, and a day that no longer occurs a tombstone.

CREATE TABLE IF NOT EXISTS fact_rectification_timeline
(
    round_id               UInt32,
    term_id                UInt32,
    county_id              UInt32,
    region_id              UInt32,
    unit_category          LowCardinality(String),
    mode                   LowCardinality(String),
    category1_id           UInt32,
    category_id            UInt32,
    is_immediate           UInt8,
    day                    Date,
    findings               Int64,              -- fed back (and found)
    findings_closed        Int64,              -- with tasks, all 已销号
    close_days             Map(UInt32, Int64), -- closed findings by days from feedback to closure
    tasks                  Int64,
    tasks_closed           Int64,
    tasks_on_time          Int64,
    tasks_closed_undated   Int64,
    tasks_extended         Int64,
    open_due               Map(Date, Int64),   -- open tasks with a due date, by due date
    version                UInt64,
    is_deleted             UInt8
)
ENGINE = ReplacingMergeTree(version, is_deleted)
ORDER BY (county_id, round_id, term_id, region_id, unit_category, mode, category1_id, category_id, is_immediate, day);

-- Keys whose days a run must rebuild: written by the sink before and after it loads
-- findings, tasks and task events, so that a key a record left is rebuilt too; emptied once
-- the timeline is rebuilt.
CREATE TABLE IF NOT EXISTS etl_timeline_dirty
(
    round_id       UInt32,
    term_id        UInt32,
    county_id      UInt32,
    region_id      UInt32,
    unit_category  LowCardinality(String),
    mode           LowCardinality(String),
    category1_id   UInt32,
    category_id    UInt32,
    is_immediate   UInt8
)
ENGINE = MergeTree
ORDER BY (county_id, round_id, term_id, region_id, unit_category, mode, category1_id, category_id, is_immediate);
