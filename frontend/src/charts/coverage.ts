import type { EChartsOption } from 'echarts';
import { baseOption, bandAxes, percentAxis, tipRow, withDetail } from './common';
import { COLOR } from './palette';
import { formatCount, formatPercent, percentPoints, wrapWords } from './format';

export interface CoverageBarRow {
  name: string;
  inScope: number;
  covered: number;
  rate: number | null;
  /** share of the committee's term elapsed by as-of */
  pace: number | null;
}

export interface CoverageLabels {
  rate: string;
  pace: string;
  covered: string;
}

interface TipParam {
  dataIndex: number;
  marker?: string;
}

/**
 * Coverage by county against each committee's pace: a bar of the coverage rate (%) per
 * county, and a marker at the share of the term that has passed. Counties top to bottom in
 * the order given.
 */
export function buildCoverageByCountyOption(rows: CoverageBarRow[], labels: CoverageLabels): EChartsOption {
  return {
    ...baseOption,
    ...bandAxes(
      rows.map((r) => r.name),
      percentAxis,
    ),
    legend: { top: 4, data: [labels.rate, labels.pace] },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params: unknown) => coverageTip(rows, params as TipParam[], labels),
    },
    series: [
      {
        type: 'bar',
        name: labels.rate,
        barMaxWidth: 22,
        itemStyle: { color: COLOR.covered },
        label: {
          show: true,
          position: 'right',
          // drawn over the time-progress marker (same z, labels above symbols), on white so the
          // marker passing behind it does not overprint the figures
          backgroundColor: 'rgba(255,255,255,0.9)',
          padding: [1, 2],
          formatter: (p: { dataIndex: number }) => {
            const row = rows[p.dataIndex];
            if (!row) return '';
            return `${formatPercent(row.rate)} ${formatCount(row.covered)}/${formatCount(row.inScope)}`;
          },
        },
        data: rows.map((r) => percentPoints(r.rate)),
      },
      {
        type: 'scatter',
        name: labels.pace,
        symbol: 'rect',
        symbolSize: [3, 20],
        itemStyle: { color: COLOR.pace },
        z: 2,
        data: rows.map((r) => percentPoints(r.pace)),
      },
    ],
  };
}

function coverageTip(rows: CoverageBarRow[], params: TipParam[], labels: CoverageLabels): string {
  const first = params[0];
  if (!first) return '';
  const row = rows[first.dataIndex];
  if (!row) return '';
  return [
    `<b>${row.name}</b>`,
    tipRow('', labels.rate, withDetail(labels.rate, formatPercent(row.rate), `${formatCount(row.covered)} / ${formatCount(row.inScope)}`)),
    tipRow('', labels.pace, formatPercent(row.pace)),
  ].join('<br/>');
}

/** Coverage by unit category, with the overall pace as a line across. */
export function buildCoverageByUnitCategoryOption(rows: CoverageBarRow[], pace: number | null, labels: CoverageLabels): EChartsOption {
  const pacePoints = percentPoints(pace);
  return {
    ...baseOption,
    grid: { left: 48, right: 24, top: 40, bottom: 48 },
    legend: { top: 4, data: [labels.rate] },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params: unknown) => coverageTip(rows, params as TipParam[], labels),
    },
    // English unit types are long for six bands at 1366 px: wrapped at their spaces; hovering a label shows it whole
    xAxis: {
      type: 'category',
      data: rows.map((r) => r.name),
      axisTick: { show: false },
      axisLabel: { interval: 0, formatter: (name: string) => wrapWords(name), lineHeight: 14 },
      triggerEvent: true,
    },
    yAxis: { type: 'value', ...percentAxis, splitLine: { lineStyle: { type: 'dashed' } } },
    series: [
      {
        type: 'bar',
        name: labels.rate,
        barMaxWidth: 36,
        itemStyle: { color: COLOR.covered },
        label: {
          show: true,
          position: 'top',
          formatter: (p: { dataIndex: number }) => formatPercent(rows[p.dataIndex]?.rate),
        },
        data: rows.map((r) => percentPoints(r.rate)),
        markLine:
          pacePoints == null
            ? undefined
            : {
                symbol: 'none',
                lineStyle: { color: COLOR.pace, type: 'dashed', width: 2 },
                label: { formatter: `${labels.pace} ${formatPercent(pace)}`, position: 'insideEndTop' },
                data: [{ yAxis: pacePoints }],
              },
      },
    ],
  };
}
