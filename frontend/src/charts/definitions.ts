import { METRIC_DEFINITIONS, type MetricKey } from '@xuncha/shared';

/**
 * The figures each chart card draws, by the card's testid: its 口径 tooltip gives their
 * definitions from shared/src/metric-definitions.ts, the same sentences as the KPI cards'
 * and DEFINITIONS.md's, so that they cannot diverge.
 */
export const CHART_METRICS: Readonly<Record<string, readonly MetricKey[]>> = {
  'chart-coverage-by-region': ['coverage', 'pace'],
  'chart-coverage-by-unit-category': ['coverage'],
  'chart-categories-level1': ['findings'],
  'chart-category-tree': ['findings'],
  'chart-region-category': ['findings'],
  'chart-quarterly': ['findings'],
  'chart-closure-by-region': ['findingClosure', 'overdue'],
  'chart-closure-by-round': ['findingClosure', 'overdue'],
  'chart-overdue-buckets': ['overdue'],
  'chart-days-to-close': ['daysToClose'],
  'chart-recurrence-by-region': ['repeat', 'rebound'],
  'chart-recurrence-by-category': ['repeat', 'rebound'],
};

/** A chart card's 口径: one line per figure, its name and its sentence in the chosen language; undefined for a card without one. */
export function chartDefinitions(testid: string, locale: string): string[] | undefined {
  const keys = CHART_METRICS[testid];
  if (!keys) return undefined;
  const zh = locale.startsWith('zh');
  return keys.map((key) => {
    const d = METRIC_DEFINITIONS[key];
    return zh ? `${d.name.zh}：${d.zh}` : `${d.name.en}: ${d.en}`;
  });
}
