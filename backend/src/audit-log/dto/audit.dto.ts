import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { isoDate, pageParam, pageSizeParam } from '../../common/filters';

// ----- audit log (ADMIN) -----

/** The filters of the audit log and of its download: who, which action, outcome, Beijing days from–to. */
const auditFilters = {
  username: z.string().trim().min(1).max(64).optional(),
  action: z.string().trim().min(1).max(64).optional(),
  success: z.enum(['true', 'false'], 'success 须为 true 或 false must be true or false').optional(),
  from: isoDate.describe('first day (Beijing time), YYYY-MM-DD').optional(),
  to: isoDate.describe('last day (Beijing time), YYYY-MM-DD').optional(),
};
const fromNotAfterTo = (q: { from?: string; to?: string }) => !q.from || !q.to || q.from <= q.to;
const FROM_AFTER_TO = { message: 'from 起始日期不能晚于截止日期 the first day must not be after the last day', path: ['from'] };

export const AuditQuerySchema = z
  .strictObject({ page: pageParam.default(1), pageSize: pageSizeParam.default(50), ...auditFilters })
  .refine(fromNotAfterTo, FROM_AFTER_TO);
export class AuditQueryDto extends createZodDto(AuditQuerySchema) {}
export type AuditQuery = z.infer<typeof AuditQuerySchema>;

export const AuditFileQuerySchema = z.strictObject(auditFilters).refine(fromNotAfterTo, FROM_AFTER_TO);
export class AuditFileQueryDto extends createZodDto(AuditFileQuerySchema) {}
export type AuditFilters = z.infer<typeof AuditFileQuerySchema>;

export const AuditChangeSchema = z.object({ field: z.string(), label: z.string(), before: z.string(), after: z.string() });

export const AuditEntrySchema = z.object({
  id: z.string(),
  at: z.string(),
  username: z.string().min(0).max(64).nullable(),
  displayName: z.string().nullable().describe('the user’s name, when the entry is of a known account'),
  action: z.string(),
  actionLabel: z.string().describe('the action in Chinese (an unknown action as it is)'),
  record: z.string().nullable().describe('the record the entry is about, named: 整改任务 #12（某局）'),
  summary: z.string().describe('the entry in one Chinese sentence: 更正整改任务 #12（某局）的责任人'),
  changes: z.array(AuditChangeSchema).describe('a correction’s fields before and after, as a clerk reads them'),
  target: z.string().min(0).max(256).nullable(),
  ip: z.string().min(0).max(64).nullable(),
  success: z.boolean(),
  detail: z.record(z.string(), z.unknown()).nullable(),
});
export type AuditEntryView = z.infer<typeof AuditEntrySchema>;
export class AuditPageDto extends createZodDto(
  z.object({ total: z.number().int(), page: z.number().int(), pageSize: z.number().int(), rows: z.array(AuditEntrySchema) }),
) {}
export type AuditPage = z.infer<(typeof AuditPageDto)['schema']>;
