/**
 * @xuncha/shared: the few helpers every package uses (prisma, etl, backend, the scripts and
 * the tests) and none of them owns. It depends on nothing of this repository.
 */
export { TIME_ZONE, pinShanghaiToday, shanghaiToday } from './calendar';
export { runCli, UserError } from './cli-errors';
export {
  DEFINITIONS_TABLE_END,
  DEFINITIONS_TABLE_START,
  METRIC_DEFINITIONS,
  definitionsTable,
  withDefinitionsTable,
  type MetricDefinition,
  type MetricKey,
} from './metric-definitions';
