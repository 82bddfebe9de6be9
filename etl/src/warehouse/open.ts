import { WarehouseError } from './errors';
import { plainIdentifier } from './identifier';
import type { Warehouse, WarehouseConfig } from './warehouse';

/**
 * Opens the warehouse: the server when `url` is set, otherwise chDB in `dataDir`. Kept apart
 * from warehouse.ts, the interface both engines implement, so that the engines import that
 * interface without importing the module that loads them.
 */
export async function openWarehouse(config: WarehouseConfig): Promise<Warehouse> {
  plainIdentifier(config.database, 'database');
  if (config.url) {
    const { openServerWarehouse } = await import('./server-warehouse');
    return openServerWarehouse({ ...config, url: config.url });
  }
  if (config.cluster) {
    throw new WarehouseError('CLICKHOUSE_CLUSTER needs CLICKHOUSE_URL: the embedded engine is a single node');
  }
  // Loaded on demand: the native library is large and the server engine does not need it.
  const { openChdbWarehouse } = await import('./chdb-warehouse');
  return openChdbWarehouse(config);
}
