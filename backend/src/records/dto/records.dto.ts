import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { DATE_RANGE_MESSAGE, INSPECTION_MODES, isDayInRange, isRealDay, TASK_STATUSES, TASK_TRACKS, wholeNumber } from '../../common/filters';

/**
 * Requests and responses of the case-record writes. Messages are Chinese first, then
 * English; the error filter puts the field's name in front (`reason: 延期理由不能为空 …`).
 * Dates are 'YYYY-MM-DD' both ways.
 */

const INT_MAX = 2 ** 31 - 1;

const typed = (label: string, kind: string) => (issue: { input: unknown }) => (issue.input === undefined ? `${label}必填 is required` : `${label}须为${kind}`);

/** Characters as PostgreSQL counts them (code points). */
const characters = (value: string) => [...value].length;

/** A non-blank text, trimmed, at most `max` characters. */
export const text = (label: string, max: number) =>
  z
    .string({ error: typed(label, '文本 must be a string') })
    .trim()
    .min(1, `${label}不能为空 must not be blank`)
    .refine((value) => characters(value) <= max, `${label}不能超过 ${max} 个字 must be at most ${max} characters`);

/** A real calendar day, YYYY-MM-DD, inside the shared DATE_RANGE (the `isoDate` rule). */
export const day = (label: string) =>
  z
    .string({ error: typed(label, '日期 must be a date as YYYY-MM-DD') })
    // length bounds also keep the OpenAPI document right for nullable dates (nestjs-zod
    // otherwise documents `string | null` at a DTO's top level as an array of strings)
    .min(10, `${label}须为有效日期 YYYY-MM-DD; must be a real calendar day as YYYY-MM-DD`)
    .max(10, `${label}须为有效日期 YYYY-MM-DD; must be a real calendar day as YYYY-MM-DD`)
    .refine(isRealDay, { message: `${label}须为有效日期 YYYY-MM-DD; must be a real calendar day as YYYY-MM-DD`, abort: true })
    .refine(isDayInRange, `${label}${DATE_RANGE_MESSAGE}`);

const id = (label: string, max: number) =>
  z
    .number({ error: typed(label, '正整数 ID must be a positive integer id') })
    .int(`${label}须为正整数 ID must be a positive integer id`)
    .positive(`${label}须为正整数 ID must be a positive integer id`)
    .max(max, `${label}过大 is too large`);

/** Ids of INTEGER columns (regions, units, rounds, inspections, categories). */
export const intId = (label: string) => id(label, INT_MAX);
/** Ids of BIGINT columns (findings, tasks, events), as JSON numbers. */
export const bigId = (label: string) => id(label, Number.MAX_SAFE_INTEGER);

const flag = (label: string) => z.boolean({ error: typed(label, '布尔值 true/false; must be true or false') });

/** A path id in plain decimal digits (the shared rule: no hex, exponents or blanks). */
const pathId = (label: string, max: number) => wholeNumber(1, max, `${label}须为正整数 ID must be a positive integer id`);

export class InspectionIdParamDto extends createZodDto(z.object({ id: pathId('巡察ID', INT_MAX) }).strict()) {}
export class FindingIdParamDto extends createZodDto(z.object({ id: pathId('问题ID', Number.MAX_SAFE_INTEGER) }).strict()) {}
export class TaskRecordIdParamDto extends createZodDto(z.object({ id: pathId('任务ID', Number.MAX_SAFE_INTEGER) }).strict()) {}

// --- requests ------------------------------------------------------------------------

export const createInspectionSchema = z
  .object({
    roundId: intId('轮次'),
    unitId: intId('被巡察单位'),
    team: text('巡察组', 64),
    mode: z.enum(INSPECTION_MODES, `巡察方式须为 ${INSPECTION_MODES.join(', ')} 之一 must be one of ${INSPECTION_MODES.join(', ')}`),
    isCross: flag('交叉巡察'),
    isElevated: flag('提级巡察'),
    stationedFrom: day('进驻日期'),
    stationedTo: day('进驻结束日期').nullable().optional(),
    feedbackDate: day('反馈日期').nullable().optional(),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (value.stationedTo && value.stationedTo < value.stationedFrom) {
      ctx.addIssue({
        code: 'custom',
        path: ['stationedTo'],
        message: `进驻结束日期早于进驻日期 must not be before stationedFrom (${value.stationedTo} < ${value.stationedFrom})`,
      });
    }
    if (value.feedbackDate && value.feedbackDate < value.stationedFrom) {
      ctx.addIssue({
        code: 'custom',
        path: ['feedbackDate'],
        message: `反馈日期早于进驻日期 must not be before stationedFrom (${value.feedbackDate} < ${value.stationedFrom})`,
      });
    }
  });
export type CreateInspection = z.infer<typeof createInspectionSchema>;
export class CreateInspectionDto extends createZodDto(createInspectionSchema) {}

export const createFindingSchema = z
  .object({
    inspectionId: intId('巡察'),
    categoryId: intId('问题类别'),
    description: text('问题描述', 10_000),
    isImmediate: flag('立行立改'),
    isKeyConcern: flag('重点关注'),
    recurrenceOfId: bigId('复发所指问题').nullable().optional(),
    foundDate: day('发现日期'),
  })
  .strict();
export type CreateFinding = z.infer<typeof createFindingSchema>;
export class CreateFindingDto extends createZodDto(createFindingSchema) {}

/**
 * Backdating (补录): the day a task write takes effect when it is recorded later, never in
 * the future nor before the task's creation; a reason is required when it is before today.
 */
