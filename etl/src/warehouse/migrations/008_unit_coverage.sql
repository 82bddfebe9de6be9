-- Each unit with the day of its latest inspection of each mode (not deleted; NULL: none):
-- what coverage reads when as-of lies on or after every day loaded, instead of grouping
-- every inspection by unit. The unit's columns are dim_units'. Read with FINAL.
-- Derived by the ETL (etl/src/load/unit-coverage.ts), before the run's watermark moves, for
-- every unit a run loaded and every unit of an inspection it loaded (where the inspection
-- was before the load, and where it is: etl_units_dirty), then emptied.

CREATE TABLE IF NOT EXISTS fact_unit_coverage
(
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
    last_revisit         Nullable(Date),
    version              UInt64,
    is_deleted           UInt8
)
ENGINE = ReplacingMergeTree(version, is_deleted)
ORDER BY id;

CREATE TABLE IF NOT EXISTS etl_units_dirty
(
    unit_id  UInt32
)
ENGINE = MergeTree
ORDER BY unit_id;
