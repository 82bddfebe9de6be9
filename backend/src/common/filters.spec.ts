import { DATE_RANGE, isoDate } from './filters';

describe('isoDate', () => {
  const message = (value: string) => {
    const result = isoDate.safeParse(value);
    return result.success ? 'ok' : result.error.issues.map((i) => i.message).join(' | ');
  };

  it('takes real days from 1970-01-01 to 2100-12-31, which ClickHouse’s Date holds too', () => {
    expect(DATE_RANGE).toEqual({ first: '1970-01-01', last: '2100-12-31' });
    for (const day of ['1970-01-01', '2026-02-28', '2024-02-29', '2100-12-31']) expect(message(day)).toBe('ok');
  });

  it('says the range, Chinese first, for a day outside it', () => {
    for (const day of ['1969-12-31', '1900-01-01', '2101-01-01', '2149-06-06', '2200-01-01']) {
      expect(message(day)).toBe('须在 1970-01-01 至 2100-12-31 之间 must lie from 1970-01-01 to 2100-12-31');
    }
  });

  it('says only that a day is not real when it is not (no range message besides)', () => {
    expect(message('2026-02-30')).toBe('is not a real calendar day');
    expect(message('1969-02-30')).toBe('is not a real calendar day');
    expect(message('2026-1-1')).toMatch(/^must be a date as YYYY-MM-DD/);
  });
});