const backdating = {
  effectiveDate: day('生效日期')
    .optional()
    .describe('the day the write takes effect (YYYY-MM-DD); default today; before today = backdated (补录), which needs a reason'),
  backdateReason: text('补录原因', 1000).optional().describe('why the write is recorded late (required when effectiveDate is before today)'),
};

export const createTaskSchema = z
  .object({
    findingId: bigId('问题'),
    measure: text('整改措施', 10_000),
    responsibleDept: text('责任部门', 128),
    responsiblePerson: text('责任人', 64),
    track: z.enum(TASK_TRACKS, `整改类型须为 ${TASK_TRACKS.join(', ')} 之一 must be one of ${TASK_TRACKS.join(', ')}`),
    /** Required unless the track is LONG_TERM (长期坚持). */
    originalDueDate: day('整改时限').nullable().optional(),
    ...backdating,
  })
  .strict()
  .superRefine((value, ctx) => {
    if (value.track !== 'LONG_TERM' && !value.originalDueDate) {
      ctx.addIssue({ code: 'custom', path: ['originalDueDate'], message: '整改时限必填（长期坚持除外） is required unless track is LONG_TERM' });
    }
  });
export type CreateTask = z.infer<typeof createTaskSchema>;
export class CreateTaskDto extends createZodDto(createTaskSchema) {}

export const changeStatusSchema = z
  .object({
    status: z.enum(TASK_STATUSES, `状态须为 ${TASK_STATUSES.join(', ')} 之一 must be one of ${TASK_STATUSES.join(', ')}`),
    note: text('说明', 1000).optional(),
    /** The day the change takes effect; default today (Asia/Shanghai). The older name of effectiveDate. */
    date: day('变更日期').optional(),
    ...backdating,
  })
  .strict();
export type ChangeStatus = z.infer<typeof changeStatusSchema>;
export class ChangeTaskStatusDto extends createZodDto(changeStatusSchema) {}

export const extensionSchema = z
  .object({
    newDueDate: day('新整改时限'),
    reason: text('延期理由', 1000),
    ...backdating,
  })
  .strict();
export type Extension = z.infer<typeof extensionSchema>;
export class ExtendTaskDto extends createZodDto(extensionSchema) {}

export const noteSchema = z.object({ note: text('进展情况', 10_000) }).strict();
export type ProgressNote = z.infer<typeof noteSchema>;
export class TaskNoteDto extends createZodDto(noteSchema) {}

// --- responses -----------------------------------------------------------------------

const dayOut = z.string().describe('YYYY-MM-DD');

export const inspectionRecordSchema = z.object({
  id: z.number().int(),
  roundId: z.number().int(),
  unitId: z.number().int(),
  team: z.string(),
  mode: z.enum(INSPECTION_MODES),
  isCross: z.boolean(),
  isElevated: z.boolean(),
  stationedFrom: dayOut,
  stationedTo: dayOut.nullable(),
  feedbackDate: dayOut.nullable(),
});
export type InspectionRecord = z.infer<typeof inspectionRecordSchema>;
export class InspectionRecordDto extends createZodDto(inspectionRecordSchema) {}

export const findingRecordSchema = z.object({
  id: z.number().int(),
  inspectionId: z.number().int(),
  unitId: z.number().int(),
  categoryId: z.number().int(),
  description: z.string(),
  isImmediate: z.boolean(),
  isKeyConcern: z.boolean(),
  recurrenceOfId: z.number().int().nullable(),
  foundDate: dayOut,
});
export type FindingRecord = z.infer<typeof findingRecordSchema>;
export class FindingRecordDto extends createZodDto(findingRecordSchema) {}

export const taskRecordSchema = z.object({
  id: z.number().int(),
  findingId: z.number().int(),
  measure: z.string(),
  responsibleDept: z.string(),
  responsiblePerson: z.string(),
  track: z.enum(TASK_TRACKS),
  originalDueDate: dayOut.nullable(),
  currentDueDate: dayOut.nullable(),
  status: z.enum(TASK_STATUSES),
  closedDate: dayOut.nullable(),
});
export type TaskRecord = z.infer<typeof taskRecordSchema>;

export const taskEventRecordSchema = z.object({
  id: z.number().int(),
  taskId: z.number().int(),
  type: z.enum(['CREATED', 'STATUS_CHANGE', 'EXTENSION', 'PROGRESS_NOTE', 'ESCALATION']),
  eventDate: dayOut,
  fromStatus: z.enum(TASK_STATUSES).nullable(),
  toStatus: z.enum(TASK_STATUSES).nullable(),
  newDueDate: dayOut.nullable(),
  note: z.string().nullable(),
  actor: z.string(),
  /** When it was recorded (ISO instant). */
  occurredAt: z.string(),
  /** 补录: recorded after the day it took effect. */
  backdated: z.boolean(),
  backdateReason: z.string().nullable(),
});
export type TaskEventRecord = z.infer<typeof taskEventRecordSchema>;

/** A task write: the task as it now is, and the event that recorded the write. */
export const taskWriteSchema = z.object({ task: taskRecordSchema, event: taskEventRecordSchema });
export type TaskWrite = z.infer<typeof taskWriteSchema>;
export class TaskWriteResultDto extends createZodDto(taskWriteSchema) {}

export const deletedSchema = z.object({ id: z.number().int(), deletedAt: z.string().describe('ISO instant') });
export type Deleted = z.infer<typeof deletedSchema>;
export class DeletedRecordDto extends createZodDto(deletedSchema) {}
