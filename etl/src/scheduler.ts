/**
 * Runs a job every `intervalMs`, never two at once: the next run is scheduled when the
 * previous one ends. A failing run does not stop the schedule; after failures the wait
 * grows (backoff, up to `maxBackoffMs`) and returns to the interval after a success.
 */
export interface Scheduler {
  /** Runs the job now (or joins the run under way) and resolves with its outcome. */
  runNow(): Promise<void>;
  /** Stops scheduling and waits for a run under way to end. */
  stop(): Promise<void>;
}

export interface SchedulerOptions {
  intervalMs: number;
  maxBackoffMs?: number;
  job: () => Promise<void>;
  onError?: (error: unknown) => void;
}

export function startScheduler(options: SchedulerOptions): Scheduler {
  const maxBackoff = options.maxBackoffMs ?? 60_000;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  let failures = 0;

  const schedule = () => {
    if (stopped) return;
    const wait = failures === 0 ? options.intervalMs : Math.min(maxBackoff, options.intervalMs * 2 ** failures);
    timer = setTimeout(() => void runNow().catch(() => undefined), wait);
  };

  const runNow = (): Promise<void> => {
    if (running) return running;
    if (timer) clearTimeout(timer);
    running = (async () => {
      try {
        await options.job();
        failures = 0;
      } catch (error) {
        failures += 1;
        options.onError?.(error);
        throw error;
      } finally {
        running = undefined;
        schedule();
      }
    })();
    return running;
  };

  schedule();
  return {
    runNow,
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}
