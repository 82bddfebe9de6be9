import { shanghaiToday } from '@xuncha/shared';
import { sniffEvidence } from '@xuncha/backend';
import { startTestApp, TEST_PASSWORD, type TestApp, type TestClient } from '../support/app';
import { docxFile, exeFile, pdfFile, pdfOfSize, pngFile, xlsxFile } from '../support/evidence-files';
import { parseCsv } from '../support/csv';
import { query } from '../support/pg';
import { xlsxRecordsViaSoffice } from '../support/xlsx-via-soffice';

/**
 * 销号审核 through HTTP: apply with evidence (the type read from the bytes), review by
 * someone else (通过 / 退回), 撤销销号, the queue, audited downloads, and the figures: the
 * closure count as of today moves by exactly one after the ETL, as of yesterday never.
 */
jest.setTimeout(300_000);

const TODAY = shanghaiToday();
const YESTERDAY = new Date(Date.parse(`${TODAY}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

let t: TestApp;
let staff: TestClient;
let reviewer: TestClient;

const sql = <T extends Record<string, unknown>>(text: string, params: unknown[] = []) => query<T>(t.db.url, text, params);

interface Write {
  request: { id: number; status: string; applicant: string; reviewer: string | null; evidence: { id: number; kind: string; size: number; fileName: string }[] };
  task: { id: number; status: string; closedDate: string | null };
}

async function apply(client: TestClient, taskId: number, files: { name: string; bytes: Buffer }[], explanation = '已按要求完成整改') {
  const form = new FormData();
  form.append('explanation', explanation);
  for (const file of files) form.append('files', new Blob([new Uint8Array(file.bytes)]), file.name);
  const response = await fetch(`${t.url}/api/tasks/${taskId}/closure-requests`, { method: 'POST', body: form, headers: { cookie: client.cookie } });
  return { status: response.status, body: (await response.json()) as Write & { message: string; details?: { field: string }[] } };
}

/** Tasks in progress whose finding was fed back (so the rectification figures count them), one per test. */
let pool: number[] = [];
const nextTask = () => {
  const id = pool.shift();
  if (id === undefined) throw new Error('no task left');
  return id;
};

/** Tasks closed as of `day`, by the app (after an ETL run) */
async function closedAsOf(day: string): Promise<number> {
  const { status, body } = await t.get<{ taskClosure: { numerator: number } }>(`/api/metrics/rectification?asOf=${day}`);
  expect(status).toBe(200);
  return body.taskClosure.numerator;
}

/** …and by plain SQL over the events: a task is closed as of D when its last status event by D says so. */
async function closedByHand(day: string): Promise<number> {
  const [row] = await sql<{ n: string }>(
    `WITH last AS (
       SELECT DISTINCT ON (e.task_id) e.task_id, e.to_status
         FROM task_events e WHERE e.deleted_at IS NULL AND e.to_status IS NOT NULL AND e.event_date <= $1::date
        ORDER BY e.task_id, e.event_date DESC, e.id DESC)
     SELECT count(*) AS n FROM last
       JOIN rectification_tasks k ON k.id = last.task_id AND k.deleted_at IS NULL
       JOIN findings f ON f.id = k.finding_id AND f.deleted_at IS NULL AND f.found_date <= $1::date
       JOIN inspections i ON i.id = f.inspection_id AND i.deleted_at IS NULL AND i.feedback_date <= $1::date
      WHERE last.to_status = 'CLOSED'`,
    [day],
  );
  return Number(row.n);
}

beforeAll(async () => {
  t = await startTestApp({ seed: { scale: 'tiny', today: TODAY } });
  staff = await t.as('staff');
  const admin = await t.as('admin');
  const created = await admin.send('POST', '/api/users', { username: 'staff-reviewer', displayName: '审核人', role: 'STAFF', password: TEST_PASSWORD });
  expect(created.status).toBe(201);
  reviewer = await t.as('staff-reviewer');
  const rows = await sql<{ id: string }>(
    `SELECT k.id FROM rectification_tasks k JOIN findings f ON f.id = k.finding_id JOIN inspections i ON i.id = f.inspection_id
      WHERE k.status = 'IN_PROGRESS' AND k.deleted_at IS NULL AND f.deleted_at IS NULL AND i.deleted_at IS NULL AND i.feedback_date < $1::date
        AND NOT EXISTS (SELECT 1 FROM task_events e WHERE e.task_id = k.id AND e.event_date > $1::date)
      ORDER BY k.id LIMIT 10`,
    [TODAY],
  );
  pool = rows.map((r) => Number(r.id));
  expect(pool.length).toBe(10);
});

afterAll(async () => {
  await t?.close();
});

describe('evidence types', () => {
  it('are read from the bytes', async () => {
    expect(sniffEvidence(pdfFile())).toBe('pdf');
    expect(sniffEvidence(pngFile())).toBe('png');
    expect(sniffEvidence(docxFile())).toBe('docx');
    expect(sniffEvidence(await xlsxFile())).toBe('xlsx');
    expect(sniffEvidence(exeFile())).toBeNull();
    expect(sniffEvidence(Buffer.from('plain text'))).toBeNull();
  });
});

describe('applying for closure', () => {
  it('keeps the explanation and the files in PostgreSQL, and moves the task to 申请销号', async () => {
    const taskId = nextTask();
    const docx = docxFile();
    const { status, body } = await apply(staff, taskId, [
      { name: '整改报告.pdf', bytes: pdfFile() },
      { name: '台账.docx', bytes: docx },
    ]);
    expect(status).toBe(201);
    expect(body.task.status).toBe('CLOSE_REQUESTED');
    expect(body.request).toMatchObject({ status: 'PENDING', applicant: 'staff', reviewer: null });
    expect(body.request.evidence.map((e) => [e.fileName, e.kind, e.size])).toEqual([
      ['整改报告.pdf', 'pdf', pdfFile().length],
      ['台账.docx', 'docx', docx.length],
    ]);
    const [stored] = await sql<{ content: Buffer }>('SELECT content FROM closure_evidence WHERE id = $1', [body.request.evidence[1].id]);
    expect(Buffer.compare(stored.content, docx)).toBe(0);
    const [row] = await sql<{ status: string }>('SELECT status::text FROM rectification_tasks WHERE id = $1', [taskId]);
    expect(row.status).toBe('CLOSE_REQUESTED');
    // the download is the same bytes, and audited
    const download = await fetch(`${t.url}/api/closure-evidence/${body.request.evidence[1].id}`, { headers: { cookie: reviewer.cookie } });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toContain('wordprocessingml');
    expect(Buffer.compare(Buffer.from(await download.arrayBuffer()), docx)).toBe(0);
    const audit = await sql<{ username: string }>(`SELECT username FROM audit_logs WHERE action = 'closure.evidence.download' AND target LIKE $1`, [
      `%${body.request.evidence[1].id}%`,
    ]);
    expect(audit.map((a) => a.username)).toEqual(['staff-reviewer']);
    // the queue shows it
    const queue = await reviewer.get<{ rows: { id: number; taskId: number }[] }>('/api/closure-requests?pageSize=200');
    expect(queue.body.rows.map((r) => r.taskId)).toContain(taskId);
  });

  it('the task detail answers what may come next: the plain status changes, and whether 申请销号 is open', async () => {
    interface Detail {
      task: { status: string; nextStatuses: string[]; mayApplyForClosure: boolean };
    }
    const taskId = nextTask();
    // 整改中: the status form offers 基本完成 and 未完成; 申请销号 goes through the closure review
    const before = await staff.get<Detail>(`/api/tasks/${taskId}`);
    expect(before.body.task).toEqual(
      expect.objectContaining({ status: 'IN_PROGRESS', nextStatuses: ['BASICALLY_DONE', 'NOT_DONE'], mayApplyForClosure: true }),
    );
    expect((await apply(staff, taskId, [{ name: '报告.pdf', bytes: pdfFile() }])).status).toBe(201);
    // 申请销号 with its request pending: only the review moves it (通过, 退回), and no second application
    const after = await staff.get<Detail>(`/api/tasks/${taskId}`);
    expect(after.body.task).toEqual(expect.objectContaining({ status: 'CLOSE_REQUESTED', nextStatuses: [], mayApplyForClosure: false }));
  });

  it('refuses a renamed executable, a file whose name lies, no file, and writes nothing', async () => {
    const taskId = nextTask();
    const exe = await apply(staff, taskId, [{ name: '整改报告.pdf', bytes: exeFile() }]);
    expect([exe.status, exe.body.details?.[0].field]).toEqual([400, 'files']);
    expect(exe.body.message).toContain('不是可接受的佐证材料类型');
    const lying = await apply(staff, taskId, [{ name: 'photo.pdf', bytes: pngFile() }]);
    expect([lying.status, lying.body.details?.[0].field]).toEqual([400, 'files']);
    const none = await apply(staff, taskId, []);
    expect([none.status, none.body.details?.[0].field]).toEqual([400, 'files']);
    const blank = await apply(staff, taskId, [{ name: 'a.pdf', bytes: pdfFile() }], '   ');
    expect([blank.status, blank.body.details?.[0].field]).toEqual([400, 'explanation']);
    expect(await sql('SELECT id FROM closure_requests WHERE task_id = $1', [taskId])).toEqual([]);
    const [row] = await sql<{ status: string }>('SELECT status::text FROM rectification_tasks WHERE id = $1', [taskId]);
    expect(row.status).toBe('IN_PROGRESS');
  });

  it('refuses a file over the limit (20 MB) with a 413, and more than ten files', async () => {
    const taskId = nextTask();
    const big = await apply(staff, taskId, [{ name: 'big.pdf', bytes: pdfOfSize(20 * 1024 * 1024 + 1) }]);
    expect([big.status, big.body.details?.[0].field]).toEqual([413, 'files']);
    const many = await apply(
      staff,
      taskId,
      Array.from({ length: 11 }, (_, i) => ({ name: `p${i}.pdf`, bytes: pdfFile() })),
    );
    expect([many.status, many.body.details?.[0].field]).toEqual([400, 'files']);
    expect(await sql('SELECT id FROM closure_requests WHERE task_id = $1', [taskId])).toEqual([]);
  });
});

describe('reviewing', () => {
  it('refuses the applicant, approves by another, and the figures move by exactly one (as of today only)', async () => {
    const taskId = nextTask();
    await t.etl();
    const [todayBefore, yesterdayBefore] = [await closedAsOf(TODAY), await closedAsOf(YESTERDAY)];
    expect(todayBefore).toBe(await closedByHand(TODAY));
    const applied = await apply(staff, taskId, [{ name: 'photo.png', bytes: pngFile() }]);
    expect(applied.status).toBe(201);
    const requestId = applied.body.request.id;

    const self = await staff.send<{ message: string }>('POST', `/api/closure-requests/${requestId}/approve`, {});
    expect(self.status).toBe(403);
    expect(self.body.message).toContain('不能审核本人提出的销号申请');
    // the plain status route cannot close it either
    expect((await staff.send('POST', `/api/tasks/${taskId}/status`, { status: 'CLOSED' })).status).toBe(409);

    const approved = await reviewer.send<Write>('POST', `/api/closure-requests/${requestId}/approve`, { note: '材料齐全' });
    expect(approved.status).toBe(201);
    expect(approved.body.task).toMatchObject({ status: 'CLOSED', closedDate: TODAY });
    expect(approved.body.request).toMatchObject({ status: 'APPROVED', reviewer: 'staff-reviewer' });
    // twice: already reviewed
    expect((await reviewer.send('POST', `/api/closure-requests/${requestId}/approve`, {})).status).toBe(409);

    await t.etl();
    expect(await closedAsOf(TODAY)).toBe(todayBefore + 1);
    expect(await closedAsOf(TODAY)).toBe(await closedByHand(TODAY));
    expect(await closedAsOf(YESTERDAY)).toBe(yesterdayBefore);

    // 撤销销号: open again from today; yesterday unchanged
    expect((await staff.send('POST', `/api/tasks/${taskId}/reopen`, {})).status).toBe(400);
    const reopened = await staff.send<Write>('POST', `/api/tasks/${taskId}/reopen`, { reason: '复查发现整改不到位' });
    expect(reopened.status).toBe(201);
    expect(reopened.body.task).toMatchObject({ status: 'IN_PROGRESS', closedDate: null });
    await t.etl();
    expect(await closedAsOf(TODAY)).toBe(todayBefore);
    expect(await closedAsOf(TODAY)).toBe(await closedByHand(TODAY));
    expect(await closedAsOf(YESTERDAY)).toBe(yesterdayBefore);
    const events = await sql<{ from_status: string; to_status: string; note: string; actor: string }>(
      `SELECT from_status::text, to_status::text, note, actor FROM task_events WHERE task_id = $1 AND type = 'STATUS_CHANGE' AND event_date = $2::date ORDER BY id`,
      [taskId, TODAY],
    );
    expect(events.map((e) => [e.from_status, e.to_status, e.actor])).toEqual([
      ['IN_PROGRESS', 'CLOSE_REQUESTED', 'staff'],
      ['CLOSE_REQUESTED', 'CLOSED', 'staff-reviewer'],
      ['CLOSED', 'IN_PROGRESS', 'staff'],
    ]);
    expect(events[2].note).toBe('撤销销号：复查发现整改不到位');
  });

  it('returns with a reason (required) to 整改中', async () => {
    const taskId = nextTask();
    const applied = await apply(staff, taskId, [{ name: '台账.xlsx', bytes: await xlsxFile() }]);
    expect(applied.status).toBe(201);
    const requestId = applied.body.request.id;
    const noReason = await reviewer.send<{ details: { field: string }[] }>('POST', `/api/closure-requests/${requestId}/return`, {});
    expect([noReason.status, noReason.body.details[0].field]).toEqual([400, 'reason']);
    expect((await staff.send('POST', `/api/closure-requests/${requestId}/return`, { reason: '自己退回' })).status).toBe(403);
    const returned = await reviewer.send<Write>('POST', `/api/closure-requests/${requestId}/return`, { reason: '佐证材料不足' });
    expect(returned.status).toBe(201);
    expect(returned.body.task.status).toBe('IN_PROGRESS');
    expect(returned.body.request).toMatchObject({ status: 'RETURNED', reviewer: 'staff-reviewer' });
    const history = await staff.get<{ rows: { status: string; reviewNote: string }[] }>(`/api/tasks/${taskId}/closure-requests`);
    expect(history.body.rows.map((r) => [r.status, r.reviewNote])).toEqual([['RETURNED', '佐证材料不足']]);
    // it can apply again
    expect((await apply(staff, taskId, [{ name: 'again.pdf', bytes: pdfFile() }])).status).toBe(201);
  });
});

describe('导出', () => {
  /** The data rows below the header row (first cell 申请编号): id, task, unit, applicant, explanation, evidence count. */
  const table = (records: string[][]) => {
    const header = records.findIndex((r) => r[0] === '申请编号');
    expect(header).toBeGreaterThanOrEqual(0);
    const columns = records[header];
    const at = (name: string) => columns.indexOf(name);
    expect([at('任务编号'), at('被巡察单位'), at('申请人'), at('整改情况说明'), at('佐证材料(份)'), at('审核状态')].every((i) => i > 0)).toBe(true);
    return records
      .slice(header + 1)
      .filter((r) => /^\d+$/.test(r[0] ?? ''))
      .map((r) => ({
        id: r[0],
        taskId: r[at('任务编号')],
        unit: r[at('被巡察单位')],
        applicant: r[at('申请人')],
        explanation: r[at('整改情况说明')],
        evidence: r[at('佐证材料(份)')],
        status: r[at('审核状态')],
      }));
  };
  /** The queue as PostgreSQL gives it, oldest first. */
  const expected = async (status: string) =>
    (
      await sql<{ id: string; task_id: string; unit: string; applicant: string; explanation: string; evidence: string }>(
        `SELECT c.id, c.task_id, u.name AS unit, c.applicant, c.explanation,
                (SELECT count(*) FROM closure_evidence e WHERE e.request_id = c.id) AS evidence
           FROM closure_requests c
           JOIN rectification_tasks k ON k.id = c.task_id AND k.deleted_at IS NULL
           JOIN findings f ON f.id = k.finding_id AND f.deleted_at IS NULL
           JOIN inspections i ON i.id = f.inspection_id AND i.deleted_at IS NULL
           JOIN org_units u ON u.id = f.unit_id
          WHERE c.status = $1::closure_request_status
          ORDER BY c.requested_at, c.id`,
        [status],
      )
    ).map((r) => ({
      id: String(r.id),
      taskId: String(r.task_id),
      unit: r.unit,
      applicant: r.applicant,
      explanation: r.explanation,
      evidence: String(r.evidence),
    }));

  it('lists, as CSV and as .xlsx, exactly the requests PostgreSQL gives for the status, named after it', async () => {
    const tricky = '已整改，"附件"见后\n第二行, 完毕';
    const pendingTask = nextTask();
    expect(
      (
        await apply(
          staff,
          pendingTask,
          [
            { name: '说明.pdf', bytes: pdfFile() },
            { name: '照片.png', bytes: pngFile() },
          ],
          tricky,
        )
      ).status,
    ).toBe(201);
    const returnedTask = nextTask();
    const returnedApply = await apply(staff, returnedTask, [{ name: '台账.xlsx', bytes: await xlsxFile() }]);
    expect(returnedApply.status).toBe(201);
    expect((await reviewer.send('POST', `/api/closure-requests/${returnedApply.body.request.id}/return`, { reason: '佐证不足' })).status).toBe(201);

    const pending = await expected('PENDING');
    // (a multipart field's line break arrives as CRLF)
    const mine = pending.find((r) => r.taskId === String(pendingTask));
    expect([mine?.explanation.replace(/\r\n/g, '\n'), mine?.evidence]).toEqual([tricky, '2']);
    const csv = await fetch(`${t.url}/api/closure-requests.csv?status=PENDING`, { headers: { cookie: staff.cookie } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent(`待审核销号申请_${TODAY}.csv`)}`);
    const fromCsv = table(parseCsv(await csv.text()));
    expect(fromCsv.map(({ status: _status, ...r }) => r)).toEqual(pending);
    expect(new Set(fromCsv.map((r) => r.status))).toEqual(new Set(['待审核']));
    // a page parameter is not a filter of the download
    expect((await fetch(`${t.url}/api/closure-requests.csv?page=2`, { headers: { cookie: staff.cookie } })).status).toBe(400);

    const returned = await expected('RETURNED');
    expect(returned.map((r) => r.taskId)).toContain(String(returnedTask));
    const xlsx = await fetch(`${t.url}/api/closure-requests.xlsx?status=RETURNED`, { headers: { cookie: staff.cookie } });
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent(`已退回销号申请_${TODAY}.xlsx`)}`);
    const records = xlsxRecordsViaSoffice(Buffer.from(await xlsx.arrayBuffer()));
    expect(records[0][0]).toBe('已退回销号申请');
    const fromXlsx = table(records);
    expect(fromXlsx.map(({ status: _status, ...r }) => r)).toEqual(returned);
    expect(new Set(fromXlsx.map((r) => r.status))).toEqual(new Set(['已退回']));

    const audited = await sql<{ action: string }>(`SELECT action FROM audit_logs WHERE action LIKE 'export.closure-queue-%' ORDER BY id`);
    expect(audited.map((r) => r.action)).toEqual(expect.arrayContaining(['export.closure-queue-csv', 'export.closure-queue-xlsx']));
  });
});
