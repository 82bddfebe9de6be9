import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { Db } from '@xuncha/prisma';
import type { InspectionMode, TaskStatus } from '../common/filters';
import { AppError } from '../common/http-exception.filter';
import { PRISMA } from '../infra/tokens';
import type { Track } from './ledger-workbook';
import type { HistoryEvent } from './ledger-history';
import { auditedTransaction } from '../audit/audit-context';

type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];

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

/** PostgreSQL reads and the one write of the ledger import. */
@Injectable()
export class LedgerImportRepository {
  constructor(@Inject(PRISMA) private readonly prisma: Db) {}

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
   * each table in one INSERT taking its columns as arrays (`unnest`). The file's hash is
   * taken under an advisory lock first: a second upload of the same file waits for the
   * first and is then refused (409), as is the same file again within the window.
   */
  async importLedger(plan: ImportPlan): Promise<{ imported: number; inspectionsCreated: number; events: number }> {
    return auditedTransaction(
      this.prisma,
      async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(('x' || substr(${plan.fileHash}, 1, 15))::bit(60)::bigint)`;
        const [earlier] = await tx.$queryRaw<{ created_at: Date }[]>`
          SELECT created_at FROM ledger_imports
           WHERE file_hash = ${plan.fileHash} AND created_at > now() - make_interval(mins => ${DUPLICATE_WINDOW_MINUTES}::int)
           ORDER BY created_at DESC LIMIT 1`;
        if (earlier) throw duplicate(earlier.created_at);

        const inspectionIds = await this.insertInspections(tx, plan.newInspections);
        const entries = plan.entries;
        const n = entries.length;
        const findingIds = (await nextIds(tx, 'findings', n)).map(String);
        const taskIds = (await nextIds(tx, 'rectification_tasks', n)).map(String);
        const inspectionOf = (e: ImportEntry) => (typeof e.inspection === 'number' ? e.inspection : (inspectionIds.get(e.inspection) as number));
        await tx.$executeRaw`
          INSERT INTO findings (id, inspection_id, unit_id, category_id, description, is_immediate, is_key_concern, found_date)
          SELECT id, inspection_id, unit_id, category_id, description, is_immediate, false, found_date
            FROM unnest(${findingIds}::bigint[], ${entries.map(inspectionOf)}::int[], ${entries.map((e) => e.unitId)}::int[],
                        ${entries.map((e) => e.categoryId)}::int[], ${entries.map((e) => e.description)}::text[], ${entries.map((e) => e.isImmediate)}::bool[],
                        ${entries.map((e) => e.foundDate)}::date[])
                 AS r(id, inspection_id, unit_id, category_id, description, is_immediate, found_date)`;
        await tx.$executeRaw`
          INSERT INTO rectification_tasks (id, finding_id, measure, responsible_dept, responsible_person, track, original_due_date, current_due_date, status, closed_date)
          SELECT * FROM unnest(${taskIds}::bigint[], ${findingIds}::bigint[], ${entries.map((e) => e.measure)}::text[], ${entries.map((e) => e.responsibleDept)}::text[],
                               ${entries.map((e) => e.responsiblePerson)}::text[], ${entries.map((e) => e.track)}::task_track[], ${entries.map((e) => e.originalDueDate)}::date[],
                               ${entries.map((e) => e.currentDueDate)}::date[], ${entries.map((e) => e.status)}::task_status[], ${entries.map((e) => e.closedDate)}::date[])`;

        // the events in their order (ids ascending), CREATED first for each task
        const ev = {
          task: [] as string[],
          type: [] as string[],
          date: [] as string[],
          from: [] as (string | null)[],
          to: [] as (string | null)[],
          due: [] as (string | null)[],
          note: [] as (string | null)[],
          backdated: [] as boolean[],
        };
        const push = (task: string, e: HistoryEvent) => {
          ev.task.push(task);
          ev.type.push(e.type);
          ev.date.push(e.date);
          ev.from.push(e.fromStatus);
          ev.to.push(e.toStatus);
          ev.due.push(e.newDueDate);
          ev.note.push(e.note);
          ev.backdated.push(e.date < plan.today);
        };
        entries.forEach((e, i) => {
          push(taskIds[i], {
            type: 'CREATED' as HistoryEvent['type'],
            date: e.createdDate,
            fromStatus: null,
            toStatus: 'NOT_STARTED',
            newDueDate: null,
            note: null,
          });
          for (const event of e.events) push(taskIds[i], event);
        });
        await tx.$executeRaw`
          INSERT INTO task_events (task_id, type, event_date, from_status, to_status, new_due_date, note, actor, backdated, backdate_reason)
          SELECT task_id, type, event_date, from_status, to_status, new_due_date, note, ${plan.actor}, backdated,
                 CASE WHEN backdated THEN ${`历史台账导入 history import: ${plan.fileName}`.slice(0, 1000)}::text END
            FROM unnest(${ev.task}::bigint[], ${ev.type}::task_event_type[], ${ev.date}::date[], ${ev.from}::task_status[], ${ev.to}::task_status[],
                        ${ev.due}::date[], ${ev.note}::text[], ${ev.backdated}::bool[]) WITH ORDINALITY
                 AS r(task_id, type, event_date, from_status, to_status, new_due_date, note, backdated, k)
           ORDER BY k`;
        const events = ev.task.length;
        await tx.ledgerImport.create({
          data: {
            fileHash: plan.fileHash,
            fileName: plan.fileName.slice(0, 256),
            actor: plan.actor,
            rows: n,
            inspectionsCreated: plan.newInspections.length,
            events,
          },
        });
        return { imported: n, inspectionsCreated: plan.newInspections.length, events };
      },
      { maxWait: 120_000, timeout: 180_000 },
    );
  }

  private async insertInspections(tx: Tx, inspections: NewInspection[]): Promise<Map<string, number>> {
    const ids = new Map<string, number>();
    if (inspections.length === 0) return ids;
    const rows = await tx.$queryRaw<{ id: number; round_id: number; unit_id: number }[]>`
      INSERT INTO inspections (round_id, unit_id, team, mode, stationed_from, feedback_date)
      SELECT * FROM unnest(${inspections.map((i) => i.roundId)}::int[], ${inspections.map((i) => i.unitId)}::int[], ${inspections.map((i) => i.team)}::text[],
                           ${inspections.map((i) => i.mode)}::inspection_mode[], ${inspections.map((i) => i.stationedFrom)}::date[], ${inspections.map((i) => i.feedbackDate)}::date[])
      RETURNING id, round_id, unit_id`;
    // a new inspection is unique by (round, unit) among the new ones: its key
    for (const row of rows) ids.set(`${row.round_id}:${row.unit_id}`, row.id);
    return ids;
  }
}

function duplicate(at: Date): AppError {
  const message = `同一文件已于 ${at.toISOString()} 导入，${DUPLICATE_WINDOW_MINUTES} 分钟内不能重复导入 this file was imported at ${at.toISOString()}; the same file is refused for ${DUPLICATE_WINDOW_MINUTES} minutes`;
  return new AppError(HttpStatus.CONFLICT, `file: ${message}`, [{ field: 'file', message }]);
}

/** `n` ids from the id sequence of `table` (one of ours, never user input). */
async function nextIds(tx: Tx, table: 'findings' | 'rectification_tasks', n: number): Promise<bigint[]> {
  if (n === 0) return [];
  const rows = await tx.$queryRaw<
    { id: bigint | number | string }[]
  >`SELECT nextval(pg_get_serial_sequence(${table}, 'id')) AS id FROM generate_series(1, ${n}::int) ORDER BY 1`;
  return rows.map((r) => BigInt(r.id));
}
