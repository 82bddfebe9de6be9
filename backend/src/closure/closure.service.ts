import { createHash } from 'node:crypto';
import { HttpStatus, Inject, Injectable, type StreamableFile } from '@nestjs/common';
import { shanghaiToday } from '@xuncha/shared';
import { CountyScope } from '../auth/county-scope';
import type { Principal } from '../auth/principal';
import { AppError } from '../common/http-exception.filter';
import { TASK_STATUS_LABELS } from '../common/labels';
import { dbDate, isoDay, isoDayOrNull } from '../common/dates';
import type { AppConfig } from '../config/app-config';
import { DimensionsService } from '../dimensions/dimensions.service';
import { csvListFile, listFileName, xlsxListFile } from '../files/list-file';
import { APP_CONFIG } from '../infra/tokens';
import { RecordsRepository, type Tx } from '../records/records.repository';
import { writeView } from '../records/records.service';
import { ClosureRepository, type EvidenceData } from './closure.repository';
import { CLOSURE_QUEUE_FILE_COLUMNS, closureQueueLabel } from './closure-queue-file';
import type {
  ApplyClosure,
  ApproveClosure,
  ClosureReason,
  ClosureRequestRecord,
  ClosureWrite,
  EvidenceRecord,
  QueueFileQuery,
  QueuePage,
  QueueQuery,
} from './dto/closure.dto';
import { EVIDENCE_ACCEPTED, EVIDENCE_CONTENT_TYPES, evidenceKind, EvidenceRefused } from './evidence-type';

/** An uploaded evidence file as multer (memory storage) hands it over. */
export interface EvidenceUpload {
  originalname: string;
  size: number;
  buffer: Buffer;
}

/** The most requests one download of the queue holds (far above any city's queue). */
const MAX_QUEUE_FILE_ROWS = 1_000_000;

type RequestRow = Awaited<ReturnType<ClosureRepository['requestsOfTask']>>[number];

function badField(field: string, message: string): AppError {
  return new AppError(HttpStatus.BAD_REQUEST, `${field}: ${message}`, [{ field, message }]);
}

const notFoundRequest = (id: number) => new AppError(HttpStatus.NOT_FOUND, `销号申请不存在 closure request ${id} does not exist`);

/**
 * multer reads a part's file name as latin1; browsers send UTF-8. A name whose latin1 bytes
 * form valid UTF-8 is decoded as such (a Chinese file name arrives intact), others are kept.
 */
export function uploadedName(raw: string): string {
  if (!/^[\x00-\xff]*$/.test(raw)) return raw;
  const decoded = Buffer.from(raw, 'latin1').toString('utf8');
  return decoded.includes('\ufffd') ? raw : decoded;
}

/**
 * The closure review (销号审核): a writer applies with a 整改情况说明 and evidence files
 * (申请销号, → CLOSE_REQUESTED); someone else in the same scope approves it (通过, → CLOSED)
 * or returns it with a reason (退回, → IN_PROGRESS); a closed task can be reopened with a
 * reason (撤销销号, → IN_PROGRESS). Every step is one transaction with the task's
 * STATUS_CHANGE event, dated today, so figures as of earlier days never change.
 *
 * Who reviews: any writer of the office (STAFF) or of the task's county (COUNTY_STAFF) other
 * than the applicant — a 巡察办's 审核 is done by a colleague of the same office.
 */
@Injectable()
export class ClosureService {
  constructor(
    @Inject(ClosureRepository) private readonly repository: ClosureRepository,
    @Inject(RecordsRepository) private readonly records: RecordsRepository,
    @Inject(CountyScope) private readonly county: CountyScope,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(DimensionsService) private readonly dimensions: DimensionsService,
  ) {}

