import { bandChartHeight, buildAgingBucketsOption, buildClosureBarsOption, buildDaysToCloseOption, groupRoundsByCommittee } from './rectification';
import { AGING_COLORS } from './palette';
import { COLUMN_GRID } from './layout';

type Series = { type: string; name: string; data: unknown[]; stack?: string; label?: { formatter: (p: { dataIndex: number }) => string } };
const series = (option: { series?: unknown }) => option.series as Series[];

const labels = { closed: '已整改', open: '未整改', rate: '整改率', overdue: '超期', tasks: '任务' };

describe('buildClosureBarsOption', () => {
  const rows = [
    { name: '东城区', findings: 10, findingsClosed: 4, tasks: 14, tasksClosed: 9, overdue: 2 },
    { name: '西山县', findings: 3, findingsClosed: 3, tasks: 3, tasksClosed: 3, overdue: 0 },
  ];

  it('stacks rectified and open findings per group, labelled with rate and fraction', () => {
    const [closed, open] = series(buildClosureBarsOption(rows, labels));
    expect([closed.stack, closed.data]).toEqual(['findings', [4, 3]]);
    expect([open.stack, open.data]).toEqual(['findings', [6, 0]]);
    expect(open.label?.formatter({ dataIndex: 0 })).toBe('40.0% 4/10');
    expect(open.label?.formatter({ dataIndex: 1 })).toBe('100.0% 3/3');
  });

  it('hides no group behind a scroll: every bar is drawn, in a chart tall enough for them', () => {
    const many = Array.from({ length: 40 }, (_, i) => ({ ...rows[0], name: `第${i + 1}轮` }));
    const option = buildClosureBarsOption(many, labels);
    expect(option.dataZoom).toBeUndefined();
    expect(series(option)[0].data).toHaveLength(40);
    expect(bandChartHeight(40)).toBe('max(var(--chart-height), 1104px)');
  });
});

describe('groupRoundsByCommittee', () => {
  const round = (roundId: number, findings: number) => ({ roundId, findings });
  const committeeOf = new Map([
    [1, 100],
    [2, 100],
    [3, 200],
    [4, 300],
    [5, 999],
  ]);
  const order = [
    { id: 100, name: '示例市委' },
    { id: 200, name: '东城区委' },
    { id: 300, name: '西山县委' },
    { id: 400, name: '南湖县委' },
  ];

  it('groups rounds by their committee in the given order, newest first, each with its findings', () => {
    const groups = groupRoundsByCommittee([round(1, 5), round(2, 7), round(3, 1), round(4, 0), round(5, 9)], committeeOf, order);
    expect(groups).toEqual([
      { committeeRegionId: 100, name: '示例市委', rows: [round(2, 7), round(1, 5)], findings: 12 },
      { committeeRegionId: 200, name: '东城区委', rows: [round(3, 1)], findings: 1 },
      { committeeRegionId: 300, name: '西山县委', rows: [round(4, 0)], findings: 0 },
    ]);
  });
});

describe('buildAgingBucketsOption', () => {
  it('has the four buckets in order, each in its aging colour', () => {
    const option = buildAgingBucketsOption(
      [
        { bucket: '1-30', count: 5 },
        { bucket: '31-90', count: 0 },
        { bucket: '91-180', count: 2 },
        { bucket: '180+', count: 1 },
      ],
      { overdue: '超期任务', bucket: (b) => `${b}天` },
    );
    expect((option.xAxis as { data: string[] }).data).toEqual(['1-30天', '31-90天', '91-180天', '180+天']);
    expect(option.grid).toEqual({ ...COLUMN_GRID, outerBoundsMode: 'none' });
    expect(series(option)[0].data).toEqual([
      { value: 5, itemStyle: { color: AGING_COLORS['1-30'] } },
      { value: 0, itemStyle: { color: AGING_COLORS['31-90'] } },
      { value: 2, itemStyle: { color: AGING_COLORS['91-180'] } },
      { value: 1, itemStyle: { color: AGING_COLORS['180+'] } },
    ]);
  });
});

describe('buildDaysToCloseOption', () => {
  it('shows the median and the 90th percentile', () => {
    const option = buildDaysToCloseOption({ count: 9, median: 41, p90: 120 }, { median: '中位数', p90: 'P90', days: '天' });
    expect((series(option)[0].data as { value: number }[]).map((d) => d.value)).toEqual([41, 120]);
  });
});

describe('tooltip punctuation follows the language', () => {
  it('is full-width in Chinese and plain in English', () => {
    const rows = [{ name: 'East', findings: 10, findingsClosed: 4, tasks: 14, tasksClosed: 9, overdue: 2 }];
    const tip = (l: typeof labels) => (buildClosureBarsOption(rows, l).tooltip as { formatter: (p: unknown) => string }).formatter([{ dataIndex: 0 }]);
    expect(tip(labels)).toContain('整改率：<b>40.0%（4 / 10）</b>');
    const english = tip({ closed: 'Closed', open: 'Open', rate: 'Closure rate', overdue: 'Overdue', tasks: 'Tasks' });
    expect(english).toContain('Closure rate: <b>40.0% (4 / 10)</b>');
    expect(english).not.toMatch(/[：；（）]/);
  });

  it('names a cut axis label in full on hover (the axis triggers events)', () => {
    const option = buildClosureBarsOption(
      [{ name: '贯彻落实党的路线方针政策和上级决策部署', findings: 1, findingsClosed: 0, tasks: 1, tasksClosed: 0, overdue: 0 }],
      labels,
    );
    expect((option.yAxis as { triggerEvent?: boolean }).triggerEvent).toBe(true);
  });
});
