import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { INSPECTION_MODES, UNIT_CATEGORIES } from '../../common/filters';

const region = z.object({ id: z.number().int(), code: z.string(), name: z.string(), level: z.enum(['CITY', 'MUNICIPAL', 'COUNTY', 'TOWNSHIP']) });

export const optionsSchema = z.object({
  today: z.string(),
  /** current and previous term periods; each committee has its own dates, the label spans them */
  terms: z.array(z.object({ value: z.enum(['current', 'previous']), label: z.string(), startDate: z.string(), endDate: z.string() })),
  rounds: z.array(
    z.object({
      id: z.number().int(),
      name: z.string(),
      termId: z.number().int(),
      committeeRegionId: z.number().int(),
      year: z.number().int(),
      startDate: z.string(),
    }),
  ),
  /** the city, its counties and 市本级, and their townships */
  regions: z.array(region.extend({ children: z.array(region.extend({ children: z.array(region) })) })),
  unitCategories: z.array(z.object({ value: z.enum(UNIT_CATEGORIES), label: z.string() })),
  categories: z.array(
    z.object({
      id: z.number().int(),
      code: z.string(),
      name: z.string(),
      children: z.array(z.object({ id: z.number().int(), code: z.string(), name: z.string() })),
    }),
  ),
  modes: z.array(z.object({ value: z.enum(INSPECTION_MODES), label: z.string() })),
});
export type OptionsResponse = z.infer<typeof optionsSchema>;
export class OptionsDto extends createZodDto(optionsSchema) {}

/**
 * The options take no parameter: any one is refused (400 naming it), as on every other
 * route. A plain schema for a pipe, not a DTO: an empty DTO has no OpenAPI parameters to show.
 */
export const noQuerySchema = z.strictObject({});
