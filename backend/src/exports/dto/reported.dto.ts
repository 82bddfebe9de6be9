import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { intId, text } from '../../records/dto/records.dto';
import { queryId } from '../../common/filters';
import { quarterlyQuerySchema } from './exports.dto';

/** 已报送 (issue 16 item 5): a quarter's statistics marked reported, and the corrections since. */

/** Which workbook: a quarter and its 填报单位 (the city's without regionId; a county account's is its county's). */
export const reportedQuerySchema = quarterlyQuerySchema.omit({ version: true }).strict();
export class ReportedQueryDto extends createZodDto(reportedQuerySchema) {}

const whole = (label: string, min: number, max: number, says: string) =>
  z
    .number({ error: (issue) => (issue.input === undefined ? `${label}必填 is required` : `${label}须为整数 must be a whole number`) })
    .int(`${label}须为整数 must be a whole number`)
    .min(min, `${label}须为${says} must be ${min} to ${max}`)
    .max(max, `${label}须为${says} must be ${min} to ${max}`);

export const reportQuarterSchema = z
  .object({
    year: whole('年度', 2000, 9999, '2000 年至今年'),
    quarter: whole('季度', 1, 4, ' 1 至 4'),
    /** a county-level region (a county or 市本级): that county's workbook; a county account may name only its own */
    regionId: intId('地区').optional(),
  })
  .strict();
export type ReportQuarter = z.infer<typeof reportQuarterSchema>;
export class ReportQuarterDto extends createZodDto(reportQuarterSchema) {}

/** 撤回已报送 (ADMIN): which workbook, and why (required; kept with the withdrawn report). */
export const withdrawQuarterSchema = reportQuarterSchema.extend({ reason: text('撤回原因', 500) }).strict();
export type WithdrawQuarter = z.infer<typeof withdrawQuarterSchema>;
export class WithdrawQuarterDto extends createZodDto(withdrawQuarterSchema) {}

export class WithdrawnIdParamDto extends createZodDto(z.object({ id: queryId }).strict()) {}

const figureValue = z.number().nullable();

export const correctionSchema = z.object({
  /** the workbook's sheet */
  sheet: z.string(),
  /** the row's labels, e.g. 东城区 / 党政机关 */
  row: z.string(),
  /** the column (under its group) */
  column: z.string(),
  /** count: a whole number; rate: a fraction (0.5 = 50%) */
  format: z.enum(['count', 'rate']),
  reported: figureValue,
  current: figureValue,
  /** current − reported (null when either is empty) */
  difference: figureValue,
});

export const QUARTER_STATES = ['unreported', 'reported', 'corrected'] as const;

export const reportedStateSchema = z.object({
  year: z.number().int(),
  quarter: z.number().int(),
  /** the workbook's 填报单位 */
  region: z.object({ id: z.number().int(), name: z.string() }),
  /** unreported 未报送; reported 已报送; corrected 已报送，有更正 (a figure differs now from what was reported) */
  state: z.enum(QUARTER_STATES),
  /** when and by whom it was marked 已报送 (null: not reported) */
  reported: z
    .object({
      at: z.string().describe('ISO timestamp'),
      by: z.string(),
      fileName: z.string(),
      size: z.number().int(),
      sha256: z.string(),
      /** how many figures the report kept */
      figures: z.number().int(),
    })
    .nullable(),
  /** the figures that differ now from what was reported, in the workbook's order (empty when not reported) */
  corrections: z.array(correctionSchema),
  /** 已撤回: the reports of this quarter's workbook withdrawn by the administrator, the latest first; each keeps its file (GET /api/exports/quarterly/report/withdrawn/:id) */
  withdrawn: z.array(
    z.object({
      id: z.number().int(),
      reportedAt: z.string().describe('ISO timestamp'),
      reportedBy: z.string(),
      withdrawnAt: z.string().describe('ISO timestamp'),
      withdrawnBy: z.string(),
      reason: z.string(),
      fileName: z.string(),
      size: z.number().int(),
      sha256: z.string(),
    }),
  ),
});
export type ReportedState = z.infer<typeof reportedStateSchema>;
export class ReportedStateDto extends createZodDto(reportedStateSchema) {}
