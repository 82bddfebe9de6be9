/// <reference types="vite/client" />
import 'vue-router';

declare module 'vue-router' {
  interface RouteMeta {
    /** i18n key of the page's name in the navigation */
    nav?: string;
    /** the page takes no dashboard filters (export, ETL) */
    noFilters?: boolean;
  }
}
