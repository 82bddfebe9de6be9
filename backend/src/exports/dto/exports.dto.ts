import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { queryId, wholeNumber } from '../../common/filters';
import { findingListQuerySchema, taskListQuerySchema } from '../../drill/dto/drill.dto';

export const QUARTERLY_VERSIONS = ['reported', 'current'] as const;

export const quarterlyQuerySchema = z
  .object({
    /** 2000 to the current year */
    year: wholeNumber(2000, 9999, 'must be a year from 2000 to the current year'),
    quarter: wholeNumber(1, 4, 'must be 1, 2, 3 or 4'),
    /** a county-level region (a county or 市本级): that county's workbook; a county account may name only its own */
    regionId: queryId.optional(),
    /** a quarter marked 已报送: reported (the default) the workbook kept when it was marked, with a 更正说明 sheet when a figure differs now; current: computed now, labelled so. An unreported quarter is computed now either way. */
    version: z.enum(QUARTERLY_VERSIONS, `must be one of ${QUARTERLY_VERSIONS.join(', ')}`).optional(),
  })
  .strict();
export class QuarterlyQueryDto extends createZodDto(quarterlyQuerySchema) {}

/** The task list's parameters without paging: the CSV holds every row. */
export const taskCsvQuerySchema = taskListQuerySchema.omit({ page: true, pageSize: true }).strict();
export type TaskCsvQuery = z.infer<typeof taskCsvQuerySchema>;
export class TaskCsvQueryDto extends createZodDto(taskCsvQuerySchema) {}

/** The finding list's parameters without paging. */
export const findingCsvQuerySchema = findingListQuerySchema.omit({ page: true, pageSize: true }).strict();
export type FindingCsvQuery = z.infer<typeof findingCsvQuerySchema>;
export class FindingCsvQueryDto extends createZodDto(findingCsvQuerySchema) {}
