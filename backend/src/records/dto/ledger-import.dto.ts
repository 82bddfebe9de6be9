import type { ApiBodyOptions } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

/** The answer to a ledger upload that was imported: every row became a finding and its task. */
export class LedgerImportResultDto extends createZodDto(z.object({ imported: z.number().int().describe('rows imported: findings (and tasks) created') })) {}

/** The OpenAPI description of the multipart body (multer parses it; the service checks the file). */
export const LEDGER_UPLOAD_BODY: ApiBodyOptions = {
  schema: {
    type: 'object',
    required: ['file'],
    properties: { file: { type: 'string', format: 'binary', description: '整改台账 .xlsx (from GET /api/imports/ledger/template)' } },
  },
};
