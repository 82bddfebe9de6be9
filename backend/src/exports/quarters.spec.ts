import { AppError } from '../common/http-exception.filter';
import { endedQuarter, lastEndedQuarter, lastEndedQuarters, quarterPeriod } from './quarters';

const messageOf = (work: () => unknown) => {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return ((error as AppError).getResponse() as { message: string }).message;
  }
  throw new Error('no error');
};

describe('quarters', () => {
  it('knows each quarter’s first and last day', () => {
    expect(quarterPeriod(2024, 1)).toEqual({ year: 2024, quarter: 1, start: '2024-01-01', end: '2024-03-31', yearStart: '2024-01-01', label: '2024年第1季度' });
    expect(quarterPeriod(2024, 2).end).toBe('2024-06-30');
    expect(quarterPeriod(2024, 3)).toMatchObject({ start: '2024-07-01', end: '2024-09-30' });
    expect(quarterPeriod(2024, 4)).toMatchObject({ start: '2024-10-01', end: '2024-12-31' });
  });

  it('takes a quarter whose last day is today or earlier', () => {
    expect(endedQuarter(2026, 2, '2026-07-01').end).toBe('2026-06-30');
    expect(endedQuarter(2026, 2, '2026-06-30').end).toBe('2026-06-30');
    expect(endedQuarter(2000, 1, '2026-07-01').start).toBe('2000-01-01');
  });

  it('refuses a quarter not over yet, or in the future, naming quarter; a year out of range naming year', () => {
    expect(messageOf(() => endedQuarter(2026, 3, '2026-08-15'))).toMatch(/^quarter: 2026年第3季度 has not ended yet \(it ends 2026-09-30\)/);
    expect(messageOf(() => endedQuarter(2026, 4, '2026-08-15'))).toMatch(/^quarter: 2026年第4季度 lies in the future/);
    expect(messageOf(() => endedQuarter(2026, 5, '2026-08-15'))).toMatch(/^quarter: /);
    expect(messageOf(() => endedQuarter(2027, 1, '2026-08-15'))).toBe('year: must be a year from 2000 to 2026');
    expect(messageOf(() => endedQuarter(1999, 4, '2026-08-15'))).toBe('year: must be a year from 2000 to 2026');
  });

  it('names the last quarter that ended before today (on a quarter’s last day, the one before it)', () => {
    expect(lastEndedQuarter('2026-11-24')).toEqual({ year: 2026, quarter: 3 });
    expect(lastEndedQuarter('2026-10-01')).toEqual({ year: 2026, quarter: 3 });
    expect(lastEndedQuarter('2026-09-30')).toEqual({ year: 2026, quarter: 2 });
    expect(lastEndedQuarter('2026-01-01')).toEqual({ year: 2025, quarter: 4 });
    expect(lastEndedQuarter('2026-03-31')).toEqual({ year: 2025, quarter: 4 });
  });

  it('lists the last ended quarters, the last one first, across years', () => {
    expect(lastEndedQuarters('2026-11-24', 1)).toEqual([{ year: 2026, quarter: 3 }]);
    expect(lastEndedQuarters('2026-05-01', 4)).toEqual([
      { year: 2026, quarter: 1 },
      { year: 2025, quarter: 4 },
      { year: 2025, quarter: 3 },
      { year: 2025, quarter: 2 },
    ]);
  });
});
