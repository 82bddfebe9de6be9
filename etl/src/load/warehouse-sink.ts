import type { Warehouse } from '../warehouse';
import type { Sink } from './sink';
import { buildTaskStateRebuild, TASK_STATE_CHUNK } from './task-state';

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
    async refreshDerived(tasks) {
      if ('all' in tasks) {
        await warehouse.command(`TRUNCATE TABLE IF EXISTS ${warehouse.database}.fact_task_state`);
        const rebuild = buildTaskStateRebuild('all');
        await warehouse.command(rebuild.query, rebuild.params);
        return;
      }
      for (let i = 0; i < tasks.taskIds.length; i += TASK_STATE_CHUNK) {
        const rebuild = buildTaskStateRebuild(tasks.taskIds.slice(i, i + TASK_STATE_CHUNK));
        await warehouse.command(rebuild.query, rebuild.params);
      }
    },
  };
}
