import type { FindingListQuery, TaskListQuery } from '../api/endpoints';
import { drillQuery } from '../lib/drill-query';
import { useDrillStore } from '../stores/drill';
import { useOptionsStore } from '../stores/options';
import { useFilters } from './useFilters';

/**
 * Drill-downs from a chart: a round's bar filters the page to that round (a region's bar goes
 * down a level: useAreas); a category, a heatmap cell or an aging bucket opens the list of
 * what it counts, under the same filters (narrowed as lib/drill-query says: an element
 * outside the page's filter opens nothing).
 */
export function useDrill() {
  const store = useDrillStore();
  const options = useOptionsStore();
  const { filters, setFilters } = useFilters();
  return {
    toRound: (roundId: number) => setFilters({ roundId: String(roundId) }),
    findings: (title: string, extra: Partial<Record<keyof FindingListQuery, string>>) => {
      const query = drillQuery(filters.value, extra, options.parents);
      if (query) store.openList({ kind: 'findings', title, query: query as FindingListQuery });
    },
    tasks: (title: string, extra: Partial<Record<keyof TaskListQuery, string>>) => {
      const query = drillQuery(filters.value, extra, options.parents);
      if (query) store.openList({ kind: 'tasks', title, query: query as TaskListQuery });
    },
  };
}
