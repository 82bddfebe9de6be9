import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { homeOf, LOGIN_PATH, mayVisit, safeRedirect } from './lib/access';
import { useAuthStore } from './stores/auth';
import { getSetup } from './api/masterdata';
import { useOptionsStore } from './stores/options';
import { ownCountyQuery, type LinkQuery } from './lib/county-link';
import { i18n } from './i18n';

/** One route per page, each loaded when first visited; `access` says who may open it. */
export const routes: RouteRecordRaw[] = [
  { path: LOGIN_PATH, name: 'login', component: () => import('./views/LoginView.vue'), meta: { access: 'public', bare: true } },
  { path: '/', name: 'overview', component: () => import('./views/OverviewView.vue'), meta: { group: 'analysis', nav: 'nav.overview', access: 'read' } },
  {
    path: '/coverage',
    name: 'coverage',
    component: () => import('./views/CoverageView.vue'),
    meta: { group: 'analysis', nav: 'nav.coverage', access: 'read' },
  },
  {
    path: '/categories',
    name: 'categories',
    component: () => import('./views/CategoriesView.vue'),
    meta: { group: 'analysis', nav: 'nav.categories', access: 'read' },
  },
  {
    path: '/rectification',
    name: 'rectification',
    component: () => import('./views/RectificationView.vue'),
    meta: { group: 'analysis', nav: 'nav.rectification', access: 'read' },
  },
  {
    path: '/recurrence',
    name: 'recurrence',
    component: () => import('./views/RecurrenceView.vue'),
    meta: { group: 'analysis', nav: 'nav.recurrence', access: 'read' },
  },
  { path: '/overdue', name: 'overdue', component: () => import('./views/OverdueView.vue'), meta: { group: 'supervision', nav: 'nav.overdue', access: 'read' } },
  {
    path: '/closure-review',
    name: 'closure-review',
    component: () => import('./views/ClosureQueueView.vue'),
    meta: { nav: 'closure.nav', noFilters: true, access: 'read', group: 'supervision' },
  },
  {
    path: '/warnings',
    name: 'warnings',
    component: () => import('./views/WarningsView.vue'),
    meta: { nav: 'warnings.nav', access: 'read', group: 'supervision' },
  },
  { path: '/clues', name: 'clues', component: () => import('./views/CluesView.vue'), meta: { nav: 'clues.nav', access: 'read', group: 'supervision' } },
  {
    path: '/print/worklist',
    name: 'print-worklist',
    component: () => import('./views/PrintWorklistView.vue'),
    meta: { access: 'read', bare: true, noFilters: true },
  },
  // case records (h/records): the 巡察 list, one inspection with its findings and tasks, the 问题 list
  {
    path: '/records/inspections',
    name: 'inspections',
    component: () => import('./views/records/InspectionsView.vue'),
    meta: { nav: 'records.nav.inspections', noFilters: true, access: 'read', group: 'records' },
  },
  {
    path: '/records/inspections/:id(\\d+)',
    name: 'inspection',
    component: () => import('./views/records/InspectionDetailView.vue'),
    meta: { noFilters: true, access: 'read', group: 'records' },
  },
  {
    path: '/units/:id(\\d+)',
    name: 'unit-profile',
    component: () => import('./views/UnitProfileView.vue'),
    meta: { noFilters: true, access: 'read', group: 'records' },
  },
  {
    path: '/records/findings',
    name: 'finding-records',
    component: () => import('./views/records/FindingRecordsView.vue'),
    meta: { nav: 'records.nav.findings', noFilters: true, access: 'read', group: 'records' },
  },
  {
    path: '/records/ledger-import',
    name: 'ledger-import',
    component: () => import('./views/LedgerImportView.vue'),
    meta: { nav: 'ledgerImport.nav', noFilters: true, access: 'write', group: 'records' },
  },
  {
    path: '/export',
    name: 'export',
    component: () => import('./views/ExportView.vue'),
    meta: { group: 'system', nav: 'nav.export', noFilters: true, access: 'quarterReport' },
  },
  {
    path: '/admin/users',
    name: 'admin-users',
    component: () => import('./views/UsersView.vue'),
    meta: { group: 'system', nav: 'nav.users', noFilters: true, access: 'admin' },
  },
  {
    path: '/admin/audit',
    name: 'admin-audit',
    component: () => import('./views/AuditView.vue'),
    meta: { group: 'system', nav: 'nav.audit', noFilters: true, access: 'admin' },
  },
  {
    path: '/etl',
    name: 'etl',
    component: () => import('./views/EtlView.vue'),
    meta: { group: 'system', nav: 'nav.etl', noFilters: true, access: 'etlStatus' },
  },
  // 基础数据 (issue 14): the setup checklist and the master-data pages
  {
    path: '/setup',
    name: 'setup',
    component: () => import('./views/masterdata/SetupView.vue'),
    meta: { group: 'masterdata', nav: 'masterdata.nav.setup', noFilters: true, access: 'masterdata' },
  },
  {
    path: '/masterdata/regions',
    name: 'md-regions',
    component: () => import('./views/masterdata/RegionsView.vue'),
    meta: { group: 'masterdata', nav: 'masterdata.nav.regions', noFilters: true, access: 'masterdata' },
  },
  {
    path: '/masterdata/terms',
    name: 'md-terms',
    component: () => import('./views/masterdata/TermsView.vue'),
    meta: { group: 'masterdata', nav: 'masterdata.nav.terms', noFilters: true, access: 'masterdata' },
  },
  {
    path: '/masterdata/units',
    name: 'md-units',
    component: () => import('./views/masterdata/UnitsView.vue'),
    meta: { group: 'masterdata', nav: 'masterdata.nav.units', noFilters: true, access: 'masterdata' },
  },
  {
    path: '/masterdata/categories',
    name: 'md-categories',
    component: () => import('./views/masterdata/MasterCategoriesView.vue'),
    meta: { group: 'masterdata', nav: 'masterdata.nav.categories', noFilters: true, access: 'masterdata' },
  },
  { path: '/:rest(.*)*', name: 'not-found', component: () => import('./views/NotFoundView.vue'), meta: { noFilters: true, access: 'signedIn' } },
];

