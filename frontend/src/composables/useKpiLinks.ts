import { useI18n } from 'vue-i18n';
import { useRouter } from 'vue-router';
import { useDrill } from './useDrill';
import { useFilters } from './useFilters';

/**
 * What each KPI card opens, under the page's filters: the list of what it counts. A count
 * opens its list; a closure or on-time rate opens the list it is taken over (its denominator,
 * each row marked closed or not); the extended, repeat and rebound rates open the cases they
 * count (their numerator). 超期任务, 20天内到期 and 10天内到期 open the worklist with the
 * filter in the URL; the coverage figures open the coverage page (its uncovered units).
 * tests/src/api/chart-drills.test.ts checks each list's total against the card.
 */
export function useKpiLinks() {
  const { t } = useI18n();
  const router = useRouter();
  const drill = useDrill();
  const { linkQuery } = useFilters();
  const title = (metric: string) => `${t(`metric.${metric}`)} · ${t(`kpi.lists.${metric}`)}`;
  return {
    coverage: () => void router.push({ name: 'coverage', query: linkQuery.value }),
    worklist: (scope: 'overdue' | 'dueSoon20' | 'dueSoon10') => void router.push({ name: 'overdue', query: { ...linkQuery.value, scope } }),
    findings: () => drill.findings(t('metric.findings'), {}),
    findingClosure: () => drill.findings(title('findingClosure'), { fedBack: 'true' }),
    taskClosure: () => drill.tasks(title('taskClosure'), {}),
    immediateClosure: () => drill.findings(title('immediateClosure'), { fedBack: 'true', immediate: 'true' }),
    // the rate's denominator: closed tasks with an original due date (长期坚持 ones are left out)
    onTime: () => drill.tasks(title('onTime'), { closed: 'true', originalDue: 'true', sort: '-closedDate' }),
    extended: () => drill.tasks(title('extended'), { extended: 'true' }),
    repeat: () => drill.findings(title('repeat'), { recurrence: 'repeat' }),
    rebound: () => drill.findings(title('rebound'), { recurrence: 'rebound' }),
  };
}
