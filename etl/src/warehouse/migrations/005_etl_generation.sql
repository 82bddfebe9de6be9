-- One row per ETL run that changed the warehouse, written once its derived tables are
-- refreshed: max(generation) tells a reader (the app's cached dimensions) whether anything
-- was loaded since it last looked, without reading the facts. Old rows expire.

CREATE TABLE IF NOT EXISTS etl_generation
(
    generation  UInt64,
    at          DateTime
)
ENGINE = MergeTree
ORDER BY generation
TTL at + INTERVAL 7 DAY;
