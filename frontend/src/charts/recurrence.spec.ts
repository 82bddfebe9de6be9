import { buildRecurrenceBarsOption } from './recurrence';

describe('buildRecurrenceBarsOption', () => {
  it('draws the repeat and rebound rates of each group in percent points', () => {
    const option = buildRecurrenceBarsOption(
      [
        { name: '东城区', reinspectionFindings: 8, repeats: 2, closedReinspected: 4, rebounds: 1 },
        { name: '西山县', reinspectionFindings: 0, repeats: 0, closedReinspected: 3, rebounds: 3 },
      ],
      { repeat: '同类问题重复率', rebound: '反弹率' },
    );
    const [repeat, rebound] = option.series as { name: string; data: unknown[]; label: { formatter: (p: { dataIndex: number }) => string } }[];
    expect([repeat.name, repeat.data]).toEqual(['同类问题重复率', [25, null]]);
    expect([rebound.name, rebound.data]).toEqual(['反弹率', [25, 100]]);
    expect(repeat.label.formatter({ dataIndex: 1 })).toBe('— 0/0');
    expect(rebound.label.formatter({ dataIndex: 1 })).toBe('100.0% 3/3');
  });
});
