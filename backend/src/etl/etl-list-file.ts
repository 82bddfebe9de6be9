import type { z } from 'zod';
import type { CsvColumn } from '../files/files';
import type { etlRejectSchema, etlRunSchema } from './dto/etl.dto';

/** The 导出 of 数据同步: the run history and one run's rejects (.xlsx and CSV), as the page shows them. */

export type EtlRunView = z.infer<typeof etlRunSchema>;
export type EtlRejectView = z.infer<typeof etlRejectSchema>;

const RUN_MODE_LABELS: Record<string, string> = { incremental: '增量', full: '全量' };
const RUN_STATUS_LABELS: Record<EtlRunView['status'], string> = { RUNNING: '运行中', SUCCEEDED: '成功', FAILED: '失败' };
const RUN_TRIGGER_LABELS: Record<string, string> = { startup: '启动时', schedule: '定时', manual: '手动', cli: '命令行', test: '测试' };

/** An instant as Beijing wall-clock time, `2026-12-03 09:41:07`. */
function beijingTime(iso: string | null): string | null {
  return iso === null ? null : new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

export const ETL_RUN_FILE_COLUMNS: readonly CsvColumn<EtlRunView>[] = [
  { header: '批次', format: 'count', value: (r) => r.id },
  { header: '方式', value: (r) => RUN_MODE_LABELS[r.mode] ?? r.mode },
  { header: '状态', value: (r) => RUN_STATUS_LABELS[r.status] },
  { header: '触发', value: (r) => RUN_TRIGGER_LABELS[r.trigger] ?? r.trigger },
  { header: '开始时间(北京时间)', value: (r) => beijingTime(r.startedAt) },
  { header: '结束时间(北京时间)', value: (r) => beijingTime(r.finishedAt) },
  { header: '读取', format: 'count', value: (r) => r.read },
  { header: '写入', format: 'count', value: (r) => r.written },
  { header: '拒收', format: 'count', value: (r) => r.rejected },
  { header: '错误', format: 'wrap', value: (r) => r.error },
];

export const ETL_REJECT_FILE_COLUMNS: readonly CsvColumn<EtlRejectView>[] = [
  { header: '表', value: (r) => r.table },
  { header: '记录ID', value: (r) => r.recordId },
  { header: '原因', format: 'wrap', value: (r) => r.reason },
  { header: '时间(北京时间)', value: (r) => beijingTime(r.createdAt) },
];

export const ETL_RUNS_LABEL = '数据同步记录';
export const etlRejectsLabel = (runId: number) => `拒收记录(批次${runId})`;
