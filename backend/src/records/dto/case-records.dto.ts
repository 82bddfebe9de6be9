import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { INSPECTION_MODES, isoDate, pageParam, pageSizeParam, queryId, TASK_TRACKS, wholeNumber } from '../../common/filters';
import { bigId, day, findingRecordSchema, inspectionRecordSchema, intId, taskRecordSchema, text } from './records.dto';

/**
 * The case-record pages: the 巡察 list, one inspection with its findings and tasks, the
 * 问题 list, and corrections (PATCH) whose before and after values go into the audit log.
 * Read from PostgreSQL, the system of record.
 */

const flag = (label: string) =>
  z.boolean({ error: (issue) => (issue.input === undefined ? `${label}必填 is required` : `${label}须为布尔值 true/false; must be true or false`) });
/** A free-text search, taken as data (matched with ILIKE, its pattern characters literal). */
const search = (label: string) =>
  z
    .string()
    .trim()
    .max(100, `${label}不能超过 100 个字 must be at most 100 characters`)
    .refine((value) => !value.includes('\u0000'), `${label}不能包含空字符 must not contain NUL characters`);

export const INSPECTION_SORTS = ['-stationedFrom', 'stationedFrom', '-feedbackDate', 'feedbackDate', '-id', 'id', 'unit', '-unit'] as const;
export const FINDING_RECORD_SORTS = ['-foundDate', 'foundDate', '-id', 'id', 'unit', '-unit'] as const;

// --- lists ----------------------------------------------------------------------------

export const inspectionListQuerySchema = z
  .object({
    /** the unit's name or code contains this */
    unit: search('被巡察单位').optional(),
    roundId: queryId.optional(),
    /** a county (or 市本级) or a township: everything under it */
    regionId: queryId.optional(),
    mode: z.enum(INSPECTION_MODES, `must be one of ${INSPECTION_MODES.join(', ')}`).optional(),
    /** the team's name contains this */
    team: search('巡察组').optional(),
    stationedFrom: isoDate.optional(),
    stationedTo: isoDate.optional(),
    feedbackFrom: isoDate.optional(),
    feedbackTo: isoDate.optional(),
    sort: z.enum(INSPECTION_SORTS, `must be one of ${INSPECTION_SORTS.join(', ')}`).default('-stationedFrom'),
    page: pageParam.default(1),
    pageSize: pageSizeParam.default(20),
  })
  .strict();
export type InspectionListQuery = z.infer<typeof inspectionListQuerySchema>;
export class InspectionListQueryDto extends createZodDto(inspectionListQuerySchema) {}

export const findingRecordListQuerySchema = z
  .object({
    /** the description contains this */
    q: search('问题描述').optional(),
    /** the unit's name or code contains this */
    unit: search('被巡察单位').optional(),
    /** level 1 (with its level-2 children) or level 2 */
    categoryId: queryId.optional(),
    roundId: queryId.optional(),
    regionId: queryId.optional(),
    inspectionId: queryId.optional(),
    sort: z.enum(FINDING_RECORD_SORTS, `must be one of ${FINDING_RECORD_SORTS.join(', ')}`).default('-foundDate'),
    page: pageParam.default(1),
    pageSize: pageSizeParam.default(20),
  })
  .strict();
export type FindingRecordListQuery = z.infer<typeof findingRecordListQuerySchema>;
export class FindingRecordListQueryDto extends createZodDto(findingRecordListQuerySchema) {}

/** The 巡察 list's parameters without paging: the download holds every row. */
export const inspectionFileQuerySchema = inspectionListQuerySchema.omit({ page: true, pageSize: true }).strict();
export type InspectionFileQuery = z.infer<typeof inspectionFileQuerySchema>;
export class InspectionFileQueryDto extends createZodDto(inspectionFileQuerySchema) {}

/** The 问题 list's parameters without paging. */
export const findingRecordFileQuerySchema = findingRecordListQuerySchema.omit({ page: true, pageSize: true }).strict();
export type FindingRecordFileQuery = z.infer<typeof findingRecordFileQuerySchema>;
export class FindingRecordFileQueryDto extends createZodDto(findingRecordFileQuerySchema) {}

export const unitLookupQuerySchema = z.object({ q: search('被巡察单位').optional() }).strict();
export type UnitLookupQuery = z.infer<typeof unitLookupQuerySchema>;
export class UnitLookupQueryDto extends createZodDto(unitLookupQuerySchema) {}

export class InspectionPathDto extends createZodDto(
  z.object({ id: wholeNumber(1, 2 ** 31 - 1, '巡察ID须为正整数 ID must be a positive integer id') }).strict(),
) {}

// --- corrections ------------------------------------------------------------------------

const atLeastOne = (value: Record<string, unknown>) => Object.values(value).some((v) => v !== undefined);
const NOTHING = '没有要修改的字段 nothing to change: send at least one field';

export const updateInspectionSchema = z
  .object({
    roundId: intId('轮次').optional(),
    unitId: intId('被巡察单位').optional(),
    team: text('巡察组', 64).optional(),
    mode: z.enum(INSPECTION_MODES, `巡察方式须为 ${INSPECTION_MODES.join(', ')} 之一 must be one of ${INSPECTION_MODES.join(', ')}`).optional(),
    isCross: flag('交叉巡察').optional(),
    isElevated: flag('提级巡察').optional(),
    stationedFrom: day('进驻日期').optional(),
    stationedTo: day('进驻结束日期').nullable().optional(),
    feedbackDate: day('反馈日期').nullable().optional(),
  })
  .strict()
  .refine(atLeastOne, { message: NOTHING, path: ['body'] });
