import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { pageParam, pageSizeParam, queryId } from '../../common/filters';
import { WARNING_LEVELS } from '../../drill/dto/drill.dto';
import { day, intId, text } from '../../records/dto/records.dto';

export const CLUE_RECIPIENTS = ['DISCIPLINE', 'ORGANIZATION', 'OTHER'] as const;
export const CLUE_STATUSES = ['PENDING', 'IN_PROGRESS', 'CONCLUDED'] as const;

export const clueListQuerySchema = z
  .object({
    /** a county-level region (a county or 市本级) */
    regionId: queryId.optional(),
    inspectionId: queryId.optional(),
    status: z.enum(CLUE_STATUSES, `must be one of ${CLUE_STATUSES.join(', ')}`).optional(),
    /** 预警 level against the feedback deadline (handover + CLUE_FEEDBACK_MONTHS) */
    warning: z.enum(WARNING_LEVELS, `must be one of ${WARNING_LEVELS.join(', ')}`).optional(),
    page: pageParam.default(1),
    pageSize: pageSizeParam.default(20),
  })
  .strict();
export type ClueListQuery = z.infer<typeof clueListQuerySchema>;
export class ClueListQueryDto extends createZodDto(clueListQuerySchema) {}

/** 导出: the list's filters without paging (every row). */
export const clueFileQuerySchema = clueListQuerySchema.omit({ page: true, pageSize: true }).strict();
export type ClueFileQuery = z.infer<typeof clueFileQuerySchema>;
export class ClueFileQueryDto extends createZodDto(clueFileQuerySchema) {}

export const clueStatsQuerySchema = z.object({ regionId: queryId.optional() }).strict();
export class ClueStatsQueryDto extends createZodDto(clueStatsQuerySchema) {}

const recipient = z.enum(CLUE_RECIPIENTS, `移交对象须为 ${CLUE_RECIPIENTS.join(', ')} 之一 must be one of ${CLUE_RECIPIENTS.join(', ')}`);
const status = z.enum(CLUE_STATUSES, `处置状态须为 ${CLUE_STATUSES.join(', ')} 之一 must be one of ${CLUE_STATUSES.join(', ')}`);
const persons = z
  .number({ error: '涉及人数须为整数 must be a whole number' })
  .int('涉及人数须为整数 must be a whole number')
  .min(1, '涉及人数至少为 1 must be at least 1')
  .max(10_000, '涉及人数过大 is too large');

export const createClueSchema = z
  .object({
    inspectionId: intId('巡察'),
    handedTo: recipient,
    handedDate: day('移交日期'),
    persons,
    summary: text('线索摘要', 2000),
    disposalStatus: status.default('PENDING'),
    /** 反馈日期: when the recipient fed back its disposal */
    concludedDate: day('反馈日期').nullable().optional(),
  })
  .strict();
export type CreateClue = z.infer<typeof createClueSchema>;
export class CreateClueDto extends createZodDto(createClueSchema) {}

export const updateClueSchema = z
  .object({
    handedTo: recipient.optional(),
    handedDate: day('移交日期').optional(),
    persons: persons.optional(),
    summary: text('线索摘要', 2000).optional(),
    disposalStatus: status.optional(),
    concludedDate: day('反馈日期').nullable().optional(),
  })
  .strict();
export type UpdateClue = z.infer<typeof updateClueSchema>;
export class UpdateClueDto extends createZodDto(updateClueSchema) {}

export class ClueIdParamDto extends createZodDto(z.object({ id: queryId }).strict()) {}

export const clueRowSchema = z.object({
  id: z.number().int(),
  inspectionId: z.number().int(),
  unitId: z.number().int(),
  unitName: z.string(),
  countyId: z.number().int(),
  countyName: z.string(),
  roundId: z.number().int(),
  roundName: z.string(),
  handedTo: recipient,
  handedDate: z.string(),
  persons: z.number().int(),
  summary: z.string(),
  disposalStatus: status,
  /** 反馈日期 (length bounds keep the OpenAPI document right for a nullable value) */
  concludedDate: z.string().min(10).max(10).nullable(),
  /** 反馈期限: handover + CLUE_FEEDBACK_MONTHS */
  feedbackDue: z.string(),
  /** not concluded: the level against the feedback deadline as of today */
  warning: z.enum(WARNING_LEVELS).nullable(),
});
export class ClueRowDto extends createZodDto(clueRowSchema) {}
export class CluePageDto extends createZodDto(
  z.object({
    today: z.string(),
    feedbackMonths: z.number().int(),
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
    rows: z.array(clueRowSchema),
  }),
) {}

const tally = z.object({
  clues: z.number().int(),
  persons: z.number().int(),
  concluded: z.number().int(),
  yellow: z.number().int(),
  orange: z.number().int(),
  red: z.number().int(),
});
export class ClueStatsDto extends createZodDto(
  z.object({
    today: z.string(),
    total: tally,
    byCounty: z.array(tally.extend({ countyId: z.number().int(), countyName: z.string() })),
    byInspection: z.array(tally.extend({ inspectionId: z.number().int(), unitName: z.string(), countyName: z.string(), roundName: z.string() })),
  }),
) {}
