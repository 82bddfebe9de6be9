import ExcelJS from 'exceljs';
import { ModulesContainer } from '@nestjs/core';
import { METHOD_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common';
import { AUDIT_KEY, lastEndedQuarter, LEDGER_COLUMNS } from '@xuncha/backend';
import { shanghaiToday } from '@xuncha/shared';
import { startTestApp, type TestApp } from '../support/app';
import { query } from '../support/pg';
import { applyForClosure, closureReviewer } from '../support/closure';
import { regionFile, unitFile, upload } from '../support/directory-files';

/**
 * Issue 15, item 7: an audit entry commits in the same transaction as the write it
 * records. A write whose entry cannot be inserted is rolled back; every @Audited write
 * route joins its transaction (a route that does not is found here).
 */
jest.setTimeout(300_000);

const TODAY = shanghaiToday();
let t: TestApp;
const sql = <T extends Record<string, unknown>>(text: string, params: unknown[] = []) => query<T>(t.db.url, text, params);
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  t = await startTestApp({ seed: { scale: 'tiny', today: TODAY } });
}, 300_000);

afterAll(async () => {
  await t?.close();
});

/** The @Audited actions of routes that write (not GET), from the controllers' metadata. */
function auditedWriteActions(): string[] {
  const actions: string[] = [];
  for (const module of t.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const prototype = (wrapper.metatype as { prototype?: object } | null)?.prototype;
      if (!prototype) continue;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const handler = (prototype as Record<string, unknown>)[name];
        if (typeof handler !== 'function') continue;
        const action = Reflect.getMetadata(AUDIT_KEY, handler) as string | undefined;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (action && method !== undefined && method !== RequestMethod.GET) actions.push(action);
      }
    }
  }
  return actions.sort();
}

async function fixtures() {
  // a round of its own whose dates hold the stationing made here (an inspection is stationed within its round)
  const [{ id: roundId }] = await sql<{ id: number }>(
    `INSERT INTO rounds (term_id, ordinal, year, name, start_date, end_date)
     SELECT term_id, 92, extract(year FROM $1::date)::int, '审计测试轮次', $1::date - 400, $1::date FROM rounds WHERE deleted_at IS NULL ORDER BY id LIMIT 1
     ON CONFLICT (term_id, ordinal) DO UPDATE SET name = EXCLUDED.name
     RETURNING id`,
    [TODAY],
  );
  const [{ id: unitId }] = await sql<{ id: number }>('SELECT id FROM org_units WHERE deleted_at IS NULL AND valid_to IS NULL ORDER BY id LIMIT 1');
  const [category] = await sql<{ id: number; code: string }>(
    'SELECT id, code FROM issue_categories WHERE level = 2 AND deleted_at IS NULL ORDER BY code LIMIT 1',
  );
  return { roundId, unitId, category };
}

async function created<T>(response: { status: number; body: unknown }): Promise<T> {
  if (response.status !== 201 && response.status !== 200) throw new Error(`${response.status} ${JSON.stringify(response.body)}`);
  return response.body as T;
}

/** 届次 ordinals, codes and names of this file's master data: unique per call. */
let serial = 0;

/** A clue of the first seeded inspection that has had its feedback. */
async function clueBody(summary: string) {
  const [inspection] = await sql<{ id: number; feedback: string }>(
    "SELECT id, to_char(feedback_date, 'YYYY-MM-DD') AS feedback FROM inspections WHERE deleted_at IS NULL AND feedback_date IS NOT NULL AND feedback_date < $1::date ORDER BY id LIMIT 1",
    [TODAY],
  );
  return { inspectionId: inspection.id, handedTo: 'DISCIPLINE', handedDate: inspection.feedback, persons: 1, summary };
}