export type UpdateInspection = z.infer<typeof updateInspectionSchema>;
export class UpdateInspectionDto extends createZodDto(updateInspectionSchema) {}

export const updateFindingSchema = z
  .object({
    categoryId: intId('问题类别').optional(),
    description: text('问题描述', 10_000).optional(),
    isImmediate: flag('立行立改').optional(),
    isKeyConcern: flag('重点关注').optional(),
    recurrenceOfId: bigId('复发所指问题').nullable().optional(),
    foundDate: day('发现日期').optional(),
  })
  .strict()
  .refine(atLeastOne, { message: NOTHING, path: ['body'] });
export type UpdateFinding = z.infer<typeof updateFindingSchema>;
export class UpdateFindingDto extends createZodDto(updateFindingSchema) {}

/**
 * A correction of a task as entered. The due date here is the original 整改时限 as it should
 * have been entered (a data-entry mistake); a later due date agreed afterwards is a 延期
 * (POST /api/tasks/:id/extensions), which keeps the original and records the reason.
 */
export const updateTaskSchema = z
  .object({
    measure: text('整改措施', 10_000).optional(),
    responsibleDept: text('责任部门', 128).optional(),
    responsiblePerson: text('责任人', 64).optional(),
    track: z.enum(TASK_TRACKS, `整改类型须为 ${TASK_TRACKS.join(', ')} 之一 must be one of ${TASK_TRACKS.join(', ')}`).optional(),
    originalDueDate: day('整改时限').nullable().optional(),
  })
  .strict()
  .refine(atLeastOne, { message: NOTHING, path: ['body'] });
export type UpdateTask = z.infer<typeof updateTaskSchema>;
export class UpdateTaskDto extends createZodDto(updateTaskSchema) {}

// --- responses --------------------------------------------------------------------------

const dayOut = z.string().describe('YYYY-MM-DD');
const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** One changed field of a correction: what it was and what it is now (also in the audit log). */
export const changeSchema = z.object({ field: z.string(), before: scalar, after: scalar });
export type Change = z.infer<typeof changeSchema>;

export const inspectionRowSchema = inspectionRecordSchema.extend({
  roundName: z.string(),
  committeeRegionId: z.number().int(),
  unitCode: z.string(),
  unitName: z.string(),
  countyId: z.number().int(),
  countyName: z.string(),
  findings: z.number().int().describe('findings not deleted'),
  tasks: z.number().int().describe('tasks not deleted'),
});
export type InspectionRow = z.infer<typeof inspectionRowSchema>;

export const inspectionPageSchema = z.object({
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  rows: z.array(inspectionRowSchema),
});
export type InspectionPage = z.infer<typeof inspectionPageSchema>;
export class InspectionPageDto extends createZodDto(inspectionPageSchema) {}

export const findingRowSchema = findingRecordSchema.extend({
  unitCode: z.string(),
  unitName: z.string(),
  countyName: z.string(),
  roundId: z.number().int(),
  roundName: z.string(),
  categoryCode: z.string(),
  categoryName: z.string(),
  parentCategoryName: z.string(),
  tasks: z.number().int(),
});
export type FindingRow = z.infer<typeof findingRowSchema>;

export const findingRecordPageSchema = z.object({
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  rows: z.array(findingRowSchema),
});
export type FindingRecordPage = z.infer<typeof findingRecordPageSchema>;
export class FindingRecordPageDto extends createZodDto(findingRecordPageSchema) {}

export const inspectionDetailSchema = z.object({
  inspection: inspectionRowSchema,
  roundStartDate: dayOut,
  roundEndDate: dayOut,
  findings: z.array(findingRowSchema.extend({ taskList: z.array(taskRecordSchema) })),
});
export type InspectionDetail = z.infer<typeof inspectionDetailSchema>;
export class InspectionDetailDto extends createZodDto(inspectionDetailSchema) {}

/** The same unit's findings of earlier inspections: what a new finding may be a recurrence of. */
export const earlierFindingSchema = z.object({
  id: z.number().int(),
  inspectionId: z.number().int(),
  roundName: z.string(),
  foundDate: dayOut,
  categoryName: z.string(),
  description: z.string(),
  closed: z.boolean().describe('every task 已销号 (and at least one)'),
});
export class EarlierFindingsDto extends createZodDto(z.object({ rows: z.array(earlierFindingSchema) })) {}
export type EarlierFindings = { rows: z.infer<typeof earlierFindingSchema>[] };

export const unitChoiceSchema = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  countyName: z.string(),
  validFrom: dayOut,
  validTo: dayOut.nullable(),
});
export class UnitChoicesDto extends createZodDto(
  z.object({ total: z.number().int().describe('units answered (20 at most)'), rows: z.array(unitChoiceSchema) }),
) {}
export type UnitChoices = { total: number; rows: z.infer<typeof unitChoiceSchema>[] };

export class InspectionUpdateResultDto extends createZodDto(z.object({ record: inspectionRecordSchema, changes: z.array(changeSchema) })) {}
export class FindingUpdateResultDto extends createZodDto(z.object({ record: findingRecordSchema, changes: z.array(changeSchema) })) {}
export class TaskUpdateResultDto extends createZodDto(z.object({ record: taskRecordSchema, changes: z.array(changeSchema) })) {}
