import { WarehouseError } from './errors';

/**
 * A fixed set of connections, each lent to one piece of work at a time; work waits in
 * arrival order when every connection is busy. chDB runs one statement at a time per
 * connection (and the parameter settings of a statement must stay with it), while several
 * connections to the same data directory run at once: so a slow query occupies one
 * connection and the others keep answering.
 */
export class SessionPool<S> {
  private readonly idle: S[];
  private readonly waiting: { resolve: (session: S) => void; reject: (error: Error) => void }[] = [];
  private closed = false;

  constructor(
    readonly sessions: readonly S[],
    private readonly closedError: () => Error = () => new WarehouseError('the pool is closed'),
  ) {
    if (sessions.length === 0) throw new WarehouseError('a session pool needs at least one session');
    this.idle = [...sessions];
  }

  /** Runs `work` with a connection of its own for as long as it takes. */
  async use<T>(work: (session: S) => Promise<T>): Promise<T> {
    const session = await this.acquire();
    try {
      return await work(session);
    } finally {
      this.release(session);
    }
  }

  /** Refuses new and waiting work; work under way finishes on its connection. */
  close(): void {
    this.closed = true;
    for (const waiter of this.waiting.splice(0)) waiter.reject(this.closedError());
  }

  private acquire(): Promise<S> {
    if (this.closed) return Promise.reject(this.closedError());
    const session = this.idle.pop();
    if (session !== undefined) return Promise.resolve(session);
    return new Promise<S>((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  private release(session: S): void {
    const next = this.waiting.shift();
    if (next) next.resolve(session);
    else this.idle.push(session);
  }
}
