import fs from 'node:fs';
import path from 'node:path';
import { METRIC_DEFINITIONS } from '@xuncha/shared';
import { CHART_METRICS, chartDefinitions } from './definitions';

/** Every .vue file under frontend/src with its text. */
function vueFiles(dir = path.resolve(__dirname, '..')): { file: string; text: string }[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return vueFiles(full);
    return entry.name.endsWith('.vue') ? [{ file: path.relative(dir, full), text: fs.readFileSync(full, 'utf8') }] : [];
  });
}

describe('口径 tooltips come from shared/src/metric-definitions.ts', () => {
  const files = vueFiles();
  const defined = new Set(Object.keys(METRIC_DEFINITIONS));

  it('names only keys the definitions have, for the chart cards', () => {
    const keys = Object.values(CHART_METRICS).flat();
    expect(keys.length).toBeGreaterThan(10);
    expect(keys.filter((key) => !defined.has(key))).toEqual([]);
  });

  it('names only keys the definitions have, for the KPI cards (metric="…" in the templates)', () => {
    const used = files.flatMap(({ text }) => [...text.matchAll(/<KpiCard[^>]*?\smetric="([^"]+)"/gs)].map((m) => m[1]));
    expect(used.length).toBeGreaterThan(15);
    expect(used.filter((key) => !defined.has(key))).toEqual([]);
  });

  it('gives every chart card a 口径: each chart testid given to a card in the templates has its figures', () => {
    // the `testid` prop (not data-testid) of ChartCard or of a card that passes it on
    const charts = new Set(files.flatMap(({ text }) => [...text.matchAll(/\stestid="(chart-[a-z0-9-]+)"/g)].map((m) => m[1])));
    expect([...charts].sort()).toEqual(Object.keys(CHART_METRICS).sort());
  });

  it('shows each figure’s name and sentence as the definitions word them, in either language', () => {
    expect(chartDefinitions('chart-recurrence-by-category', 'zh-CN')).toEqual([
      `${METRIC_DEFINITIONS.repeat.name.zh}：${METRIC_DEFINITIONS.repeat.zh}`,
      `${METRIC_DEFINITIONS.rebound.name.zh}：${METRIC_DEFINITIONS.rebound.zh}`,
    ]);
    expect(chartDefinitions('chart-days-to-close', 'en')).toEqual([`${METRIC_DEFINITIONS.daysToClose.name.en}: ${METRIC_DEFINITIONS.daysToClose.en}`]);
    expect(chartDefinitions('chart-unknown', 'zh-CN')).toBeUndefined();
  });
});
