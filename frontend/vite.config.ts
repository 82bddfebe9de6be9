import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';
import Components from 'unplugin-vue-components/vite';
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers';

/**
 * The dashboard. Element Plus components are imported per component (with their CSS) by
 * unplugin-vue-components; routes are lazy, so ECharts and the tables load with the page
 * that needs them. In development /api goes to a running app (XUNCHA_API, default :3000).
 */
export default defineConfig({
  base: '/',
  plugins: [
    vue(),
    Components({
      resolvers: [ElementPlusResolver({ importStyle: 'css' })],
      dts: false,
      dirs: [],
    }),
  ],
  server: {
    proxy: { '/api': { target: process.env.XUNCHA_API ?? 'http://127.0.0.1:3000', changeOrigin: false } },
  },
  define: {
    // vue-i18n: Composition API only, no global components, no devtools in production
    __VUE_I18N_LEGACY_API__: 'false',
    __VUE_I18N_FULL_INSTALL__: 'false',
    __INTLIFY_PROD_DEVTOOLS__: 'false',
    __VUE_PROD_DEVTOOLS__: 'false',
  },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 900,
  },
});
