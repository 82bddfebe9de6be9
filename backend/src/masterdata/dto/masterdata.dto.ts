import type { ApiBodyOptions } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { pageParam, UNIT_CATEGORIES, wholeNumber } from '../../common/filters';
import { day, intId, text } from '../../records/dto/records.dto';

/**
 * Requests and responses of the master data (基础数据): regions, committees' terms and their
 * rounds, the unit directory and the issue-category tree. Messages are Chinese first, then
 * English; the error filter puts the field's name in front. Dates are 'YYYY-MM-DD'.
 */

const INT_MAX = 2 ** 31 - 1;
export const REGION_LEVELS = ['CITY', 'MUNICIPAL', 'COUNTY', 'TOWNSHIP'] as const;
export type RegionLevel = (typeof REGION_LEVELS)[number];

const pathId = (label: string) => wholeNumber(1, INT_MAX, `${label}须为正整数 ID must be a positive integer id`);
export class MasterIdParamDto extends createZodDto(z.object({ id: pathId('ID') }).strict()) {}

/** A code: letters, digits, dots and dashes, no blanks. */
const code = (label: string, max: number) =>
  text(label, max).refine((value) => /^[0-9A-Za-z._-]+$/.test(value), `${label}只能包含字母、数字、点和短横线 may hold only letters, digits, '.', '-' and '_'`);

const ordinal = (label: string) =>
  z
    .number({ error: (issue) => (issue.input === undefined ? `${label}必填 is required` : `${label}须为正整数 must be a positive whole number`) })
    .int(`${label}须为正整数 must be a positive whole number`)
    .min(1, `${label}须为正整数 must be a positive whole number`)
    .max(999, `${label}不能大于 999 must be at most 999`);

const year = z
  .number({ error: (issue) => (issue.input === undefined ? '年度必填 year is required' : '年度须为四位年份 year must be a four-digit year') })
  .int('年度须为四位年份 year must be a four-digit year')
  .min(1949, '年度须为四位年份 year must be a four-digit year')
  .max(2200, '年度须为四位年份 year must be a four-digit year');

const levelEnum = z.enum(REGION_LEVELS, `层级须为 ${REGION_LEVELS.join(', ')} 之一 level must be one of ${REGION_LEVELS.join(', ')}`);
const categoryEnum = z.enum(UNIT_CATEGORIES, `单位类别须为 ${UNIT_CATEGORIES.join(', ')} 之一 category must be one of ${UNIT_CATEGORIES.join(', ')}`);

const endAfterStart = (value: { startDate?: string; endDate?: string }, ctx: z.RefinementCtx) => {
  if (value.startDate && value.endDate && value.endDate < value.startDate) {
    ctx.addIssue({ code: 'custom', path: ['endDate'], message: `结束日期早于开始日期 must not be before startDate (${value.endDate} < ${value.startDate})` });
  }
};

// --- regions ---------------------------------------------------------------------

export const createRegionSchema = z
  .object({ code: code('区划代码', 12), name: text('区划名称', 64), level: levelEnum, parentId: intId('上级区划').nullable().optional() })
  .strict();
export type CreateRegion = z.infer<typeof createRegionSchema>;
export class CreateRegionDto extends createZodDto(createRegionSchema) {}

export const updateRegionSchema = z
  .object({ code: code('区划代码', 12).optional(), name: text('区划名称', 64).optional(), parentId: intId('上级区划').nullable().optional() })
  .strict();
export type UpdateRegion = z.infer<typeof updateRegionSchema>;
export class UpdateRegionDto extends createZodDto(updateRegionSchema) {}

export const regionRecordSchema = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  level: levelEnum,
  parentId: z.number().int().nullable(),
  /** Live units whose region this is. */
  units: z.number().int(),
});
export type RegionRecord = z.infer<typeof regionRecordSchema>;
export class RegionRecordDto extends createZodDto(regionRecordSchema) {}
export class RegionListDto extends createZodDto(z.object({ rows: z.array(regionRecordSchema) })) {}

// --- terms and rounds -----------------------------------------------------------

export const createTermSchema = z
  .object({
    /** The committee: the city's region (市委) or a county's (县(区)委). */
    committeeRegionId: intId('党委'),
    ordinal: ordinal('届次序号'),
    name: text('届次名称', 64),
    startDate: day('开始日期'),
    endDate: day('结束日期'),
  })
  .strict()
  .superRefine(endAfterStart);
