import { computed } from 'vue';
import { useI18n } from 'vue-i18n';
import { useRouter } from 'vue-router';
import { areaTarget, breadcrumb, chartLevel, regionPath, type AreaRow, type RegionNode } from '../lib/areas';
import { useAuthStore } from '../stores/auth';
import { useOptionsStore } from '../stores/options';
import { useFilters } from './useFilters';

/** The charts' titles that name their level (i18n areaDrill.titles). */
export type AreaChart = 'coverage' | 'closure' | 'recurrence' | 'heatmap';

/**
 * The level of the "各地区" charts and the drill between levels (lib/areas): the filters in
 * the URL are the level, so a link reproduces it; a row's click narrows them (or opens a
 * unit's 单位画像), the breadcrumb widens them. A county user's top is their own county.
 */
export function useAreas() {
  const { t } = useI18n();
  const router = useRouter();
  const auth = useAuthStore();
  const options = useOptionsStore();
  const { filters, setFilters, linkQuery } = useFilters();
  const roots = computed(() => (options.data?.regions ?? []) as RegionNode[]);
  const own = computed(() => auth.me?.region?.id);
  /** The region in scope: the filter's, else a county user's own. */
  const regionId = computed(() => (filters.value.regionId ? Number(filters.value.regionId) : own.value));
  const region = computed(() => (regionId.value === undefined ? undefined : regionPath(roots.value, regionId.value)?.at(-1)));
  const countyUnits = computed(() => filters.value.countyUnits === 'true');
  const level = computed(() => chartLevel(region.value, filters.value.unitCategory, countyUnits.value));
  const crumbs = computed(() =>
    breadcrumb(roots.value, regionId.value, filters.value.unitCategory, own.value, countyUnits.value).map((c) => ({
      ...c,
      name: c.countyUnits ? t('areaDrill.countyUnits') : c.unitCategory ? t(`enums.unitCategory.${c.unitCategory}`) : c.name,
    })),
  );

  /** A row's name as the charts show it. */
  const nameOf = (row: AreaRow) =>
    row.level === 'countyUnits'
      ? t('areaDrill.countyUnits')
      : row.level === 'unitCategory' && row.unitCategory
        ? t(`enums.unitCategory.${row.unitCategory}`)
        : row.name;

  /** Goes down from a row: a narrower filter (县直单位: the county's units), or the unit's 单位画像. */
  function open(row: AreaRow) {
    const target = areaTarget(row);
    if (target.kind === 'filter')
      return setFilters({
        regionId: target.regionId,
        countyUnits: target.countyUnits ? 'true' : undefined,
        ...(target.unitCategory ? { unitCategory: target.unitCategory } : {}),
      });
    if (target.kind === 'unit') return router.push({ name: 'unit-profile', params: { id: String(target.unitId) }, query: linkQuery.value });
    return undefined;
  }

  const title = (chart: AreaChart) => t(`areaDrill.titles.${chart}`, { area: t(`areaDrill.levels.${level.value}`) });
  const hint = computed(() => t(level.value === 'unit' ? 'areaDrill.hintUnit' : 'areaDrill.hintDown'));

  return { level, crumbs, nameOf, open, title, hint, go: (patch: Parameters<typeof setFilters>[0]) => setFilters(patch) };
}