/** One call of each master-data write: a county with a term and a round, units, a category; the imports. */
async function masterDataWrites(): Promise<void> {
  const n = ++serial;
  const [city] = await sql<{ id: number }>("SELECT id FROM regions WHERE level = 'CITY'");
  const region = await created<{ id: number }>(
    await t.send('POST', '/api/masterdata/regions', { code: `AU-C${n}`, name: `审计区${n}`, level: 'COUNTY', parentId: city.id }),
  );
  await created(await t.send('PATCH', `/api/masterdata/regions/${region.id}`, { name: `审计新区${n}` }));
  expect((await upload(`${t.url}/api/masterdata/regions/import`, t.cookie, await regionFile([[`AU-T${n}`, `审计街道${n}`, '街道', `AU-C${n}`]]))).status).toBe(
    201,
  );
  const term = await created<{ id: number }>(
    await t.send('POST', '/api/masterdata/terms', {
      committeeRegionId: region.id,
      ordinal: 1,
      name: `审计区委第一届${n}`,
      startDate: addDays(TODAY, -700),
      endDate: addDays(TODAY, 1000),
    }),
  );
  await created(await t.send('PATCH', `/api/masterdata/terms/${term.id}`, { name: `审计区委第一届（更正）${n}` }));
  const start = addDays(TODAY, -300);
  const round = await created<{ id: number }>(
    await t.send('POST', '/api/masterdata/rounds', {
      termId: term.id,
      ordinal: 1,
      name: `审计区委第一轮${n}`,
      year: Number(start.slice(0, 4)),
      startDate: start,
      endDate: addDays(start, 60),
    }),
  );
  await created(await t.send('PATCH', `/api/masterdata/rounds/${round.id}`, { name: `审计区委第一轮（更正）${n}` }));
  const unit = await created<{ id: number }>(
    await t.send('POST', '/api/masterdata/units', {
      code: `AU-${n}-001`,
      name: `审计单位${n}`,
      category: 'PARTY_GOV',
      regionId: region.id,
      validFrom: addDays(TODAY, -600),
    }),
  );
  await created(await t.send('PATCH', `/api/masterdata/units/${unit.id}`, { name: `审计单位（更正）${n}` }));
  expect(
    (
      await upload(
        `${t.url}/api/masterdata/units/import`,
        t.cookie,
        await unitFile([[`AU-${n}-002`, `审计事业单位${n}`, '事业单位', `AU-C${n}`, null, null, addDays(TODAY, -600), null]]),
      )
    ).status,
  ).toBe(201);
  const [merged] = await sql<{ id: number }>('SELECT id FROM org_units WHERE code = $1', [`AU-${n}-002`]);
  await created(await t.send('POST', `/api/masterdata/units/${unit.id}/abolish`, { date: addDays(TODAY, -1), mergedIntoId: merged.id }));
  const category = await created<{ id: number }>(await t.send('POST', '/api/masterdata/categories', { code: `A${n}`, name: `审计大类${n}`, parentId: null }));
  await created(await t.send('PATCH', `/api/masterdata/categories/${category.id}`, { name: `审计大类（更正）${n}` }));
  await created(await t.send('DELETE', `/api/masterdata/categories/${category.id}`));
}

/** The 销号 review of a seeded task in progress: applied for, returned, applied again, approved, reopened. */
async function closureWrites(): Promise<void> {
  const [task] = await sql<{ id: string }>(
    "SELECT id::text AS id FROM rectification_tasks WHERE status = 'IN_PROGRESS' AND deleted_at IS NULL ORDER BY id DESC LIMIT 1",
  );
  const reviewer = await closureReviewer(t);
  const first = await applyForClosure(t, { cookie: t.cookie }, task.id);
  expect(first.status).toBe(201);
  await created(await reviewer.send('POST', `/api/closure-requests/${first.body.request.id}/return`, { reason: '佐证材料不全' }));
  const second = await applyForClosure(t, { cookie: t.cookie }, task.id);
  expect(second.status).toBe(201);
  await created(await reviewer.send('POST', `/api/closure-requests/${second.body.request.id}/approve`, {}));
  await created(await t.send('POST', `/api/tasks/${task.id}/reopen`, { reason: '复查发现反弹' }));
}

