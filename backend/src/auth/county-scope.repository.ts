import { Inject, Injectable } from '@nestjs/common';
import type { Db } from '@xuncha/prisma';
import { PRISMA } from '../infra/tokens';

export type RecordKind = 'unit' | 'inspection' | 'finding' | 'task';

/** A record's unit, and the county (or 市本级) region its unit's region belongs to. */
const COUNTY_OF: Record<RecordKind, string> = {
  unit: `SELECT x.id::bigint AS id, x.id AS unit_id FROM org_units x`,
  inspection: `SELECT x.id::bigint AS id, x.unit_id FROM inspections x`,
  finding: `SELECT x.id AS id, x.unit_id FROM findings x`,
  task: `SELECT x.id AS id, f.unit_id FROM rectification_tasks x JOIN findings f ON f.id = x.finding_id`,
};

/** Which case records lie in a county, read from PostgreSQL (so it answers while the warehouse is down). */
@Injectable()
export class CountyScopeRepository {
  constructor(@Inject(PRISMA) private readonly prisma: Db) {}

  /** Of the given records of one kind, the ids (as strings) of those whose unit lies in `county`. */
  async inCounty(kind: RecordKind, ids: readonly (number | bigint)[], county: number): Promise<Set<string>> {
    const rows = await this.prisma.$queryRawUnsafe<{ id: bigint }[]>(
      `SELECT r.id FROM (${COUNTY_OF[kind]} WHERE x.id = ANY($1::bigint[])) r
         JOIN org_units u ON u.id = r.unit_id
         JOIN regions g ON g.id = u.region_id
        WHERE (CASE WHEN g.level = 'TOWNSHIP' THEN g.parent_id ELSE g.id END) = $2`,
      ids.map(String),
      county,
    );
    return new Set(rows.map((r) => String(r.id)));
  }
}
