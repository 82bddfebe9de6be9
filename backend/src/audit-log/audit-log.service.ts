import { PassThrough, Readable } from 'node:stream';
import { Inject, Injectable, StreamableFile } from '@nestjs/common';
import { shanghaiToday } from '@xuncha/shared';
import { contentDisposition, CSV_TYPE, csvHead, csvRows, XLSX_TYPE, type CsvColumn } from '../files/files';
import { writeTable, type TableColumn } from '../files/sheet-writer';
import { AUDIT_ACTIONS, describeAudit, recordOf } from './audit-describe';
import { AuditLogRepository, type AuditRow } from './audit-log.repository';
import type { AuditEntryView, AuditFilters, AuditPage, AuditQuery } from './dto/audit.dto';
import { loadExcel } from '../files/excel';

/** An instant as Beijing wall-clock time, `2026-12-03 09:41:07`. */
export function beijingTime(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

const AUDIT_COLUMNS: readonly CsvColumn<AuditEntryView>[] = [
  { header: '时间(北京时间)', value: (r) => beijingTime(new Date(r.at)) },
  { header: '用户名', value: (r) => r.username },
  { header: '姓名', value: (r) => r.displayName },
  { header: '操作', value: (r) => r.actionLabel },
  { header: '对象', value: (r) => r.record },
  { header: '内容', format: 'wrap', value: (r) => r.summary },
  { header: '修改前后', format: 'wrap', value: (r) => r.changes.map((c) => `${c.label}: ${c.before} → ${c.after}`).join('\n') || null },
  { header: '结果', value: (r) => (r.success ? '成功' : '失败') },
  { header: '地址', value: (r) => r.ip },
  { header: '接口路径', value: (r) => r.target },
];

const CHUNK = 2000;

/** Reading the audit log (ADMIN): a page in words, and the whole filtered log as a file. */
@Injectable()
export class AuditLogService {
  constructor(@Inject(AuditLogRepository) private readonly repository: AuditLogRepository) {}

  async page(query: AuditQuery): Promise<AuditPage> {
    const { page, pageSize, ...filters } = query;
    const [total, rows] = await Promise.all([this.repository.count(filters), this.repository.list(filters, { skip: (page - 1) * pageSize, take: pageSize })]);
    return { total, page, pageSize, rows: await this.views(rows) };
  }

  /** Every entry under the filters, newest first, as CSV or .xlsx; the file named after the filters. */
  async file(filters: AuditFilters, format: 'csv' | 'xlsx'): Promise<StreamableFile> {
    const today = shanghaiToday();
    const first = await this.views(await this.repository.list(filters, { take: CHUNK }));
    const parts = [
      '审计日志',
      filters.from || filters.to ? `${filters.from ?? '始'}至${filters.to ?? today}` : undefined,
      filters.username,
      filters.action ? (AUDIT_ACTIONS[filters.action]?.label ?? filters.action) : undefined,
      filters.success ? (filters.success === 'true' ? '成功' : '失败') : undefined,
      today,
    ].filter((p): p is string => !!p);
    const fileName = `${parts.map((p) => p.replace(/[\\/:*?"<>|_\u0000-\u001f]/g, '-')).join('_')}.${format}`;
    const ascii = `audit-${today}.${format}`;
    const repository = this.repository;
    const views = (rows: AuditRow[]) => this.views(rows);
    async function* pages(): AsyncIterable<AuditEntryView[]> {
      let page = first;
      while (page.length > 0) {
        yield page;
        if (page.length < CHUNK) return;
        page = await views(await repository.list(filters, { take: CHUNK, belowId: BigInt(page[page.length - 1].id) }));
      }
    }
    if (format === 'csv') {
      async function* text() {
        yield Buffer.from(csvHead(AUDIT_COLUMNS));
        for await (const rows of pages()) yield Buffer.from(csvRows(AUDIT_COLUMNS, rows));
      }
      return new StreamableFile(Readable.from(text(), { objectMode: false }), { type: CSV_TYPE, disposition: contentDisposition(ascii, fileName) });
    }
    const output = new PassThrough();
    const columns: TableColumn[] = AUDIT_COLUMNS.map((c) => ({ header: c.header, format: c.format ?? 'text' }));
    const cell = (value: string | number | boolean | null) => (typeof value === 'boolean' ? (value ? '是' : '否') : value);
    const rows = (list: readonly AuditEntryView[]) => list.map((r) => ({ cells: AUDIT_COLUMNS.map((c) => cell(c.value(r))) }));
    const reportingUnit = await this.repository.cityName();
    void (async () => {
      const workbook = new (await loadExcel()).stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
      workbook.creator = 'Xuncha Insight 巡察整改监督分析平台';
      async function* table() {
        for await (const page of pages()) yield rows(page);
      }
      await writeTable(
        workbook,
        { sheetName: '审计日志', title: parts.slice(0, -1).join(' '), reportingUnit, asOf: today, columns, autoFilter: true, freezeColumns: 1 },
        table(),
        rows(first.slice(0, 200)),
      );
      await workbook.commit();
    })().catch((error: unknown) => output.destroy(error instanceof Error ? error : new Error(String(error))));
    return new StreamableFile(output, { type: XLSX_TYPE, disposition: contentDisposition(ascii, fileName) });
  }

  /** Rows in words: each record named (one lookup per page), each action and change labelled. */
  private async views(rows: readonly AuditRow[]): Promise<AuditEntryView[]> {
    const refs = rows.map((r) => recordOf(r.target));
    const names = await this.repository.names(refs.filter((r) => r !== null));
    return rows.map((r, i) => {
      const ref = refs[i];
      const described = describeAudit(r, ref ? (names.get(`${ref.kind}:${ref.id}`) ?? null) : null);
      return {
        id: r.id.toString(),
        at: r.at.toISOString(),
        username: r.username,
        displayName: r.displayName,
        action: r.action,
        actionLabel: described.actionLabel,
        record: described.record,
        summary: described.summary,
        changes: described.changes,
        target: r.target,
        ip: r.ip,
        success: r.success,
        detail: r.detail,
      };
    });
  }
}
