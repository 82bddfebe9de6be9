import { formatShanghai } from './time';

describe('Beijing time', () => {
  it('shows an instant in Asia/Shanghai (UTC+8, no daylight saving)', () => {
    expect(formatShanghai('2026-11-24T07:15:59.123Z')).toBe('2026-11-24 15:15:59');
    expect(formatShanghai('2026-06-30T16:00:00Z')).toBe('2026-07-01 00:00:00');
    expect(formatShanghai('2026-12-31T23:59:59+08:00')).toBe('2026-12-31 23:59:59');
  });

  it('gives undefined for nothing or a bad value', () => {
    expect(formatShanghai(null)).toBeUndefined();
    expect(formatShanghai('')).toBeUndefined();
    expect(formatShanghai('yesterday')).toBeUndefined();
  });
});
