import { buildCategoryTreeOption, buildLevel1BarOption, buildQuarterlyTrendOption, buildRegionCategoryHeatmapOption, quarterRange } from './categories';

type Series = { type: string; name: string; data: unknown[]; stack?: string };
const series = (option: { series?: unknown }) => option.series as Series[];

const level1 = [
  { categoryId: 1, name: '贯彻落实', count: 5 },
  { categoryId: 2, name: '不正之风', count: 0 },
  { categoryId: 3, name: '基层党建', count: 2 },
];
const level2 = [
  { categoryId: 11, parentId: 1, name: '理论学习不深入', count: 3 },
  { categoryId: 12, parentId: 1, name: '决策部署落实不力', count: 2 },
  { categoryId: 21, parentId: 2, name: '八项规定', count: 0 },
  { categoryId: 31, parentId: 3, name: '组织生活不规范', count: 2 },
  { categoryId: 32, parentId: 3, name: '选人用人', count: 0 },
];

describe('buildLevel1BarOption', () => {
  it('has one bar per level-1 category with its count', () => {
    const option = buildLevel1BarOption(level1, { findings: '问题数' });
    expect((series(option)[0].data as { value: number }[]).map((d) => d.value)).toEqual([5, 0, 2]);
    expect((option.yAxis as { data: string[] }).data).toEqual(['贯彻落实', '不正之风', '基层党建']);
  });

  it('keeps a long name whole on the axis, cuts it in the label and lets the label be hovered', () => {
    const long = '贯彻落实党的路线方针政策和上级决策部署';
    const axis = buildLevel1BarOption([{ categoryId: 1, name: long, count: 3 }], { findings: '问题数' }).yAxis as {
      data: string[];
      triggerEvent: boolean;
      axisLabel: { formatter: (name: string) => string };
    };
    expect(axis.data).toEqual([long]);
    expect(axis.axisLabel.formatter(long)).toBe('贯彻落实党的路线…');
    expect(axis.triggerEvent).toBe(true);
  });
});

describe('buildCategoryTreeOption', () => {
  it('nests level 2 under level 1, leaves zero counts out and keeps the ids for the drill', () => {
    const [sunburst] = series(buildCategoryTreeOption(level1, level2, { findings: '问题数' }));
    expect(sunburst.type).toBe('sunburst');
    const data = sunburst.data as { categoryId: number; value: number; children: { categoryId: number; value: number }[] }[];
    expect(data.map((d) => [d.categoryId, d.value, d.children.map((c) => [c.categoryId, c.value])])).toEqual([
      [
        1,
        5,
        [
          [11, 3],
          [12, 2],
        ],
      ],
      [3, 2, [[31, 2]]],
    ]);
  });
});

describe('buildRegionCategoryHeatmapOption', () => {
  it('fills every county × category cell, zeros included, as [x, y, count]', () => {
    const option = buildRegionCategoryHeatmapOption(
      [
        { regionId: 10, categoryId: 1, count: 4 },
        { regionId: 20, categoryId: 3, count: 7 },
      ],
      [
        { id: 10, name: '东城区' },
        { id: 20, name: '西山县' },
      ],
      [
        { id: 1, name: '贯彻落实' },
        { id: 3, name: '基层党建' },
      ],
      { findings: '问题数' },
    );
    expect(series(option)[0].data).toEqual([
      [0, 0, 4],
      [1, 0, 0],
      [0, 1, 0],
      [1, 1, 7],
    ]);
    expect((option.visualMap as { max: number }).max).toBe(7);
  });
});

describe('buildQuarterlyTrendOption', () => {
  it('stacks level-1 categories by quarter, fills missing quarters and adds the total', () => {
    const option = buildQuarterlyTrendOption(
      [
        { quarter: '2024Q4', categoryId: 1, count: 2 },
        { quarter: '2025Q2', categoryId: 1, count: 1 },
        { quarter: '2025Q2', categoryId: 3, count: 4 },
      ],
      [
        { id: 1, name: '贯彻落实' },
        { id: 3, name: '基层党建' },
      ],
      { total: '合计' },
    );
    expect((option.xAxis as { data: string[] }).data).toEqual(['2024Q4', '2025Q1', '2025Q2']);
    expect(series(option).map((s) => [s.type, s.name, s.stack, s.data])).toEqual([
      ['bar', '贯彻落实', 'findings', [2, 0, 1]],
      ['bar', '基层党建', 'findings', [0, 0, 4]],
      ['line', '合计', undefined, [2, 0, 5]],
    ]);
  });

  it('draws the as-of quarter as partial when the day is not its last: hatched bars, a dashed total, a label', () => {
    const rows = [
      { quarter: '2026Q3', categoryId: 1, count: 6 },
      { quarter: '2026Q4', categoryId: 1, count: 2 },
    ];
    const option = buildQuarterlyTrendOption(rows, [{ id: 1, name: '贯彻落实' }], { total: '合计', partial: (day) => `截至${day}` }, '2026-11-15');
    const [bars, solid, dashed] = series(option) as { data: unknown[]; lineStyle?: { type?: string } }[];
    expect(bars.data[0]).toBe(6);
    expect(bars.data[1]).toMatchObject({ value: 2, itemStyle: { opacity: 0.55 } });
    expect([solid.data, solid.lineStyle?.type]).toEqual([[6, null], undefined]);
    expect([dashed.data, dashed.lineStyle?.type]).toEqual([[6, 2], 'dashed']);
    const label = (option.xAxis as { axisLabel: { formatter: (q: string, i: number) => string } }).axisLabel.formatter;
    expect([label('2026Q3', 0), label('2026Q4', 1)]).toEqual(['2026Q3', '2026Q4\n截至11-15']);
    // on a quarter's last day the quarter is whole: nothing marked
    expect(series(buildQuarterlyTrendOption(rows, [{ id: 1, name: '贯彻落实' }], { total: '合计' }, '2026-12-31'))).toHaveLength(2);
  });

  it('has no quarters and no counts for no rows', () => {
    const option = buildQuarterlyTrendOption([], [{ id: 1, name: '贯彻落实' }], { total: '合计' });
    expect((option.xAxis as { data: string[] }).data).toEqual([]);
  });

  it('counts quarters across years', () => {
    expect(quarterRange('2023Q3', '2024Q2')).toEqual(['2023Q3', '2023Q4', '2024Q1', '2024Q2']);
  });
});
