-- Each finding's spans of days closed (with tasks, all 已销号), so that the rebound figures
-- as of any day read one row per finding closed by then instead of every task's state as of
-- that day joined with the tasks and grouped by finding. A span [closed_from, closed_to)
-- holds the days on which the finding's tasks as of the day (found by then, with a status:
-- fact_task_state) are all 已销号 and the same ones, with the day of the last 销号 among
-- them (closure_day) and the finding's dimensions as its tasks carry them; a span that
-- never ends has closed_to 2299-12-31. A finding closed as of D is the row with
-- closed_from <= D < closed_to.
-- Derived by the ETL (etl/src/load/finding-closure.ts) for every finding a run touched (its
-- row, a task of it, or a task event: etl_closure_dirty), after fact_task_state, before the
-- run's watermark moves: each rebuilt finding's spans get a new version, and a span that no
-- longer occurs a tombstone.

CREATE TABLE IF NOT EXISTS fact_finding_closure
(
    finding_id     UInt64,
    closed_from    Date,
    closed_to      Date,
    closure_day    Date,
    unit_id        UInt32,
    unit_category  LowCardinality(String),
    region_id      UInt32,
    county_id      UInt32,
    round_id       UInt32,
    term_id        UInt32,
    mode           LowCardinality(String),
    category_id    UInt32,
    category1_id   UInt32,
    version        UInt64,
    is_deleted     UInt8
)
ENGINE = ReplacingMergeTree(version, is_deleted)
ORDER BY (finding_id, closed_from);

-- Findings whose spans a run must rebuild: written by the sink before and after it loads
-- findings, tasks and task events; emptied once the spans are rebuilt.
CREATE TABLE IF NOT EXISTS etl_closure_dirty
(
    finding_id  UInt64
)
ENGINE = MergeTree
ORDER BY finding_id;
