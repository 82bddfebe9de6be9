/**
 * Read queries of the metrics, as pure builders: `buildXQuery(scope) → { query, params }`.
 * Values travel only as {name:Type} parameters. The definitions they implement are
 * those of DEFINITIONS.md beside this file, which pins down every choice. One file per
 * metric under queries/, its variants (the facts, the precomputed sources) side by side;
 * what they share in queries/shared.ts.
 */
export { filterConditions, findingsSubquery, PER_FINDING_CTE, taskStateCte, type SqlQuery, type TaskStateOptions } from './queries/shared';
export * from './queries/rectification';
export * from './queries/categories';
export * from './queries/coverage';
export * from './queries/recurrence';
