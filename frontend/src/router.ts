import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { homeOf, LOGIN_PATH, mayVisit, safeRedirect } from './lib/access';
import { useAuthStore } from './stores/auth';

/** One route per page, each loaded when first visited; `access` says who may open it. */
export const routes: RouteRecordRaw[] = [
  { path: LOGIN_PATH, name: 'login', component: () => import('./views/LoginView.vue'), meta: { access: 'public', bare: true } },
  { path: '/', name: 'overview', component: () => import('./views/OverviewView.vue'), meta: { nav: 'nav.overview', access: 'read' } },
  { path: '/coverage', name: 'coverage', component: () => import('./views/CoverageView.vue'), meta: { nav: 'nav.coverage', access: 'read' } },
  { path: '/categories', name: 'categories', component: () => import('./views/CategoriesView.vue'), meta: { nav: 'nav.categories', access: 'read' } },
  { path: '/rectification', name: 'rectification', component: () => import('./views/RectificationView.vue'), meta: { nav: 'nav.rectification', access: 'read' } },
  { path: '/recurrence', name: 'recurrence', component: () => import('./views/RecurrenceView.vue'), meta: { nav: 'nav.recurrence', access: 'read' } },
  { path: '/overdue', name: 'overdue', component: () => import('./views/OverdueView.vue'), meta: { nav: 'nav.overdue', access: 'read' } },
  { path: '/warnings', name: 'warnings', component: () => import('./views/WarningsView.vue'), meta: { nav: 'warnings.nav', access: 'read', group: 'supervision' } },
  { path: '/clues', name: 'clues', component: () => import('./views/CluesView.vue'), meta: { nav: 'clues.nav', access: 'read', group: 'supervision' } },
  { path: '/print/worklist', name: 'print-worklist', component: () => import('./views/PrintWorklistView.vue'), meta: { access: 'read', bare: true, noFilters: true } },
  { path: '/export', name: 'export', component: () => import('./views/ExportView.vue'), meta: { nav: 'nav.export', noFilters: true, access: 'read' } },
  { path: '/admin/users', name: 'admin-users', component: () => import('./views/UsersView.vue'), meta: { nav: 'nav.users', noFilters: true, access: 'admin' } },
  { path: '/admin/audit', name: 'admin-audit', component: () => import('./views/AuditView.vue'), meta: { nav: 'nav.audit', noFilters: true, access: 'admin' } },
  { path: '/etl', name: 'etl', component: () => import('./views/EtlView.vue'), meta: { nav: 'nav.etl', noFilters: true, access: 'etlStatus' } },
  { path: '/:rest(.*)*', name: 'not-found', component: () => import('./views/NotFoundView.vue'), meta: { noFilters: true, access: 'signedIn' } },
];

export const router = createRouter({
  history: createWebHistory('/'),
  routes,
  scrollBehavior: (to, from, saved) => saved ?? (to.path === from.path ? undefined : { top: 0 }),
});

/**
 * Signed out: every page but the sign-in page goes to it, remembering where it was headed.
 * Signed in: the sign-in page goes on to that place (or the role's home), and a page the
 * role may not use goes to the role's home.
 */
router.beforeEach(async (to) => {
  const auth = useAuthStore();
  await auth.load();
  const role = auth.role;
  if (to.name === 'login') {
    if (!role) return true;
    const next = safeRedirect(to.query.redirect);
    return next ?? { name: homeOf(role), replace: true };
  }
  if (!role) return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath }, replace: true };
  if (!mayVisit(role, to.meta.access)) return { name: homeOf(role), replace: true };
  return true;
});
