/**
 * Every figure's 口径 in one sentence, in Chinese and English: the single source of the
 * summary table in backend/src/metrics/DEFINITIONS.md (checked by its definitions.spec.ts,
 * written by `npm run definitions`) and of the dashboard's 口径 tooltips (the frontend
 * imports it from @xuncha/shared). Plain data, no imports: the backend and the frontend both compile it.
 * The full rules, down to every edge case, are DEFINITIONS.md's sections.
 */
export interface MetricDefinition {
  /** the figure's name on the dashboard */
  name: { zh: string; en: string };
  /** its definition in one sentence */
  zh: string;
  en: string;
}

export const METRIC_DEFINITIONS = {
  coverage: {
    name: { zh: '巡察覆盖率', en: 'Coverage' },
    zh: '本届内已被巡察（常规、专项、机动巡察）的在册单位数 ÷ 本届应巡察单位数；选定轮次时，只计该轮次所属巡察机构在该轮次所属届内的单位，被该轮次巡察的单位数 ÷ 这些单位数。',
    en: "Units of the current term inspected (routine, special or mobile) ÷ units in scope of the term; with a round selected, the units of that round's committee in the round's term: those the round inspected ÷ those units.",
  },
  pace: {
    name: { zh: '时间进度', en: 'Time elapsed' },
    zh: '本届已过天数 ÷ 本届总天数，多个巡察机构按应巡察单位数加权。',
    en: "Days of the term elapsed ÷ the term's days, weighted by units in scope over several committees.",
  },
  projected: {
    name: { zh: '届末预计覆盖率', en: 'Projected coverage' },
    zh: '按当前速度推算的届末覆盖率：覆盖率 ÷ 时间进度，最高 100%。',
    en: 'Coverage at the end of the term at the current pace: coverage ÷ time elapsed, at most 100%.',
  },
  uncovered: {
    name: { zh: '未覆盖单位', en: 'Uncovered units' },
    zh: '本届应巡察但尚未被巡察的单位数。',
    en: 'Units in scope of the term not inspected yet.',
  },
  findings: {
    name: { zh: '发现问题', en: 'Findings' },
    zh: '截至统计日已发现的问题数。',
    en: 'Findings found on or before the as-of day.',
  },
  findingClosure: {
    name: { zh: '问题整改率', en: 'Finding closure' },
    zh: '已反馈问题中全部整改任务已销号的问题数 ÷ 已反馈问题数。',
    en: 'Findings fed back whose every task is closed ÷ findings fed back.',
  },
  taskClosure: {
    name: { zh: '任务销号率', en: 'Task closure' },
    zh: '已反馈问题的整改任务中已销号的任务数 ÷ 任务数。',
    en: 'Tasks of findings fed back that are closed ÷ those tasks.',
  },
  immediateClosure: {
    name: { zh: '立行立改完成率', en: 'Immediate closure' },
    zh: '立行立改问题的问题整改率。',
    en: 'Finding closure over findings marked for immediate rectification.',
  },
  onTime: {
    name: { zh: '按期销号率', en: 'On-time closure' },
    zh: '有原定整改时限的已销号任务中，在原定时限内（含当日）销号的任务数 ÷ 这些任务数；没有原定时限（长期坚持）的已销号任务不计入分子分母，其数量另行列示。',
    en: 'Closed tasks with an original due date closed on or before it ÷ closed tasks with an original due date; closed tasks without one (long-term) are left out of both and counted beside the rate.',
  },
  extended: {
    name: { zh: '延期任务占比', en: 'Extended tasks' },
    zh: '当前整改时限晚于原定时限的任务数 ÷ 任务数。',
    en: 'Tasks whose current due date is later than the original one ÷ tasks.',
  },
  overdue: {
    name: { zh: '超期任务', en: 'Overdue tasks' },
    zh: '未销号且当前整改时限早于统计日的任务数。',
    en: 'Tasks not closed whose current due date is before the as-of day.',
  },
  dueSoon20: {
    name: { zh: '20天内到期', en: 'Due within 20 days' },
    zh: '未销号且当前整改时限在统计日起 20 天内（含当日）的任务数。',
    en: 'Tasks not closed whose current due date falls within 20 days of the as-of day, that day included.',
  },
  dueSoon10: {
    name: { zh: '10天内到期', en: 'Due within 10 days' },
    zh: '未销号且当前整改时限在统计日起 10 天内（含当日）的任务数。',
    en: 'Tasks not closed whose current due date falls within 10 days of the as-of day, that day included.',
  },
  daysToClose: {
    name: { zh: '整改用时', en: 'Days to close' },
    zh: '已整改问题从巡察反馈到最后一项任务销号的天数，取中位数和 90% 分位。',
    en: 'Days from the feedback to the last task closed, over closed findings: median and 90th percentile.',
  },
  repeat: {
    name: { zh: '同类问题重复率', en: 'Repeat rate' },
    zh: '再次巡察发现的问题中，同一单位以前巡察已发现过同一二级类别的问题数 ÷ 再次巡察发现的问题数。',
    en: "Findings of re-inspections whose level-2 category was found at the unit's earlier inspection ÷ findings of re-inspections.",
  },
  rebound: {
    name: { zh: '整改后反弹率', en: 'Rebound rate' },
    zh: '已整改且此后单位再被巡察的问题中，被之后发现的问题标为复发的问题数 ÷ 这些问题数。',
    en: 'Closed findings whose unit was inspected again, named as recurring by a later finding ÷ those closed findings.',
  },
} as const satisfies Record<string, MetricDefinition>;

export type MetricKey = keyof typeof METRIC_DEFINITIONS;

export const DEFINITIONS_TABLE_START = '<!-- summary table: generated from shared/src/metric-definitions.ts -->';
export const DEFINITIONS_TABLE_END = '<!-- end of summary table -->';

/** DEFINITIONS.md's summary table, as Markdown (between the two markers). */
export function definitionsTable(): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const rows = Object.entries(METRIC_DEFINITIONS).map(
    ([key, d]: [string, MetricDefinition]) => `| \`${key}\` | ${cell(d.name.zh)} | ${cell(d.zh)} | ${cell(d.en)} |`,
  );
  return ['| key | 指标 | 口径 | Definition |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

/** DEFINITIONS.md's text with its summary table replaced by the one generated here. */
export function withDefinitionsTable(markdown: string): string {
  const start = markdown.indexOf(DEFINITIONS_TABLE_START);
  const end = markdown.indexOf(DEFINITIONS_TABLE_END);
  if (start < 0 || end < start) throw new Error('DEFINITIONS.md has no summary-table markers');
  return `${markdown.slice(0, start + DEFINITIONS_TABLE_START.length)}\n${definitionsTable()}\n${markdown.slice(end)}`;
}
