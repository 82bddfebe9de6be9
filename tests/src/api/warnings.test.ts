import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { shanghaiToday } from '@xuncha/shared';
import { startTestApp, type TestApp } from '../support/app';
import { query } from '../support/pg';

/**
 * The 预警 ladder (yellow ≤ 20 days before due, orange ≤ 10, today included, red overdue)
 * against a hand computation at the boundary days; the 督办单 it issues, read back by
 * LibreOffice, naming exactly the tasks PostgreSQL lists for the filter, with the escalation
 * in each task's timeline and the audit log; the lists' .xlsx downloads; a county's
 * quarterly workbook for a city user.
 */
jest.setTimeout(600_000);

interface TaskRow {
  id: number;
  dueDate: string | null;
  status: string;
}
interface Page<T> {
  total: number;
  rows: T[];
}

const DAY = 86_400_000;
const plus = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);

/** A unit's county as the warehouse carries it: a township's parent, else its region. */
const UNIT_COUNTY = `(SELECT CASE g.level WHEN 'TOWNSHIP' THEN g.parent_id ELSE g.id END FROM regions g WHERE g.id = u.region_id)`;
/** Live tasks of findings fed back by $1, in county $2 (or everywhere). */
const TASKS = `FROM rectification_tasks k
    JOIN findings f ON f.id = k.finding_id AND f.deleted_at IS NULL
    JOIN inspections i ON i.id = f.inspection_id AND i.deleted_at IS NULL
    JOIN org_units u ON u.id = f.unit_id
   WHERE k.deleted_at IS NULL AND f.found_date <= $1::date AND i.feedback_date <= $1::date
     AND ($2::int IS NULL OR ${UNIT_COUNTY} = $2)`;

function soffice(): boolean {
  try {
    execFileSync('soffice', ['--version'], { stdio: 'pipe', timeout: 60_000 });
    return true;
  } catch {
    if (process.env.XUNCHA_REQUIRE_SYSTEM_PACKAGES === '1') throw new Error('soffice (LibreOffice) is not installed, and XUNCHA_REQUIRE_SYSTEM_PACKAGES=1');
    return false;
  }
}

/** The 任务编号 column of a notice converted to text by LibreOffice: each cell on a line of its own, rows numbered from 1. */
function taskIdsOf(text: string): number[] {
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  const ids: number[] = [];
  let k = 1;
  for (let i = lines.indexOf('预警') + 1; i > 0 && i < lines.length - 1; i++) {
    if (lines[i] === String(k) && /^\d+$/.test(lines[i + 1])) {
      ids.push(Number(lines[i + 1]));
      k++;
      i++;
    }
  }
  return ids;
}

