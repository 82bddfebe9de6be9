import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { onAccessProblem } from './api/client';
import { router } from './router';
import { i18n } from './i18n';
import { useAuthStore } from './stores/auth';
import './styles/main.css';

const pinia = createPinia();
const auth = useAuthStore(pinia);

// A call found the session gone: to the sign-in page, which says so, and back here after.
// A refusal (403) is said in a message; the card or form that made the call shows it too.
onAccessProblem({
  sessionLost: () => {
    if (!auth.expire()) return;
    const here = router.currentRoute.value;
    void router.replace({ name: 'login', query: here.name === 'login' ? here.query : { redirect: here.fullPath } });
  },
  forbidden: (message) => void import('./lib/notify').then(({ notifyForbidden }) => notifyForbidden(message)),
});

// eslint-disable-next-line @typescript-eslint/no-unsafe-argument -- vue-tsc types App.vue; typescript-eslint's program cannot read it
createApp(App).use(pinia).use(router).use(i18n).mount('#app');
