import { dayOf, outside, shanghaiToday } from './date-limits';

describe('date picker bounds', () => {
  it('excludes the day of `after`, includes `from` and `to`', () => {
    const b = { after: '2026-03-10', to: '2026-03-20' };
    expect(['2026-03-10', '2026-03-11', '2026-03-20', '2026-03-21'].map((d) => outside(d, b))).toEqual([true, false, false, true]);
    expect(['2026-02-28', '2026-03-01'].map((d) => outside(d, { from: '2026-03-01' }))).toEqual([true, false]);
    expect(outside('1999-01-01', {})).toBe(false);
  });
  it("is today's day in Beijing, not UTC", () => {
    expect(shanghaiToday(new Date('2026-03-10T16:30:00Z'))).toBe('2026-03-11');
    expect(shanghaiToday(new Date('2026-03-10T15:30:00Z'))).toBe('2026-03-10');
    expect(dayOf(new Date(2026, 0, 5))).toBe('2026-01-05');
  });
});
