import { shanghaiToday } from './calendar';

describe('shanghaiToday', () => {
  it('is the Shanghai calendar day, eight hours ahead of UTC', () => {
    expect(shanghaiToday(new Date('2026-03-31T15:59:59Z'))).toBe('2026-03-31');
    expect(shanghaiToday(new Date('2026-03-31T16:00:00Z'))).toBe('2026-04-01');
  });
});
