import { CaseRecordsService } from '@xuncha/backend';
import { shanghaiToday } from '@xuncha/shared';
import { startTestApp, type TestApp, type TestClient } from '../support/app';
import { query } from '../support/pg';
import { parseCsv } from '../support/csv';
import { xlsxRecordsViaSoffice } from '../support/xlsx-via-soffice';

/**
 * The case-record pages' API: the 巡察 list and detail, the 问题 list, corrections (PATCH) with
 * their before and after values in the audit log, soft deletes, the round rules of a new
 * inspection (issue 15 item 9), county scope, and a correction reaching the warehouse.
 * Every answer is checked against plain SQL on PostgreSQL.
 */
jest.setTimeout(300_000);

const TODAY = shanghaiToday();

interface ErrorBody {
  message: string;
  details?: { field: string; message: string }[];
}
interface Change {
  field: string;
  before: unknown;
  after: unknown;
}

function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

let t: TestApp;
let staff: TestClient;
let county: TestClient;
/** The county user's county, another county, and a round of each (and of the city) wide enough for today's tests. */
let own: { id: number; code: string };
let other: { id: number; code: string };
let ownRound: number;
let otherRound: number;
let cityRound: number;
let ownUnits: number[];
let level2: { id: number; code: string }[];

const sql = <T extends Record<string, unknown>>(text: string, params: unknown[] = []) => query<T>(t.db.url, text, params);
const UNIT_COUNTY = `(SELECT CASE WHEN g.level = 'TOWNSHIP' THEN g.parent_id ELSE g.id END FROM regions g WHERE g.id = u.region_id)`;

/** A round of the committee of `regionId` (its current term), spanning the last 400 days. */
async function wideRound(regionId: number, name: string): Promise<number> {
  const [{ id }] = await sql<{ id: number }>(
    `INSERT INTO rounds (term_id, ordinal, year, name, start_date, end_date)
     SELECT t.id, 80 + (SELECT count(*) FROM rounds x WHERE x.term_id = t.id)::int, extract(year FROM $2::date)::int, $3, $2::date, $4::date
       FROM terms t WHERE t.committee_region_id = $1 ORDER BY t.start_date DESC LIMIT 1
     RETURNING id`,
    [regionId, addDays(TODAY, -400), name, TODAY],
  );
  return id;
}

function expectField(response: { status: number; body: unknown }, status: number, field: string): void {
  const body = response.body as ErrorBody;
  expect([response.status, body.message.split(':')[0], body.details?.[0]?.field]).toEqual([status, field, field]);
}

async function newInspection(client: TestClient, overrides: Record<string, unknown> = {}) {
  return client.send<{ id: number } & ErrorBody>('POST', '/api/inspections', {
    roundId: ownRound,
    unitId: ownUnits[0],
    team: '第一巡察组',
    mode: 'ROUTINE',
    isCross: false,
    isElevated: false,
    stationedFrom: addDays(TODAY, -100),
    stationedTo: addDays(TODAY, -80),
    feedbackDate: addDays(TODAY, -60),
    ...overrides,
  });
}

async function auditEntry(action: string, target: string) {
  const rows = await sql<{ success: boolean; detail: { body?: unknown; changes?: Change[] } }>(
    'SELECT success, detail FROM audit_logs WHERE action = $1 AND target = $2 ORDER BY id DESC LIMIT 1',
    [action, target],
  );
  return rows[0];
}

beforeAll(async () => {
  t = await startTestApp({ seed: { scale: 'tiny', today: TODAY } });
  const counties = await sql<{ id: number; code: string }>(`SELECT g.id, g.code FROM regions g WHERE g.level = 'COUNTY' ORDER BY g.code LIMIT 2`);
  [own, other] = counties;
  ownRound = await wideRound(own.id, '本县测试轮次');
  otherRound = await wideRound(other.id, '他县测试轮次');
  const [city] = await sql<{ id: number }>("SELECT id FROM regions WHERE level = 'CITY'");
  cityRound = await wideRound(city.id, '市测试轮次');
  ownUnits = (
    await sql<{ id: number }>(
      `SELECT u.id FROM org_units u WHERE ${UNIT_COUNTY} = $1 AND u.deleted_at IS NULL AND u.valid_to IS NULL AND u.valid_from <= $2 ORDER BY u.id LIMIT 2`,
      [own.id, addDays(TODAY, -400)],
    )
  ).map((r) => r.id);
  level2 = await sql<{ id: number; code: string }>('SELECT id, code FROM issue_categories WHERE level = 2 AND deleted_at IS NULL ORDER BY code LIMIT 2');
  staff = await t.as('staff');
  county = await t.as(`county-${own.code}`);
});

afterAll(async () => {
  await t?.close();
});

