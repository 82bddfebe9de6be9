import { AsyncLocalStorage } from 'node:async_hooks';
import { WarehouseError } from './errors';

/**
 * Work that may be slow and that nobody waits for in a hurry: the warehouse queries of an
 * answer not yet kept (the response cache's misses). Marked by running it inside
 * `asSlowWork`; everything else (the ETL, the dimensions, kept answers' checks) is ordinary.
 */
const slowWork = new AsyncLocalStorage<boolean>();

/** Runs `work` (and every warehouse statement it starts) as slow work. */
export function asSlowWork<T>(work: () => Promise<T>): Promise<T> {
  return slowWork.run(true, work);
}

/** Runs `work` as ordinary work, also when called from slow work (a shared read that others await). */
export function asOrdinaryWork<T>(work: () => Promise<T>): Promise<T> {
  return slowWork.run(false, work);
}

interface Waiter<S> {
  resolve: (session: S) => void;
  reject: (error: Error) => void;
}

/**
 * A fixed set of connections, each lent to one piece of work at a time; work waits in
 * arrival order when every connection is busy. chDB runs one statement at a time per
 * connection (and the parameter settings of a statement must stay with it), while several
 * connections to the same data directory run at once: so a slow query occupies one
 * connection and the others keep answering.
 *
 * Slow work (`asSlowWork`) holds at most `slowLimit` connections at once and waits behind
 * ordinary work: uncached analytic queries cannot take every connection (nor both cores),
 * so the ETL and the small reads keep going while they queue.
 */
export class SessionPool<S> {
  private readonly idle: S[];
  private readonly waiting: Waiter<S>[] = [];
  private readonly slowWaiting: Waiter<S>[] = [];
  private slowBusy = 0;
  private closed = false;
  readonly slowLimit: number;

  constructor(
    readonly sessions: readonly S[],
    private readonly closedError: () => Error = () => new WarehouseError('the pool is closed'),
    slowLimit = sessions.length,
  ) {
    if (sessions.length === 0) throw new WarehouseError('a session pool needs at least one session');
    this.idle = [...sessions];
    this.slowLimit = Math.max(1, Math.min(slowLimit, sessions.length));
  }

  /** Runs `work` with a connection of its own for as long as it takes. */
  async use<T>(work: (session: S) => Promise<T>): Promise<T> {
    const slow = slowWork.getStore() === true;
    const session = await this.acquire(slow);
    try {
      return await work(session);
    } finally {
      if (slow) this.slowBusy -= 1;
      this.release(session);
    }
  }

  /** Refuses new and waiting work; work under way finishes on its connection. */
  close(): void {
    this.closed = true;
    for (const waiter of [...this.waiting.splice(0), ...this.slowWaiting.splice(0)]) waiter.reject(this.closedError());
  }

  private acquire(slow: boolean): Promise<S> {
    if (this.closed) return Promise.reject(this.closedError());
    if (!slow || this.slowBusy < this.slowLimit) {
      const session = this.idle.pop();
      if (session !== undefined) {
        if (slow) this.slowBusy += 1;
        return Promise.resolve(session);
      }
    }
    return new Promise<S>((resolve, reject) => (slow ? this.slowWaiting : this.waiting).push({ resolve, reject }));
  }

  private release(session: S): void {
    const next = this.waiting.shift();
    if (next) return next.resolve(session);
    if (this.slowBusy < this.slowLimit) {
      const slow = this.slowWaiting.shift();
      if (slow) {
        this.slowBusy += 1;
        return slow.resolve(session);
      }
    }
    this.idle.push(session);
  }
}