describe('audit entries commit with their writes', () => {
  it('rolls a write back when its audit entry cannot be inserted', async () => {
    const [task] = await sql<{ id: string }>(
      "SELECT id::text AS id FROM rectification_tasks WHERE status = 'IN_PROGRESS' AND deleted_at IS NULL ORDER BY id LIMIT 1",
    );
    // the audit insert of this one note fails, as a full disk or a lost connection would make it
    await sql(`CREATE FUNCTION refuse_marked_audit() RETURNS trigger LANGUAGE plpgsql AS $$
                 BEGIN IF NEW.detail::text LIKE '%AUDIT-REFUSED%' THEN RAISE EXCEPTION 'audit insert refused for the test'; END IF; RETURN NEW; END $$`);
    await sql('CREATE TRIGGER refuse_marked_audit BEFORE INSERT ON audit_logs FOR EACH ROW EXECUTE FUNCTION refuse_marked_audit()');
    try {
      const refused = await t.send('POST', `/api/tasks/${task.id}/notes`, { note: 'AUDIT-REFUSED 进展' });
      expect(refused.status).toBe(500);
      const kept = await t.send('POST', `/api/tasks/${task.id}/notes`, { note: '有审计记录的进展' });
      expect(kept.status).toBe(201);
    } finally {
      await sql('DROP TRIGGER refuse_marked_audit ON audit_logs');
      await sql('DROP FUNCTION refuse_marked_audit()');
    }
    const notes = await sql<{ note: string }>("SELECT note FROM task_events WHERE task_id = $1 AND type = 'PROGRESS_NOTE' ORDER BY id", [task.id]);
    expect(notes.map((n) => n.note)).not.toContain('AUDIT-REFUSED 进展');
    expect(notes.map((n) => n.note)).toContain('有审计记录的进展');
    // every committed note of the task has its entry
    const entries = await sql<{ n: number }>("SELECT count(*)::int AS n FROM audit_logs WHERE action = 'task.note' AND success AND target = $1", [
      `/api/tasks/${task.id}/notes`,
    ]);
    const written = await sql<{ n: number }>("SELECT count(*)::int AS n FROM task_events WHERE task_id = $1 AND type = 'PROGRESS_NOTE' AND actor = 'staff'", [
      task.id,
    ]);
    expect(entries[0].n).toBe(written[0].n);
  });

  it('keeps nothing of a correction, a master-data write or a clue whose audit entry cannot be inserted', async () => {
    const { unitId } = await fixtures();
    const [city] = await sql<{ id: number }>("SELECT id FROM regions WHERE level = 'CITY'");
    const [inspection] = await sql<{ id: number; team: string }>('SELECT id, team FROM inspections WHERE deleted_at IS NULL ORDER BY id LIMIT 1');
    const [finding] = await sql<{ id: string; description: string }>(
      'SELECT id::text AS id, description FROM findings WHERE deleted_at IS NULL ORDER BY id LIMIT 1',
    );
    const [task] = await sql<{ id: string; measure: string }>(
      'SELECT id::text AS id, measure FROM rectification_tasks WHERE deleted_at IS NULL ORDER BY id LIMIT 1',
    );
    const [region] = await sql<{ code: string }>("SELECT code FROM regions WHERE level = 'COUNTY' ORDER BY code LIMIT 1");
    const marked = 'AUDIT-REFUSED 审计';
    const footprint = async () =>
      sql(
        `SELECT (SELECT count(*)::int FROM regions) AS regions, (SELECT count(*)::int FROM org_units) AS units, (SELECT count(*)::int FROM issue_categories) AS categories,
                (SELECT count(*)::int FROM clues) AS clues, (SELECT team FROM inspections WHERE id = $1) AS team,
                (SELECT description FROM findings WHERE id = $2) AS description, (SELECT measure FROM rectification_tasks WHERE id = $3) AS measure,
                (SELECT count(*)::int FROM audit_logs WHERE success AND detail::text LIKE '%AUDIT-REFUSED%') AS entries`,
        [inspection.id, finding.id, task.id],
      );
    const before = await footprint();
    await sql(`CREATE FUNCTION refuse_marked_audit() RETURNS trigger LANGUAGE plpgsql AS $$
                 BEGIN IF NEW.detail::text LIKE '%AUDIT-REFUSED%' THEN RAISE EXCEPTION 'audit insert refused for the test'; END IF; RETURN NEW; END $$`);
    await sql('CREATE TRIGGER refuse_marked_audit BEFORE INSERT ON audit_logs FOR EACH ROW EXECUTE FUNCTION refuse_marked_audit()');
    try {
      const calls: [string, string, unknown][] = [
        ['PATCH', `/api/inspections/${inspection.id}`, { team: marked }],
        ['PATCH', `/api/findings/${finding.id}`, { description: marked }],
        ['PATCH', `/api/tasks/${task.id}`, { measure: marked }],
        ['POST', '/api/masterdata/regions', { code: 'AU-REF', name: marked, level: 'COUNTY', parentId: city.id }],
        [
          'POST',
          '/api/masterdata/units',
          {
            code: 'AU-REF-1',
            name: marked,
            category: 'PARTY_GOV',
            regionId: (await sql<{ id: number }>('SELECT id FROM regions WHERE code = $1', [region.code]))[0].id,
            validFrom: addDays(TODAY, -10),
          },
        ],
        ['PATCH', `/api/masterdata/units/${unitId}`, { name: marked }],
        ['POST', '/api/masterdata/categories', { code: 'AUR', name: marked, parentId: null }],
        ['POST', '/api/clues', await clueBody(marked)],
      ];
      for (const [method, url, body] of calls) expect([url, (await t.send(method, url, body)).status]).toEqual([url, 500]);
    } finally {
      await sql('DROP TRIGGER refuse_marked_audit ON audit_logs');
      await sql('DROP FUNCTION refuse_marked_audit()');
    }
    expect(await footprint()).toEqual(before);
    expect(await sql("SELECT id FROM org_units WHERE id = $1 AND name = 'AUDIT-REFUSED 审计'", [unitId])).toEqual([]);
  });

  it('every @Audited write route inserts its entry inside its transaction', async () => {
    const [{ max: since }] = await sql<{ max: string }>('SELECT coalesce(max(id), 0)::text AS max FROM audit_logs');
    const { roundId, unitId, category } = await fixtures();
    const admin = await t.as('admin');
    // one successful call of each write route
    const inspection = await created<{ id: number }>(
      await t.send('POST', '/api/inspections', {
        roundId,
        unitId,
        team: '审计组',
        mode: 'ROUTINE',
        isCross: false,
        isElevated: false,
        stationedFrom: addDays(TODAY, -60),
        stationedTo: addDays(TODAY, -40),
        feedbackDate: addDays(TODAY, -20),
      }),
    );
    const finding = await created<{ id: number }>(
      await t.send('POST', '/api/findings', {
        inspectionId: inspection.id,
        categoryId: category.id,
        description: '审计问题',
        isImmediate: false,
        isKeyConcern: false,
        foundDate: addDays(TODAY, -50),
      }),
    );
    const newTask = () =>
      t.send('POST', '/api/tasks', {
        findingId: finding.id,
        measure: '整改',
        responsibleDept: '办公室',
        responsiblePerson: '张三',
        track: 'DEADLINE',
        originalDueDate: addDays(TODAY, 30),
      });
    const task = (await created<{ task: { id: number } }>(await newTask())).task;
    await created(await t.send('POST', `/api/tasks/${task.id}/status`, { status: 'IN_PROGRESS' }));
    await created(await t.send('POST', `/api/tasks/${task.id}/extensions`, { newDueDate: addDays(TODAY, 60), reason: '延期' }));
    await created(await t.send('POST', `/api/tasks/${task.id}/notes`, { note: '进展' }));
    // the 整改台账 import: one row naming the inspection above by its round and unit
    const [{ round, unit }] = await sql<{ round: string; unit: string }>(
      'SELECT r.name AS round, u.code AS unit FROM rounds r, org_units u WHERE r.id = $1 AND u.id = $2',
      [roundId, unitId],
    );
    const values: Record<string, unknown> = {
      round,
      unit,
      category: category.code,
      description: '台账问题',
      isImmediate: '否',
      measure: '整改',
      responsibleDept: '办公室',
      responsiblePerson: '王五',
      track: '限期整改',
      dueDate: addDays(TODAY, 30),
      foundDate: addDays(TODAY, -30),
    };
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('整改台账');
    sheet.addRow(LEDGER_COLUMNS.map((c) => c.header));
    sheet.addRow(LEDGER_COLUMNS.map((c) => values[c.key] ?? null));
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(Buffer.from(await book.xlsx.writeBuffer()))]), 'ledger.xlsx');
    const upload = await fetch(`${t.url}/api/imports/ledger`, { method: 'POST', body: form, headers: { cookie: t.cookie } });
    expect(upload.status).toBe(201);
    // corrections (before and after in the entry)
    await created(await t.send('PATCH', `/api/inspections/${inspection.id}`, { team: '审计二组' }));
    await created(await t.send('PATCH', `/api/findings/${finding.id}`, { description: '审计问题（更正）' }));
    await created(await t.send('PATCH', `/api/tasks/${task.id}`, { responsiblePerson: '李四' }));
    await masterDataWrites();
    await closureWrites();
    // 预警函 for the red tasks (each gets an escalation event) and a clue of a seeded inspection
    const notice = await fetch(`${t.url}/api/notices?warning=red`, {
      method: 'POST',
      headers: { cookie: t.cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'WARNING' }),
    });
    expect(notice.status).toBe(201);
    const clue = await created<{ id: number }>(await t.send('POST', '/api/clues', await clueBody('审计线索')));
    await created(await t.send('PATCH', `/api/clues/${clue.id}`, { persons: 2 }));
    await created(await t.send('DELETE', `/api/tasks/${(await created<{ task: { id: number } }>(await newTask())).task.id}`));
    await created(await t.send('DELETE', `/api/findings/${finding.id}`));
    await created(await t.send('DELETE', `/api/inspections/${inspection.id}`));
    const user = await created<{ id: number }>(
      await admin.send('POST', '/api/users', { username: 'audit-probe', displayName: '审计', role: 'STAFF', password: 'audit-probe-pw' }),
    );
    await created(await admin.send('PATCH', `/api/users/${user.id}`, { displayName: '审计二' }));
    // 已报送: the last ended quarter's workbook kept as reported
    await created(await t.send('POST', '/api/exports/quarterly/report', lastEndedQuarter(TODAY)));
    // 撤回报送 (the administrator's), with its reason
    await created(await admin.send('POST', '/api/exports/quarterly/report/withdraw', { ...lastEndedQuarter(TODAY), reason: '审计撤回' }));
    await created(await t.send('POST', '/api/etl/run', { mode: 'incremental' }));

    const entries = await sql<{ action: string; outside: boolean }>(
      "SELECT action, coalesce((detail->>'outsideTransaction')::boolean, false) AS outside FROM audit_logs WHERE id > $1 AND success AND action <> 'auth.login'",
      [since],
    );
    // each write route was called here (a new one fails until it is added above); notice.issue
    // also writes a notice.escalation entry for the notice it numbers…
    expect([...new Set(entries.map((e) => e.action))].sort()).toEqual([...new Set([...auditedWriteActions(), 'notice.escalation'])].sort());
    // …and none wrote its entry outside its transaction
    expect(entries.filter((e) => e.outside).map((e) => e.action)).toEqual([]);
  });
});
