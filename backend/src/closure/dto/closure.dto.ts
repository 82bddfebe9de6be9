import type { ApiBodyOptions } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { pageParam, pageSizeParam, TASK_STATUSES, wholeNumber } from '../../common/filters';
import { taskEventRecordSchema, taskRecordSchema, text } from '../../records/dto/records.dto';

/** Requests and responses of the closure review (申请销号, 审核, 撤销销号) and its evidence files. */

const pathId = (label: string) => wholeNumber(1, Number.MAX_SAFE_INTEGER, `${label}须为正整数 ID must be a positive integer id`);

export class ClosureRequestIdParamDto extends createZodDto(z.object({ id: pathId('销号申请ID') }).strict()) {}
export class EvidenceIdParamDto extends createZodDto(z.object({ id: pathId('佐证材料ID') }).strict()) {}

export const CLOSURE_REQUEST_STATUSES = ['PENDING', 'APPROVED', 'RETURNED'] as const;

/** The multipart fields besides the files (multer hands them over as strings). */
export const applySchema = z.object({ explanation: text('整改情况说明', 5000) });
export type ApplyClosure = z.infer<typeof applySchema>;
export class ApplyClosureDto extends createZodDto(applySchema) {}

export const APPLY_BODY: ApiBodyOptions = {
  schema: {
    type: 'object',
    required: ['explanation', 'files'],
    properties: {
      explanation: { type: 'string', description: '整改情况说明' },
      files: {
        type: 'array',
        items: { type: 'string', format: 'binary' },
        description: '佐证材料: PDF, PNG, JPEG, Word (.docx/.doc), Excel (.xlsx/.xls); the type is read from the bytes',
      },
    },
  },
};

export const approveSchema = z.object({ note: text('审核意见', 2000).optional() }).strict();
export type ApproveClosure = z.infer<typeof approveSchema>;
export class ApproveClosureDto extends createZodDto(approveSchema) {}

export const reasonSchema = z.object({ reason: text('理由', 2000) }).strict();
export type ClosureReason = z.infer<typeof reasonSchema>;
export class ClosureReasonDto extends createZodDto(reasonSchema) {}

export const queueQuerySchema = z
  .object({
    status: z
      .enum(CLOSURE_REQUEST_STATUSES, `须为 ${CLOSURE_REQUEST_STATUSES.join(', ')} 之一 must be one of ${CLOSURE_REQUEST_STATUSES.join(', ')}`)
      .default('PENDING'),
    page: pageParam.default(1),
    pageSize: pageSizeParam.default(20),
  })
  .strict();
export type QueueQuery = z.infer<typeof queueQuerySchema>;
export class ClosureQueueQueryDto extends createZodDto(queueQuerySchema) {}

export const queueFileQuerySchema = queueQuerySchema.omit({ page: true, pageSize: true }).strict();
export type QueueFileQuery = z.infer<typeof queueFileQuerySchema>;
export class ClosureQueueFileQueryDto extends createZodDto(queueFileQuerySchema) {}

// --- responses ---------------------------------------------------------------------------

export const evidenceRecordSchema = z.object({
  id: z.number().int(),
  fileName: z.string(),
  contentType: z.string(),
  kind: z.string().describe('pdf, png, jpeg, docx, doc, xlsx or xls, read from the bytes'),
  size: z.number().int().describe('bytes'),
  sha256: z.string(),
  createdAt: z.string().describe('ISO instant'),
});
export type EvidenceRecord = z.infer<typeof evidenceRecordSchema>;

export const closureRequestSchema = z.object({
  id: z.number().int(),
  taskId: z.number().int(),
  explanation: z.string(),
  applicant: z.string(),
  requestDate: z.string().describe('YYYY-MM-DD'),
  requestedAt: z.string().describe('ISO instant'),
  status: z.enum(CLOSURE_REQUEST_STATUSES),
  reviewer: z.string().nullable(),
  reviewNote: z.string().nullable(),
  reviewedAt: z.string().nullable().describe('ISO instant'),
  evidence: z.array(evidenceRecordSchema),
});
export type ClosureRequestRecord = z.infer<typeof closureRequestSchema>;
export class ClosureRequestDto extends createZodDto(closureRequestSchema) {}

export class ClosureRequestListDto extends createZodDto(z.object({ rows: z.array(closureRequestSchema) })) {}

export const queueRowSchema = closureRequestSchema.extend({
  task: z.object({
    measure: z.string(),
    responsibleDept: z.string(),
    responsiblePerson: z.string(),
    status: z.enum(TASK_STATUSES),
    currentDueDate: z.string().nullable(),
    unitName: z.string(),
    regionName: z.string(),
  }),
});
export type QueueRow = z.infer<typeof queueRowSchema>;
export const queuePageSchema = z.object({ total: z.number().int(), page: z.number().int(), pageSize: z.number().int(), rows: z.array(queueRowSchema) });
export type QueuePage = z.infer<typeof queuePageSchema>;
export class ClosureQueuePageDto extends createZodDto(queuePageSchema) {}

export const closureWriteSchema = z.object({ request: closureRequestSchema, task: taskRecordSchema, event: taskEventRecordSchema });
export type ClosureWrite = z.infer<typeof closureWriteSchema>;
export class ClosureWriteDto extends createZodDto(closureWriteSchema) {}

export const reopenSchema = z.object({ task: taskRecordSchema, event: taskEventRecordSchema });
export class ReopenResultDto extends createZodDto(reopenSchema) {}
