import type { EChartsOption } from 'echarts';
import { BAND_GRID } from './layout';
import { formatCount, formatPercent } from './format';

/** Whether a text is Chinese (holds a CJK character): its punctuation is then full-width. */
export function isChinese(text: string): boolean {
  return /[\u3400-\u9fff]/.test(text);
}

/** Text of one tooltip row: `label：value` in Chinese, `label: value` in English. */
export function tipRow(marker: string, label: string, value: string): string {
  return `${marker}${escapeHtml(label)}${isChinese(label) ? '：' : ': '}<b>${escapeHtml(value)}</b>`;
}

/** `value（detail）` in Chinese, `value (detail)` in English, after the language of `label`. */
export function withDetail(label: string, value: string, detail: string): string {
  return isChinese(label) ? `${value}（${detail}）` : `${value} (${detail})`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** A category y-axis listing `names` top to bottom, on the fixed grid the tests click on. */
export function bandAxes(
  names: string[],
  valueAxis: Record<string, unknown>,
  axisWidth: number = BAND_GRID.left,
): Pick<EChartsOption, 'grid' | 'xAxis' | 'yAxis'> {
  return {
    grid: { ...BAND_GRID, left: axisWidth, outerBoundsMode: 'none' },
    yAxis: {
      type: 'category',
      data: names,
      inverse: true,
      axisTick: { show: false },
      // a name too long for the axis is cut; hovering it shows it whole (ChartCard, `triggerEvent`)
      axisLabel: { width: axisWidth - 12, overflow: 'truncate' },
      triggerEvent: true,
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
