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
  }),
) {}

@ApiTags('health')
@Controller('health')
@Allow('public')
export class HealthController {
  constructor(@Inject(HealthService) private readonly service: HealthService) {}

  @Get()
  @ApiOperation({ summary: '健康检查 PostgreSQL, ClickHouse and the last ETL run; 503 when an engine does not answer' })
  @ZodResponse({ status: 200, type: HealthDto })
  async health(@Res({ passthrough: true }) response: Response) {
    const health = await this.service.health();
    if (health.status !== 'ok') response.status(503);
    return health;
  }
}
