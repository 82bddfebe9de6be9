import { watch } from 'vue';
import { useRoute, useRouter, type LocationQuery } from 'vue-router';
import { i18n } from '../i18n';
import { ownCountyQuery, type LinkQuery } from '../lib/county-link';
import { useAuthStore } from '../stores/auth';
import { useDrillStore, type DrillRequest } from '../stores/drill';
import { useOptionsStore } from '../stores/options';

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
 * entry, so Back leaves the page rather than stepping through drawers). A county user's
 * link to another county's list is not opened (the server would refuse it): the page stays,
 * in their county, with a short notice.
 */
export function useDrawersInUrl(): void {
  const route = useRoute();
  const router = useRouter();
  const drill = useDrillStore();
  const auth = useAuthStore();
  const options = useOptionsStore();

  /** Whether a county user's drill list names a region or round outside their county. */
  const foreign = async (list: DrillRequest): Promise<boolean> => {
    const county = auth.me?.region;
    const query = list.query as LinkQuery;
    if (!county || (query.regionId === undefined && query.roundId === undefined)) return false;
    await options.load();
    if (!options.data) return false;
    const regions = new Set<number>();
    const walk = (r: { id: number; children?: unknown[] }) => {
      regions.add(r.id);
      for (const child of (r.children ?? []) as { id: number }[]) walk(child);
    };
    for (const city of options.data.regions) for (const c of city.children) walk(c);
    return ownCountyQuery(query, county.id, regions, new Set(options.data.rounds.map((r) => r.id))) !== undefined;
  };

  const fromUrl = () => {
    if (route.name === 'login' || !auth.can.read) return;
    const raw = route.query.task;
    const id = typeof raw === 'string' && /^\d{1,15}$/.test(raw) ? Number(raw) : undefined;
    if (id !== undefined && drill.taskId !== id) drill.openTask(id);
    if (id === undefined && drill.taskId !== undefined) drill.closeTask();
    const list = drillFromUrl(route.query.drill);
    if (list && JSON.stringify(list) !== JSON.stringify(drill.list)) {
      void foreign(list).then((outside) => {
        if (!outside) return drill.openList(list);
        write('drill', undefined);
        void import('../lib/notify').then(({ notifyInfo }) => notifyInfo(i18n.global.t('countyLink.moved', { county: auth.me?.region?.name ?? '' })));
      });
    }
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
