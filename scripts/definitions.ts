/**
 * Writes DEFINITIONS.md's summary table from backend/src/metrics/definitions.ts (between its
 * two markers), the one source of every figure's one-sentence 口径. `npm run definitions`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withDefinitionsTable } from '@xuncha/shared';

const file = join(__dirname, '..', 'backend', 'src', 'metrics', 'DEFINITIONS.md');
writeFileSync(file, withDefinitionsTable(readFileSync(file, 'utf8')));
console.log(`wrote the summary table of ${file}`);
