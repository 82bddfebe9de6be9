import type { EChartsOption } from 'echarts';
import { bandAxes, baseOption, escapeHtml, tipRow, withDetail } from './common';
import { AGING_COLORS, COLOR } from './palette';
import { BAND_GRID, COLUMN_GRID } from './layout';
import { formatCount, formatPercent, rateOf } from './format';

export interface ClosureRow {
  name: string;
  findings: number;
  findingsClosed: number;
  tasks: number;
  tasksClosed: number;
  overdue: number;
}

export interface ClosureLabels {
  closed: string;
  open: string;
  rate: string;
  overdue: string;
  tasks: string;
}

/**
 * Finding closure per group (county or round), top to bottom in the order given: rectified
 * and not yet rectified findings stacked, the rate and its fraction at the end of the bar.
 */
export function buildClosureBarsOption(rows: ClosureRow[], labels: ClosureLabels, axisWidth?: number): EChartsOption {
  return {
    ...baseOption,
    ...bandAxes(
      rows.map((r) => r.name),
      { minInterval: 1 },
      axisWidth,
    ),
    legend: { top: 4, data: [labels.closed, labels.open] },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params: unknown) => {
        const first = (params as { dataIndex: number }[])[0];
        if (!first) return '';
        const r = rows[first.dataIndex];
        if (!r) return '';
        return [
          `<b>${escapeHtml(r.name)}</b>`,
          tipRow(
            '',
            labels.rate,
            withDetail(labels.rate, formatPercent(rateOf(r.findingsClosed, r.findings)), `${formatCount(r.findingsClosed)} / ${formatCount(r.findings)}`),
          ),
          tipRow('', labels.tasks, `${formatCount(r.tasksClosed)} / ${formatCount(r.tasks)}`),
          tipRow('', labels.overdue, formatCount(r.overdue)),
        ].join('<br/>');
      },
    },
    series: [
      {
        type: 'bar',
        name: labels.closed,
        stack: 'findings',
        barMaxWidth: 22,
        cursor: 'pointer',
        itemStyle: { color: COLOR.closed },
        data: rows.map((r) => r.findingsClosed),
      },
      {
        type: 'bar',
        name: labels.open,
        stack: 'findings',
        barMaxWidth: 22,
        cursor: 'pointer',
        itemStyle: { color: COLOR.open },
        label: {
          show: true,
          position: 'right',
          color: '#333',
          formatter: (p: { dataIndex: number }) => {
            const r = rows[p.dataIndex];
            if (!r) return '';
            return `${formatPercent(rateOf(r.findingsClosed, r.findings))} ${formatCount(r.findingsClosed)}/${formatCount(r.findings)}`;
          },
        },
        data: rows.map((r) => r.findings - r.findingsClosed),
      },
    ],
  };
}

/**
 * The chart height that shows every one of `rows` bars readably (no hidden scroll): at
 * least the card's usual height, 26 px a bar beyond it.
 */
export function bandChartHeight(rows: number): string {
  return `max(var(--chart-height), ${BAND_GRID.top + BAND_GRID.bottom + rows * 26}px)`;
}

/** A committee's rounds, as the rounds chart shows them one committee at a time. */
export interface CommitteeRounds<R> {
  committeeRegionId: number;
  name: string;
  rows: R[];
  findings: number;
}

/**
 * Rounds grouped by the committee that ran them (市委, each 县(区)委), committees in
 * `committeeOrder`, each committee's rounds newest first (the order of `rows` reversed).
 * Rounds whose committee is unknown are left out.
 */
export function groupRoundsByCommittee<R extends { roundId: number; findings: number }>(
  rows: readonly R[],
  committeeOf: ReadonlyMap<number, number>,
  committeeOrder: readonly { id: number; name: string }[],
): CommitteeRounds<R>[] {
  return committeeOrder
    .map((c) => {
      const mine = rows.filter((r) => committeeOf.get(r.roundId) === c.id).reverse();
      return { committeeRegionId: c.id, name: c.name, rows: mine, findings: mine.reduce((n, r) => n + r.findings, 0) };
    })
    .filter((c) => c.rows.length > 0);
}

export interface BucketRow {
  bucket: string;
  count: number;
}

/** Overdue tasks by days past their current due date, each bucket in its aging colour. */
export function buildAgingBucketsOption(rows: BucketRow[], labels: { overdue: string; bucket: (bucket: string) => string }): EChartsOption {
  return {
    ...baseOption,
    grid: { ...COLUMN_GRID, outerBoundsMode: 'none' },
    tooltip: {
      trigger: 'item',
      formatter: (p: unknown) => {
        const { dataIndex } = p as { dataIndex: number };
        if (!rows[dataIndex]) return '';
        return `<b>${escapeHtml(labels.bucket(rows[dataIndex].bucket))}</b><br/>${tipRow('', labels.overdue, formatCount(rows[dataIndex].count))}`;
      },
    },
    xAxis: { type: 'category', data: rows.map((r) => labels.bucket(r.bucket)), axisTick: { show: false } },
    yAxis: { type: 'value', minInterval: 1, splitLine: { lineStyle: { type: 'dashed' } } },
    series: [
      {
        type: 'bar',
        name: labels.overdue,
        barMaxWidth: 48,
        cursor: 'pointer',
        label: { show: true, position: 'top', formatter: (p: { value: unknown }) => formatCount(Number(p.value)) },
        data: rows.map((r) => ({ value: r.count, itemStyle: { color: AGING_COLORS[r.bucket] ?? COLOR.primary } })),
      },
    ],
  };
}

/** Days from feedback to closure: the median and the 90th percentile, as two bars. */
export function buildDaysToCloseOption(
  days: { count: number; median: number | null; p90: number | null },
  labels: { median: string; p90: string; days: string },
): EChartsOption {
  const names = [labels.median, labels.p90];
  return {
    ...baseOption,
    grid: { left: 8, right: 56, top: 12, bottom: 8, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
    tooltip: { trigger: 'item' },
    yAxis: { type: 'category', data: names, inverse: true, axisTick: { show: false } },
    xAxis: { type: 'value', minInterval: 1, name: labels.days, splitLine: { lineStyle: { type: 'dashed' } } },
    series: [
      {
        type: 'bar',
        name: labels.days,
        barMaxWidth: 26,
        label: { show: true, position: 'right', formatter: (p: { value: unknown }) => `${formatCount(Number(p.value))} ${labels.days}` },
        data: [
          { value: days.median, itemStyle: { color: COLOR.covered } },
          { value: days.p90, itemStyle: { color: COLOR.pace } },
        ],
      },
    ],
  };
}
