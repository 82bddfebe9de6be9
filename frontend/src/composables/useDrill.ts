import type { FindingListQuery, TaskListQuery } from '../api/endpoints';
import { useDrillStore } from '../stores/drill';
import { useFilters } from './useFilters';

/**
 * Drill-downs from a chart: a county's bar filters the page to that county; a category, a
 * heatmap cell or an aging bucket opens the list of what it counts, under the same filters.
 */
export function useDrill() {
  const store = useDrillStore();
  const { filters, setFilters } = useFilters();
  return {
    toCounty: (regionId: number) => setFilters({ regionId: String(regionId) }),
    toRound: (roundId: number) => setFilters({ roundId: String(roundId) }),
    findings: (title: string, extra: Partial<FindingListQuery>) =>
      store.openList({ kind: 'findings', title, query: { ...filters.value, ...extra } }),
    tasks: (title: string, extra: Partial<TaskListQuery>) => store.openList({ kind: 'tasks', title, query: { ...filters.value, ...extra } }),
  };
}
