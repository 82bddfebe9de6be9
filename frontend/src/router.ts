import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';

/** One route per page, each loaded when first visited. */
export const routes: RouteRecordRaw[] = [
  { path: '/', name: 'overview', component: () => import('./views/OverviewView.vue'), meta: { nav: 'nav.overview' } },
  { path: '/coverage', name: 'coverage', component: () => import('./views/CoverageView.vue'), meta: { nav: 'nav.coverage' } },
  { path: '/categories', name: 'categories', component: () => import('./views/CategoriesView.vue'), meta: { nav: 'nav.categories' } },
  { path: '/rectification', name: 'rectification', component: () => import('./views/RectificationView.vue'), meta: { nav: 'nav.rectification' } },
  { path: '/recurrence', name: 'recurrence', component: () => import('./views/RecurrenceView.vue'), meta: { nav: 'nav.recurrence' } },
  { path: '/overdue', name: 'overdue', component: () => import('./views/OverdueView.vue'), meta: { nav: 'nav.overdue' } },
  { path: '/export', name: 'export', component: () => import('./views/ExportView.vue'), meta: { nav: 'nav.export', noFilters: true } },
  { path: '/etl', name: 'etl', component: () => import('./views/EtlView.vue'), meta: { nav: 'nav.etl', noFilters: true } },
  { path: '/:rest(.*)*', name: 'not-found', component: () => import('./views/NotFoundView.vue'), meta: { noFilters: true } },
];

export const router = createRouter({
  history: createWebHistory('/'),
  routes,
  scrollBehavior: (to, from, saved) => saved ?? (to.path === from.path ? undefined : { top: 0 }),
});