export type CreateTerm = z.infer<typeof createTermSchema>;
export class CreateTermDto extends createZodDto(createTermSchema) {}

export const updateTermSchema = z
  .object({
    ordinal: ordinal('届次序号').optional(),
    name: text('届次名称', 64).optional(),
    startDate: day('开始日期').optional(),
    endDate: day('结束日期').optional(),
  })
  .strict()
  .superRefine(endAfterStart);
export type UpdateTerm = z.infer<typeof updateTermSchema>;
export class UpdateTermDto extends createZodDto(updateTermSchema) {}

export const createRoundSchema = z
  .object({ termId: intId('届次'), ordinal: ordinal('轮次序号'), name: text('轮次名称', 64), year, startDate: day('开始日期'), endDate: day('结束日期') })
  .strict()
  .superRefine(endAfterStart);
export type CreateRound = z.infer<typeof createRoundSchema>;
export class CreateRoundDto extends createZodDto(createRoundSchema) {}

export const updateRoundSchema = z
  .object({
    ordinal: ordinal('轮次序号').optional(),
    name: text('轮次名称', 64).optional(),
    year: year.optional(),
    startDate: day('开始日期').optional(),
    endDate: day('结束日期').optional(),
  })
  .strict()
  .superRefine(endAfterStart);
export type UpdateRound = z.infer<typeof updateRoundSchema>;
export class UpdateRoundDto extends createZodDto(updateRoundSchema) {}

const dayOut = z.string().describe('YYYY-MM-DD');

export const roundRecordSchema = z.object({
  id: z.number().int(),
  termId: z.number().int(),
  ordinal: z.number().int(),
  year: z.number().int(),
  name: z.string(),
  startDate: dayOut,
  endDate: dayOut,
  /** Live inspections of the round. */
  inspections: z.number().int(),
});
export type RoundRecord = z.infer<typeof roundRecordSchema>;
export class RoundRecordDto extends createZodDto(roundRecordSchema) {}

export const termRecordSchema = z.object({
  id: z.number().int(),
  committeeRegionId: z.number().int(),
  /** 市委 or 某县委, from the committee's region. */
  committeeName: z.string(),
  ordinal: z.number().int(),
  name: z.string(),
  startDate: dayOut,
  endDate: dayOut,
  rounds: z.array(roundRecordSchema),
});
export type TermRecord = z.infer<typeof termRecordSchema>;
export class TermRecordDto extends createZodDto(termRecordSchema) {}

export const committeeSchema = z.object({ regionId: z.number().int(), name: z.string(), level: levelEnum });
export class TermListDto extends createZodDto(z.object({ committees: z.array(committeeSchema), rows: z.array(termRecordSchema) })) {}

// --- units -------------------------------------------------------------------------

export const unitQuerySchema = z
  .object({
    q: z
      .string()
      .max(64, '搜索词不能超过 64 个字 must be at most 64 characters')
      .refine((value) => !value.includes('\u0000'), '搜索词含有无效字符 holds a NUL character')
      .optional(),
    regionId: pathId('区划').optional(),
    category: categoryEnum.optional(),
    committeeRegionId: pathId('党委').optional(),
    status: z.enum(['active', 'closed', 'all'], '状态须为 active, closed 或 all status must be active, closed or all').optional(),
    page: pageParam.optional(),
    pageSize: wholeNumber(1, 200).optional(),
  })
  .strict();
export type UnitQuery = z.infer<typeof unitQuerySchema>;
export class UnitQueryDto extends createZodDto(unitQuerySchema) {}

export const unitFileQuerySchema = unitQuerySchema.omit({ page: true, pageSize: true }).strict();
export type UnitFileQuery = z.infer<typeof unitFileQuerySchema>;
export class UnitFileQueryDto extends createZodDto(unitFileQuerySchema) {}

const unitFields = {
  code: code('单位代码', 24),
  name: text('单位名称', 128),
  category: categoryEnum,
  regionId: intId('所在区划'),
  /** Default: the city's committee for a city or 市本级 region, else the region's county. */
  committeeRegionId: intId('管辖党委').optional(),
  parentUnitId: intId('上级单位').nullable().optional(),
  validFrom: day('设立日期'),
  /** 主要负责人 and 分管领导: names, named on the notices; null or absent when not known. */
  principalLeader: text('主要负责人', 64).nullable().optional(),
  leaderInCharge: text('分管领导', 64).nullable().optional(),
};

