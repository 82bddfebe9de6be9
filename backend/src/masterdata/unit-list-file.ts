import { UNIT_CATEGORY_LABELS } from '../common/labels';
import type { CsvColumn } from '../files/files';
import type { UnitRow } from './masterdata.repository';

/** The 导出 of the unit directory (.xlsx and CSV): its columns and what the file is called. */

export const UNIT_STATUS_LABELS = { active: '现存单位', closed: '已撤并单位' } as const;

export const UNIT_FILE_COLUMNS: readonly CsvColumn<UnitRow>[] = [
  { header: '单位代码', value: (r) => r.code },
  { header: '单位名称', value: (r) => r.name },
  { header: '单位类别', value: (r) => UNIT_CATEGORY_LABELS[r.category] },
  { header: '所在区划', value: (r) => r.regionName },
  { header: '管辖党委', value: (r) => r.committeeName },
  { header: '上级单位', value: (r) => r.parentUnitName },
  { header: '主要负责人', value: (r) => r.principalLeader },
  { header: '分管领导', value: (r) => r.leaderInCharge },
  { header: '设立日期', format: 'date', value: (r) => r.validFrom },
  { header: '撤销日期', format: 'date', value: (r) => r.validTo },
  { header: '并入单位', value: (r) => r.mergedIntoName },
];

/** What a directory download holds, from its status: 被巡察单位名录, 现存单位, 已撤并单位. */
export function unitListLabel(status: 'active' | 'closed' | 'all' | undefined): string {
  return status === 'active' || status === 'closed' ? `被巡察单位名录(${UNIT_STATUS_LABELS[status]})` : '被巡察单位名录';
}
