import { MODE_LABELS } from '../common/labels';
import type { CsvColumn } from '../files/files';
import { namedFileName } from '../files/list-file';
import type { FindingRecordListQuery, FindingRow, InspectionListQuery, InspectionRow } from './dto/case-records.dto';

/** The columns of the 巡察 and 问题 lists' CSV and .xlsx downloads: the list's rows, headed in Chinese. */

export const INSPECTION_LIST_COLUMNS: readonly CsvColumn<InspectionRow>[] = [
  { header: '巡察编号', value: (r) => r.id },
  { header: '轮次', value: (r) => r.roundName },
  { header: '县(市、区)', value: (r) => r.countyName },
  { header: '单位代码', value: (r) => r.unitCode },
  { header: '被巡察单位', value: (r) => r.unitName },
  { header: '巡察组', value: (r) => r.team },
  { header: '巡察方式', value: (r) => MODE_LABELS[r.mode] },
  { header: '交叉巡察', value: (r) => r.isCross },
  { header: '提级巡察', value: (r) => r.isElevated },
  { header: '进驻日期', format: 'date', value: (r) => r.stationedFrom },
  { header: '进驻结束日期', format: 'date', value: (r) => r.stationedTo },
  { header: '反馈日期', format: 'date', value: (r) => r.feedbackDate },
  { header: '问题数', format: 'count', value: (r) => r.findings },
  { header: '整改任务数', format: 'count', value: (r) => r.tasks },
];

export const FINDING_LIST_COLUMNS: readonly CsvColumn<FindingRow>[] = [
  { header: '问题编号', value: (r) => r.id },
  { header: '巡察编号', value: (r) => r.inspectionId },
  { header: '轮次', value: (r) => r.roundName },
  { header: '县(市、区)', value: (r) => r.countyName },
  { header: '单位代码', value: (r) => r.unitCode },
  { header: '被巡察单位', value: (r) => r.unitName },
  { header: '问题大类', value: (r) => r.parentCategoryName },
  { header: '问题类别', value: (r) => r.categoryName },
  { header: '问题描述', format: 'wrap', value: (r) => r.description },
  { header: '立行立改', value: (r) => r.isImmediate },
  { header: '重点关注', value: (r) => r.isKeyConcern },
  { header: '复发所指问题', value: (r) => r.recurrenceOfId },
  { header: '发现日期', format: 'date', value: (r) => r.foundDate },
  { header: '整改任务数', format: 'count', value: (r) => r.tasks },
];

/** Names of the filters that pick a round, a region or a category (absent when not given or unknown). */
export interface FilterNames {
  round?: string;
  region?: string;
  category?: string;
}

const range = (label: string, from: string | undefined, to: string | undefined) => (from || to ? `${label}${from ?? ''}~${to ?? ''}` : undefined);

/** `巡察列表_某县_第一轮_单位-卫健_巡察组-第二组_常规巡察_进驻2026-01-01~2026-06-30_2026-12-03.xlsx` */
export function inspectionListFileName(
  query: Omit<InspectionListQuery, 'page' | 'pageSize'>,
  names: FilterNames,
  today: string,
  extension: 'csv' | 'xlsx',
): string {
  return namedFileName(
    [
      '巡察列表',
      names.region,
      names.round,
      query.unit && `单位-${query.unit}`,
      query.team && `巡察组-${query.team}`,
      query.mode && MODE_LABELS[query.mode],
      range('进驻', query.stationedFrom, query.stationedTo),
      range('反馈', query.feedbackFrom, query.feedbackTo),
      today,
    ],
    extension,
  );
}

/** `问题列表_某县_第一轮_党的建设_单位-卫健_描述-公车_2026-12-03.csv` */
export function findingListFileName(
  query: Omit<FindingRecordListQuery, 'page' | 'pageSize'>,
  names: FilterNames,
  today: string,
  extension: 'csv' | 'xlsx',
): string {
  return namedFileName(
    [
      '问题列表',
      names.region,
      names.round,
      names.category,
      query.inspectionId !== undefined ? `巡察${query.inspectionId}` : undefined,
      query.unit && `单位-${query.unit}`,
      query.q && `描述-${query.q}`,
      today,
    ],
    extension,
  );
}
