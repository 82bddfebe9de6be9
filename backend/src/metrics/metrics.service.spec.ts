import { daysBetween, nearestRank, ratio } from './metrics.service';

describe('nearestRank', () => {
  it('takes the value at rank ⌈p·n⌉ of the sorted list', () => {
    // sorted: 1 2 2 5 9 9 9 10 30 40 (n = 10): median rank 5 → 9; p90 rank 9 → 30
    const histogram = [
      { days: 1, n: 1 },
      { days: 2, n: 2 },
      { days: 5, n: 1 },
      { days: 9, n: 3 },
      { days: 10, n: 1 },
      { days: 30, n: 1 },
      { days: 40, n: 1 },
    ];
    expect(nearestRank(histogram, 0.5)).toBe(9);
    expect(nearestRank(histogram, 0.9)).toBe(30);
  });

  it('handles one value and none', () => {
    expect(nearestRank([{ days: 7, n: 1 }], 0.9)).toBe(7);
    expect(nearestRank([], 0.5)).toBeNull();
    // n = 3: median rank ⌈1.5⌉ = 2
    expect(
      nearestRank(
        [
          { days: 0, n: 1 },
          { days: 4, n: 2 },
        ],
        0.5,
      ),
    ).toBe(4);
  });
});

describe('ratio and days', () => {
  it('gives null for an empty denominator', () => {
    expect(ratio(0, 0)).toEqual({ numerator: 0, denominator: 0, rate: null });
    expect(ratio(1, 4).rate).toBe(0.25);
  });

  it('counts calendar days, across a leap day', () => {
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
    expect(daysBetween('2025-01-01', '2025-01-01')).toBe(0);
  });
});
