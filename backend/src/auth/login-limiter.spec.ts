import { LoginLimiter } from './login-limiter';

describe('LoginLimiter', () => {
  let now = 1_000_000;
  const limiter = () => new LoginLimiter({ perUser: 3, perAddress: 5, windowMs: 60_000 }, () => now);

  it('refuses a username after its limit of failures until the oldest leaves the window', () => {
    const l = limiter();
    for (let i = 0; i < 3; i++) {
      expect(l.retryAfter('staff', '10.0.0.1')).toBe(0);
      l.failed('staff', '10.0.0.1');
      now += 1000;
    }
    // failures at t0, t0+1s, t0+2s; now t0+3s: the first leaves at t0+60s → 57 s
    expect(l.retryAfter('STAFF', '10.0.0.9')).toBe(57);
    now += 57_000;
    expect(l.retryAfter('staff', '10.0.0.1')).toBe(0);
  });

  it('refuses an address that tries many usernames', () => {
    const l = limiter();
    for (let i = 0; i < 5; i++) l.failed(`user${i}`, '10.0.0.2');
    expect(l.retryAfter('someone-else', '10.0.0.2')).toBe(60);
    expect(l.retryAfter('someone-else', '10.0.0.3')).toBe(0);
  });

  it('forgets a username’s failures after a success', () => {
    const l = limiter();
    for (let i = 0; i < 3; i++) l.failed('leader', '10.0.0.4');
    l.succeeded('leader');
    expect(l.retryAfter('leader', '10.0.0.5')).toBe(0);
  });
});

describe('LoginLimiter.begin', () => {
  const now = 5_000_000;
  const limiter = () => new LoginLimiter({ perUser: 5, perAddress: 20, windowMs: 60_000 }, () => now);

  it('counts an attempt when it begins, so 40 attempts begun at once let only 5 through', () => {
    const l = limiter();
    const waits = Array.from({ length: 40 }, () => l.begin('staff', '10.0.1.1'));
    expect(waits.filter((w) => w === 0)).toHaveLength(5);
    expect(waits.filter((w) => w > 0)).toHaveLength(35);
  });

  it('takes back a successful attempt: the username is free and the address not charged', () => {
    const l = limiter();
    for (let i = 0; i < 4; i++) l.begin('leader', '10.0.1.2');
    expect(l.begin('leader', '10.0.1.2')).toBe(0);
    l.succeeded('leader', '10.0.1.2');
    expect(l.retryAfter('leader', '10.0.1.3')).toBe(0);
    // 4 failures left on the address, 16 more allowed before it waits
    for (let i = 0; i < 16; i++) expect(l.begin(`u${i}`, '10.0.1.2')).toBe(0);
    expect(l.begin('u99', '10.0.1.2')).toBe(60);
  });
});
