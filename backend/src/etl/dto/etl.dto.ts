import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { pageParam, pageSizeParam, queryId } from '../../common/filters';

export class PageQueryDto extends createZodDto(z.object({ page: pageParam.default(1), pageSize: pageSizeParam.default(20) }).strict()) {}
export class RunIdParamDto extends createZodDto(z.object({ id: queryId }).strict()) {}
/** The body is optional: no body runs an incremental load. */
export class RunEtlBodyDto extends createZodDto(
  z.preprocess((body) => body ?? {}, z.object({ mode: z.enum(['incremental', 'full'], 'must be incremental or full').default('incremental') }).strict()),
) {}

export const etlRunSchema = z.object({
  id: z.number().int(),
  mode: z.string(),
  status: z.enum(['RUNNING', 'SUCCEEDED', 'FAILED']),
  trigger: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  read: z.number().int(),
  written: z.number().int(),
  rejected: z.number().int(),
  error: z.string().nullable(),
});

export class EtlRunsDto extends createZodDto(
  z.object({ total: z.number().int(), page: z.number().int(), pageSize: z.number().int(), rows: z.array(etlRunSchema) }),
) {}
export const etlRejectSchema = z.object({ id: z.number().int(), table: z.string(), recordId: z.string(), reason: z.string(), createdAt: z.string() });
export class EtlRejectsDto extends createZodDto(
  z.object({ total: z.number().int(), page: z.number().int(), pageSize: z.number().int(), rows: z.array(etlRejectSchema) }),
) {}
export class EtlRunResultDto extends createZodDto(
  z.object({
    status: z.enum(['succeeded', 'skipped']),
    runId: z.number().int().nullable(),
    mode: z.enum(['incremental', 'full']),
    read: z.number().int(),
    written: z.number().int(),
    rejected: z.number().int(),
    seconds: z.number(),
    message: z.string(),
  }),
) {}

/** 数据更新于: when the warehouse last took in PostgreSQL's records (the last successful run's end). */
export class EtlFreshnessDto extends createZodDto(
  z.object({ lastSucceededAt: z.string().max(40).nullable().describe('the end of the last successful ETL run (ISO instant); null before the first') }),
) {}
