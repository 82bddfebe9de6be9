import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseCsv } from './csv';

/**
 * A produced .xlsx read back by LibreOffice headless (converted to UTF-8 CSV): the records of
 * its first sheet as a spreadsheet application sees them. LibreOffice is required. `filter`: the
 * CSV filter's options (separator, quote, charset, first line; more to export cells as shown).
 */
export function xlsxRecordsViaSoffice(bytes: Buffer, filter = '44,34,76,1'): string[][] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xuncha-xlsx-'));
  try {
    fs.writeFileSync(path.join(dir, 'list.xlsx'), bytes);
    execFileSync(
      'soffice',
      [
        `-env:UserInstallation=file://${path.join(dir, 'profile')}`,
        '--headless',
        '--convert-to',
        `csv:Text - txt - csv (StarCalc):${filter}`,
        '--outdir',
        path.join(dir, 'out'),
        path.join(dir, 'list.xlsx'),
      ],
      { stdio: 'pipe', timeout: 180_000 },
    );
    return parseCsv(fs.readFileSync(path.join(dir, 'out', 'list.csv'), 'utf8'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
