import type { EChartsOption } from 'echarts';
import { baseOption, escapeHtml, tipRow, withDetail } from './common';
import { SERIES_COLORS } from './palette';
import { formatCount, formatPercent, shorten } from './format';

export interface Level1Row {
  categoryId: number;
  name: string;
  count: number;
}
export interface Level2Row extends Level1Row {
  parentId: number;
}

/** Findings by level-1 category, largest first is up to the caller: rows in the order given. */
export function buildLevel1BarOption(rows: Level1Row[], labels: { findings: string }): EChartsOption {
  const total = rows.reduce((sum, r) => sum + r.count, 0);
  return {
    ...baseOption,
    grid: { left: 8, right: 72, top: 12, bottom: 24, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
    tooltip: {
      trigger: 'item',
      formatter: (p: unknown) => {
        const row = rows[(p as { dataIndex: number }).dataIndex];
        if (!row) return '';
        return `<b>${escapeHtml(row.name)}</b><br/>${tipRow('', labels.findings, withDetail(labels.findings, formatCount(row.count), `${formatPercent(total ? row.count / total : null)}`))}`;
      },
    },
    // the axis keeps the full names and shows them cut; hovering a label shows it whole (ChartCard, `triggerEvent`)
    yAxis: {
      type: 'category',
      inverse: true,
      data: rows.map((r) => r.name),
      axisTick: { show: false },
      axisLabel: { formatter: (name: string) => shorten(name, 9) },
      triggerEvent: true,
    },
    xAxis: { type: 'value', minInterval: 1, splitLine: { lineStyle: { type: 'dashed' } } },
    series: [
      {
        type: 'bar',
        name: labels.findings,
        barMaxWidth: 22,
        cursor: 'pointer',
        label: { show: true, position: 'right', formatter: (p: { value: unknown }) => formatCount(Number(p.value)) },
        data: rows.map((r, i) => ({ value: r.count, itemStyle: { color: SERIES_COLORS[i % SERIES_COLORS.length] } })),
      },
    ],
  };
}

export interface TreeNode {
  id: string;
  categoryId: number;
  name: string;
  value: number;
  children?: TreeNode[];
  itemStyle?: { color: string };
}

/**
 * The category tree as a sunburst: level 1 inside, level 2 outside; zero counts left out.
 * Each node carries its category id for the drill.
 */
export function buildCategoryTreeOption(level1: Level1Row[], level2: Level2Row[], labels: { findings: string }): EChartsOption {
  const total = level1.reduce((sum, r) => sum + r.count, 0);
  const data: TreeNode[] = level1
    .filter((l1) => l1.count > 0)
    .map((l1, i) => ({
      id: `c${l1.categoryId}`,
      categoryId: l1.categoryId,
      name: l1.name,
      value: l1.count,
      itemStyle: { color: SERIES_COLORS[i % SERIES_COLORS.length] },
      children: level2
        .filter((l2) => l2.parentId === l1.categoryId && l2.count > 0)
        .map((l2) => ({ id: `c${l2.categoryId}`, categoryId: l2.categoryId, name: l2.name, value: l2.count })),
    }));
  return {
    ...baseOption,
    tooltip: {
      trigger: 'item',
      formatter: (p: unknown) => {
        const { name, value } = p as { name: string; value: number };
        return `<b>${escapeHtml(name)}</b><br/>${tipRow('', labels.findings, withDetail(labels.findings, formatCount(value), `${formatPercent(total ? value / total : null)}`))}`;
      },
    },
    series: [
      {
        type: 'sunburst',
        name: labels.findings,
        radius: ['12%', '92%'],
        sort: undefined,
        nodeClick: false,
        emphasis: { focus: 'ancestor' },
        data,
        levels: [
          {},
          // inner ring: level, short, white on the sector with a dark edge; none on a slice too thin to hold it
          {
            r0: '12%',
            r: '46%',
            label: {
              rotate: 0,
              formatter: (p: { name: string }) => shorten(p.name, 4),
              fontSize: 12,
              color: '#fff',
              textBorderColor: 'rgba(0,0,0,0.45)',
              textBorderWidth: 2,
              minAngle: 20,
            },
          },
          {
            r0: '46%',
            r: '92%',
            label: { align: 'right', formatter: (p: { name: string }) => shorten(p.name, 7), fontSize: 10, minAngle: 5 },
            itemStyle: { opacity: 0.85 },
          },
        ],
      },
    ],
  };
}

export interface Named {
  id: number;
  name: string;
}

/** County × level-1 category counts as a heatmap; empty cells are zeros. Cell data: [x, y, count]. */
export function buildRegionCategoryHeatmapOption(
  cells: { regionId: number; categoryId: number; count: number }[],
  counties: Named[],
  categories: Named[],
  labels: { findings: string },
): EChartsOption {
  const counts = new Map(cells.map((c) => [`${c.regionId}:${c.categoryId}`, c.count]));
  const data: [number, number, number][] = [];
  counties.forEach((county, y) => {
    categories.forEach((category, x) => data.push([x, y, counts.get(`${county.id}:${category.id}`) ?? 0]));
  });
  const max = Math.max(1, ...data.map((d) => d[2]));
  return {
    ...baseOption,
    grid: { left: 8, right: 16, top: 8, bottom: 64, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
    tooltip: {
      trigger: 'item',
      formatter: (p: unknown) => {
        const [x, y, v] = (p as { value: [number, number, number] }).value;
        if (!counties[y] || !categories[x]) return '';
        return `<b>${escapeHtml(counties[y].name)}</b> · ${escapeHtml(categories[x].name)}<br/>${tipRow('', labels.findings, formatCount(v))}`;
      },
    },
    xAxis: {
      type: 'category',
      data: categories.map((c) => c.name),
      splitArea: { show: true },
      axisLabel: { interval: 0, formatter: (name: string) => shorten(name, 6) },
      triggerEvent: true,
    },
    yAxis: { type: 'category', data: counties.map((c) => c.name), inverse: true, splitArea: { show: true } },
    visualMap: {
      min: 0,
      max,
      calculable: true,
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
      itemHeight: 120,
      inRange: { color: ['#fdf1ee', '#f4b6a8', '#e4554f', '#a3191e'] },
    },
    series: [
      {
        type: 'heatmap',
        name: labels.findings,
        cursor: 'pointer',
        label: {
          show: true,
          formatter: (p: { value?: unknown }) => {
            const count = (p.value as [number, number, number])[2];
            return count ? formatCount(count) : '';
          },
        },
        emphasis: { itemStyle: { borderColor: '#333', borderWidth: 1 } },
        data,
      },
    ],
  };
}

/** Every quarter from the first to the last ('2024Q4', '2025Q1', …). */
export function quarterRange(first: string, last: string): string[] {
  const parse = (q: string) => {
    const [y, n] = q.split('Q').map(Number);
    return y * 4 + (n - 1);
  };
  const out: string[] = [];
  for (let i = parse(first); i <= parse(last); i++) out.push(`${Math.floor(i / 4)}Q${(i % 4) + 1}`);
  return out;
}

/** 'YYYYQn' of a day. */
export function quarterKey(day: string): string {
  return `${day.slice(0, 4)}Q${Math.floor((Number(day.slice(5, 7)) - 1) / 3) + 1}`;
}

/** Whether `day` is the last day of its quarter. */
function isQuarterEnd(day: string): boolean {
  return ['03-31', '06-30', '09-30', '12-31'].includes(day.slice(5));
}

/**
 * Findings per quarter of their found date, stacked by level-1 category, gaps filled with
 * zeros. The as-of day's quarter, when the day is not its last, holds part of a quarter: its
 * bars are drawn hatched and pale, its total line dashed, its axis label says 截至 the day, so
 * that it does not read as a drop.
 */
export function buildQuarterlyTrendOption(
  rows: { quarter: string; categoryId: number; count: number }[],
  categories: Named[],
  labels: { total: string; partial?: (day: string) => string },
  asOf?: string,
): EChartsOption {
  const quarters = rows.length
    ? quarterRange(
        rows.reduce((a, r) => (r.quarter < a ? r.quarter : a), rows[0].quarter),
        rows.reduce((a, r) => (r.quarter > a ? r.quarter : a), rows[0].quarter),
      )
    : [];
  const counts = new Map(rows.map((r) => [`${r.quarter}:${r.categoryId}`, r.count]));
  const totals = quarters.map((q) => categories.reduce((sum, c) => sum + (counts.get(`${q}:${c.id}`) ?? 0), 0));
  const partialIndex = asOf && !isQuarterEnd(asOf) && quarters[quarters.length - 1] === quarterKey(asOf) ? quarters.length - 1 : -1;
  const partialLabel = partialIndex >= 0 && asOf ? (labels.partial?.(asOf.slice(5)) ?? `≤${asOf.slice(5)}`) : undefined;
  const hatched = { decal: { symbol: 'rect', dashArrayX: [1, 0], dashArrayY: [3, 3], rotation: -Math.PI / 4, color: 'rgba(255,255,255,0.6)' }, opacity: 0.55 };
  return {
    ...baseOption,
    grid: { left: 8, right: 16, top: 56, bottom: 8, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
    legend: { top: 0, type: 'scroll', formatter: (name: string) => shorten(name, 8), tooltip: { show: true } },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: {
      type: 'category',
      data: quarters,
      axisLabel: { formatter: (q: string, i: number) => (i === partialIndex && partialLabel ? `${q}\n${partialLabel}` : q) },
    },
    yAxis: { type: 'value', minInterval: 1, splitLine: { lineStyle: { type: 'dashed' } } },
    series: [
      ...categories.map((c, i) => ({
        type: 'bar' as const,
        name: c.name,
        stack: 'findings',
        barMaxWidth: 28,
        itemStyle: { color: SERIES_COLORS[i % SERIES_COLORS.length] },
        data: quarters.map((q, k) => {
          const value = counts.get(`${q}:${c.id}`) ?? 0;
          return k === partialIndex ? { value, itemStyle: { color: SERIES_COLORS[i % SERIES_COLORS.length], ...hatched } } : value;
        }),
      })),
      {
        type: 'line' as const,
        name: labels.total,
        symbol: 'circle',
        symbolSize: 5,
        itemStyle: { color: '#444' },
        lineStyle: { width: 1.5 },
        // up to the last whole quarter solid; the partial one joins it dashed (the next series)
        data: partialIndex >= 0 ? totals.map((v, k) => (k < partialIndex ? v : null)) : totals,
      },
      ...(partialIndex >= 0
        ? [
            {
              type: 'line' as const,
              name: labels.total,
              symbol: 'emptyCircle',
              symbolSize: 6,
              itemStyle: { color: '#444' },
              lineStyle: { width: 1.5, type: 'dashed' as const },
              data: totals.map((v, k) => (k >= partialIndex - 1 ? v : null)),
            },
          ]
        : []),
    ],
  };
}
