/**
 * What the dashboard shows, for those who check it from outside (the browser tests): how it
 * formats numbers and times, and where its charts draw their bars. The dashboard itself
 * starts from main.ts; nothing in it imports this file.
 */
export { formatCount, formatFraction, formatPercent, rateOf } from './charts/format';
export { BAND_GRID, COLUMN_GRID, bandCenterY, columnCenterX } from './charts/layout';
export { formatShanghai } from './lib/time';
export { localized } from './lib/bilingual';
export { drillQuery, type DrillParents } from './lib/drill-query';
