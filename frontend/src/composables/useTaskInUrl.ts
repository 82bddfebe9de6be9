import { watch } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import { useAuthStore } from '../stores/auth';
import { useDrillStore } from '../stores/drill';

/**
 * The open task drawer lives in the URL as `?task=<id>`, so a link to one task can be sent:
 * opening the link opens the drawer, and opening or closing the drawer updates the URL
 * (replacing the entry, so Back leaves the page rather than stepping through drawers).
 */
export function useTaskInUrl(): void {
  const route = useRoute();
  const router = useRouter();
  const drill = useDrillStore();
  const auth = useAuthStore();

  const fromUrl = () => {
    const raw = route.query.task;
    const id = typeof raw === 'string' && /^\d{1,15}$/.test(raw) ? Number(raw) : undefined;
    if (id !== undefined && auth.can.read && drill.taskId !== id) drill.openTask(id);
    if (id === undefined && typeof raw !== 'string' && drill.taskId !== undefined && route.name !== 'login') drill.closeTask();
  };
  // registered after App's own watch on the user (which closes everything): a link's task opens again once signed in
  watch([() => route.query.task, () => auth.me?.id], fromUrl, { immediate: true });

  watch(
    () => drill.taskId,
    (id) => {
      if (route.name === 'login' || auth.me === undefined) return;
      const current = typeof route.query.task === 'string' ? route.query.task : undefined;
      const next = id === undefined ? undefined : String(id);
      if (current === next) return;
      const query = { ...route.query };
      if (next === undefined) delete query.task;
      else query.task = next;
      void router.replace({ query });
    },
  );
}
