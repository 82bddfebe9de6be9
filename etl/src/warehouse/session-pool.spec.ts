import { asOrdinaryWork, asSlowWork, SessionPool } from './session-pool';

/** A promise settled from outside. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe('SessionPool', () => {
  it('lets fast work finish on another session while slow work holds one', async () => {
    const pool = new SessionPool(['a', 'b']);
    const done: string[] = [];
    const slowGate = gate();
    const slow = pool.use(async (session) => {
      await slowGate.promise;
      done.push(`slow on ${session}`);
    });
    const fast = pool.use(async (session) => {
      done.push(`fast on ${session}`);
    });
    await fast;
    expect(done).toEqual(['fast on a']);
    slowGate.open();
    await slow;
    expect(done).toEqual(['fast on a', 'slow on b']);
  });

  it('lends a session to one piece of work at a time, the waiting in arrival order', async () => {
    const pool = new SessionPool(['only']);
    const order: string[] = [];
    const first = gate();
    const jobs = [
      pool.use(async () => {
        order.push('1 start');
        await first.promise;
        order.push('1 end');
      }),
      pool.use(async () => void order.push('2')),
      pool.use(async () => void order.push('3')),
    ];
    await Promise.resolve();
    expect(order).toEqual(['1 start']);
    first.open();
    await Promise.all(jobs);
    expect(order).toEqual(['1 start', '1 end', '2', '3']);
  });

  it('gives a session back after a failure', async () => {
    const pool = new SessionPool(['only']);
    await expect(pool.use(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(pool.use(async (session) => session)).resolves.toBe('only');
  });

  it('refuses waiting and new work once closed; work under way finishes', async () => {
    const pool = new SessionPool(['only'], () => new Error('closed'));
    const running = gate();
    const first = pool.use(async () => {
      await running.promise;
      return 'finished';
    });
    const waiting = pool.use(async () => 'never');
    pool.close();
    await expect(waiting).rejects.toThrow('closed');
    await expect(pool.use(async () => 'never')).rejects.toThrow('closed');
    running.open();
    await expect(first).resolves.toBe('finished');
  });

  it('lends slow work at most its share of the sessions; ordinary work takes the others at once', async () => {
    const pool = new SessionPool(['a', 'b', 'c'], undefined, 1);
    const slowGate = gate();
    const started: string[] = [];
    const slow = [1, 2, 3].map((n) =>
      asSlowWork(() =>
        pool.use(async (session) => {
          started.push(`slow ${n} on ${session}`);
          await slowGate.promise;
        }),
      ),
    );
    // two ordinary pieces of work run beside the first slow one, not behind the other two
    await pool.use(async (session) => started.push(`ordinary on ${session}`));
    await Promise.all([pool.use(async () => started.push('ordinary 2')), pool.use(async () => started.push('ordinary 3'))]);
    expect(started).toEqual(['slow 1 on c', 'ordinary on b', 'ordinary 2', 'ordinary 3']);
    slowGate.open();
    await Promise.all(slow);
    expect(started.slice(4)).toEqual(['slow 2 on c', 'slow 3 on c']);
  });

  it('hands a freed session to waiting ordinary work before waiting slow work', async () => {
    const pool = new SessionPool(['a', 'b'], undefined, 2);
    const hold = gate();
    const order: string[] = [];
    const holders = [1, 2].map(() => pool.use(() => hold.promise));
    const slow = asSlowWork(() => pool.use(async () => order.push('slow')));
    const ordinary = asOrdinaryWork(() => pool.use(async () => order.push('ordinary')));
    hold.open();
    await Promise.all([...holders, slow, ordinary]);
    expect(order).toEqual(['ordinary', 'slow']);
  });

  it("serves waiting slow work by when it began: an answer's next statement before later answers' statements", async () => {
    const pool = new SessionPool(['only'], undefined, 1);
    const order: string[] = [];
    const first = gate();
    // three answers, begun A, B, C; A has two statements, the second asked for once its first is done
    const a = asSlowWork(async () => {
      await pool.use(async () => {
        order.push('A1');
        await first.promise;
      });
      await pool.use(async () => void order.push('A2'));
    });
    const b = asSlowWork(() => pool.use(async () => void order.push('B1')));
    const c = asSlowWork(() => pool.use(async () => void order.push('C1')));
    first.open();
    await Promise.all([a, b, c]);
    // by statement it would be A1, B1, C1, A2: A, asked for first, finishing last
    expect(order).toEqual(['A1', 'B1', 'A2', 'C1']);
  });
});
