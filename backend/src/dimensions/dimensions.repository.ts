import { Inject, Injectable } from '@nestjs/common';
import type { Warehouse } from '@xuncha/etl';
import { WAREHOUSE } from '../infra/tokens';
import type { InspectionMode, UnitCategory } from '../common/filters';

export interface RegionRow {
  id: number;
  code: string;
  name: string;
  level: 'CITY' | 'MUNICIPAL' | 'COUNTY' | 'TOWNSHIP';
  parentId: number;
  countyId: number;
}
export interface CategoryRow {
  id: number;
  code: string;
  name: string;
  level: 1 | 2;
  parentId: number;
}
export interface TermRow {
  id: number;
  committeeRegionId: number;
  ordinal: number;
  name: string;
  startDate: string;
  endDate: string;
}
export interface RoundRow {
  id: number;
  termId: number;
  ordinal: number;
  year: number;
  name: string;
  startDate: string;
  endDate: string;
}

export interface Dimensions {
  regions: RegionRow[];
  categories: CategoryRow[];
  terms: TermRow[];
  rounds: RoundRow[];
  /** Modes and unit categories that occur (the option lists offer every value anyway). */
  modes: InspectionMode[];
  unitCategories: UnitCategory[];
  /** The latest task-event day loaded: as-of days from it on can read the tasks' current state. */
  maxEventDate: string | null;
  /**
   * The current-state summary (fact_finding_summary), when it is there: `foundBy` the latest
   * finding day it holds, `allBy` the latest day of any kind loaded (found, fed back,
   * stationed, task event). As of a day from `foundBy` on, every finding counts as found
   * by then; from `allBy` on, every date condition of the metrics holds for every row.
   */
  summary: { foundBy: string; allBy: string } | null;
  /**
   * The latest inspection day loaded, when fact_unit_coverage (each unit's latest inspection
   * by mode) is there: as of a day from it on, coverage may read that table.
   */
  unitCoverageBy: string | null;
}

/** The small dimension tables of the warehouse, read whole. */
@Injectable()
export class DimensionsRepository {
  constructor(@Inject(WAREHOUSE) private readonly warehouse: Warehouse) {}

  /** The warehouse's ETL generation (etl_generation): it changes with every ETL run that loaded something; null when unknown. */
  async generation(): Promise<string | null> {
    const [row] = await this.warehouse.query<{ n: string; g: string }>('SELECT count() AS n, toString(max(generation)) AS g FROM etl_generation');
    return row && Number(row.n) > 0 ? row.g : null;
  }

  async load(): Promise<Dimensions> {
    const w = this.warehouse;
    const regions = await w.query<{ id: number; code: string; name: string; level: RegionRow['level']; parent_id: number; county_id: number }>(
      'SELECT id, code, name, level, parent_id, county_id FROM dim_regions FINAL WHERE is_deleted = 0 ORDER BY code, id',
    );
    const categories = await w.query<{ id: number; code: string; name: string; level: number; parent_id: number }>(
      'SELECT id, code, name, level, parent_id FROM dim_categories FINAL WHERE is_deleted = 0 ORDER BY code, id',
    );
    const terms = await w.query<{ id: number; committee_region_id: number; ordinal: number; name: string; start_date: string; end_date: string }>(
      'SELECT id, committee_region_id, ordinal, name, start_date, end_date FROM dim_terms FINAL WHERE is_deleted = 0 ORDER BY committee_region_id, start_date, id',
    );
    const rounds = await w.query<{ id: number; term_id: number; ordinal: number; year: number; name: string; start_date: string; end_date: string }>(
      'SELECT id, term_id, ordinal, year, name, start_date, end_date FROM dim_rounds FINAL WHERE is_deleted = 0 ORDER BY term_id, ordinal, id',
    );
    const [facts] = await w.query<{ modes: InspectionMode[]; categories: UnitCategory[] }>(
      'SELECT groupUniqArray(mode) AS modes, groupUniqArray(unit_category) AS categories FROM fact_inspections',
    );
    const [events] = await w.query<{ n: string; max_date: string }>('SELECT count() AS n, max(event_date) AS max_date FROM fact_task_events');
    // Upper bounds (deleted and replaced rows included) are enough: they only decide when the summary may be read.
    const [summary] = await w.query<{
      rows: string;
      findings: string;
      max_found: string;
      max_feedback: string | null;
      max_stationed: string;
      unit_rows: string;
      units: string;
    }>(
      `SELECT count() AS rows, max(max_found) AS max_found, max(max_feedback) AS max_feedback,
         (SELECT count() FROM fact_findings) AS findings, (SELECT max(stationed_from) FROM fact_inspections) AS max_stationed,
         (SELECT count() FROM fact_unit_coverage) AS unit_rows, (SELECT count() FROM dim_units) AS units
       FROM fact_finding_summary FINAL WHERE is_deleted = 0`,
    );
    const maxEventDate = events && Number(events.n) > 0 ? events.max_date : null;
    // A summary with no rows while findings were loaded has not been derived yet.
    const summaryReady = summary !== undefined && (Number(summary.rows) > 0 || Number(summary.findings) === 0);
    const latest = (...days: (string | null)[]) => days.reduce<string>((a, b) => (b !== null && b > a ? b : a), '0000-00-00');
    return {
      regions: regions.map((r) => ({ id: r.id, code: r.code, name: r.name, level: r.level, parentId: r.parent_id, countyId: r.county_id })),
      categories: categories.map((c) => ({ id: c.id, code: c.code, name: c.name, level: c.level === 1 ? 1 : 2, parentId: c.parent_id })),
      terms: terms.map((t) => ({
        id: t.id,
        committeeRegionId: t.committee_region_id,
        ordinal: t.ordinal,
        name: t.name,
        startDate: t.start_date,
        endDate: t.end_date,
      })),
      rounds: rounds.map((r) => ({
        id: r.id,
        termId: r.term_id,
        ordinal: r.ordinal,
        year: r.year,
        name: r.name,
        startDate: r.start_date,
        endDate: r.end_date,
      })),
      modes: [...(facts?.modes ?? [])].sort(),
      unitCategories: [...(facts?.categories ?? [])].sort(),
      maxEventDate,
      summary: summaryReady
        ? {
            foundBy: latest(Number(summary.rows) > 0 ? summary.max_found : null),
            allBy: latest(Number(summary.rows) > 0 ? summary.max_found : null, summary.max_feedback, summary.max_stationed, maxEventDate),
          }
        : null,
      // Likewise: a table with no rows while units were loaded has not been derived yet.
      unitCoverageBy: summary !== undefined && (Number(summary.unit_rows) > 0 || Number(summary.units) === 0) ? latest(summary.max_stationed) : null,
    };
  }
}