describe('the 巡察 list', () => {
  it('pages every inspection, newest stationing first, with the total SQL counts', async () => {
    const page = await staff.get<{ total: number; rows: { id: number; stationedFrom: string; unitName: string; findings: number }[] }>(
      '/api/inspections?pageSize=50',
    );
    expect(page.status).toBe(200);
    const [{ n }] = await sql<{ n: number }>('SELECT count(*)::int AS n FROM inspections WHERE deleted_at IS NULL');
    expect(page.body.total).toBe(n);
    const days = page.body.rows.map((r) => r.stationedFrom);
    expect(days).toEqual([...days].sort().reverse());
    const first = page.body.rows[0];
    const [row] = await sql<{ name: string; findings: number }>(
      'SELECT u.name, (SELECT count(*)::int FROM findings f WHERE f.inspection_id = i.id AND f.deleted_at IS NULL) AS findings FROM inspections i JOIN org_units u ON u.id = i.unit_id WHERE i.id = $1',
      [first.id],
    );
    expect({ unitName: first.unitName, findings: first.findings }).toEqual({ unitName: row.name, findings: row.findings });
  });

  it('filters by unit name or code, round, mode, team and date ranges as SQL does', async () => {
    const [unit] = await sql<{ code: string; name: string }>(
      'SELECT u.code, u.name FROM inspections i JOIN org_units u ON u.id = i.unit_id WHERE i.deleted_at IS NULL ORDER BY i.id LIMIT 1',
    );
    const [round] = await sql<{ round_id: number }>('SELECT round_id FROM inspections WHERE deleted_at IS NULL ORDER BY id LIMIT 1');
    const count = async (where: string, params: unknown[]) =>
      (
        await sql<{ n: number }>(
          `SELECT count(*)::int AS n FROM inspections i JOIN org_units u ON u.id = i.unit_id WHERE i.deleted_at IS NULL AND ${where}`,
          params,
        )
      )[0].n;
    const cases: [string, string, unknown[]][] = [
      [`unit=${encodeURIComponent(unit.name)}`, 'u.name LIKE $1', [`%${unit.name}%`]],
      [`unit=${encodeURIComponent(unit.code)}`, '(u.code LIKE $1 OR u.name LIKE $1)', [`%${unit.code}%`]],
      [`roundId=${round.round_id}&mode=ROUTINE`, "i.round_id = $1 AND i.mode = 'ROUTINE'", [round.round_id]],
      [
        `stationedFrom=${addDays(TODAY, -365)}&stationedTo=${addDays(TODAY, -100)}`,
        'i.stationed_from BETWEEN $1::date AND $2::date',
        [addDays(TODAY, -365), addDays(TODAY, -100)],
      ],
      [`feedbackFrom=${addDays(TODAY, -200)}`, 'i.feedback_date >= $1::date', [addDays(TODAY, -200)]],
      [`team=${encodeURIComponent('第一')}`, "i.team LIKE '%第一%'", []],
    ];
    for (const [q, where, params] of cases) {
      const expected = await count(where, params);
      const page = await staff.get<{ total: number }>(`/api/inspections?${q}&pageSize=1`);
      expect([q, page.status, page.body.total]).toEqual([q, 200, expected]);
    }
    expect(cases.length).toBe(6);
  });

  it('refuses a page size over 200 and an unknown parameter or sort, naming them', async () => {
    expectField(await staff.get('/api/inspections?pageSize=201'), 400, 'pageSize');
    expectField(await staff.get('/api/inspections?sort=name'), 400, 'sort');
    expectField(await staff.get('/api/inspections?stationedFrom=2026-02-30'), 400, 'stationedFrom');
    expect((await staff.get('/api/inspections?color=red')).status).toBe(400);
  });

  it('shows a county user their county only', async () => {
    const page = await county.get<{ total: number; rows: { countyId: number }[] }>('/api/inspections?pageSize=200');
    const [{ n }] = await sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM inspections i JOIN org_units u ON u.id = i.unit_id WHERE i.deleted_at IS NULL AND ${UNIT_COUNTY} = $1`,
      [own.id],
    );
    expect(page.body.total).toBe(n);
    expect(n).toBeGreaterThan(0);
    expect(new Set(page.body.rows.map((r) => r.countyId))).toEqual(new Set([own.id]));
  });
});

describe('a new inspection (issue 15 item 9: the round)', () => {
  it("refuses a county user another county's round and the city's round with a 403 naming roundId, and writes nothing", async () => {
    const [before] = await sql<{ n: number }>('SELECT count(*)::int AS n FROM inspections');
    expectField(await newInspection(county, { roundId: otherRound }), 403, 'roundId');
    expectField(await newInspection(county, { roundId: cityRound }), 403, 'roundId');
    expect(await sql('SELECT count(*)::int AS n FROM inspections')).toEqual([before]);
    expect((await newInspection(county)).status).toBe(201);
  });

  it("refuses anyone a stationing outside the round's dates, naming stationedFrom", async () => {
    const [round] = await sql<{ start: string; end: string }>(
      "SELECT to_char(start_date, 'YYYY-MM-DD') AS start, to_char(end_date, 'YYYY-MM-DD') AS end FROM rounds WHERE id = $1",
      [ownRound],
    );
    const early = await newInspection(staff, { stationedFrom: addDays(round.start, -1), stationedTo: null, feedbackDate: null });
    expectField(early, 400, 'stationedFrom');
    expect((early.body as ErrorBody).message).toContain(round.start);
    const [seeded] = await sql<{ id: number; end: string }>(
      "SELECT id, to_char(end_date, 'YYYY-MM-DD') AS end FROM rounds WHERE end_date < $1 ORDER BY id LIMIT 1",
      [addDays(TODAY, -30)],
    );
    expectField(
      await newInspection(staff, { roundId: seeded.id, stationedFrom: addDays(seeded.end, 1), stationedTo: null, feedbackDate: null }),
      400,
      'stationedFrom',
    );
    expectField(await newInspection(county, { stationedFrom: addDays(round.start, -1), stationedTo: null, feedbackDate: null }), 400, 'stationedFrom');
    // the first and the last day are within
    expect((await newInspection(staff, { stationedFrom: round.start, stationedTo: null, feedbackDate: null })).status).toBe(201);
    expect((await newInspection(staff, { stationedFrom: round.end, stationedTo: null, feedbackDate: null })).status).toBe(201);
  });

  it('keeps to the same rules when an inspection is moved by PATCH', async () => {
    const created = await newInspection(county);
    expectField(await county.send('PATCH', `/api/inspections/${created.body.id}`, { roundId: cityRound }), 403, 'roundId');
    expectField(await county.send('PATCH', `/api/inspections/${created.body.id}`, { stationedFrom: addDays(TODAY, -500) }), 400, 'stationedFrom');
    const [row] = await sql<{ round_id: number }>('SELECT round_id FROM inspections WHERE id = $1', [created.body.id]);
    expect(row.round_id).toBe(ownRound);
  });
});

describe('corrections', () => {
  it('PATCH /api/inspections/:id changes only what is sent and audits each field before and after', async () => {
    const created = await newInspection(staff, { team: '第二巡察组' });
    const response = await staff.send<{ record: { team: string; isCross: boolean; feedbackDate: string }; changes: Change[] }>(
      'PATCH',
      `/api/inspections/${created.body.id}`,
      {
        team: '第三巡察组',
        isCross: true,
        feedbackDate: addDays(TODAY, -50),
        mode: 'ROUTINE',
      },
    );
    expect(response.status).toBe(200);
    expect(response.body.changes).toEqual([
      { field: 'team', before: '第二巡察组', after: '第三巡察组' },
      { field: 'isCross', before: false, after: true },
      { field: 'feedbackDate', before: addDays(TODAY, -60), after: addDays(TODAY, -50) },
    ]);
    const [row] = await sql<{ team: string; is_cross: boolean; feedback_date: string; stationed_from: string }>(
      "SELECT team, is_cross, to_char(feedback_date, 'YYYY-MM-DD') AS feedback_date, to_char(stationed_from, 'YYYY-MM-DD') AS stationed_from FROM inspections WHERE id = $1",
      [created.body.id],
    );
    expect(row).toEqual({ team: '第三巡察组', is_cross: true, feedback_date: addDays(TODAY, -50), stationed_from: addDays(TODAY, -100) });
    const audit = await auditEntry('inspection.update', `/api/inspections/${created.body.id}`);
    expect(audit.success).toBe(true);
    expect(audit.detail.changes).toEqual(response.body.changes);
  });

  it('refuses an empty correction, unordered dates and a stationing after a finding, naming the field', async () => {
    const created = await newInspection(staff);
    expectField(await staff.send('PATCH', `/api/inspections/${created.body.id}`, {}), 400, 'body');
    expectField(await staff.send('PATCH', `/api/inspections/${created.body.id}`, { stationedTo: addDays(TODAY, -101) }), 400, 'stationedTo');
    expectField(await staff.send('PATCH', `/api/inspections/${created.body.id}`, { feedbackDate: addDays(TODAY, -120) }), 400, 'feedbackDate');
    expectField(await staff.send('PATCH', `/api/inspections/${created.body.id}`, { extra: 1 }), 400, 'extra');
    const finding = await staff.send<{ id: number }>('POST', '/api/findings', {
      inspectionId: created.body.id,
      categoryId: level2[0].id,
      description: '问题',
      isImmediate: false,
      isKeyConcern: false,
      foundDate: addDays(TODAY, -95),
    });
    expect(finding.status).toBe(201);
    expectField(await staff.send('PATCH', `/api/inspections/${created.body.id}`, { stationedFrom: addDays(TODAY, -90) }), 400, 'stationedFrom');
    expect((await staff.send('PATCH', '/api/inspections/99999999', { team: 'x' })).status).toBe(404);
  });

  it('PATCH /api/findings/:id corrects the category (level 2 only) and the recurrence link, audited', async () => {
    const earlier = await newInspection(staff, { unitId: ownUnits[1], stationedFrom: addDays(TODAY, -300), stationedTo: null, feedbackDate: null });
    const later = await newInspection(staff, { unitId: ownUnits[1], stationedFrom: addDays(TODAY, -100), stationedTo: null, feedbackDate: null });
    const body = { categoryId: level2[0].id, description: '原问题', isImmediate: false, isKeyConcern: false };
    const first = await staff.send<{ id: number }>('POST', '/api/findings', { ...body, inspectionId: earlier.body.id, foundDate: addDays(TODAY, -290) });
    const second = await staff.send<{ id: number }>('POST', '/api/findings', { ...body, inspectionId: later.body.id, foundDate: addDays(TODAY, -90) });
    // the picker offers the earlier inspection's finding, not the later one's own
    const offered = await staff.get<{ rows: { id: number }[] }>(`/api/inspections/${later.body.id}/earlier-findings`);
    expect(offered.body.rows.map((r) => r.id)).toContain(first.body.id);
    expect(offered.body.rows.map((r) => r.id)).not.toContain(second.body.id);
    const [{ n }] = await sql<{ n: number }>(
      'SELECT count(*)::int AS n FROM findings f JOIN inspections i ON i.id = f.inspection_id WHERE f.unit_id = $1 AND f.deleted_at IS NULL AND i.deleted_at IS NULL AND i.stationed_from < $2::date',
      [ownUnits[1], addDays(TODAY, -100)],
    );
    expect(offered.body.rows).toHaveLength(n);

    const patched = await staff.send<{ changes: Change[] }>('PATCH', `/api/findings/${second.body.id}`, {
      categoryId: level2[1].id,
      recurrenceOfId: first.body.id,
      description: '原问题',
    });
    expect(patched.status).toBe(200);
    expect(patched.body.changes).toEqual([
      { field: 'categoryId', before: level2[0].id, after: level2[1].id },
      { field: 'recurrenceOfId', before: null, after: first.body.id },
    ]);
    const [row] = await sql<{ category_id: number; recurrence_of_id: string }>('SELECT category_id, recurrence_of_id::text FROM findings WHERE id = $1', [
      second.body.id,
    ]);
    expect(row).toEqual({ category_id: level2[1].id, recurrence_of_id: String(first.body.id) });
    expect((await auditEntry('finding.update', `/api/findings/${second.body.id}`)).detail.changes).toEqual(patched.body.changes);

    const [level1] = await sql<{ id: number }>('SELECT id FROM issue_categories WHERE level = 1 ORDER BY code LIMIT 1');
    expectField(await staff.send('PATCH', `/api/findings/${second.body.id}`, { categoryId: level1.id }), 400, 'categoryId');
    expectField(await staff.send('PATCH', `/api/findings/${first.body.id}`, { recurrenceOfId: second.body.id }), 400, 'recurrenceOfId');
    // the earlier one may not be moved after the finding that recurs it
    expectField(await staff.send('PATCH', `/api/findings/${first.body.id}`, { foundDate: addDays(TODAY, -10) }), 400, 'foundDate');
  });

  it('PATCH /api/tasks/:id corrects the due date as entered (not an extension): no event, the current due date follows until extended', async () => {
    const inspection = await newInspection(staff);
    const finding = await staff.send<{ id: number }>('POST', '/api/findings', {
      inspectionId: inspection.body.id,
      categoryId: level2[0].id,
      description: '任务问题',
      isImmediate: false,
      isKeyConcern: false,
      foundDate: addDays(TODAY, -90),
    });
    const task = await staff.send<{ task: { id: number } }>('POST', '/api/tasks', {
      findingId: finding.body.id,
      measure: '整改',
      responsibleDept: '办公室',
      responsiblePerson: '张三',
      track: 'DEADLINE',
      originalDueDate: addDays(TODAY, 30),
    });
    const id = task.body.task.id;
    const patched = await staff.send<{ record: { originalDueDate: string; currentDueDate: string }; changes: Change[] }>('PATCH', `/api/tasks/${id}`, {
      originalDueDate: addDays(TODAY, 20),
      responsiblePerson: '李四',
    });
    expect(patched.status).toBe(200);
    expect(patched.body.changes).toEqual([
      { field: 'responsiblePerson', before: '张三', after: '李四' },
      { field: 'originalDueDate', before: addDays(TODAY, 30), after: addDays(TODAY, 20) },
      { field: 'currentDueDate', before: addDays(TODAY, 30), after: addDays(TODAY, 20) },
    ]);
    const due = async () =>
      (
        await sql<{ o: string; c: string; p: string }>(
          "SELECT to_char(original_due_date, 'YYYY-MM-DD') AS o, to_char(current_due_date, 'YYYY-MM-DD') AS c, responsible_person AS p FROM rectification_tasks WHERE id = $1",
          [id],
        )
      )[0];
    expect(await due()).toEqual({ o: addDays(TODAY, 20), c: addDays(TODAY, 20), p: '李四' });
    expect(await sql<{ type: string }>('SELECT type::text FROM task_events WHERE task_id = $1', [id])).toEqual([{ type: 'CREATED' }]);
    expect((await auditEntry('task.update', `/api/tasks/${id}`)).detail.changes).toEqual(patched.body.changes);

    // after an extension the original alone is corrected, never past the extended date
    expect((await staff.send('POST', `/api/tasks/${id}/extensions`, { newDueDate: addDays(TODAY, 60), reason: '等待资金' })).status).toBe(201);
    expect((await staff.send('PATCH', `/api/tasks/${id}`, { originalDueDate: addDays(TODAY, 25) })).status).toBe(200);
    expect(await due()).toEqual({ o: addDays(TODAY, 25), c: addDays(TODAY, 60), p: '李四' });
    expectField(await staff.send('PATCH', `/api/tasks/${id}`, { originalDueDate: addDays(TODAY, 61) }), 400, 'originalDueDate');
    expectField(await staff.send('PATCH', `/api/tasks/${id}`, { originalDueDate: addDays(TODAY, -70) }), 400, 'originalDueDate');
    expectField(await staff.send('PATCH', `/api/tasks/${id}`, { responsiblePerson: '  ' }), 400, 'responsiblePerson');
  });

  it("answers a county user another county's records as missing, and changes nothing", async () => {
    const [foreign] = await sql<{ inspection_id: number; finding_id: string; task_id: string }>(
      `SELECT i.id AS inspection_id, f.id::text AS finding_id, k.id::text AS task_id FROM rectification_tasks k JOIN findings f ON f.id = k.finding_id
         JOIN inspections i ON i.id = f.inspection_id JOIN org_units u ON u.id = f.unit_id WHERE ${UNIT_COUNTY} = $1 AND k.deleted_at IS NULL ORDER BY k.id LIMIT 1`,
      [other.id],
    );
    const seq = await sql(
      'SELECT max(change_seq)::text AS s FROM inspections UNION ALL SELECT max(change_seq)::text FROM findings UNION ALL SELECT max(change_seq)::text FROM rectification_tasks',
    );
    expect((await county.send('PATCH', `/api/inspections/${foreign.inspection_id}`, { team: '越权' })).status).toBe(404);
    expect((await county.send('PATCH', `/api/findings/${foreign.finding_id}`, { description: '越权' })).status).toBe(404);
    expect((await county.send('PATCH', `/api/tasks/${foreign.task_id}`, { responsiblePerson: '越权' })).status).toBe(404);
    expect((await county.get(`/api/inspections/${foreign.inspection_id}`)).status).toBe(404);
    expect((await county.get(`/api/inspections/${foreign.inspection_id}/earlier-findings`)).status).toBe(404);
    expect(
      await sql(
        'SELECT max(change_seq)::text AS s FROM inspections UNION ALL SELECT max(change_seq)::text FROM findings UNION ALL SELECT max(change_seq)::text FROM rectification_tasks',
      ),
    ).toEqual(seq);
  });
});

describe('one inspection and the 问题 list', () => {
  it('GET /api/inspections/:id gives its findings with their tasks, as in PostgreSQL', async () => {
    const [target] = await sql<{ id: number }>(
      'SELECT i.id FROM inspections i WHERE i.deleted_at IS NULL AND (SELECT count(*) FROM findings f WHERE f.inspection_id = i.id AND f.deleted_at IS NULL) >= 2 ORDER BY i.id LIMIT 1',
    );
    const detail = await staff.get<{ inspection: { id: number }; findings: { id: number; taskList: { id: number }[] }[] }>(`/api/inspections/${target.id}`);
    expect(detail.status).toBe(200);
    const rows = await sql<{ finding: string; tasks: string[] | null }>(
      `SELECT f.id::text AS finding, array_agg(k.id::text ORDER BY k.id) FILTER (WHERE k.id IS NOT NULL) AS tasks
         FROM findings f LEFT JOIN rectification_tasks k ON k.finding_id = f.id AND k.deleted_at IS NULL
        WHERE f.inspection_id = $1 AND f.deleted_at IS NULL GROUP BY f.id ORDER BY f.id`,
      [target.id],
    );
    const got = detail.body.findings
      .map((f) => ({ finding: String(f.id), tasks: f.taskList.length ? f.taskList.map((k) => String(k.id)) : null }))
      .sort((a, b) => Number(a.finding) - Number(b.finding));
    expect(got).toEqual(rows);
  });

  it('GET /api/records/findings searches description, unit and category, pages, and keeps to the county', async () => {
    const [sample] = await sql<{ description: string; category_id: number; parent_id: number }>(
      'SELECT f.description, f.category_id, k.parent_id FROM findings f JOIN issue_categories k ON k.id = f.category_id WHERE f.deleted_at IS NULL ORDER BY f.id LIMIT 1',
    );
    const word = [...sample.description].slice(0, 4).join('');
    const live = 'f.deleted_at IS NULL AND i.deleted_at IS NULL';
    const count = async (where: string, params: unknown[]) =>
      (
        await sql<{ n: number }>(
          `SELECT count(*)::int AS n FROM findings f JOIN inspections i ON i.id = f.inspection_id JOIN org_units u ON u.id = f.unit_id JOIN issue_categories k ON k.id = f.category_id WHERE ${live} AND ${where}`,
          params,
        )
      )[0].n;
    const search = await staff.get<{ total: number; rows: { description: string }[] }>(`/api/records/findings?q=${encodeURIComponent(word)}&pageSize=200`);
    expect(search.body.total).toBe(await count('f.description LIKE $1', [`%${word}%`]));
    for (const row of search.body.rows) expect(row.description).toContain(word);
    const byParent = await staff.get<{ total: number }>(`/api/records/findings?categoryId=${sample.parent_id}&pageSize=1`);
    expect(byParent.body.total).toBe(await count('k.parent_id = $1', [sample.parent_id]));
    const mineOnly = await county.get<{ total: number }>('/api/records/findings?pageSize=1');
    expect(mineOnly.body.total).toBe(await count(`${UNIT_COUNTY} = $1`, [own.id]));
    const second = await staff.get<{ rows: { id: number }[] }>('/api/records/findings?pageSize=5&page=2&sort=id');
    const ids = await sql<{ id: string }>(
      `SELECT f.id::text FROM findings f JOIN inspections i ON i.id = f.inspection_id WHERE ${live} ORDER BY f.id LIMIT 5 OFFSET 5`,
    );
    expect(second.body.rows.map((r) => String(r.id))).toEqual(ids.map((r) => r.id));
    expectField(await staff.get('/api/records/findings?pageSize=500'), 400, 'pageSize');
  });

  it('GET /api/records/units finds units by name or code within the county', async () => {
    const [unit] = await sql<{ id: number; code: string }>('SELECT id, code FROM org_units WHERE id = $1', [ownUnits[0]]);
    expect((await county.get<{ rows: { id: number }[] }>(`/api/records/units?q=${unit.code}`)).body.rows.map((r) => r.id)).toContain(unit.id);
    const [foreign] = await sql<{ code: string }>(`SELECT u.code FROM org_units u WHERE ${UNIT_COUNTY} = $1 ORDER BY u.id LIMIT 1`, [other.id]);
    expect((await county.get<{ rows: unknown[] }>(`/api/records/units?q=${foreign.code}`)).body.rows).toEqual([]);
    expect((await staff.get<{ rows: unknown[] }>(`/api/records/units?q=${foreign.code}`)).body.rows.length).toBeGreaterThan(0);
  });
});

describe('soft delete', () => {
  it('DELETE /api/inspections/:id keeps the row with deleted_at and drops it from the lists', async () => {
    const created = await newInspection(staff, { team: '待删除巡察组' });
    expect((await staff.send('DELETE', `/api/inspections/${created.body.id}`)).status).toBe(200);
    const [row] = await sql<{ deleted: boolean }>('SELECT deleted_at IS NOT NULL AS deleted FROM inspections WHERE id = $1', [created.body.id]);
    expect(row.deleted).toBe(true);
    expect((await staff.get<{ total: number }>(`/api/inspections?team=${encodeURIComponent('待删除巡察组')}`)).body.total).toBe(0);
    expect((await staff.get(`/api/inspections/${created.body.id}`)).status).toBe(404);
    expect((await staff.send('PATCH', `/api/inspections/${created.body.id}`, { team: 'x' })).status).toBe(404);
  });
});

describe('a correction reaching the warehouse', () => {
  it('moving a finding to another category through the API moves the category figures by exactly one after the ETL', async () => {
    const [finding] = await sql<{ id: string; category_id: number }>(
      `SELECT f.id::text, f.category_id FROM findings f JOIN inspections i ON i.id = f.inspection_id
        WHERE f.deleted_at IS NULL AND i.deleted_at IS NULL AND f.found_date <= $1 ORDER BY f.id LIMIT 1`,
      [TODAY],
    );
    const [target] = await sql<{ id: number }>('SELECT id FROM issue_categories WHERE level = 2 AND id <> $1 ORDER BY code LIMIT 1', [finding.category_id]);
    const figures = async () => {
      const body = (await staff.get<{ total: number; level2: { categoryId: number; count: number }[] }>('/api/metrics/categories')).body;
      const of = (id: number) => body.level2.find((c) => c.categoryId === id)!.count;
      return { total: body.total, from: of(finding.category_id), to: of(target.id) };
    };
    await t.etl();
    const before = await figures();
    const patched = await staff.send('PATCH', `/api/findings/${finding.id}`, { categoryId: target.id });
    expect(patched.status).toBe(200);
    await t.etl();
    expect(await figures()).toEqual({ total: before.total, from: before.from - 1, to: before.to + 1 });
  });

  it("correcting an inspection's mode moves its findings between the modes' figures after the ETL", async () => {
    const [inspection] = await sql<{ id: number; n: number }>(
      `SELECT i.id, count(*)::int AS n FROM inspections i JOIN findings f ON f.inspection_id = i.id AND f.deleted_at IS NULL AND f.found_date <= $1
        WHERE i.deleted_at IS NULL AND i.mode = 'ROUTINE' GROUP BY i.id HAVING count(*) >= 2 ORDER BY i.id LIMIT 1`,
      [TODAY],
    );
    const byMode = async () => {
      const body = (await staff.get<{ byMode: { mode: string; count: number }[] }>('/api/metrics/categories')).body;
      const of = (mode: string) => body.byMode.find((m) => m.mode === mode)?.count ?? 0;
      return { routine: of('ROUTINE'), special: of('SPECIAL') };
    };
    await t.etl();
    const before = await byMode();
    expect((await staff.send('PATCH', `/api/inspections/${inspection.id}`, { mode: 'SPECIAL' })).status).toBe(200);
    await t.etl();
    expect(await byMode()).toEqual({ routine: before.routine - inspection.n, special: before.special + inspection.n });
  });
});

// --- 导出 of the case-record lists (issue 14): .xlsx and CSV, every row under the list's filters

/** A download: its bytes and the UTF-8 file name of its Content-Disposition. */
async function download(client: TestClient, url: string): Promise<{ status: number; bytes: Buffer; name: string }> {
  const response = await fetch(t.url + url, { headers: { cookie: client.cookie } });
  const star = /filename\*=UTF-8''([^;]+)/.exec(response.headers.get('content-disposition') ?? '');
  return { status: response.status, bytes: Buffer.from(await response.arrayBuffer()), name: star ? decodeURIComponent(star[1]) : '' };
}

/** The first sheet of a workbook as LibreOffice shows its cells (formatted as displayed), as CSV records. */
const libreOfficeRows = (workbook: Buffer) => xlsxRecordsViaSoffice(workbook, '44,34,76,1,,0,false,true,true,false,false');

/** The table of a converted list: its header row (first cell `first`) and every row under it that is not empty (the header spans two rows). */
function tableOf(records: string[][], first: string): string[][] {
  const start = records.findIndex((r) => r[0] === first);
  expect(start).toBeGreaterThanOrEqual(0);
  return records.slice(start).filter((record) => record.some((cell) => cell !== ''));
}

const yes = (value: boolean) => (value ? '是' : '否');

describe('导出 of the 巡察 and 问题 lists', () => {
  const service = () => t.app.get(CaseRecordsService);
  let saved: number;
  beforeAll(() => {
    // small reads, so that the files cross several of them
    saved = service().fileChunk;
    service().fileChunk = 3;
  });
  afterAll(() => {
    service().fileChunk = saved;
  });

  it('GET /api/inspections.xlsx and .csv hold the rows of the list under the same filters, the file named after them', async () => {
    const [round] = await sql<{ id: number; name: string }>(
      `SELECT r.id, r.name FROM rounds r JOIN inspections i ON i.round_id = r.id AND i.deleted_at IS NULL AND i.mode = 'ROUTINE' GROUP BY r.id ORDER BY count(*) DESC, r.id LIMIT 1`,
    );
    const filter = `roundId=${round.id}&mode=ROUTINE&sort=unit`;
    const list = await staff.get<{
      total: number;
      rows: {
        id: number;
        roundName: string;
        countyName: string;
        unitCode: string;
        unitName: string;
        team: string;
        isCross: boolean;
        isElevated: boolean;
        stationedFrom: string;
        stationedTo: string | null;
        feedbackDate: string | null;
        findings: number;
        tasks: number;
      }[];
    }>(`/api/inspections?${filter}&pageSize=200`);
    const [{ n }] = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM inspections WHERE deleted_at IS NULL AND round_id = $1 AND mode = 'ROUTINE'`, [
      round.id,
    ]);
    expect(list.body.total).toBe(n);
    expect(n).toBeGreaterThan(3);
    expect(n).toBeLessThanOrEqual(200);
    const header = [
      '巡察编号',
      '轮次',
      '县(市、区)',
      '单位代码',
      '被巡察单位',
      '巡察组',
      '巡察方式',
      '交叉巡察',
      '提级巡察',
      '进驻日期',
      '进驻结束日期',
      '反馈日期',
      '问题数',
      '整改任务数',
    ];
    const expected = [
      header,
      ...list.body.rows.map((r) => [
        String(r.id),
        r.roundName,
        r.countyName,
        r.unitCode,
        r.unitName,
        r.team,
        '常规巡察',
        yes(r.isCross),
        yes(r.isElevated),
        r.stationedFrom,
        r.stationedTo ?? '',
        r.feedbackDate ?? '',
        String(r.findings),
        String(r.tasks),
      ]),
    ];

    const csv = await download(staff, `/api/inspections.csv?${filter}`);
    expect([csv.status, csv.name]).toEqual([200, `巡察列表_${round.name.replace(/_/g, '-')}_常规巡察_${TODAY}.csv`]);
    expect(parseCsv(csv.bytes.toString('utf8').replace(/^\ufeff/, ''))).toEqual(expected);

    const xlsx = await download(staff, `/api/inspections.xlsx?${filter}`);
    expect([xlsx.status, xlsx.name]).toEqual([200, `巡察列表_${round.name.replace(/_/g, '-')}_常规巡察_${TODAY}.xlsx`]);
    expect(tableOf(libreOfficeRows(xlsx.bytes), '巡察编号')).toEqual(expected);

    // a county user's file holds their county only, as their list does
    const mine = await county.get<{ total: number }>('/api/inspections?pageSize=1');
    const mineCsv = await download(county, '/api/inspections.csv');
    expect(parseCsv(mineCsv.bytes.toString('utf8').replace(/^\ufeff/, '')).length - 1).toBe(mine.body.total);
    expect((await staff.get('/api/inspections.xlsx?page=2')).status).toBe(400);
  });

  it('GET /api/records/findings.xlsx and .csv hold the rows of the 问题 list under the same filters, the file named after them', async () => {
    const [category] = await sql<{ id: number; name: string }>(
      `SELECT p.id, p.name FROM issue_categories p JOIN issue_categories k ON k.parent_id = p.id JOIN findings f ON f.category_id = k.id AND f.deleted_at IS NULL
        GROUP BY p.id ORDER BY count(*) DESC, p.id LIMIT 1`,
    );
    const filter = `categoryId=${category.id}&regionId=${own.id}&sort=id`;
    const [region] = await sql<{ name: string }>('SELECT name FROM regions WHERE id = $1', [own.id]);
    const list = await staff.get<{
      total: number;
      rows: {
        id: number;
        inspectionId: number;
        roundName: string;
        countyName: string;
        unitCode: string;
        unitName: string;
        parentCategoryName: string;
        categoryName: string;
        description: string;
        isImmediate: boolean;
        isKeyConcern: boolean;
        recurrenceOfId: number | null;
        foundDate: string;
        tasks: number;
      }[];
    }>(`/api/records/findings?${filter}&pageSize=200`);
    const [{ n }] = await sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM findings f JOIN inspections i ON i.id = f.inspection_id JOIN org_units u ON u.id = f.unit_id JOIN issue_categories k ON k.id = f.category_id
        WHERE f.deleted_at IS NULL AND i.deleted_at IS NULL AND k.parent_id = $1 AND ${UNIT_COUNTY} = $2`,
      [category.id, own.id],
    );
    expect(list.body.total).toBe(n);
    expect(n).toBeGreaterThan(3);
    expect(n).toBeLessThanOrEqual(200);
    const header = [
      '问题编号',
      '巡察编号',
      '轮次',
      '县(市、区)',
      '单位代码',
      '被巡察单位',
      '问题大类',
      '问题类别',
      '问题描述',
      '立行立改',
      '重点关注',
      '复发所指问题',
      '发现日期',
      '整改任务数',
    ];
    const expected = [
      header,
      ...list.body.rows.map((r) => [
        String(r.id),
        String(r.inspectionId),
        r.roundName,
        r.countyName,
        r.unitCode,
        r.unitName,
        r.parentCategoryName,
        r.categoryName,
        r.description,
        yes(r.isImmediate),
        yes(r.isKeyConcern),
        r.recurrenceOfId === null ? '' : String(r.recurrenceOfId),
        r.foundDate,
        String(r.tasks),
      ]),
    ];

    const csv = await download(staff, `/api/records/findings.csv?${filter}`);
    expect([csv.status, csv.name]).toEqual([200, `问题列表_${region.name}_${category.name}_${TODAY}.csv`]);
    expect(parseCsv(csv.bytes.toString('utf8').replace(/^\ufeff/, ''))).toEqual(expected);

    const xlsx = await download(staff, `/api/records/findings.xlsx?${filter}`);
    expect([xlsx.status, xlsx.name]).toEqual([200, `问题列表_${region.name}_${category.name}_${TODAY}.xlsx`]);
    expect(tableOf(libreOfficeRows(xlsx.bytes), '问题编号')).toEqual(expected);

    // the export is audited like the drill-down lists' downloads
    const [audit] = await sql<{ n: number }>("SELECT count(*)::int AS n FROM audit_logs WHERE action = 'export.record-findings-xlsx' AND success");
    expect(audit.n).toBeGreaterThan(0);
  });
});