export const router = createRouter({
  history: createWebHistory('/'),
  routes,
  scrollBehavior: (to, from, saved) => saved ?? (to.path === from.path ? undefined : { top: 0 }),
});

/**
 * Signed out: every page but the sign-in page goes to it, remembering where it was headed.
 * Signed in: the sign-in page goes on to that place (or the user's home), and a page the
 * user may not use goes to their home (the rules are /api/me's `can`).
 */
router.beforeEach(async (to) => {
  const auth = useAuthStore();
  await auth.load();
  const can = auth.me?.can;
  if (to.name === 'login') {
    if (!can) return true;
    const next = safeRedirect(to.query.redirect);
    return next ?? { name: homeOf(can), replace: true };
  }
  if (!can) return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath }, replace: true };
  if (!mayVisit(can, to.meta.access)) return { name: homeOf(can), replace: true };
  // a first start without demo data: the setup checklist instead of empty charts
  if (to.name === 'overview' && (await setupMissing())) return { name: 'setup', replace: true };
  const own = await ownCounty(to.query, to.meta.noFilters === true);
  if (own) return { path: to.path, query: own, hash: to.hash, replace: true };
  return true;
});

/**
 * A county user's link to another county (shared by a colleague of the city, say): their own
 * county instead, with a short notice, rather than a refusal the 重试 button cannot mend.
 */
async function ownCounty(query: LinkQuery, noFilters: boolean): Promise<LinkQuery | undefined> {
  const county = useAuthStore().me?.region;
  if (!county || noFilters || (query.regionId === undefined && query.roundId === undefined)) return undefined;
  const options = useOptionsStore();
  await options.load();
  if (!options.data) return undefined; // the filter bar says why the options failed
  const regions = new Set<number>();
  const walk = (r: { id: number; children?: unknown[] }) => {
    regions.add(r.id);
    for (const child of (r.children ?? []) as { id: number }[]) walk(child);
  };
  // their county and its townships (the city above them is refused too)
  for (const city of options.data.regions) for (const c of city.children) walk(c);
  const fixed = ownCountyQuery(query, county.id, regions, new Set(options.data.rounds.map((r) => r.id)));
  // Element Plus' message is loaded when needed, not with the first page (as in main.ts)
  if (fixed) void import('./lib/notify').then(({ notifyInfo }) => notifyInfo(i18n.global.t('countyLink.moved', { county: county.name })));
  return fixed;
}

/** Whether the office has no units or no rounds yet (then the dashboards have nothing to show). */
async function setupMissing(): Promise<boolean> {
  try {
    const { items } = await getSetup();
    return items.some((i) => (i.key === 'units' || i.key === 'rounds') && !i.done);
  } catch {
    return false; // the overview says what went wrong
  }
}
