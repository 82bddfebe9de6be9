import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { INSPECTION_MODES, queryId, UNIT_CATEGORIES } from '../../common/filters';

/** 单位画像: everything about one inspected unit on one page. Dates are 'YYYY-MM-DD'. */

export class UnitProfileParamDto extends createZodDto(z.object({ id: queryId }).strict()) {}

/** The tables of the page that download (导出): one file per table. */
export const UNIT_PROFILE_TABLES = ['inspections', 'categories', 'findings', 'tasks', 'clues', 'persons'] as const;
export type UnitProfileTable = (typeof UNIT_PROFILE_TABLES)[number];
export class UnitProfileFileQueryDto extends createZodDto(
  z
    .object({
      /** which table: 历次巡察, 问题类别, 问题清单, 整改任务, 问题线索, 责任人 */
      table: z.enum(UNIT_PROFILE_TABLES),
    })
    .strict(),
) {}

const day = z.string().min(10).max(10);
const TASK_STATUSES = ['NOT_STARTED', 'IN_PROGRESS', 'CLOSE_REQUESTED', 'CLOSED', 'BASICALLY_DONE', 'NOT_DONE'] as const;
const CLUE_RECIPIENTS = ['DISCIPLINE', 'ORGANIZATION', 'OTHER'] as const;
const CLUE_STATUSES = ['PENDING', 'IN_PROGRESS', 'CONCLUDED'] as const;

const closeDays = z.object({
  /** closed findings counted */
  count: z.number().int(),
  /** median days to close by nearest rank (null: none closed) */
  median: z.number().int().nullable(),
});

export const unitProfileSchema = z.object({
  asOf: day,
  unit: z.object({
    id: z.number().int(),
    code: z.string(),
    name: z.string(),
    category: z.enum(UNIT_CATEGORIES),
    regionName: z.string(),
    countyId: z.number().int(),
    countyName: z.string(),
    validFrom: day,
    validTo: day.nullable(),
    principalLeader: z.string().max(64).nullable(),
    leaderInCharge: z.string().max(64).nullable(),
  }),
  /** every inspection of the unit, across terms, newest first */
  inspections: z.array(
    z.object({
      id: z.number().int(),
      termName: z.string(),
      roundName: z.string(),
      mode: z.enum(INSPECTION_MODES),
      isCross: z.boolean(),
      stationedFrom: day,
      stationedTo: day.nullable(),
      feedbackDate: day.nullable(),
      findings: z.number().int(),
    }),
  ),
  byMode: z.array(z.object({ mode: z.enum(INSPECTION_MODES), inspections: z.number().int() })),
  /** findings by level-2 category; repeats and rebounds as the 复发 figures define them */
  categories: z.array(
    z.object({
      categoryId: z.number().int(),
      categoryName: z.string(),
      parentName: z.string(),
      findings: z.number().int(),
      repeats: z.number().int(),
      rebounds: z.number().int(),
    }),
  ),
  findings: z.array(
    z.object({
      id: z.number().int(),
      inspectionId: z.number().int(),
      categoryName: z.string(),
      description: z.string(),
      foundDate: day,
      isRepeat: z.boolean(),
      isRebound: z.boolean(),
    }),
  ),
  tasks: z.array(
    z.object({
      id: z.number().int(),
      findingId: z.number().int(),
      categoryName: z.string(),
      measure: z.string(),
      responsibleDept: z.string(),
      responsiblePerson: z.string(),
      status: z.enum(TASK_STATUSES),
      originalDueDate: day.nullable(),
      dueDate: day.nullable(),
      /** 延期 events recorded */
      extensions: z.number().int(),
      closedDate: day.nullable(),
      /** not closed and past due: days past the current due date (else 0) */
      daysOverdue: z.number().int(),
    }),
  ),
  daysToClose: z.object({ unit: closeDays, county: closeDays }),
  clues: z.array(
    z.object({
      id: z.number().int(),
      inspectionId: z.number().int(),
      handedTo: z.enum(CLUE_RECIPIENTS),
      handedDate: day,
      persons: z.number().int(),
      summary: z.string(),
      disposalStatus: z.enum(CLUE_STATUSES),
      concludedDate: day.nullable(),
    }),
  ),
  /** 主要负责人, 分管领导 (from the unit directory) and the tasks' responsible persons */
  persons: z.array(
    z.object({
      role: z.enum(['PRINCIPAL', 'IN_CHARGE', 'RESPONSIBLE']),
      name: z.string(),
      dept: z.string().nullable(),
      tasks: z.number().int(),
      openTasks: z.number().int(),
    }),
  ),
});
export type UnitProfile = z.infer<typeof unitProfileSchema>;
export class UnitProfileDto extends createZodDto(unitProfileSchema) {}
