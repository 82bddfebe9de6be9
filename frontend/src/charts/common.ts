import type { EChartsOption } from 'echarts';
import { BAND_GRID } from './layout';
import { formatCount, formatPercent } from './format';

/** Text of one tooltip row. */
export function tipRow(marker: string, label: string, value: string): string {
  return `${marker}${escapeHtml(label)}：<b>${escapeHtml(value)}</b>`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** A category y-axis listing `names` top to bottom, on the fixed grid the tests click on. */
export function bandAxes(names: string[], valueAxis: Record<string, unknown>, axisWidth: number = BAND_GRID.left): Pick<EChartsOption, 'grid' | 'xAxis' | 'yAxis'> {
  return {
    grid: { ...BAND_GRID, left: axisWidth, outerBoundsMode: 'none' },
    yAxis: {
      type: 'category',
      data: names,
      inverse: true,
      axisTick: { show: false },
      axisLabel: { width: axisWidth - 12, overflow: 'truncate' },
    },
    xAxis: { type: 'value', splitLine: { lineStyle: { type: 'dashed' } }, ...valueAxis },
  };
}

export const percentAxis = { min: 0, max: 100, axisLabel: { formatter: '{value}%' } };

/** Whether the user asked for less motion (the system setting; the browser tests ask for it): charts are then drawn without animation. */
const reducedMotion = typeof window !== 'undefined' && typeof window.matchMedia === 'function' && window.matchMedia('(prefers-reduced-motion: reduce)').matches;

export const baseOption: EChartsOption = {
  animation: !reducedMotion,
  animationDuration: 300,
  textStyle: { fontFamily: 'inherit' },
  aria: { enabled: true },
};

export { formatCount, formatPercent };