export const createUnitSchema = z.object(unitFields).strict();
export type CreateUnit = z.infer<typeof createUnitSchema>;
export class CreateUnitDto extends createZodDto(createUnitSchema) {}

export const updateUnitSchema = z
  .object({
    code: unitFields.code.optional(),
    name: unitFields.name.optional(),
    category: categoryEnum.optional(),
    regionId: unitFields.regionId.optional(),
    committeeRegionId: unitFields.committeeRegionId,
    parentUnitId: unitFields.parentUnitId,
    validFrom: unitFields.validFrom.optional(),
    principalLeader: unitFields.principalLeader,
    leaderInCharge: unitFields.leaderInCharge,
    /** null: the unit is valid again (an abolition undone). */
    validTo: day('撤销日期').nullable().optional(),
  })
  .strict();
export type UpdateUnit = z.infer<typeof updateUnitSchema>;
export class UpdateUnitDto extends createZodDto(updateUnitSchema) {}

export const abolishUnitSchema = z
  .object({
    date: day('撤并日期'),
    /** 并入: the unit it is merged into; absent or null for an abolition (撤销). */
    mergedIntoId: intId('并入单位').nullable().optional(),
  })
  .strict();
export type AbolishUnit = z.infer<typeof abolishUnitSchema>;
export class AbolishUnitDto extends createZodDto(abolishUnitSchema) {}

export const unitRecordSchema = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  category: categoryEnum,
  regionId: z.number().int(),
  regionName: z.string(),
  committeeRegionId: z.number().int(),
  committeeName: z.string(),
  parentUnitId: z.number().int().nullable(),
  parentUnitName: z.string().max(128).nullable(),
  validFrom: dayOut,
  validTo: dayOut.nullable(),
  mergedIntoId: z.number().int().nullable(),
  mergedIntoName: z.string().max(128).nullable(),
  principalLeader: z.string().max(64).nullable(),
  leaderInCharge: z.string().max(64).nullable(),
});
export type UnitRecord = z.infer<typeof unitRecordSchema>;
export class UnitRecordDto extends createZodDto(unitRecordSchema) {}
export class UnitPageDto extends createZodDto(
  z.object({ total: z.number().int(), page: z.number().int(), pageSize: z.number().int(), rows: z.array(unitRecordSchema) }),
) {}

// --- issue categories ---------------------------------------------------------------

export const createCategorySchema = z
  .object({ code: code('类别代码', 8), name: text('类别名称', 64), parentId: intId('上级类别').nullable().optional() })
  .strict();
export type CreateCategory = z.infer<typeof createCategorySchema>;
export class CreateCategoryDto extends createZodDto(createCategorySchema) {}

export const renameCategorySchema = z.object({ name: text('类别名称', 64) }).strict();
export type RenameCategory = z.infer<typeof renameCategorySchema>;
export class RenameCategoryDto extends createZodDto(renameCategorySchema) {}

export const categoryRecordSchema = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  level: z.number().int(),
  parentId: z.number().int().nullable(),
  /** Live findings filed under it (a level-1 category: under its children). */
  findings: z.number().int(),
});
export type CategoryRecord = z.infer<typeof categoryRecordSchema>;
export class CategoryRecordDto extends createZodDto(categoryRecordSchema) {}
export class CategoryListDto extends createZodDto(z.object({ rows: z.array(categoryRecordSchema) })) {}
export class DeletedCategoryDto extends createZodDto(z.object({ id: z.number().int() })) {}

// --- imports and setup ------------------------------------------------------------------

export class DirectoryImportResultDto extends createZodDto(z.object({ imported: z.number().int() })) {}

export const DIRECTORY_UPLOAD_BODY: ApiBodyOptions = {
  schema: {
    type: 'object',
    required: ['file'],
    properties: { file: { type: 'string', format: 'binary', description: 'the .xlsx workbook (from the template)' } },
  },
};

export const SETUP_ITEMS = ['regions', 'terms', 'rounds', 'units', 'categories', 'users'] as const;
export const setupSchema = z.object({
  /** Everything the dashboard needs is present. */
  complete: z.boolean(),
  items: z.array(z.object({ key: z.enum(SETUP_ITEMS), count: z.number().int(), done: z.boolean() })),
});
export type SetupStatus = z.infer<typeof setupSchema>;
export class SetupStatusDto extends createZodDto(setupSchema) {}