  async apply(auth: Principal, taskId: number, input: ApplyClosure, uploads: EvidenceUpload[] | undefined, actor: string): Promise<ClosureWrite> {
    await this.county.check(auth, 'task', taskId, CountyScope.notFound('整改任务', taskId));
    const files = this.checkedEvidence(uploads ?? []);
    const today = shanghaiToday();
    return this.records.transaction(
      async (tx) => {
        const task = await this.lockedTask(tx, taskId);
        if (task.status === 'CLOSE_REQUESTED' && !(await this.repository.pendingOfTask(tx, task.id))) {
          // 申请销号 recorded before the review existed (imported, or the demo data): its evidence is added, the status stays
          await this.notBeforeLastEvent(tx, task.id, today);
          const written = await this.records.writeTask(
            tx,
            task.id,
            {},
            { type: 'PROGRESS_NOTE', eventDate: dbDate(today), note: `补充销号申请材料：${input.explanation}`, actor },
          );
          const request = await this.repository.createRequest(
            tx,
            { taskId: task.id, explanation: input.explanation, applicant: actor, requestDate: dbDate(today) },
            files,
          );
          return { request: requestView(request), ...writeView(written) };
        }
        if (task.status !== 'IN_PROGRESS' && task.status !== 'BASICALLY_DONE') {
          throw new AppError(
            HttpStatus.CONFLICT,
            `只有整改中或基本完成的任务可以申请销号，该任务为${TASK_STATUS_LABELS[task.status]} only an IN_PROGRESS or BASICALLY_DONE task may apply for closure (task ${taskId} is ${task.status})`,
          );
        }
        await this.notBeforeLastEvent(tx, task.id, today);
        const written = await this.records.writeTask(
          tx,
          task.id,
          { status: 'CLOSE_REQUESTED' },
          {
            type: 'STATUS_CHANGE',
            eventDate: dbDate(today),
            fromStatus: task.status,
            toStatus: 'CLOSE_REQUESTED',
            note: `申请销号：${input.explanation}`,
            actor,
          },
        );
        const request = await this.repository.createRequest(
          tx,
          { taskId: task.id, explanation: input.explanation, applicant: actor, requestDate: dbDate(today) },
          files,
        );
        return { request: requestView(request), ...writeView(written) };
      },
      { timeoutMs: 120_000 },
    );
  }

  approve(auth: Principal, id: number, input: ApproveClosure, actor: string): Promise<ClosureWrite> {
    return this.review(auth, id, actor, 'APPROVED', input.note ?? null);
  }

  giveBack(auth: Principal, id: number, input: ClosureReason, actor: string): Promise<ClosureWrite> {
    return this.review(auth, id, actor, 'RETURNED', input.reason);
  }

  async reopen(auth: Principal, taskId: number, input: ClosureReason, actor: string) {
    await this.county.check(auth, 'task', taskId, CountyScope.notFound('整改任务', taskId));
    const today = shanghaiToday();
    return this.records.transaction(async (tx) => {
      const task = await this.lockedTask(tx, taskId);
      if (task.status !== 'CLOSED') {
        throw new AppError(
          HttpStatus.CONFLICT,
          `只有已销号的任务可以撤销销号，该任务为${TASK_STATUS_LABELS[task.status]} only a CLOSED task can be reopened (task ${taskId} is ${task.status})`,
        );
      }
      await this.notBeforeLastEvent(tx, task.id, today);
      const written = await this.records.writeTask(
        tx,
        task.id,
        { status: 'IN_PROGRESS', closedDate: null },
        { type: 'STATUS_CHANGE', eventDate: dbDate(today), fromStatus: 'CLOSED', toStatus: 'IN_PROGRESS', note: `撤销销号：${input.reason}`, actor },
      );
      return writeView(written);
    });
  }

  async requestsOfTask(auth: Principal, taskId: number): Promise<{ rows: ClosureRequestRecord[] }> {
    await this.county.check(auth, 'task', taskId, CountyScope.notFound('整改任务', taskId));
    return { rows: (await this.repository.requestsOfTask(BigInt(taskId))).map(requestView) };
  }

