import { Inject, Injectable } from '@nestjs/common';
import type { Db } from '@xuncha/prisma';
import type { InspectionMode, TaskStatus } from '../common/filters';
import { PRISMA } from '../infra/tokens';
import { auditedTransaction } from '../audit/audit-context';

/** The interactive-transaction client of the (soft-deleting) Prisma client. */
export type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];

type Track = 'IMMEDIATE' | 'DEADLINE' | 'LONG_TERM';

export interface InspectionData {
  roundId: number;
  unitId: number;
  team: string;
  mode: InspectionMode;
  isCross: boolean;
  isElevated: boolean;
  stationedFrom: Date;
  stationedTo: Date | null;
  feedbackDate: Date | null;
}

export interface FindingData {
  inspectionId: number;
  unitId: number;
  categoryId: number;
  description: string;
  isImmediate: boolean;
  isKeyConcern: boolean;
  recurrenceOfId: bigint | null;
  foundDate: Date;
}

export interface TaskData {
  findingId: bigint;
  measure: string;
  responsibleDept: string;
  responsiblePerson: string;
  track: Track;
  originalDueDate: Date | null;
}

export interface EventData {
  type: 'CREATED' | 'STATUS_CHANGE' | 'EXTENSION' | 'PROGRESS_NOTE';
  eventDate: Date;
  fromStatus?: TaskStatus | null;
  toStatus?: TaskStatus | null;
  newDueDate?: Date | null;
  note?: string | null;
  actor: string;
  /** 补录: recorded after its event day, and why. */
  backdated?: boolean;
  backdateReason?: string | null;
}

/** Not deleted, and neither is anything it hangs from. */
const liveInspection = { deletedAt: null };
const liveFinding = { deletedAt: null, inspection: { is: liveInspection } };
const liveTask = { deletedAt: null, finding: { is: liveFinding } };

/** Case-record reads and writes in PostgreSQL. Writes that belong together take a `tx`. */
@Injectable()
export class RecordsRepository {
  constructor(@Inject(PRISMA) private readonly prisma: Db) {}

  /**
   * Runs `work` in one PostgreSQL transaction, which also inserts the audit entry of the
   * @Audited request under way (audit/audit-context.ts): every case-record write goes
   * through here, so that its entry commits with it.
   */
  transaction<T>(work: (tx: Tx) => Promise<T>, options: { timeoutMs?: number } = {}): Promise<T> {
    return auditedTransaction(this.prisma, work, { maxWait: 10_000, timeout: options.timeoutMs ?? 15_000 });
  }

  // --- lookups ---------------------------------------------------------------------

  async roundExists(id: number): Promise<boolean> {
    return (await this.prisma.round.count({ where: { id, deletedAt: null } })) > 0;
  }

  unit(id: number) {
    return this.prisma.orgUnit.findFirst({ where: { id, deletedAt: null }, select: { id: true, validFrom: true, validTo: true } });
  }

  inspection(id: number) {
    return this.prisma.inspection.findFirst({
      where: { id, ...liveInspection },
      select: { id: true, unitId: true, stationedFrom: true, feedbackDate: true },
    });
  }

  category(id: number) {
    return this.prisma.issueCategory.findFirst({ where: { id, deletedAt: null }, select: { id: true, code: true, level: true } });
  }

  finding(id: bigint) {
    return this.prisma.finding.findFirst({
      where: { id, ...liveFinding },
      select: { id: true, unitId: true, foundDate: true, inspection: { select: { feedbackDate: true } } },
    });
  }

  // --- inspections and findings --------------------------------------------------

  createInspection(data: InspectionData) {
    return this.transaction((tx) => tx.inspection.create({ data }));
  }

  createFinding(data: FindingData) {
    return this.transaction((tx) => tx.finding.create({ data }));
  }

  // --- tasks -------------------------------------------------------------------------

  async createTask(tx: Tx, data: TaskData, event: EventData) {
    const task = await tx.rectificationTask.create({ data: { ...data, currentDueDate: data.originalDueDate, status: 'NOT_STARTED' } });
    const created = await tx.taskEvent.create({ data: { ...event, taskId: task.id } });
    return { task, event: created };
  }

  /**
   * The task, locked for the rest of the transaction (concurrent writes to it wait), or
   * null when it does not exist or is deleted (itself, its finding or its inspection).
   */
  async lockTask(tx: Tx, id: bigint) {
    await tx.$queryRaw`SELECT id FROM rectification_tasks WHERE id = ${id} FOR UPDATE`;
    return tx.rectificationTask.findFirst({ where: { id, ...liveTask } });
  }

  /** The latest event day of a task (null when it has none). */
  async lastEventDate(tx: Tx, taskId: bigint): Promise<Date | null> {
    const result = await tx.taskEvent.aggregate({ where: { taskId, deletedAt: null }, _max: { eventDate: true } });
    return result._max.eventDate;
  }

  /** Updates the task and appends its event. */
  async writeTask(tx: Tx, id: bigint, data: { status?: TaskStatus; closedDate?: Date | null; currentDueDate?: Date }, event: EventData) {
    const task =
      Object.keys(data).length > 0
        ? await tx.rectificationTask.update({ where: { id }, data })
        : await tx.rectificationTask.findUniqueOrThrow({ where: { id } });
    const created = await tx.taskEvent.create({ data: { ...event, taskId: id } });
    return { task, event: created };
  }

  // --- soft deletes ------------------------------------------------------------------
  // Written as the update the client's soft delete makes (deleted_at set), inside the
  // transaction: the client's delete would run its update outside it.

  deleteInspection(id: number) {
    return this.transaction(async (tx) => {
      if ((await tx.inspection.count({ where: { id, ...liveInspection } })) === 0) return null;
      return tx.inspection.update({ where: { id, deletedAt: null }, data: { deletedAt: new Date() } });
    });
  }

  deleteFinding(id: bigint) {
    return this.transaction(async (tx) => {
      if ((await tx.finding.count({ where: { id, ...liveFinding } })) === 0) return null;
      return tx.finding.update({ where: { id, deletedAt: null }, data: { deletedAt: new Date() } });
    });
  }

  deleteTask(id: bigint) {
    return this.transaction(async (tx) => {
      if ((await tx.rectificationTask.count({ where: { id, ...liveTask } })) === 0) return null;
      return tx.rectificationTask.update({ where: { id, deletedAt: null }, data: { deletedAt: new Date() } });
    });
  }
}
