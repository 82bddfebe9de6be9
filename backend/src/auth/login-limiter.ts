/**
 * Failed sign-ins counted per username and per client address in a sliding window. Past
 * the limit, further attempts are refused (429) without checking the password until the
 * oldest failure leaves the window. In memory: one app process counts its own attempts.
 *
 * An attempt is counted as a failure when it begins (`begin`), before the slow password
 * check, and taken back when it succeeds: so many attempts sent at once cannot all pass
 * the limit while their checks are still running.
 */
export class LoginLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limits = { perUser: 5, perAddress: 20, windowMs: 15 * 60_000 },
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds until another attempt is allowed, or 0 when one is allowed now. */
  retryAfter(username: string, address: string): number {
    const wait = Math.max(this.wait(`u:${username.toLowerCase()}`, this.limits.perUser), this.wait(`a:${address}`, this.limits.perAddress));
    return Math.ceil(wait / 1000);
  }

  /**
   * Starts an attempt: when one is allowed, counts it as a failure at once and returns 0;
   * otherwise returns the seconds to wait (and counts nothing).
   */
  begin(username: string, address: string): number {
    const wait = this.retryAfter(username, address);
    if (wait === 0) this.failed(username, address);
    return wait;
  }

  failed(username: string, address: string): void {
    for (const key of [`u:${username.toLowerCase()}`, `a:${address}`]) this.failures.set(key, [...this.recent(key), this.now()]);
    if (this.failures.size > 100_000) this.prune();
  }

  /** Forgets the username's failures, and takes back the address's count of this attempt. */
  succeeded(username: string, address?: string): void {
    this.failures.delete(`u:${username.toLowerCase()}`);
    if (address === undefined) return;
    const recent = this.recent(`a:${address}`);
    if (recent.length > 0) this.failures.set(`a:${address}`, recent.slice(0, -1));
  }

  private wait(key: string, limit: number): number {
    const recent = this.recent(key);
    if (recent.length < limit) return 0;
    return recent[recent.length - limit] + this.limits.windowMs - this.now();
  }

  private recent(key: string): number[] {
    const since = this.now() - this.limits.windowMs;
    const kept = (this.failures.get(key) ?? []).filter((t) => t > since);
    if (kept.length === 0) this.failures.delete(key);
    else this.failures.set(key, kept);
    return kept;
  }

  private prune(): void {
    for (const key of [...this.failures.keys()]) this.recent(key);
  }
}
