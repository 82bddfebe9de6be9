import { pinShanghaiToday, shanghaiToday } from './calendar';

describe('shanghaiToday', () => {
  afterEach(() => pinShanghaiToday(undefined));

  it('is the Asia/Shanghai day of the time given', () => {
    expect(shanghaiToday(new Date('2026-12-02T15:59:59Z'))).toBe('2026-12-02');
    expect(shanghaiToday(new Date('2026-12-02T16:00:00Z'))).toBe('2026-12-03');
  });

  it('answers the pinned day until unpinned, and a given time as it is', () => {
    pinShanghaiToday('2024-02-29');
    expect(shanghaiToday()).toBe('2024-02-29');
    expect(shanghaiToday(new Date('2026-12-02T16:00:00Z'))).toBe('2026-12-03');
    pinShanghaiToday(undefined);
    expect(shanghaiToday()).toBe(shanghaiToday(new Date()));
  });
});
