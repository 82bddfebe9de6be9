import { createZodDto } from 'nestjs-zod';
import { filtersSchema, wholeNumber } from '../../common/filters';
import { categoriesSchema, coverageSchema, overviewSchema, recurrenceSchema, rectificationSchema } from './metrics.dto';

export class FiltersDto extends createZodDto(filtersSchema.strict()) {}
export class CoverageQueryDto extends createZodDto(
  filtersSchema.extend({ uncoveredLimit: wholeNumber(0, 500).optional(), uncoveredOffset: wholeNumber(0, 10_000_000).optional() }).strict(),
) {}

export class CoverageDto extends createZodDto(coverageSchema) {}
export class CategoriesDto extends createZodDto(categoriesSchema) {}
export class RectificationDto extends createZodDto(rectificationSchema) {}
export class RecurrenceDto extends createZodDto(recurrenceSchema) {}
export class OverviewDto extends createZodDto(overviewSchema) {}
