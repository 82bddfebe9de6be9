import { ElMessage } from 'element-plus/es/components/message/index';
import 'element-plus/es/components/message/style/css';
import { i18n } from '../i18n';

/** A refusal (403) as a short message at the top of the page; repeats are grouped. */
export function notifyForbidden(message: string): void {
  ElMessage({ type: 'warning', message: i18n.global.t('auth.forbidden', { message }), grouping: true, duration: 5000 });
}

/** A short confirmation at the top of the page. */
export function notifySuccess(message: string): void {
  ElMessage({ type: 'success', message, grouping: true });
}

/** A short notice at the top of the page (what the app did instead of what was asked). */
export function notifyInfo(message: string): void {
  ElMessage({ type: 'info', message, grouping: true, duration: 5000, customClass: 'notice-info' });
}
