import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { queryId, wholeNumber } from '../../common/filters';
import { findingListQuerySchema, taskListQuerySchema } from '../../drill/dto/drill.dto';

export const quarterlyQuerySchema = z
  .object({
    /** 2000 to the current year */
    year: wholeNumber(2000, 9999, 'must be a year from 2000 to the current year'),
    quarter: wholeNumber(1, 4, 'must be 1, 2, 3 or 4'),
    /** a county-level region (a county or 市本级): that county's workbook; a county account may name only its own */
    regionId: queryId.optional(),
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
