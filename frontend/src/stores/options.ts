import { defineStore } from 'pinia';
import { computed, shallowRef } from 'vue';
import { getOptions } from '../api/endpoints';
import type { OptionsResponse } from '../api/types';
import type { DrillParents } from '../lib/drill-query';

type Region = OptionsResponse['regions'][number];

/**
 * The filter bar's values (/api/options), loaded once, and names by id for charts and
 * tables: regions, rounds and issue categories.
 */
export const useOptionsStore = defineStore('options', () => {
  const data = shallowRef<OptionsResponse>();
  const error = shallowRef<Error>();
  const loading = shallowRef(false);
  let pending: Promise<void> | undefined;
  /** Goes up on reset: an answer for the previous user is dropped. */
  let generation = 0;

  function load(force = false): Promise<void> {
    if (pending && !force) return pending;
    const mine = generation;
    loading.value = true;
    error.value = undefined;
    pending = getOptions()
      .then((value) => {
        if (mine === generation) data.value = value;
      })
      .catch((cause: unknown) => {
        if (mine !== generation) return;
        error.value = cause instanceof Error ? cause : new Error(String(cause));
        pending = undefined;
      })
      .finally(() => {
        if (mine === generation) loading.value = false;
      });
    return pending;
  }

  /** Forgets the values (another user signs in: a county user sees their county only). */
  function reset(): void {
    generation += 1;
    pending = undefined;
    data.value = undefined;
    error.value = undefined;
    loading.value = false;
  }

  const regionNames = computed(() => {
    const names = new Map<number, string>();
    const walk = (region: { id: number; name: string; children?: unknown[] }) => {
      names.set(region.id, region.name);
      for (const child of (region.children ?? []) as Region[]) walk(child);
    };
    for (const region of data.value?.regions ?? []) walk(region);
    return names;
  });

  /** 市本级 and the counties, in the order the API lists them. */
  const counties = computed(() => (data.value?.regions ?? []).flatMap((city) => city.children.map((c) => ({ id: c.id, name: c.name }))));
  const roundNames = computed(() => new Map((data.value?.rounds ?? []).map((r) => [r.id, r.name])));
  const categoryNames = computed(() => {
    const names = new Map<number, string>();
    for (const c of data.value?.categories ?? []) {
      names.set(c.id, c.name);
      for (const child of c.children) names.set(child.id, child.name);
    }
    return names;
  });
  /** Each region's and each level-2 category's parent: what a chart drill narrows by (lib/drill-query). */
  const parents = computed((): DrillParents => {
    const regions = new Map<number, number>();
    const walk = (region: { id: number; children?: unknown[] }) => {
      for (const child of (region.children ?? []) as Region[]) {
        regions.set(child.id, region.id);
        walk(child);
      }
    };
    for (const region of data.value?.regions ?? []) walk(region);
    const categories = new Map<number, number>();
    for (const c of data.value?.categories ?? []) for (const child of c.children) categories.set(child.id, c.id);
    return { region: (id) => regions.get(id), category: (id) => categories.get(id) };
  });
  const level1 = computed(() => (data.value?.categories ?? []).map((c) => ({ id: c.id, name: c.name })));

  const regionName = (id: number) => regionNames.value.get(id) ?? `#${id}`;
  const roundName = (id: number) => roundNames.value.get(id) ?? `#${id}`;
  const categoryName = (id: number) => categoryNames.value.get(id) ?? `#${id}`;

  return { data, error, loading, load, reset, counties, level1, parents, regionName, roundName, categoryName };
});
