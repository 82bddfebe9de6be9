import { Inject, Injectable } from '@nestjs/common';
import { Prisma, type Db } from '@xuncha/prisma';
import type { WarningDays } from '../drill/drill.queries';
import { PRISMA } from '../infra/tokens';
import type { ClueListQuery, CreateClue, UpdateClue } from './dto/clues.dto';
import { auditedTransaction } from '../audit/audit-context';

export interface ClueListRow {
  id: number;
  inspection_id: number;
  unit_id: number;
  unit_name: string;
  county_id: number;
  round_id: number;
  round_name: string;
  handed_to: string;
  handed_date: string;
  persons: number;
  summary: string;
  disposal_status: string;
  concluded_date: string | null;
  feedback_due: string;
  warning: string | null;
  total: bigint;
}

export interface ClueTallyRow {
  key: number;
  unit_name: string | null;
  county_id: number;
  round_name: string | null;
  clues: bigint;
  persons: bigint;
  concluded: bigint;
  yellow: bigint;
  orange: bigint;
  red: bigint;
}

/** How a list or tally is limited and warned. */
export interface ClueContext {
  today: string;
  months: number;
  ladder: WarningDays;
  /** a county-level region, or null for all */
  countyId: number | null;
}

/**
 * The clues (问题线索移交) with their inspection's unit, county and round, their feedback
 * deadline (handover + months; PostgreSQL's month arithmetic keeps the day or takes the month's
 * last) and, not yet 已办结, their warning level as of today. Read from PostgreSQL.
 */
function warned(context: ClueContext): Prisma.Sql {
  return Prisma.sql`
    WITH base AS (
      SELECT c.id, c.inspection_id, u.id AS unit_id, u.name AS unit_name,
        (CASE WHEN g.level = 'TOWNSHIP' THEN g.parent_id ELSE g.id END) AS county_id,
        i.round_id, r.name AS round_name, c.handed_to::text AS handed_to, c.handed_date, c.persons, c.summary,
        c.disposal_status::text AS disposal_status, c.concluded_date,
        (c.handed_date + make_interval(months => ${context.months}::int))::date AS feedback_due
      FROM clues c
      JOIN inspections i ON i.id = c.inspection_id AND i.deleted_at IS NULL
      JOIN org_units u ON u.id = i.unit_id
      JOIN regions g ON g.id = u.region_id
      JOIN rounds r ON r.id = i.round_id
      WHERE c.deleted_at IS NULL
    ), clue AS (
      SELECT base.*,
        CASE WHEN disposal_status = 'CONCLUDED' THEN NULL
             WHEN feedback_due < ${context.today}::date THEN 'red'
             WHEN feedback_due <= ${context.today}::date + ${context.ladder.orange}::int THEN 'orange'
             WHEN feedback_due <= ${context.today}::date + ${context.ladder.yellow}::int THEN 'yellow'
        END AS warning
      FROM base
      WHERE (${context.countyId}::int IS NULL OR county_id = ${context.countyId}::int)
    )`;
}

@Injectable()
export class CluesRepository {
  constructor(@Inject(PRISMA) private readonly prisma: Db) {}

  list(context: ClueContext, query: ClueListQuery, id: number | null = null): Promise<ClueListRow[]> {
    return this.prisma.$queryRaw<ClueListRow[]>`${warned(context)}
      SELECT id, inspection_id, unit_id, unit_name, county_id, round_id, round_name, handed_to, to_char(handed_date, 'YYYY-MM-DD') AS handed_date,
        persons, summary, disposal_status, to_char(concluded_date, 'YYYY-MM-DD') AS concluded_date,
        to_char(feedback_due, 'YYYY-MM-DD') AS feedback_due, warning, count(*) OVER () AS total
      FROM clue
      WHERE (${id}::int IS NULL OR id = ${id}::int)
        AND (${query.inspectionId ?? null}::int IS NULL OR inspection_id = ${query.inspectionId ?? null}::int)
        AND (${query.status ?? null}::text IS NULL OR disposal_status = ${query.status ?? null}::text)
        AND (${query.warning ?? null}::text IS NULL OR warning = ${query.warning ?? null}::text)
      ORDER BY (warning = 'red') DESC NULLS LAST, feedback_due, id
      LIMIT ${query.pageSize}::int OFFSET ${(query.page - 1) * query.pageSize}::int`;
  }

  /** Counts by county (key: county id) or by inspection (key: inspection id). */
  tally(context: ClueContext, by: 'county' | 'inspection'): Promise<ClueTallyRow[]> {
    const figures = Prisma.sql`count(*) AS clues, coalesce(sum(persons), 0) AS persons,
      count(*) FILTER (WHERE disposal_status = 'CONCLUDED') AS concluded,
      count(*) FILTER (WHERE warning = 'yellow') AS yellow, count(*) FILTER (WHERE warning = 'orange') AS orange,
      count(*) FILTER (WHERE warning = 'red') AS red`;
    if (by === 'county') {
      return this.prisma.$queryRaw<ClueTallyRow[]>`${warned(context)}
        SELECT county_id AS key, NULL AS unit_name, county_id, NULL AS round_name, ${figures} FROM clue GROUP BY county_id ORDER BY county_id`;
    }
    return this.prisma.$queryRaw<ClueTallyRow[]>`${warned(context)}
      SELECT inspection_id AS key, min(unit_name) AS unit_name, min(county_id) AS county_id, min(round_name) AS round_name, ${figures}
      FROM clue GROUP BY inspection_id ORDER BY count(*) FILTER (WHERE warning = 'red') DESC, count(*) DESC, inspection_id LIMIT 500`;
  }

  inspectionExists(id: number): Promise<boolean> {
    return this.prisma.inspection.count({ where: { id, deletedAt: null } }).then((n) => n > 0);
  }

  /** The clue's inspection, or null when the clue does not exist or is deleted. */
  async clueInspection(id: number): Promise<number | null> {
    const clue = await this.prisma.clue.findFirst({ where: { id, deletedAt: null }, select: { inspectionId: true } });
    return clue?.inspectionId ?? null;
  }

  /** In one transaction with the request's audit entry (audit-context.ts). */
  create(data: CreateClue): Promise<{ id: number }> {
    return auditedTransaction(this.prisma, (tx) =>
      tx.clue.create({
        data: {
          inspectionId: data.inspectionId,
          handedTo: data.handedTo,
          handedDate: new Date(`${data.handedDate}T00:00:00Z`),
          persons: data.persons,
          summary: data.summary,
          disposalStatus: data.disposalStatus,
          concludedDate: data.concludedDate ? new Date(`${data.concludedDate}T00:00:00Z`) : null,
        },
        select: { id: true },
      }),
    );
  }

  /** In one transaction with the request's audit entry (audit-context.ts). */
  update(id: number, data: UpdateClue): Promise<{ id: number }> {
    const date = (d: string | null | undefined) => (d === undefined ? undefined : d === null ? null : new Date(`${d}T00:00:00Z`));
    return auditedTransaction(this.prisma, (tx) =>
      tx.clue.update({
        where: { id },
        data: {
          handedTo: data.handedTo,
          handedDate: date(data.handedDate) ?? undefined,
          persons: data.persons,
          summary: data.summary,
          disposalStatus: data.disposalStatus,
          concludedDate: date(data.concludedDate),
        },
        select: { id: true },
      }),
    );
  }

  /** The clue's current handover day, status and feedback day (for checks across fields). */
  current(id: number) {
    return this.prisma.clue.findFirstOrThrow({ where: { id }, select: { handedDate: true, disposalStatus: true, concludedDate: true } });
  }
}
