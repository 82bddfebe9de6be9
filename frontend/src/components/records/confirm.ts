import { ElMessageBox } from 'element-plus/es/components/message-box/index';
import 'element-plus/es/components/message-box/style/css';
import { i18n } from '../../i18n';

/** Asks before a delete; resolves true when confirmed. */
export async function confirmDelete(name: string): Promise<boolean> {
  const t = i18n.global.t;
  try {
    await ElMessageBox.confirm(t('records.confirmDelete', { name }), t('records.confirmTitle'), {
      type: 'warning',
      confirmButtonText: t('records.confirmOk'),
      cancelButtonText: t('common.cancel'),
      confirmButtonClass: 'el-button--danger',
    });
    return true;
  } catch {
    return false;
  }
}
