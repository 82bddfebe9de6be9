import type { CsvColumn } from '../files/files';
import type { RegionRecord } from './dto/masterdata.dto';

/** The 导出 of 行政区划 (.xlsx and CSV): the region list's columns, in the list's order (by code). */

const LEVEL_LABELS = { CITY: '市', MUNICIPAL: '市本级', COUNTY: '县(市、区)', TOWNSHIP: '乡镇(街道)' } as const;

/** A region with its parent's code and name (the tree shown as rows). */
export type RegionFileRow = RegionRecord & { parentCode: string | null; parentName: string | null };

export const REGION_FILE_COLUMNS: readonly CsvColumn<RegionFileRow>[] = [
  { header: '区划代码', value: (r) => r.code },
  { header: '区划名称', value: (r) => r.name },
  { header: '层级', value: (r) => LEVEL_LABELS[r.level] },
  { header: '上级区划代码', value: (r) => r.parentCode },
  { header: '上级区划', value: (r) => r.parentName },
  { header: '单位数', format: 'count', value: (r) => r.units },
];

export const REGION_LIST_LABEL = '行政区划';
