import { ElMessageBox } from 'element-plus/es/components/message-box/index';
import 'element-plus/es/components/message-box/style/css';
import { i18n } from '../i18n';

/** Asks before an irreversible action; true when confirmed. */
export async function confirmAction(message: string): Promise<boolean> {
  const t = i18n.global.t;
  try {
    await ElMessageBox.confirm(message, t('closure.confirmTitle'), {
      confirmButtonText: t('closure.ok'),
      cancelButtonText: t('closure.cancel'),
      type: 'warning',
    });
    return true;
  } catch {
    return false;
  }
}
