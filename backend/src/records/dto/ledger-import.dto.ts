import type { ApiBodyOptions } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

/** The answer to a ledger upload that was imported: every row became a finding and its task. */
export class LedgerImportResultDto extends createZodDto(
  z.object({
    imported: z.number().int().describe('rows imported: findings (and tasks) created'),
    inspectionsCreated: z.number().int().describe('inspections created for rows whose inspection did not exist'),
    events: z.number().int().describe('task events written (CREATED and the history)'),
    backdated: z.number().int().describe('creations and events dated before today (补录)'),
  }),
) {}

const problemSchema = z.object({
  sheet: z.string().describe('整改台账 or 历史'),
  row: z.number().int().describe('the Excel row number'),
  column: z.string().describe("the column's header ('' for the row as a whole)"),
  message: z.string(),
});

/** What an upload would import, and every problem of every row. */
export class LedgerPreviewDto extends createZodDto(
  z.object({
    fileName: z.string(),
    rows: z.number().int().describe('ledger rows read'),
    historyEvents: z.number().int().describe('history events that would be written'),
    backdated: z.number().int().describe('creations and events dated before today (补录)'),
    problems: z.array(problemSchema),
    newInspections: z.array(
      z.object({
        round: z.string(),
        unit: z.string(),
        team: z.string(),
        stationedFrom: z.string(),
        rows: z.array(z.number().int()).describe('the Excel rows naming it'),
      }),
    ),
    importedAt: z.string().min(20).max(30).nullable().describe('when this very file was imported within the duplicate window (an import would be refused)'),
  }),
) {}

const FILE_PROPERTY = { type: 'string', format: 'binary', description: '整改台账 .xlsx (from GET /api/imports/ledger/template)' } as const;

/** The OpenAPI description of the multipart bodies (multer parses them; the service checks the file). */
export const LEDGER_PREVIEW_BODY: ApiBodyOptions = {
  schema: { type: 'object', required: ['file'], properties: { file: FILE_PROPERTY } },
};
export const LEDGER_UPLOAD_BODY: ApiBodyOptions = {
  schema: {
    type: 'object',
    required: ['file'],
    properties: {
      file: FILE_PROPERTY,
      confirmNewInspections: {
        type: 'string',
        enum: ['true', 'false'],
        description: 'create the inspections the preview listed as new (required when there are any)',
      },
    },
  },
};
