-- Facts, denormalized: each row carries the unit, its region and county, unit category,
-- round, term, mode and issue category it belongs to, so that the dashboard's filters need
-- no joins. version = the highest change sequence among the record and every row it copies
-- from, so a fact re-emitted because its unit moved (say) replaces the older copy.
-- Long texts (a finding's description, a task's measure) stay in PostgreSQL: lists fetch
-- them by id for the page shown, and the warehouse carries what is filtered and counted.
-- The sort key is the record's identity only: a key column that could change would leave
-- the old copy behind. Skip indexes serve the county and category filters.

CREATE TABLE IF NOT EXISTS fact_inspections
(
    id                   UInt32,
    round_id             UInt32,
    term_id              UInt32,
    round_year           UInt16,
    unit_id              UInt32,
    unit_category        LowCardinality(String),
    region_id            UInt32,
    county_id            UInt32,
    committee_region_id  UInt32,
    team                 String,
    mode                 LowCardinality(String),
    is_cross             UInt8,
    is_elevated          UInt8,
    stationed_from       Date,
    stationed_to         Nullable(Date),
    feedback_date        Nullable(Date),
    version              UInt64,
    is_deleted           UInt8,
    INDEX idx_county county_id TYPE set(64) GRANULARITY 4
)
ENGINE = ReplacingMergeTree(version, is_deleted)
ORDER BY id;

CREATE TABLE IF NOT EXISTS fact_findings
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
    version              UInt64,
    is_deleted           UInt8,
    INDEX idx_county county_id TYPE set(64) GRANULARITY 4,
    INDEX idx_category category_id TYPE set(64) GRANULARITY 4
)
ENGINE = ReplacingMergeTree(version, is_deleted)
ORDER BY id;

CREATE TABLE IF NOT EXISTS fact_tasks
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
    INDEX idx_county county_id TYPE set(64) GRANULARITY 4,
    INDEX idx_status status TYPE set(8) GRANULARITY 4
)
ENGINE = ReplacingMergeTree(version, is_deleted)
ORDER BY id;

-- Task history: append-only in PostgreSQL; a task's events never move to another task,
-- so (task_id, id) is an identity and keeps each task's events together for as-of reads.
CREATE TABLE IF NOT EXISTS fact_task_events
(
    id            UInt64,
    task_id       UInt64,
    type          LowCardinality(String),
    event_date    Date,
    from_status   LowCardinality(Nullable(String)),
    to_status     LowCardinality(Nullable(String)),
    new_due_date  Nullable(Date),
    version       UInt64,
    is_deleted    UInt8
)
ENGINE = ReplacingMergeTree(version, is_deleted)
ORDER BY (task_id, id);

CREATE TABLE IF NOT EXISTS fact_clues
(
    id                   UInt32,
    inspection_id        UInt32,
    unit_id              UInt32,
    county_id            UInt32,
    handed_to            LowCardinality(String),
    handed_date          Date,
    persons              UInt16,
    disposal_status      LowCardinality(String),
    concluded_date       Nullable(Date),
    version              UInt64,
    is_deleted           UInt8
)
ENGINE = ReplacingMergeTree(version, is_deleted)
ORDER BY id;
