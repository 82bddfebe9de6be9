/**
 * The demo-data generator: a fictional prefecture city 示例市 with its counties, units,
 * terms, rounds and inspections, and the findings, rectification tasks, task events and
 * clues that follow from them. Deterministic: the same scale, seed and today give the same
 * rows, byte for byte. Silent: progress goes to `onProgress`, never to the console.
 *
 *   const summary = await seedDatabase(url, { scale: 'demo', seed: 1, today: '2026-06-30' });
 */
export type { Scale } from './plan';
export { SCALE_FINDINGS } from './plan';
export { seedDatabase, isDatabaseEmpty, CASE_TABLES, type SeedOptions, type SeedSummary, type SeedProgress } from './load';
export { parseSeedArgs, SEED_USAGE, type SeedArgs } from './args';
