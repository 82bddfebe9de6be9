import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { filtersSchema } from '../../common/filters';
import { taskCsvQuerySchema } from '../../exports/dto/exports.dto';
import { WARNING_LEVELS } from '../../drill/dto/drill.dto';
import { NOTICE_KINDS } from '../notice-document';

/** The 预警 page's counts: the shared filters. */
export class WarningSummaryQueryDto extends createZodDto(filtersSchema.strict()) {}

export const warningSummarySchema = z.object({
  asOf: z.string(),
  /** WARNING_YELLOW_DAYS, WARNING_ORANGE_DAYS */
  days: z.object({ yellow: z.number().int(), orange: z.number().int() }),
  levels: z.array(
    z.object({
      level: z.enum(WARNING_LEVELS),
      label: z.string(),
      /** open tasks at this level as of asOf */
      count: z.number().int(),
      /** who a warning of this level goes to */
      recipients: z.array(z.string()),
    }),
  ),
});
export class WarningSummaryDto extends createZodDto(warningSummarySchema) {}

/** The tasks a notice names: the task list's parameters (GET /api/tasks) without paging. */
export class NoticeQueryDto extends createZodDto(taskCsvQuerySchema) {}

export const noticeBodySchema = z
  .object({
    /** WARNING 预警函, SUPERVISION 督办单 */
    kind: z.enum(NOTICE_KINDS, `kind 须为 ${NOTICE_KINDS.join(', ')} 之一 must be one of ${NOTICE_KINDS.join(', ')}`),
    /** one document per unit, or per unit and responsible department */
    groupBy: z.enum(['unit', 'dept'], 'groupBy 须为 unit 或 dept must be unit or dept').default('unit'),
  })
  .strict();
export type NoticeBody = z.infer<typeof noticeBodySchema>;
export class NoticeBodyDto extends createZodDto(noticeBodySchema) {}
