import type { CsvColumn } from '../files/files';
import type { UserView } from './dto/auth.dto';

/** The 导出 of 用户管理 (.xlsx and CSV): the account list's columns, as the page shows them. */

/** An instant as Beijing wall-clock time, `2026-12-03 09:41`. */
function beijingMinute(iso: string | null): string | null {
  return iso === null ? null : new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

export const USER_FILE_COLUMNS: readonly CsvColumn<UserView>[] = [
  { header: '用户名', value: (r) => r.username },
  { header: '姓名', value: (r) => r.displayName },
  { header: '角色', value: (r) => r.roleLabel },
  { header: '所属县区', value: (r) => r.region?.name ?? null },
  { header: '状态', value: (r) => (r.active ? '启用' : '停用') },
  { header: '创建时间(北京时间)', value: (r) => beijingMinute(r.createdAt) },
  { header: '最近使用(北京时间)', value: (r) => beijingMinute(r.lastSeenAt) },
];

export const USER_LIST_LABEL = '用户列表';
