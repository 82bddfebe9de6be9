import { UNIT_CATEGORY_LABELS } from '../common/labels';
import type { CoverageResponse } from '../metrics/dto/metrics.dto';
import type { CsvColumn } from '../files/files';

/** The 导出 of the coverage page's 未覆盖单位 list (.xlsx and CSV): the API's rows, headed and labelled in Chinese. */

export type UncoveredRow = CoverageResponse['uncovered']['rows'][number];

/** The columns, with the regions' names (a region's id as it is when the name is unknown). */
export function uncoveredFileColumns(regionName: (id: number) => string | undefined): readonly CsvColumn<UncoveredRow>[] {
  return [
    { header: '单位代码', value: (r) => r.code },
    { header: '被巡察单位', value: (r) => r.name },
    { header: '单位类别', value: (r) => UNIT_CATEGORY_LABELS[r.unitCategory] },
    { header: '县(市、区)', value: (r) => regionName(r.countyId) ?? String(r.countyId) },
    { header: '所在区划', value: (r) => regionName(r.regionId) ?? String(r.regionId) },
    { header: '最近一次巡察', value: (r) => r.lastInspectionDate ?? '从未巡察' },
    { header: '距今天数', format: 'count', value: (r) => r.daysSinceLast },
    { header: '距今年数', value: (r) => (r.yearsSinceLast === null ? null : r.yearsSinceLast.toFixed(1)) },
  ];
}

/** What the list holds: the current term's uncovered units, or the previous term's. */
export function uncoveredListLabel(term: 'current' | 'previous' | undefined): string {
  return term === 'previous' ? '未覆盖单位(上届)' : '未覆盖单位';
}
