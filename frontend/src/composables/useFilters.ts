import { computed } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import { filterQuery, filtersFromQuery, withFilters, type FilterKey, type Filters, type Query } from '../lib/filters';

/**
 * The shared filters, read from and written to the URL query: a change is a navigation,
 * so reload, back/forward and a pasted link all give the same view.
 */
export function useFilters() {
  const route = useRoute();
  const router = useRouter();
  const filters = computed<Filters>(() => filtersFromQuery(route.query));
  /** The filters as query parameters for links to other pages. */
  const linkQuery = computed(() => filterQuery(route.query as Query));

  function setFilters(patch: Partial<Record<FilterKey, string | undefined>>) {
    return router.push({ query: withFilters(route.query, patch) });
  }

  function resetFilters() {
    return router.push({ query: {} });
  }

  return { filters, linkQuery, setFilters, resetFilters };
}

/** A page's own query parameter (sort, page…) kept in the URL next to the filters. */
export function useQueryParam(name: string, fallback: string) {
  const route = useRoute();
  const router = useRouter();
  return computed<string>({
    get: () => {
      const value = route.query[name];
      return typeof value === 'string' && value !== '' ? value : fallback;
    },
    set: (value) => {
      const query = { ...route.query };
      if (value === fallback || value === '') delete query[name];
      else query[name] = value;
      if (name !== 'page') delete query.page;
      void router.push({ query });
    },
  });
}
