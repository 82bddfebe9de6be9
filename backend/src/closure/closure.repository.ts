import { Inject, Injectable } from '@nestjs/common';
import type { Db } from '@xuncha/prisma';
import type { TaskStatus } from '../common/filters';
import { PRISMA } from '../infra/tokens';
import type { Tx } from '../records/records.repository';

export interface EvidenceData {
  fileName: string;
  contentType: string;
  kind: string;
  size: number;
  sha256: string;
  content: Buffer;
}

/** Evidence without its bytes: what lists and the task drawer show. */
const EVIDENCE_META = { id: true, fileName: true, contentType: true, kind: true, size: true, sha256: true, createdAt: true } as const;
const WITH_EVIDENCE = { evidence: { select: EVIDENCE_META, orderBy: { id: 'asc' } } } as const;

export interface QueueTaskRow {
  request_id: bigint;
  total: bigint;
  measure: string;
  responsible_dept: string;
  responsible_person: string;
  status: TaskStatus;
  current_due_date: Date | null;
  unit_name: string;
  region_name: string;
}

/** Closure requests and their evidence files in PostgreSQL. */
@Injectable()
export class ClosureRepository {
  constructor(@Inject(PRISMA) private readonly prisma: Db) {}

  /**
   * The request and its files. The bytes go in by plain INSERTs with the file as a bytea
   * parameter: Prisma's nested create of a 20 MB Bytes field takes seconds longer.
   */
  async createRequest(tx: Tx, data: { taskId: bigint; explanation: string; applicant: string; requestDate: Date }, files: EvidenceData[]) {
    const request = await tx.closureRequest.create({ data });
    for (const f of files) {
      await tx.$executeRaw`
        INSERT INTO closure_evidence (request_id, file_name, content_type, kind, size, sha256, content)
        VALUES (${request.id}, ${f.fileName}, ${f.contentType}, ${f.kind}, ${f.size}, ${f.sha256}, ${f.content})`;
    }
    return tx.closureRequest.findUniqueOrThrow({ where: { id: request.id }, include: WITH_EVIDENCE });
  }

  /** The task's open (待审核) request, locked, or null. */
  async pendingOfTask(tx: Tx, taskId: bigint) {
    await tx.$queryRaw`SELECT id FROM closure_requests WHERE task_id = ${taskId} AND status = 'PENDING' FOR UPDATE`;
    return tx.closureRequest.findFirst({ where: { taskId, status: 'PENDING' } });
  }

  /** One request, locked for the rest of the transaction. */
  async lockRequest(tx: Tx, id: bigint) {
    await tx.$queryRaw`SELECT id FROM closure_requests WHERE id = ${id} FOR UPDATE`;
    return tx.closureRequest.findUnique({ where: { id } });
  }

  /** The task a request belongs to (null when the request does not exist). */
  async taskOfRequest(id: bigint): Promise<bigint | null> {
    return (await this.prisma.closureRequest.findUnique({ where: { id }, select: { taskId: true } }))?.taskId ?? null;
  }

  review(tx: Tx, id: bigint, data: { status: 'APPROVED' | 'RETURNED'; reviewer: string; reviewNote: string | null }) {
    return tx.closureRequest.update({ where: { id }, data: { ...data, reviewedAt: new Date() }, include: WITH_EVIDENCE });
  }

  requestsOfTask(taskId: bigint) {
    return this.prisma.closureRequest.findMany({ where: { taskId }, include: WITH_EVIDENCE, orderBy: { id: 'asc' } });
  }

  requests(ids: bigint[]) {
    return this.prisma.closureRequest.findMany({ where: { id: { in: ids } }, include: WITH_EVIDENCE });
  }

  /**
   * A page of requests in one status, oldest first, of live tasks (not deleted, nor their
   * finding or inspection), within `county` when given (a township counts for its county).
   */
  queue(status: string, county: number | null, page: number, pageSize: number): Promise<QueueTaskRow[]> {
    return this.prisma.$queryRaw<QueueTaskRow[]>`
      SELECT c.id AS request_id, count(*) OVER () AS total,
             t.measure, t.responsible_dept, t.responsible_person, t.status, t.current_due_date,
             u.name AS unit_name, g.name AS region_name
        FROM closure_requests c
        JOIN rectification_tasks t ON t.id = c.task_id AND t.deleted_at IS NULL
        JOIN findings f ON f.id = t.finding_id AND f.deleted_at IS NULL
        JOIN inspections i ON i.id = f.inspection_id AND i.deleted_at IS NULL
        JOIN org_units u ON u.id = f.unit_id
        JOIN regions g ON g.id = u.region_id
       WHERE c.status = ${status}::closure_request_status
         AND (${county}::int IS NULL OR (CASE WHEN g.level = 'TOWNSHIP' THEN g.parent_id ELSE g.id END) = ${county}::int)
       ORDER BY c.requested_at, c.id
       LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`;
  }

  /** One evidence file with its bytes and the task it proves (a plain query: the bytes arrive without Prisma's model mapping). */
  async evidence(id: bigint) {
    const rows = await this.prisma.$queryRaw<{ file_name: string; content_type: string; kind: string; task_id: bigint; content: Uint8Array }[]>`
      SELECT e.file_name, e.content_type, e.kind, r.task_id, e.content
        FROM closure_evidence e JOIN closure_requests r ON r.id = e.request_id
       WHERE e.id = ${id}`;
    const row = rows[0];
    return row ? { fileName: row.file_name, contentType: row.content_type, kind: row.kind, taskId: row.task_id, content: row.content } : null;
  }
}
