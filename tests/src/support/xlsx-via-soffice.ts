import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseCsv } from './csv';

/**
 * A produced .xlsx read back by LibreOffice headless (converted to UTF-8 CSV): the records of
 * its first sheet as a spreadsheet application sees them. LibreOffice is required.
 */
export function xlsxRecordsViaSoffice(bytes: Buffer): string[][] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xuncha-xlsx-'));
  try {
    fs.writeFileSync(path.join(dir, 'list.xlsx'), bytes);
    execFileSync(
      'soffice',
      [
        `-env:UserInstallation=file://${path.join(dir, 'profile')}`,
        '--headless',
        '--convert-to',
        'csv:Text - txt - csv (StarCalc):44,34,76,1',
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
