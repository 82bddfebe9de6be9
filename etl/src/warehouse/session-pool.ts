import { AsyncLocalStorage } from 'node:async_hooks';
import { WarehouseError } from './errors';

/**
 * Work that may be slow and that nobody waits for in a hurry: the warehouse queries of an
 * answer not yet kept (the response cache's misses). Marked by running it inside
 * `asSlowWork`, which numbers it (its ticket: earlier work, a smaller number); everything
 * else (the ETL, the dimensions, kept answers' checks) is ordinary.
 */
const slowWork = new AsyncLocalStorage<number | undefined>();
let lastTicket = 0;

/** Runs `work` (and every warehouse statement it starts) as slow work, after the slow work begun before it. */
export function asSlowWork<T>(work: () => Promise<T>): Promise<T> {
  lastTicket += 1;
  return slowWork.run(lastTicket, work);
}

/** Runs `work` as ordinary work, also when called from slow work (a shared read that others await). */
export function asOrdinaryWork<T>(work: () => Promise<T>): Promise<T> {
  return slowWork.run(undefined, work);
}

interface Waiter<S> {
  resolve: (session: S) => void;
  reject: (error: Error) => void;
}

interface SlowWaiter<S> extends Waiter<S> {
  ticket: number;
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
 * so the ETL and the small reads keep going while they queue. Among itself it is served by
 * ticket, not by statement: an answer's next statement goes before the statements of
 * answers asked for after it, so an answer of seven statements does not wait for the whole
 * queue seven times (under a burst that made the first answers asked for the last to finish).
 */
export class SessionPool<S> {
  private readonly idle: S[];
  private readonly waiting: Waiter<S>[] = [];
  /** By ticket, the earliest first. */
  private readonly slowWaiting: SlowWaiter<S>[] = [];
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
    const ticket = slowWork.getStore();
    const slow = ticket !== undefined;
    const session = await this.acquire(ticket);
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

  private acquire(ticket: number | undefined): Promise<S> {
    if (this.closed) return Promise.reject(this.closedError());
    const slow = ticket !== undefined;
    if (!slow || this.slowBusy < this.slowLimit) {
      const session = this.idle.pop();
      if (session !== undefined) {
        if (slow) this.slowBusy += 1;
        return Promise.resolve(session);
      }
    }
    return new Promise<S>((resolve, reject) => {
      if (ticket === undefined) return void this.waiting.push({ resolve, reject });
      // after every waiter with a ticket up to this one (tens wait at most: a scan is enough)
      let at = this.slowWaiting.length;
      while (at > 0 && this.slowWaiting[at - 1].ticket > ticket) at -= 1;
      this.slowWaiting.splice(at, 0, { resolve, reject, ticket });
    });
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
