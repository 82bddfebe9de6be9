import type { EChartsOption } from 'echarts';
import { bandAxes, baseOption, escapeHtml, percentAxis, tipRow, withDetail } from './common';
import { COLOR } from './palette';
import { formatCount, formatPercent, percentPoints, rateOf } from './format';

export interface RecurrenceRow {
  name: string;
  reinspectionFindings: number;
  repeats: number;
  closedReinspected: number;
  rebounds: number;
}

export interface RecurrenceLabels {
  repeat: string;
  rebound: string;
}

/**
 * Same-category repeat rate and rebound rate per group (county or category), as two bars
 * in percent; the label and tooltip give each rate's fraction.
 */
export function buildRecurrenceBarsOption(rows: RecurrenceRow[], labels: RecurrenceLabels): EChartsOption {
  const repeat = rows.map((r) => rateOf(r.repeats, r.reinspectionFindings));
  const rebound = rows.map((r) => rateOf(r.rebounds, r.closedReinspected));
  return {
    ...baseOption,
    ...bandAxes(
      rows.map((r) => r.name),
      percentAxis,
    ),
    legend: { top: 4, data: [labels.repeat, labels.rebound] },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params: unknown) => {
        const first = (params as { dataIndex: number }[])[0];
        if (!first) return '';
        const i = first.dataIndex;
        const r = rows[i];
        if (!r) return '';
        return [
          `<b>${escapeHtml(r.name)}</b>`,
          tipRow('', labels.repeat, withDetail(labels.repeat, formatPercent(repeat[i]), `${formatCount(r.repeats)} / ${formatCount(r.reinspectionFindings)}`)),
          tipRow('', labels.rebound, withDetail(labels.rebound, formatPercent(rebound[i]), `${formatCount(r.rebounds)} / ${formatCount(r.closedReinspected)}`)),
        ].join('<br/>');
      },
    },
    series: [
      {
        type: 'bar',
        name: labels.repeat,
        barMaxWidth: 14,
        cursor: 'pointer',
        itemStyle: { color: COLOR.repeat },
        label: {
          show: true,
          position: 'right',
          fontSize: 10,
          formatter: (p: { dataIndex: number }) =>
            rows[p.dataIndex]
              ? `${formatPercent(repeat[p.dataIndex])} ${formatCount(rows[p.dataIndex].repeats)}/${formatCount(rows[p.dataIndex].reinspectionFindings)}`
              : '',
        },
        data: repeat.map(percentPoints),
      },
      {
        type: 'bar',
        name: labels.rebound,
        barMaxWidth: 14,
        cursor: 'pointer',
        itemStyle: { color: COLOR.rebound },
        label: {
          show: true,
          position: 'right',
          fontSize: 10,
          formatter: (p: { dataIndex: number }) =>
            rows[p.dataIndex]
              ? `${formatPercent(rebound[p.dataIndex])} ${formatCount(rows[p.dataIndex].rebounds)}/${formatCount(rows[p.dataIndex].closedReinspected)}`
              : '',
        },
        data: rebound.map(percentPoints),
      },
    ],
  };
}
