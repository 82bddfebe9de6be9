-- The state as of quarter ends (a quarter's figures are the figures as of its last day):
-- what the metrics read for as-of = a past quarter end instead of replaying 60M task-state
-- rows. Built lazily, one quarter end at a time, by etl/src/load/quarter-state.ts (the app
-- asks for it on the first request of that day); each build has its own id, and a build is
-- read only while the quarter end's change token (etl_quarter_change) is the one it was
-- built under. backend/src/metrics/DEFINITIONS.md describes it.

-- One row per ETL run that loaded something able to change the figures as of some day up
-- to today: every quarter end on or after from_day is affected (a full run: 1970-01-01).
-- Never expires: the change token of a day D is the count and the latest changed_at of the
-- rows with from_day <= D.
CREATE TABLE IF NOT EXISTS etl_quarter_change
(
    from_day    Date,
    changed_at  DateTime64(6)
)
ENGINE = MergeTree
ORDER BY (from_day, changed_at);

-- The earliest day what a run loads can affect, marked by the sink before and after each
-- batch (where the rows were, where they are); turned into an etl_quarter_change row and
-- emptied before the watermark moves. A run that dies leaves its marks for the next one.
CREATE TABLE IF NOT EXISTS etl_quarter_dirty
(
    from_day  Date
)
ENGINE = MergeTree
ORDER BY from_day;

-- The loaded tasks as they were before the load (their found date and a hash of the columns
-- other than the current state), compared with their new rows after it: a task whose only
-- change is its status, current due date or closed date (which come with events, marked by
-- their own dates) marks nothing. Emptied with etl_quarter_dirty.
CREATE TABLE IF NOT EXISTS etl_tasks_before
(
    id          UInt64,
    found_date  Date,
    h           UInt64
)
ENGINE = MergeTree
ORDER BY id;

-- fact_finding_summary's figures as of a quarter end (as_of), for one build: findings found
-- by as_of, fed_back = fed back by as_of, each task in its state as of as_of, recurrence
-- against the inspections and findings of as_of.
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
    tasks_extended         UInt64,
    open_due               Map(Date, UInt64),  -- open tasks as of as_of, by their due date then
    reinspection_findings  UInt64,
    repeats                UInt64,
    closed_reinspected     UInt64,
    rebounds               UInt64
)
ENGINE = MergeTree
ORDER BY (as_of, build, round_id, county_id, term_id, unit_category, mode, category1_id, category_id, is_immediate, fed_back, found_quarter);

-- fact_unit_coverage as of a quarter end, for one build: the units (dim_units' columns)
-- with valid_from <= as_of, each with its latest inspection stationed by as_of of each mode.
CREATE TABLE IF NOT EXISTS quarter_units
(
    as_of                Date,
    build                UInt64,
    id                   UInt32,
    code                 String,
    name                 String,
    category             LowCardinality(String),
    region_id            UInt32,
    county_id            UInt32,
    committee_region_id  UInt32,
    valid_from           Date,
    valid_to             Nullable(Date),
    last_routine         Nullable(Date),
    last_special         Nullable(Date),
    last_mobile          Nullable(Date),
    last_revisit         Nullable(Date)
)
ENGINE = MergeTree
ORDER BY (as_of, build, id);

-- The builds: build `build` of as_of was computed from the warehouse as it stood under the
-- change token `token` (read before the build read anything).
CREATE TABLE IF NOT EXISTS quarter_builds
(
    as_of     Date,
    build     UInt64,
    token     String,
    built_at  DateTime64(6)
)
ENGINE = MergeTree
ORDER BY (as_of, build);
