import { Inject, Injectable } from '@nestjs/common';
import { quarterChangeToken, type Warehouse } from '@xuncha/etl';
import type { UnitCategory } from '../common/filters';
import type { Scope } from '../dimensions/scope';
import { WAREHOUSE } from '../infra/tokens';
import type { SqlQuery } from '../metrics/metrics.queries';
import { count } from '../metrics/metrics.repository';
import {
  buildCoverageByPeriodQuery,
  buildRegionLevel2Query,
  buildUnitRectificationQuery,
  type CoverageByPeriodRow,
  type CoveragePeriods,
  type RegionLevel2Row,
  type UnitRectificationRow,
} from './exports.queries';

export interface CoverageByPeriod {
  countyId: number;
  termId: number;
  unitCategory: UnitCategory;
  inScope: number;
  covered: number;
  coveredQuarter: number;
  coveredYear: number;
}

export interface UnitRectificationFigures {
  roundId: number;
  unitId: number;
  countyId: number;
  unitCode: string;
  unitName: string;
  findings: number;
  closed: number;
  immediate: number;
  immediateClosed: number;
  overdue: number;
}

/** The exports' own reads: the workbook's groupings from ClickHouse (texts come with the drill-down lists'). */
@Injectable()
export class ExportsRepository {
  constructor(@Inject(WAREHOUSE) private readonly warehouse: Warehouse) {}

  private run<T>(sql: SqlQuery): Promise<T[]> {
    return this.warehouse.query<T>(sql.query, sql.params);
  }

  async coverageByPeriod(scope: Scope, countingModes: string[], periods: CoveragePeriods): Promise<CoverageByPeriod[]> {
    const rows = await this.run<CoverageByPeriodRow>(buildCoverageByPeriodQuery(scope, { countingModes }, periods));
    return rows.map((r) => ({
      countyId: r.county_id,
      termId: r.term_id,
      unitCategory: r.unit_category as UnitCategory,
      inScope: count(r.in_scope),
      covered: count(r.covered_units),
      coveredQuarter: count(r.covered_quarter),
      coveredYear: count(r.covered_year),
    }));
  }

  async regionLevel2(scope: Scope): Promise<{ countyId: number; categoryId: number; count: number }[]> {
    const rows = await this.run<RegionLevel2Row>(buildRegionLevel2Query(scope));
    return rows.map((r) => ({ countyId: r.county_id, categoryId: r.category_id, count: count(r.n) }));
  }

  async unitRectification(scope: Scope, current: boolean): Promise<UnitRectificationFigures[]> {
    const rows = await this.run<UnitRectificationRow>(buildUnitRectificationQuery(scope, current));
    return rows.map((r) => ({
      roundId: r.round_id,
      unitId: r.unit_id,
      countyId: r.county_id,
      unitCode: r.unit_code,
      unitName: r.unit_name,
      findings: count(r.findings),
      closed: count(r.closed),
      immediate: count(r.immediate),
      immediateClosed: count(r.immediate_closed),
      overdue: count(r.overdue),
    }));
  }

  /**
   * A token that changes whenever something loaded may change the figures as of `asOf` (a
   * quarter's last day): the warehouse's record of the earliest day each run's load touched.
   */
  changeToken(asOf: string): Promise<string> {
    return quarterChangeToken(this.warehouse, asOf);
  }
}
