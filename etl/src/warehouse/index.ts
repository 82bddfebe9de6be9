export { openWarehouse } from './open';
export { warehouseConfigFromEnv, DEFAULT_DATABASE, RAW_INSERT_FORMATS, type RawInsertFormat, type Warehouse, type WarehouseConfig } from './warehouse';
export { WarehouseError } from './errors';
export type { WarehousePage } from './page';
export { migrateWarehouse, readWarehouseMigrations, type MigrateWarehouseOptions, WAREHOUSE_MIGRATIONS_DIR, MIGRATIONS_TABLE } from './migrate';
export { clusterizeDdl, onCluster } from './cluster';
export { identifier, insertStatement } from './identifier';
export { splitStatements } from './sql-text';
export { asSlowWork, asOrdinaryWork } from './session-pool';