  async queue(auth: Principal, query: QueueQuery): Promise<QueuePage> {
    const tasks = await this.repository.queue(query.status, this.county.limit(auth), query.page, query.pageSize);
    const requests = new Map((await this.repository.requests(tasks.map((t) => t.request_id))).map((r) => [String(r.id), r]));
    const rows = tasks.flatMap((t) => {
      const request = requests.get(String(t.request_id));
      if (!request) return [];
      return [
        {
          ...requestView(request),
          task: {
            measure: t.measure,
            responsibleDept: t.responsible_dept,
            responsiblePerson: t.responsible_person,
            status: t.status,
            currentDueDate: isoDayOrNull(t.current_due_date),
            unitName: t.unit_name,
            regionName: t.region_name,
          },
        },
      ];
    });
    return { total: tasks.length === 0 ? 0 : Number(tasks[0].total), page: query.page, pageSize: query.pageSize, rows };
  }

  /**
   * Every request of the queue under the same status as .xlsx or CSV, within the user's county,
   * named after the filters (`待审核销号申请_某县_2026-12-03.xlsx`). The requests under review
   * are hundreds, not millions: read at once.
   */
  async queueFile(auth: Principal, query: QueueFileQuery, format: 'csv' | 'xlsx'): Promise<StreamableFile> {
    const today = shanghaiToday();
    const { rows } = await this.queue(auth, { ...query, page: 1, pageSize: MAX_QUEUE_FILE_ROWS });
    const limit = this.county.limit(auth);
    const regions = (await this.dimensions.get()).regions;
    const county = limit === null ? undefined : regions.find((r) => r.id === limit)?.name;
    const label = closureQueueLabel(query.status);
    const name = listFileName(label, { region: county }, today, format);
    const ascii = `closure-requests-${query.status.toLowerCase()}-${today}.${format}`;
    if (format === 'csv') return csvListFile(CLOSURE_QUEUE_FILE_COLUMNS, [rows], ascii, name);
    // 填报单位: the county account's county, else the city
    const reportingUnit = county ?? regions.find((r) => r.level === 'CITY')?.name ?? '';
    return xlsxListFile(CLOSURE_QUEUE_FILE_COLUMNS, [rows], rows, { title: label, reportingUnit, asOf: today, ascii, name });
  }

  /** One evidence file's bytes, for a download (404 outside the user's county). */
  async evidence(auth: Principal, id: number): Promise<{ content: Buffer; fileName: string; contentType: string; kind: string }> {
    const row = await this.repository.evidence(BigInt(id));
    const missing = CountyScope.notFound('佐证材料', id);
    if (!row) throw missing();
    await this.county.check(auth, 'task', row.taskId, missing);
    const content = Buffer.isBuffer(row.content) ? row.content : Buffer.from(row.content.buffer, row.content.byteOffset, row.content.length);
    return { content, fileName: row.fileName, contentType: row.contentType, kind: row.kind };
  }

  private async review(auth: Principal, id: number, actor: string, outcome: 'APPROVED' | 'RETURNED', note: string | null): Promise<ClosureWrite> {
    const taskId = await this.repository.taskOfRequest(BigInt(id));
    if (taskId === null) throw notFoundRequest(id);
    await this.county.check(auth, 'task', taskId, () => notFoundRequest(id));
    const today = shanghaiToday();
    return this.records.transaction(async (tx) => {
      const request = await this.repository.lockRequest(tx, BigInt(id));
      if (!request) throw notFoundRequest(id);
      if (request.status !== 'PENDING') {
        throw new AppError(
          HttpStatus.CONFLICT,
          `该销号申请已审核（${request.status === 'APPROVED' ? '已通过' : '已退回'}） closure request ${id} was already reviewed (${request.status})`,
        );
      }
      if (request.applicant === actor) {
        throw new AppError(
          HttpStatus.FORBIDDEN,
          `不能审核本人提出的销号申请，请由其他有审核权限的同事审核 you applied for this closure yourself; another reviewer of the same office must review it`,
        );
      }
      const task = await this.lockedTask(tx, Number(request.taskId));
      if (task.status !== 'CLOSE_REQUESTED') {
        throw new AppError(
          HttpStatus.CONFLICT,
          `任务当前为${TASK_STATUS_LABELS[task.status]}，不在申请销号状态 task ${task.id} is ${task.status}, not CLOSE_REQUESTED`,
        );
      }
      await this.notBeforeLastEvent(tx, task.id, today);
      const approved = outcome === 'APPROVED';
      const written = await this.records.writeTask(
        tx,
        task.id,
        approved ? { status: 'CLOSED', closedDate: dbDate(today) } : { status: 'IN_PROGRESS', closedDate: null },
        {
          type: 'STATUS_CHANGE',
          eventDate: dbDate(today),
          fromStatus: 'CLOSE_REQUESTED',
          toStatus: approved ? 'CLOSED' : 'IN_PROGRESS',
          note: approved ? `销号审核通过${note ? `：${note}` : ''}` : `销号申请退回：${note}`,
          actor,
        },
      );
      const reviewed = await this.repository.review(tx, request.id, { status: outcome, reviewer: actor, reviewNote: note });
      return { request: requestView(reviewed), ...writeView(written) };
    });
  }

