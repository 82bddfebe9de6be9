import { buildCoverageByCountyOption, buildCoverageByUnitCategoryOption, type CoverageBarRow } from './coverage';
import { BAND_GRID } from './layout';

const labels = { rate: '覆盖率', pace: '时间进度', covered: '已覆盖' };
const rows: CoverageBarRow[] = [
  { name: '东城区', inScope: 20, covered: 15, rate: 0.75, pace: 0.5 },
  { name: '西山县', inScope: 8, covered: 2, rate: 0.25, pace: 0.62345 },
  { name: '市本级', inScope: 0, covered: 0, rate: null, pace: null },
];

type Series = { type: string; name: string; data: unknown[]; markLine?: { data: unknown[] } };
const series = (option: { series?: unknown }) => option.series as Series[];

describe('buildCoverageByCountyOption', () => {
  it('draws each county’s coverage rate and its pace in percent points, counties top to bottom', () => {
    const option = buildCoverageByCountyOption(rows, labels);
    expect((option.yAxis as { data: string[]; inverse: boolean }).data).toEqual(['东城区', '西山县', '市本级']);
    expect((option.yAxis as { inverse: boolean }).inverse).toBe(true);
    const [rate, pace] = series(option);
    expect(rate).toMatchObject({ type: 'bar', name: '覆盖率', data: [75, 25, null] });
    expect(pace).toMatchObject({ type: 'scatter', name: '时间进度', data: [50, 62.3, null] });
  });

  it('labels each bar with the rate and its fraction', () => {
    const [rate] = series(buildCoverageByCountyOption(rows, labels)) as unknown as { label: { formatter: (p: { dataIndex: number }) => string } }[];
    expect(rate.label.formatter({ dataIndex: 0 })).toBe('75.0% 15/20');
    expect(rate.label.formatter({ dataIndex: 2 })).toBe('— 0/0');
  });

  it('keeps the grid fixed so bar positions follow from the chart box', () => {
    expect(buildCoverageByCountyOption(rows, labels).grid).toEqual({ ...BAND_GRID, outerBoundsMode: 'none' });
  });

  it('is pure: same rows, same option; the rows are not changed', () => {
    const copy = structuredClone(rows);
    const a = JSON.stringify(buildCoverageByCountyOption(rows, labels));
    const b = JSON.stringify(buildCoverageByCountyOption(rows, labels));
    expect(a).toBe(b);
    expect(rows).toEqual(copy);
  });
});

describe('buildCoverageByUnitCategoryOption', () => {
  it('draws the rate per unit category and the overall pace as a line', () => {
    const option = buildCoverageByUnitCategoryOption(rows.slice(0, 2), 0.4, labels);
    const [bar] = series(option);
    expect(bar.data).toEqual([75, 25]);
    expect(bar.markLine?.data).toEqual([{ yAxis: 40 }]);
  });

  it('draws no pace line when there is no pace', () => {
    const [bar] = series(buildCoverageByUnitCategoryOption(rows.slice(0, 2), null, labels));
    expect(bar.markLine).toBeUndefined();
  });
});
