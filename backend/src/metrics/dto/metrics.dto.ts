import { z } from 'zod';
import { AGING_BUCKETS, INSPECTION_MODES, UNIT_CATEGORIES } from '../../common/filters';

/**
 * Response shapes of the metric endpoints. Every rate travels with its numerator and
 * denominator; rate is null when the denominator is 0. Lists of rows ("long format") hold
 * only non-zero groups, sorted by their keys ascending, except where a comment says
 * otherwise. Region rows ("各地区", `byRegion`, `regionCategory`) lie one level below the
 * region in scope (backend/src/metrics/areas.ts) and say which (areaSchema).
 */
export const ratioSchema = z.object({
  numerator: z.number().int(),
  denominator: z.number().int(),
  rate: z.number().nullable(),
});
export type Ratio = z.infer<typeof ratioSchema>;

export const unitCategoryEnum = z.enum(UNIT_CATEGORIES);
export const modeEnum = z.enum(INSPECTION_MODES);

/** Filters echoed back after defaulting, plus the filters this metric does not use. */
export const appliedFiltersSchema = z.object({
  asOf: z.string(),
  term: z.enum(['current', 'previous']).nullable(),
  roundId: z.number().int().nullable(),
  regionId: z.number().int().nullable(),
  unitCategory: unitCategoryEnum.nullable(),
  categoryId: z.number().int().nullable(),
  mode: modeEnum.nullable(),
  /** 县直单位: the county's (regionId's) units in no township. */
  countyUnits: z.boolean(),
  /** Filters given but not meaningful for this metric (coverage ignores categoryId). */
  ignored: z.array(z.string()),
});

/** What a by-region row stands for (backend/src/metrics/areas.ts). */
export const AREA_ROW_LEVELS = ['county', 'township', 'countyUnits', 'unitCategory', 'unit'] as const;

/**
 * The area of a by-region row, one level below the region in scope: the city's county-level
 * regions (`county`: 市本级 and each county), a county's townships (`township`) and its units
 * in no township (`countyUnits`, 县直单位), 市本级's unit categories (`unitCategory`, 市直单位),
 * a township's (or a 市直 category's) units (`unit`).
 */
export const areaSchema = z.object({
  level: z.enum(AREA_ROW_LEVELS),
  /**
   * The region the row's filter names: the county (county, countyUnits), the township, 市本级
   * (unitCategory, with `unitCategory`), the region in scope (unit)
   */
  regionId: z.number().int(),
  /** unitCategory rows: the category (with regionId 市本级, the drill's filter) */
  unitCategory: unitCategoryEnum.nullable(),
  /** unit rows: the unit (its 单位画像) */
  unitId: z.number().int().nullable(),
  /** the region's or unit's name; 县直单位; the unit category's Chinese name */
  name: z.string(),
});
export type Area = z.infer<typeof areaSchema>;

// --- coverage ------------------------------------------------------------------------

export const coverageGroupSchema = z.object({
  inScope: z.number().int(),
  covered: z.number().int(),
  rate: z.number().nullable(),
});

export const uncoveredUnitSchema = z.object({
  unitId: z.number().int(),
  code: z.string(),
  name: z.string(),
  unitCategory: unitCategoryEnum,
  regionId: z.number().int(),
  countyId: z.number().int(),
  /** Last inspection of the unit (any mode) stationed on or before the as-of day; null: never. */
  lastInspectionDate: z.string().nullable(),
  /** Whole days from lastInspectionDate to the as-of day; null: never. */
  daysSinceLast: z.number().int().nullable(),
  /** daysSinceLast / 365.25 rounded to one decimal; null: never. */
  yearsSinceLast: z.number().nullable(),
});

export const coverageSchema = z.object({
  filters: appliedFiltersSchema,
  /** covered ÷ in scope */
  coverage: ratioSchema,
  /**
   * days from the term's first day through as-of ÷ days in the term; several committees:
   * weighted by units in scope (the bounds also keep nestjs-zod from documenting
   * `number | null` at a DTO's top level as an array)
   */
  pace: z.number().min(0).max(1).nullable(),
  /** min(1, coverage rate ÷ pace) */
  projected: z.number().min(0).max(1).nullable(),
  byRegion: z.array(
    z.object({
      ...areaSchema.shape,
      /** the committee's term used for this region */
      termId: z.number().int(),
      termStart: z.string(),
      termEnd: z.string(),
      pace: z.number(),
      projected: z.number().nullable(),
      ...coverageGroupSchema.shape,
    }),
  ),
  byUnitCategory: z.array(z.object({ unitCategory: unitCategoryEnum, ...coverageGroupSchema.shape })),
  uncovered: z.object({
    total: z.number().int(),
    /** never-inspected first, then oldest last inspection first, then unit id */
    rows: z.array(uncoveredUnitSchema),
  }),
});
export type CoverageResponse = z.infer<typeof coverageSchema>;

// --- categories ----------------------------------------------------------------------

