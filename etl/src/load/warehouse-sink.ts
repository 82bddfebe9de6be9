import type { Warehouse } from '../warehouse';
import type { Sink } from './sink';

/** The warehouse as the pipeline's sink: TabSeparated lines in one raw INSERT per batch. */
export function warehouseSink(warehouse: Warehouse): Sink {
  return {
    async insertTsv(table, columns, lines) {
      if (lines.length === 0) return;
      await warehouse.insertRaw(table, columns, 'TabSeparated', Buffer.from(`${lines.join('\n')}\n`, 'utf8'));
    },
    async truncate(table) {
      await warehouse.command(`TRUNCATE TABLE IF EXISTS ${warehouse.database}.${table}`);
    },
  };
}
