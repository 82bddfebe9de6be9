-- Dimensions copied from the case records. Every table is a ReplacingMergeTree keyed by
-- the record id: version = the record's change sequence in PostgreSQL (a higher version
-- replaces a lower one), is_deleted = 1 for a soft-deleted record. Read with FINAL.

CREATE TABLE IF NOT EXISTS dim_regions
(
    id          UInt32,
    code        String,
    name        String,
    level       LowCardinality(String),
    parent_id   UInt32,              -- 0: none
    county_id   UInt32,              -- the county-level region (县区 or 市本级) it lies in; 0 for the city
    version     UInt64,
    is_deleted  UInt8
)
ENGINE = ReplacingMergeTree(version, is_deleted)
ORDER BY id;

CREATE TABLE IF NOT EXISTS dim_units
(
    id                   UInt32,
    code                 String,
    name                 String,
    category             LowCardinality(String),
    region_id            UInt32,
    county_id            UInt32,
    committee_region_id  UInt32,
    parent_unit_id       UInt32,     -- 0: none
    valid_from           Date,
    valid_to             Nullable(Date),
    version              UInt64,
    is_deleted           UInt8
)
ENGINE = ReplacingMergeTree(version, is_deleted)
ORDER BY id;

CREATE TABLE IF NOT EXISTS dim_categories
(
    id          UInt32,
    code        String,
    name        String,
    level       UInt8,
    parent_id   UInt32,              -- 0: a level-1 category
    version     UInt64,
    is_deleted  UInt8
)
ENGINE = ReplacingMergeTree(version, is_deleted)
ORDER BY id;

CREATE TABLE IF NOT EXISTS dim_terms
(
    id                   UInt32,
    committee_region_id  UInt32,
    ordinal              UInt16,
    name                 String,
    start_date           Date,
    end_date             Date,
    version              UInt64,
    is_deleted           UInt8
)
ENGINE = ReplacingMergeTree(version, is_deleted)
ORDER BY id;

CREATE TABLE IF NOT EXISTS dim_rounds
(
    id          UInt32,
    term_id     UInt32,
    ordinal     UInt16,
    year        UInt16,
    name        String,
    start_date  Date,
    end_date    Date,
    version     UInt64,
    is_deleted  UInt8
)
ENGINE = ReplacingMergeTree(version, is_deleted)
ORDER BY id;
