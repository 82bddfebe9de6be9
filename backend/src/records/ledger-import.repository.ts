import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { copyRows, pgClient, type CopyValue, type Db } from '@xuncha/prisma';
import type { InspectionMode, TaskStatus } from '../common/filters';
import { AppError } from '../common/http-exception.filter';
import { DATABASE_URL, PRISMA } from '../infra/tokens';
import type { Track } from './ledger-workbook';
import type { HistoryEvent } from './ledger-history';
import { auditedSqlTransaction } from '../audit/audit-context';

/** How long the same file (by its SHA-256) is refused after it was imported. */
export const DUPLICATE_WINDOW_MINUTES = 10;

export interface NewInspection {
  key: string;
  roundId: number;
  unitId: number;
  team: string;
  mode: InspectionMode;
  stationedFrom: string;
  feedbackDate: string | null;
}

/** One ledger row ready to be written: a finding, its task in its final state, and the task's events. */
export interface ImportEntry {
  /** An existing inspection's id, or the key of a new one. */
  inspection: number | string;
  unitId: number;
  categoryId: number;
  description: string;
  isImmediate: boolean;
  foundDate: string;
  measure: string;
  responsibleDept: string;
  responsiblePerson: string;
  track: Track;
  originalDueDate: string | null;
  currentDueDate: string | null;
  status: TaskStatus;
  closedDate: string | null;
  createdDate: string;
  events: HistoryEvent[];
}

export interface ImportPlan {
  fileHash: string;
  fileName: string;
  actor: string;
  today: string;
  newInspections: NewInspection[];
  entries: ImportEntry[];
}

/** PostgreSQL reads and the one write of the ledger import (with COPY, on a connection of its own). */
@Injectable()
export class LedgerImportRepository {
  constructor(
    @Inject(PRISMA) private readonly prisma: Db,
    @Inject(DATABASE_URL) private readonly databaseUrl: string,
  ) {}

  /** Live rounds with their committee (region), optionally of one committee only. */
  rounds(committeeRegionId: number | null) {
    return this.prisma.round.findMany({
      where: { deletedAt: null, term: { deletedAt: null, ...(committeeRegionId === null ? {} : { committeeRegionId }) } },
      select: { id: true, name: true, startDate: true, endDate: true },
      orderBy: [{ startDate: 'desc' }, { id: 'desc' }],
    });
  }

  /** Live units, optionally of one county (or 市本级) and everything under it. */
  async units(county: number | null) {
    return this.prisma.$queryRawUnsafe<{ id: number; code: string; name: string; valid_from: Date; valid_to: Date | null }[]>(
      `SELECT u.id, u.code, u.name, u.valid_from, u.valid_to
         FROM org_units u JOIN regions g ON g.id = u.region_id
        WHERE u.deleted_at IS NULL AND ($1::int IS NULL OR (CASE WHEN g.level = 'TOWNSHIP' THEN g.parent_id ELSE g.id END) = $1::int)
        ORDER BY u.code`,
      county,
    );
  }

  categories() {
    return this.prisma.issueCategory.findMany({
      where: { deletedAt: null },
      select: { id: true, code: true, name: true, level: true, parent: { select: { code: true, name: true } } },
      orderBy: { code: 'asc' },
    });
  }

  /** Live inspections of the given rounds and units. */
  inspections(roundIds: number[], unitIds: number[]) {
    return this.prisma.inspection.findMany({
      where: { roundId: { in: roundIds }, unitId: { in: unitIds }, deletedAt: null },
      select: { id: true, roundId: true, unitId: true, stationedFrom: true, feedbackDate: true },
      orderBy: { id: 'asc' },
    });
  }

  /** When the same file was imported within the window (null: not). */
  async importedRecently(fileHash: string): Promise<Date | null> {
    const row = await this.prisma.ledgerImport.findFirst({
      where: { fileHash, createdAt: { gt: new Date(Date.now() - DUPLICATE_WINDOW_MINUTES * 60_000) } },
      orderBy: { createdAt: 'desc' },
      select: { createdAt: true },
    });
    return row?.createdAt ?? null;
  }

