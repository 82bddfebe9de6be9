import { onScopeDispose, shallowRef, watch, type ShallowRef } from 'vue';

export interface ApiState<T> {
  data: ShallowRef<T | undefined>;
  error: ShallowRef<Error | undefined>;
  loading: ShallowRef<boolean>;
  reload: () => Promise<void>;
}

/**
 * Calls `fetcher` with `args()` now and whenever the arguments change (compared as JSON),
 * aborting the call before. Returns refs: the data of the latest call, its error (the data
 * is dropped then, so nothing stale is shown as current) and whether a call is running.
 * `args()` returning undefined waits.
 */
export function useApi<A, T>(args: () => A | undefined, fetcher: (args: A, signal: AbortSignal) => Promise<T>): ApiState<T> {
  const data = shallowRef<T>();
  const error = shallowRef<Error>();
  const loading = shallowRef(false);
  let controller: AbortController | undefined;

  async function run(): Promise<void> {
    const current = args();
    if (current === undefined) return;
    controller?.abort();
    const mine = new AbortController();
    controller = mine;
    loading.value = true;
    error.value = undefined;
    try {
      const value = await fetcher(current, mine.signal);
      if (controller === mine) data.value = value;
    } catch (cause) {
      if (controller !== mine || mine.signal.aborted) return;
      data.value = undefined;
      error.value = cause instanceof Error ? cause : new Error(String(cause));
    } finally {
      if (controller === mine) loading.value = false;
    }
  }

  watch(
    () => JSON.stringify(args() ?? null),
    () => void run(),
    { immediate: true },
  );
  onScopeDispose(() => controller?.abort());
  return { data, error, loading, reload: run };
}