describe('预警 and 督办单', () => {
  let t: TestApp;
  const today = shanghaiToday();
  let county: number;
  let countyName: string;
  /** offset (days from today to due) → the task made with that due date */
  const made = new Map<number, number>();

  beforeAll(async () => {
    t = await startTestApp({ seed: { scale: 'tiny', today } });
    // the county with the most overdue tasks, and a finding of it fed back
    [{ county, countyName }] = await query<{ county: number; countyName: string }>(
      t.db.url,
      `SELECT ${UNIT_COUNTY} AS county, (SELECT name FROM regions WHERE id = ${UNIT_COUNTY}) AS "countyName"
         ${TASKS} AND k.status <> 'CLOSED' AND k.current_due_date < $1::date GROUP BY 1, 2 ORDER BY count(*) DESC, 1 LIMIT 1`,
      [today, null],
    );
    const [{ finding }] = await query<{ finding: string }>(t.db.url, `SELECT f.id::text AS finding ${TASKS} ORDER BY f.id LIMIT 1`, [today, county]);
    for (const offset of [21, 20, 11, 10, 0, -1]) {
      const response = await t.send<{ task: { id: number } }>('POST', '/api/tasks', {
        findingId: Number(finding),
        measure: `预警边界测试 ${offset} 天`,
        responsibleDept: '办公室',
        responsiblePerson: '边界',
        track: 'DEADLINE',
        originalDueDate: plus(today, offset),
      });
      expect(response.status).toBe(201);
      made.set(offset, response.body.task.id);
    }
    await t.etl();
  });
  afterAll(async () => {
    await t?.close();
  });

  async function all(params: string): Promise<TaskRow[]> {
    const rows: TaskRow[] = [];
    for (let page = 1; ; page++) {
      const response = await t.get<Page<TaskRow>>(`/api/tasks?${params}&pageSize=200&page=${page}`);
      expect(response.status).toBe(200);
      rows.push(...response.body.rows);
      if (rows.length >= response.body.total || response.body.rows.length === 0) return rows;
    }
  }

  it('puts tasks due in 20, 10, 0 and −1 days on the levels a hand computation gives', async () => {
    // by hand: 21 → none, 20 → yellow, 11 → yellow, 10 → orange, 0 (today) → orange, −1 → red
    const expected: Record<number, string | null> = { 21: null, 20: 'yellow', 11: 'yellow', 10: 'orange', 0: 'orange', [-1]: 'red' };
    const lists = Object.fromEntries(
      await Promise.all(
        ['yellow', 'orange', 'red'].map(async (level) => [level, new Set((await all(`warning=${level}&regionId=${county}`)).map((r) => r.id))] as const),
      ),
    );
    for (const [offset, id] of made) {
      const found = Object.entries(lists)
        .filter(([, ids]) => ids.has(id))
        .map(([level]) => level);
      expect({ offset, levels: found }).toEqual({ offset, levels: expected[offset] === null ? [] : [expected[offset]] });
    }
  });

  it('lists and counts every open task of the city on its level, as PostgreSQL gives by hand', async () => {
    const open = await query<{ id: number; days: number }>(
      t.db.url,
      `SELECT k.id::int AS id, (k.current_due_date - $1::date)::int AS days ${TASKS} AND k.status <> 'CLOSED' AND k.current_due_date IS NOT NULL ORDER BY 1`,
      [today, null],
    );
    const byHand = (days: number) => (days < 0 ? 'red' : days <= 10 ? 'orange' : days <= 20 ? 'yellow' : null);
    const summary = await t.get<{ asOf: string; days: { yellow: number; orange: number }; levels: { level: string; count: number; recipients: string[] }[] }>(
      '/api/warnings/summary',
    );
    expect(summary.status).toBe(200);
    expect(summary.body.asOf).toBe(today);
    expect(summary.body.days).toEqual({ yellow: 20, orange: 10 });
    for (const level of ['yellow', 'orange', 'red']) {
      const expected = open.filter((r) => byHand(r.days) === level).map((r) => r.id);
      expect(expected.length).toBeGreaterThan(0);
      const listed = (await all(`warning=${level}&sort=id`)).map((r) => r.id);
      expect({ level, ids: listed }).toEqual({ level, ids: expected });
      expect(summary.body.levels.find((l) => l.level === level)?.count).toBe(expected.length);
    }
    expect(summary.body.levels.map((l) => l.recipients)).toEqual([['责任人'], ['责任人', '分管领导'], ['责任人', '分管领导', '主要负责人']]);
  });

  it('issues 督办单 naming exactly the filtered tasks, read back by LibreOffice, and records the escalation on each', async () => {
    const expected = await query<{ id: number; unit: string; unitId: number; person: string }>(
      t.db.url,
      `SELECT k.id::int AS id, u.name AS unit, u.id AS "unitId", k.responsible_person AS person ${TASKS} AND k.status <> 'CLOSED' AND k.current_due_date < $1::date ORDER BY 1`,
      [today, county],
    );
    expect(expected.length).toBeGreaterThan(1);
    const units = new Set(expected.map((r) => r.unit));
    // one unit's leaders entered in the unit directory: its 督办单 names them; the others name the roles
    const ledUnit = expected[0];
    expect(
      (await t.send('PATCH', `/api/masterdata/units/${ledUnit.unitId}`, { principalLeader: '督办测试主任', leaderInCharge: '督办测试副主任' })).status,
    ).toBe(200);
    const response = await fetch(`${t.url}/api/notices?warning=red&regionId=${county}`, {
      method: 'POST',
      headers: { cookie: t.cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'SUPERVISION', groupBy: 'unit' }),
    });
    expect(response.status).toBe(201);
    const bytes = Buffer.from(await response.arrayBuffer());
    const documents: Buffer[] = [];
    if (units.size > 1) {
      expect(response.headers.get('content-type')).toBe('application/zip');
      expect(response.headers.get('content-disposition')).toContain(encodeURIComponent('整改督办单'));
      const zip = await JSZip.loadAsync(bytes);
      const names = Object.keys(zip.files);
      expect(names).toHaveLength(units.size);
      for (const name of names) documents.push(await zip.files[name].async('nodebuffer'));
    } else {
      expect(response.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
      documents.push(bytes);
    }

    if (soffice()) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xuncha-notice-'));
      try {
        documents.forEach((doc, i) => fs.writeFileSync(path.join(dir, `n${i}.docx`), doc));
        execFileSync(
          'soffice',
          [
            `-env:UserInstallation=file://${path.join(dir, 'profile')}`,
            '--headless',
            '--convert-to',
            'txt:Text',
            '--outdir',
            path.join(dir, 'txt'),
            ...documents.map((_, i) => path.join(dir, `n${i}.docx`)),
          ],
          { stdio: 'pipe', timeout: 300_000 },
        );
        const named: number[] = [];
        const addressees: string[] = [];
        for (let i = 0; i < documents.length; i++) {
          const text = fs.readFileSync(path.join(dir, 'txt', `n${i}.txt`), 'utf8').replace(/^\ufeff/, '');
          expect(text.split('\n')[0].trim()).toBe('整改督办单');
          expect(text).toMatch(/巡督〔\d{4}〕\d+号/);
          expect(text).toContain('主要负责人'); // red: up to the 主要负责人
          const addressee = text
            .split('\n')
            .find((l) => l.trim().endsWith('：'))!
            .trim()
            .slice(0, -1);
          addressees.push(addressee);
          const persons = [...new Set(expected.filter((r) => r.unit === addressee).map((r) => r.person))];
          const ask = /请责任人(.+?)，(分管领导.*?)，(主要负责人.*?)切实履行整改责任/.exec(text);
          expect(ask).not.toBeNull();
          expect(ask![1].split('、').sort()).toEqual(persons.sort());
          expect(ask!.slice(2)).toEqual(addressee === ledUnit.unit ? ['分管领导督办测试副主任', '主要负责人督办测试主任'] : ['分管领导', '主要负责人']);
          named.push(...taskIdsOf(text));
        }
        expect(named.sort((a, b) => a - b)).toEqual(expected.map((r) => r.id));
        expect(addressees.sort()).toEqual([...units].sort());
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    } else {
      console.log('warnings: skipped the LibreOffice check: soffice is not installed');
    }

    // every task named has the escalation in its timeline, with the notice's number
    const [audit] = await query<{ target: string; tasks: number }>(
      t.db.url,
      `SELECT target, (detail->>'tasks')::int AS tasks FROM audit_logs WHERE action = 'notice.escalation' ORDER BY id DESC LIMIT 1`,
    );
    expect(audit).toEqual({ target: expect.stringMatching(/^巡督〔\d{4}〕\d+号$/), tasks: expected.length });
    const events = await query<{ id: number }>(
      t.db.url,
      `SELECT task_id::int AS id FROM task_events WHERE type = 'ESCALATION' AND note = $1 AND event_date = $2::date ORDER BY 1`,
      [`整改督办单 ${audit.target}`, today],
    );
    expect(events.map((e) => e.id)).toEqual(expected.map((r) => r.id));
    const detail = await t.get<{ events: { type: string; note: string | null; actor: string }[] }>(`/api/tasks/${expected[0].id}`);
    expect(detail.body.events.at(-1)).toMatchObject({ type: 'ESCALATION', note: `整改督办单 ${audit.target}`, actor: 'staff' });
  });

  it('refuses a notice for no task, and a leader (who does not write)', async () => {
    const none = await t.send<{ message: string }>('POST', `/api/notices?warning=red&dueSoon=10&regionId=${county}`, { kind: 'WARNING' });
    expect(none.status).toBe(400);
    expect(none.body.message).toContain('没有整改任务');
    const leader = await t.as('leader');
    expect((await leader.send('POST', '/api/notices?warning=red', { kind: 'WARNING' })).status).toBe(403);
    const bad = await t.send<{ message: string }>('POST', '/api/notices?warning=red', { kind: 'LETTER' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/^kind/);
  });

  it('downloads a list as .xlsx named after its filters, every row', async () => {
    const overdue = await all(`overdue=true&regionId=${county}`);
    const response = await fetch(`${t.url}/api/tasks.xlsx?overdue=true&regionId=${county}`, { headers: { cookie: t.cookie } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent(`超期任务_${countyName}_${today}.xlsx`)}`);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await response.arrayBuffer());
    const sheet = book.worksheets[0];
    expect(sheet.getCell(6, 1).value).toBe('任务编号');
    const ids: number[] = [];
    sheet.eachRow((row, n) => {
      if (n > 6) ids.push(Number(row.getCell(1).value));
    });
    expect(ids.sort((a, b) => a - b)).toEqual(overdue.map((r) => r.id).sort((a, b) => a - b));
    expect(sheet.pageSetup.printTitlesRow).toBe('5:6');

    const csv = await fetch(`${t.url}/api/findings.csv?closed=false&regionId=${county}`, { headers: { cookie: t.cookie } });
    expect(csv.headers.get('content-disposition')).toContain(encodeURIComponent(`未整改完成问题_${countyName}_${today}.csv`));
  });

  it('gives a city user any county’s quarterly workbook and a county user only its own', async () => {
    const [y, m] = today.split('-').map(Number);
    const last = new Date(Date.UTC(y, Math.floor((m - 1) / 3) * 3, 0));
    const year = last.getUTCFullYear();
    const quarter = Math.floor(last.getUTCMonth() / 3) + 1;
    const city = await fetch(`${t.url}/api/exports/quarterly?year=${year}&quarter=${quarter}&regionId=${county}`, { headers: { cookie: t.cookie } });
    expect(city.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await city.arrayBuffer());
    expect(book.worksheets[0].getRow(2).values).toContain(countyName);

    const [{ code, other }] = await query<{ code: string; other: number }>(
      t.db.url,
      `SELECT (SELECT code FROM regions WHERE id = $1) AS code, (SELECT id FROM regions WHERE level = 'COUNTY' AND id <> $1 ORDER BY id LIMIT 1) AS other`,
      [county],
    );
    const countyUser = await t.as(`county-${code}`);
    expect((await countyUser.get(`/api/exports/quarterly?year=${year}&quarter=${quarter}&regionId=${other}`)).status).toBe(403);
    expect((await countyUser.get(`/api/exports/quarterly?year=${year}&quarter=${quarter}&regionId=${county}`)).status).toBe(200);
    const township = await query<{ id: number }>(t.db.url, `SELECT id FROM regions WHERE level = 'TOWNSHIP' ORDER BY id LIMIT 1`);
    if (township.length > 0) expect((await t.get(`/api/exports/quarterly?year=${year}&quarter=${quarter}&regionId=${township[0].id}`)).status).toBe(400);
  });
});
