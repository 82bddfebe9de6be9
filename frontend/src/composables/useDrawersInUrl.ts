import { watch } from 'vue';
import { useRoute, useRouter, type LocationQuery } from 'vue-router';
import { useAuthStore } from '../stores/auth';
import { useDrillStore, type DrillRequest } from '../stores/drill';

/** A drill list as the URL carries it (`?drill=<JSON>`), or undefined when it is not one. */
export function drillFromUrl(raw: unknown): DrillRequest | undefined {
  if (typeof raw !== 'string' || raw.length > 2000) return undefined;
  try {
    const value = JSON.parse(raw) as { kind?: unknown; title?: unknown; query?: unknown };
    if ((value.kind !== 'tasks' && value.kind !== 'findings') || typeof value.title !== 'string') return undefined;
    if (typeof value.query !== 'object' || value.query === null || Array.isArray(value.query)) return undefined;
    const query = Object.fromEntries(
      Object.entries(value.query)
        .filter(([, v]) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
        .map(([k, v]) => [k, String(v)]),
    );
    return { kind: value.kind, title: value.title, query };
  } catch {
    return undefined;
  }
}

/**
 * The open drawers live in the URL, so a link to one task or one drill list can be sent:
 * `?task=<id>` for the task drawer, `?drill=<JSON of the list>` for a drill drawer. Opening
 * the link opens the drawer; opening or closing a drawer updates the URL (replacing the
 * entry, so Back leaves the page rather than stepping through drawers).
 */
export function useDrawersInUrl(): void {
  const route = useRoute();
  const router = useRouter();
  const drill = useDrillStore();
  const auth = useAuthStore();

  const fromUrl = () => {
    if (route.name === 'login' || !auth.can.read) return;
    const raw = route.query.task;
    const id = typeof raw === 'string' && /^\d{1,15}$/.test(raw) ? Number(raw) : undefined;
    if (id !== undefined && drill.taskId !== id) drill.openTask(id);
    if (id === undefined && drill.taskId !== undefined) drill.closeTask();
    const list = drillFromUrl(route.query.drill);
    if (list && JSON.stringify(list) !== JSON.stringify(drill.list)) drill.openList(list);
    if (!list && drill.list !== undefined) drill.closeList();
  };
  // registered after App's own watch on the user (which closes everything): a link's drawers open again once signed in
  watch([() => route.query.task, () => route.query.drill, () => auth.me?.id], fromUrl, { immediate: true });

  const write = (name: 'task' | 'drill', next: string | undefined) => {
    if (route.name === 'login' || auth.me === undefined) return;
    const current = typeof route.query[name] === 'string' ? route.query[name] : undefined;
    if (current === next) return;
    const query: LocationQuery = { ...route.query };
    if (next === undefined) delete query[name];
    else query[name] = next;
    void router.replace({ query });
  };
  watch(
    () => drill.taskId,
    (id) => write('task', id === undefined ? undefined : String(id)),
  );
  watch(
    () => drill.list,
    (list) => write('drill', list === undefined ? undefined : JSON.stringify(list)),
  );
}