export const categoriesSchema = z.object({
  filters: appliedFiltersSchema,
  /** findings found on or before as-of */
  total: z.number().int(),
  /** every level-1 category, zero counts included, by code */
  level1: z.array(z.object({ categoryId: z.number().int(), code: z.string(), name: z.string(), count: z.number().int() })),
  /** every level-2 category, zero counts included, by code */
  level2: z.array(z.object({ categoryId: z.number().int(), parentId: z.number().int(), code: z.string(), name: z.string(), count: z.number().int() })),
  byRegion: z.array(z.object({ ...areaSchema.shape, count: z.number().int() })),
  /** area (as byRegion) × level-1 category */
  regionCategory: z.array(z.object({ ...areaSchema.shape, categoryId: z.number().int(), count: z.number().int() })),
  /** unit category × level-1 category */
  unitCategoryMatrix: z.array(z.object({ unitCategory: unitCategoryEnum, categoryId: z.number().int(), count: z.number().int() })),
  byRound: z.array(z.object({ roundId: z.number().int(), count: z.number().int() })),
  byMode: z.array(z.object({ mode: modeEnum, count: z.number().int() })),
  /** by quarter of the found date ('2025Q3') × level-1 category */
  quarterly: z.array(z.object({ quarter: z.string(), categoryId: z.number().int(), count: z.number().int() })),
});
export type CategoriesResponse = z.infer<typeof categoriesSchema>;

// --- rectification -------------------------------------------------------------------

export const closureGroupSchema = z.object({
  /** findings fed back by as-of */
  findings: z.number().int(),
  /** of which every task is 已销号 */
  findingsClosed: z.number().int(),
  tasks: z.number().int(),
  tasksClosed: z.number().int(),
  overdue: z.number().int(),
});

export const rectificationSchema = z.object({
  filters: appliedFiltersSchema,
  findingClosure: ratioSchema,
  taskClosure: ratioSchema,
  /** 立行立改 findings alone */
  immediateClosure: ratioSchema,
  /** tasks closed on or before their original due date ÷ tasks closed with an original due date */
  onTime: ratioSchema,
  /** tasks closed without an original due date (长期坚持): left out of onTime, shown beside it */
  closedUndated: z.number().int(),
  overdue: z.object({
    count: z.number().int(),
    /** all four buckets, in order, zero counts included */
    buckets: z.array(z.object({ bucket: z.enum(AGING_BUCKETS), count: z.number().int() })),
  }),
  dueSoon: z.object({ within20: z.number().int(), within10: z.number().int() }),
  /** tasks whose current due date is later than the original ÷ tasks */
  extended: ratioSchema,
  daysToClose: z.object({
    /** findings closed by as-of */
    count: z.number().int(),
    median: z.number().int().nullable(),
    p90: z.number().int().nullable(),
  }),
  byRegion: z.array(z.object({ ...areaSchema.shape, ...closureGroupSchema.shape })),
  byRound: z.array(z.object({ roundId: z.number().int(), ...closureGroupSchema.shape })),
});
export type RectificationResponse = z.infer<typeof rectificationSchema>;

// --- recurrence ----------------------------------------------------------------------

export const recurrenceGroupSchema = z.object({
  /** findings of re-inspections */
  reinspectionFindings: z.number().int(),
  /** of which the level-2 category was found in an earlier inspection of the unit */
  repeats: z.number().int(),
  /** findings closed and whose unit was inspected again after the closure */
  closedReinspected: z.number().int(),
  /** of which a later finding, found after the closure, names it as its recurrence */
  rebounds: z.number().int(),
});

export const recurrenceSchema = z.object({
  filters: appliedFiltersSchema,
  repeat: ratioSchema,
  rebound: ratioSchema,
  byRegion: z.array(z.object({ ...areaSchema.shape, ...recurrenceGroupSchema.shape })),
  /** by level-1 category */
  byCategory: z.array(z.object({ categoryId: z.number().int(), ...recurrenceGroupSchema.shape })),
});
export type RecurrenceResponse = z.infer<typeof recurrenceSchema>;

// --- overview ------------------------------------------------------------------------

export const overviewSchema = z.object({
  filters: appliedFiltersSchema,
  cards: z.object({
    coverage: ratioSchema,
    pace: z.number().nullable(),
    projected: z.number().nullable(),
    findings: z.number().int(),
    findingClosure: ratioSchema,
    taskClosure: ratioSchema,
    immediateClosure: ratioSchema,
    onTime: ratioSchema,
    /** closed tasks without an original due date, left out of onTime */
    closedUndated: z.number().int(),
    overdue: z.number().int(),
    dueSoon20: z.number().int(),
    repeat: ratioSchema,
    rebound: ratioSchema,
  }),
  charts: z.object({
    coverageByRegion: coverageSchema.shape.byRegion,
    categoriesLevel1: categoriesSchema.shape.level1,
    closureByRegion: rectificationSchema.shape.byRegion,
    overdueBuckets: rectificationSchema.shape.overdue.shape.buckets,
  }),
});
export type OverviewResponse = z.infer<typeof overviewSchema>;