  /**
   * Writes the plan in one transaction: new inspections, then per entry a finding, its task
   * (in its final state) and its events (CREATED on the creation day, then the history),
   * each table with one COPY on a connection of the import's own (Prisma cannot COPY), the
   * request's audit entry in the same transaction. The file's hash is taken under an
   * advisory lock first: a second upload of the same file waits for the first and is then
   * refused (409), as is the same file again within the window.
   */
  async importLedger(plan: ImportPlan): Promise<{ imported: number; inspectionsCreated: number; events: number }> {
    const client = pgClient({ connectionString: this.databaseUrl, options: '-c TimeZone=UTC' });
    await client.connect();
    try {
      return await auditedSqlTransaction(client, async () => {
        await client.query(`SELECT pg_advisory_xact_lock(('x' || substr($1::text, 1, 15))::bit(60)::bigint)`, [plan.fileHash]);
        const { rows: earlier } = await client.query<{ created_at: Date }>(
          `SELECT created_at FROM ledger_imports
            WHERE file_hash = $1 AND created_at > now() - make_interval(mins => $2::int)
            ORDER BY created_at DESC LIMIT 1`,
          [plan.fileHash, DUPLICATE_WINDOW_MINUTES],
        );
        if (earlier[0]) throw duplicate(earlier[0].created_at);

        const inspectionIds = await insertInspections(client, plan.newInspections);
        const entries = plan.entries;
        const n = entries.length;
        const findingIds = await nextIds(client, 'findings', n);
        const taskIds = await nextIds(client, 'rectification_tasks', n);
        const inspectionOf = (e: ImportEntry) => (typeof e.inspection === 'number' ? e.inspection : (inspectionIds.get(e.inspection) as number));
        await copyRows(
          client,
          'findings',
          ['id', 'inspection_id', 'unit_id', 'category_id', 'description', 'is_immediate', 'is_key_concern', 'found_date'],
          entries.map((e, i) => [findingIds[i], inspectionOf(e), e.unitId, e.categoryId, e.description, e.isImmediate, false, e.foundDate]),
        );
        await copyRows(
          client,
          'rectification_tasks',
          ['id', 'finding_id', 'measure', 'responsible_dept', 'responsible_person', 'track', 'original_due_date', 'current_due_date', 'status', 'closed_date'],
          entries.map((e, i) => [
            taskIds[i],
            findingIds[i],
            e.measure,
            e.responsibleDept,
            e.responsiblePerson,
            e.track,
            e.originalDueDate,
            e.currentDueDate,
            e.status,
            e.closedDate,
          ]),
        );
        // the events in their order (ids ascending as they are written), CREATED first for each task
        const reason = `历史台账导入 history import: ${plan.fileName}`.slice(0, 1000);
        const eventRow = (task: string, e: HistoryEvent | (Omit<HistoryEvent, 'type'> & { type: 'CREATED' })): CopyValue[] => {
          const backdated = e.date < plan.today;
          return [task, e.type, e.date, e.fromStatus, e.toStatus, e.newDueDate, e.note, plan.actor, backdated, backdated ? reason : null];
        };
        function* events(): Generator<CopyValue[]> {
          for (let i = 0; i < n; i++) {
            const e = entries[i];
            yield eventRow(taskIds[i], { type: 'CREATED', date: e.createdDate, fromStatus: null, toStatus: 'NOT_STARTED', newDueDate: null, note: null });
            for (const event of e.events) yield eventRow(taskIds[i], event);
          }
        }
        const written = await copyRows(
          client,
          'task_events',
          ['task_id', 'type', 'event_date', 'from_status', 'to_status', 'new_due_date', 'note', 'actor', 'backdated', 'backdate_reason'],
          events(),
        );
        await client.query('INSERT INTO ledger_imports (file_hash, file_name, actor, rows, inspections_created, events) VALUES ($1, $2, $3, $4, $5, $6)', [
          plan.fileHash,
          plan.fileName.slice(0, 256),
          plan.actor,
          n,
          plan.newInspections.length,
          written,
        ]);
        return { imported: n, inspectionsCreated: plan.newInspections.length, events: written };
      });
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

type SqlClient = ReturnType<typeof pgClient>;

async function insertInspections(client: SqlClient, inspections: NewInspection[]): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  if (inspections.length === 0) return ids;
  const { rows } = await client.query<{ id: number; round_id: number; unit_id: number }>(
    `INSERT INTO inspections (round_id, unit_id, team, mode, stationed_from, feedback_date)
     SELECT * FROM unnest($1::int[], $2::int[], $3::text[], $4::inspection_mode[], $5::date[], $6::date[])
     RETURNING id, round_id, unit_id`,
    [
      inspections.map((i) => i.roundId),
      inspections.map((i) => i.unitId),
      inspections.map((i) => i.team),
      inspections.map((i) => i.mode),
      inspections.map((i) => i.stationedFrom),
      inspections.map((i) => i.feedbackDate),
    ],
  );
  // a new inspection is unique by (round, unit) among the new ones: its key
  for (const row of rows) ids.set(`${row.round_id}:${row.unit_id}`, row.id);
  return ids;
}

function duplicate(at: Date): AppError {
  const message = `同一文件已于 ${at.toISOString()} 导入，${DUPLICATE_WINDOW_MINUTES} 分钟内不能重复导入 this file was imported at ${at.toISOString()}; the same file is refused for ${DUPLICATE_WINDOW_MINUTES} minutes`;
  return new AppError(HttpStatus.CONFLICT, `file: ${message}`, [{ field: 'file', message }]);
}

/** `n` ids from the id sequence of `table` (one of ours, never user input), ascending, as text (bigint). */
async function nextIds(client: SqlClient, table: 'findings' | 'rectification_tasks', n: number): Promise<string[]> {
  if (n === 0) return [];
  const { rows } = await client.query<{ id: string }>(
    'SELECT id::text AS id FROM (SELECT nextval(pg_get_serial_sequence($1, $2)) AS id FROM generate_series(1, $3::int)) s ORDER BY s.id',
    [table, 'id', n],
  );
  return rows.map((r) => r.id);
}
