/// <reference types="vite/client" />
import 'vue-router';
import type { PageAccess } from './lib/access';

declare module 'vue-router' {
  interface RouteMeta {
    /** i18n key of the page's name in the navigation */
    nav?: string;
    /** the page takes no dashboard filters (export, ETL) */
    noFilters?: boolean;
    /** who may open the page (default: anyone signed in) */
    access?: PageAccess;
    /** the page stands alone: no header, navigation or filters (sign-in) */
    bare?: boolean;
    /** the navigation group the page belongs to */
    group?: 'analysis' | 'records' | 'supervision' | 'masterdata' | 'system';
  }
}
