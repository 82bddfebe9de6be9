import { Controller, Get, Inject, Res } from '@nestjs/common';
import { Allow } from '../auth/access';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ZodResponse, createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { etlRunSchema } from '../etl/dto/etl.dto';
import { HealthService } from './health.service';

const component = z.object({ ok: z.boolean(), ms: z.number(), error: z.string().nullable() });
class HealthDto extends createZodDto(
  z.object({
    status: z.enum(['ok', 'degraded']),
    postgres: component,
    clickhouse: component.extend({ engine: z.enum(['chdb', 'server']) }),
    etl: z.object({ last: etlRunSchema.nullable(), lastSucceeded: etlRunSchema.nullable() }),
    /** Whether the warehouse holds what PostgreSQL holds (null when an engine does not answer). */
    warehouse: z
      .object({
        state: z.enum(['current', 'catching_up', 'mismatch', 'full_load_pending', 'unknown']),
        fullLoad: z.object({ requestedAt: z.string(), reason: z.string() }).nullable(),
        counts: z
          .record(z.enum(['findings', 'tasks']), z.object({ postgres: z.number().int(), warehouse: z.number().int(), pending: z.number().int() }))
          .nullable(),
        error: z.string().nullable(),
      })
      .nullable(),
  }),
) {}

@ApiTags('health')
@Controller('health')
@Allow('public')
export class HealthController {
  constructor(@Inject(HealthService) private readonly service: HealthService) {}

  @Get()
  @ApiOperation({
    summary:
      '健康检查 PostgreSQL, ClickHouse, the last ETL run and whether the warehouse holds what PostgreSQL holds; 503 when an engine does not answer, the counts disagree beyond what the ETL has yet to load, or a full load is pending',
  })
  @ZodResponse({ status: 200, type: HealthDto })
  async health(@Res({ passthrough: true }) response: Response) {
    const health = await this.service.health();
    if (health.status !== 'ok') response.status(503);
    return health;
  }
}
