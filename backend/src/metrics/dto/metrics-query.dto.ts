import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { filtersSchema } from '../../common/filters';
import { categoriesSchema, coverageSchema, overviewSchema, recurrenceSchema, rectificationSchema } from './metrics.dto';

const pageNumber = (max: number) =>
  z.coerce.number({ error: `must be a whole number from 0 to ${max}` }).int(`must be a whole number from 0 to ${max}`).min(0, `must be from 0 to ${max}`).max(max, `must be from 0 to ${max}`);

export class FiltersDto extends createZodDto(filtersSchema.strict()) {}
export class CoverageQueryDto extends createZodDto(
  filtersSchema.extend({ uncoveredLimit: pageNumber(500).optional(), uncoveredOffset: pageNumber(10_000_000).optional() }).strict(),
) {}

export class CoverageDto extends createZodDto(coverageSchema) {}
export class CategoriesDto extends createZodDto(categoriesSchema) {}
export class RectificationDto extends createZodDto(rectificationSchema) {}
export class RecurrenceDto extends createZodDto(recurrenceSchema) {}
export class OverviewDto extends createZodDto(overviewSchema) {}
