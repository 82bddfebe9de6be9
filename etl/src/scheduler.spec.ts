import { startScheduler } from './scheduler';

describe('startScheduler', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('runs every interval, one run at a time, and backs off after failures', async () => {
    const starts: number[] = [];
    let fail = 2;
    const scheduler = startScheduler({
      intervalMs: 1000,
      job: async () => {
        starts.push(Date.now());
        if (fail-- > 0) throw new Error('warehouse down');
      },
      onError: () => undefined,
    });
    const t0 = Date.now();
    await jest.advanceTimersByTimeAsync(1000); // first run fails → next after 2 s
    await jest.advanceTimersByTimeAsync(2000); // second fails → next after 4 s
    await jest.advanceTimersByTimeAsync(4000); // third succeeds → back to 1 s
    await jest.advanceTimersByTimeAsync(1000);
    expect(starts.map((s) => s - t0)).toEqual([1000, 3000, 7000, 8000]);
    await scheduler.stop();
  });

  it('runNow joins a run under way instead of starting a second', async () => {
    let release!: () => void;
    let runs = 0;
    const scheduler = startScheduler({
      intervalMs: 60_000,
      job: () => {
        runs += 1;
        return new Promise<void>((resolve) => (release = resolve));
      },
    });
    const a = scheduler.runNow();
    const b = scheduler.runNow();
    expect(a).toBe(b);
    release();
    await a;
    expect(runs).toBe(1);
    await scheduler.stop();
  });
});
