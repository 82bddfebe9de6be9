/**
 * Failed sign-ins counted per username and per client address in a sliding window. Past
 * the limit, further attempts are refused (429) without checking the password until the
 * oldest failure leaves the window. In memory: one app process counts its own attempts.
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

  failed(username: string, address: string): void {
    for (const key of [`u:${username.toLowerCase()}`, `a:${address}`]) this.failures.set(key, [...this.recent(key), this.now()]);
    if (this.failures.size > 100_000) this.prune();
  }

  succeeded(username: string): void {
    this.failures.delete(`u:${username.toLowerCase()}`);
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