  /** Every file checked before anything is written: count, size, and the type read from its bytes. */
  private checkedEvidence(uploads: EvidenceUpload[]): EvidenceData[] {
    if (uploads.length === 0) throw badField('files', `请上传至少一份佐证材料（${EVIDENCE_ACCEPTED}） at least one evidence file is required`);
    const { evidenceMaxFiles: maxFiles, evidenceMaxBytes: maxBytes } = this.config;
    if (uploads.length > maxFiles) throw badField('files', `佐证材料最多 ${maxFiles} 份 at most ${maxFiles} evidence files`);
    return uploads.map((upload) => {
      const fileName = uploadedName(upload.originalname).slice(0, 255);
      if (upload.size === 0) throw badField('files', `${fileName}：文件为空 the file is empty`);
      if (upload.size > maxBytes)
        throw badField('files', `${fileName}：文件超过 ${maxBytes / 1024 / 1024} MB the file is larger than ${maxBytes / 1024 / 1024} MB`);
      let kind;
      try {
        kind = evidenceKind(fileName, upload.buffer);
      } catch (error) {
        if (error instanceof EvidenceRefused) throw badField('files', error.message);
        throw error;
      }
      return {
        fileName,
        kind,
        contentType: EVIDENCE_CONTENT_TYPES[kind],
        size: upload.size,
        sha256: createHash('sha256').update(upload.buffer).digest('hex'),
        content: upload.buffer,
      };
    });
  }

  private async lockedTask(tx: Tx, id: number) {
    const task = await this.records.lockTask(tx, BigInt(id));
    if (!task) throw new AppError(HttpStatus.NOT_FOUND, `整改任务不存在或已删除 task ${id} does not exist or was deleted`);
    return task;
  }

  private async notBeforeLastEvent(tx: Tx, taskId: bigint, date: string): Promise<void> {
    const last = await this.records.lastEventDate(tx, taskId);
    if (last && date < isoDay(last)) throw badField('date', `日期早于该任务最近一次记录 must not be before the task's last event (${date} < ${isoDay(last)})`);
  }
}

function evidenceView(row: RequestRow['evidence'][number]): EvidenceRecord {
  return {
    id: Number(row.id),
    fileName: row.fileName,
    contentType: row.contentType,
    kind: row.kind,
    size: row.size,
    sha256: row.sha256,
    createdAt: row.createdAt.toISOString(),
  };
}

function requestView(row: RequestRow): ClosureRequestRecord {
  return {
    id: Number(row.id),
    taskId: Number(row.taskId),
    explanation: row.explanation,
    applicant: row.applicant,
    requestDate: isoDay(row.requestDate),
    requestedAt: row.requestedAt.toISOString(),
    status: row.status,
    reviewer: row.reviewer,
    reviewNote: row.reviewNote,
    reviewedAt: row.reviewedAt ? row.reviewedAt.toISOString() : null,
    evidence: row.evidence.map(evidenceView),
  };
}
