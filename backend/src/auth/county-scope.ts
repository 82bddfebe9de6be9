import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { Db } from '@xuncha/prisma';
import { AppError } from '../common/http-exception.filter';
import { PRISMA } from '../infra/tokens';
import { currentCountyLimit } from './principal';

export type RecordKind = 'unit' | 'inspection' | 'finding' | 'task';

/** A record's unit, and the county (or 市本级) region its unit's region belongs to. */
const COUNTY_OF: Record<RecordKind, string> = {
  unit: `SELECT x.id::bigint AS id, x.id AS unit_id FROM org_units x`,
  inspection: `SELECT x.id::bigint AS id, x.unit_id FROM inspections x`,
  finding: `SELECT x.id AS id, x.unit_id FROM findings x`,
  task: `SELECT x.id AS id, f.unit_id FROM rectification_tasks x JOIN findings f ON f.id = x.finding_id`,
};

/**
 * The county limit of a COUNTY_STAFF user applied to case records in PostgreSQL (writes and
 * details; the warehouse's reads are limited through ScopeService). A record of another
 * county is answered exactly as one that does not exist, so its existence does not leak.
 * Read from PostgreSQL, so writes keep working while the warehouse is down.
 */
@Injectable()
export class CountyScope {
  constructor(@Inject(PRISMA) private readonly prisma: Db) {}

  /** The county the current request is limited to, or null. */
  limit(): number | null {
    return currentCountyLimit();
  }

  /** Of the given records, those whose unit lies in the current user's county (all of them without a limit). */
  async allowed(kind: RecordKind, ids: readonly (number | bigint)[]): Promise<Set<string>> {
    const county = this.limit();
    if (county === null || ids.length === 0) return new Set(ids.map(String));
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

  /** Throws `notFound` when the record lies outside the current user's county. */
  async check(kind: RecordKind, id: number | bigint, notFound: () => Error): Promise<void> {
    if (this.limit() === null) return;
    if (!(await this.allowed(kind, [id])).has(String(id))) throw notFound();
  }

  /** A 404 in the words the records use for a missing record. */
  static notFound(what: string, id: number | bigint): () => AppError {
    return () => new AppError(HttpStatus.NOT_FOUND, `${what}不存在或已删除 ${id} does not exist or was deleted`);
  }
}
