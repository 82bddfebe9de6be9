import type { RectificationResponse } from '@xuncha/backend';
import { startTestApp, type TestApp } from '../support/app';
import { referenceRectification } from '../support/metrics-reference';
import { query } from '../support/pg';
import { pinToday } from '../support/today';

/**
 * An ETL run of the app drops only the kept answers its changes can reach: a write in one
 * county leaves another county's answers kept, a write dated today leaves answers as of an
 * earlier day kept, a backdated write drops them. Whatever is served, kept or not, equals the
 * PostgreSQL reference.
 */
jest.setTimeout(300_000);

function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

const TODAY = pinToday();
const LAST_MONTH = addDays(TODAY, -30);
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ seed: { scale: 'tiny', today: TODAY } });
});

afterAll(async () => {
  await t?.close();
});

type Task = {
  id: string;
  county: number;
};

/** An open task of a county, overdue as of LAST_MONTH, found well before it (its extension may be dated then). */
async function overdueTask(notCounty?: number): Promise<Task> {
  const rows = await query<Task>(
    t.db.url,
    `SELECT t.id::text AS id, CASE r.level WHEN 'TOWNSHIP' THEN r.parent_id ELSE r.id END AS county
     FROM rectification_tasks t JOIN findings f ON f.id = t.finding_id JOIN inspections i ON i.id = f.inspection_id JOIN org_units u ON u.id = f.unit_id JOIN regions r ON r.id = u.region_id
     WHERE t.deleted_at IS NULL AND f.deleted_at IS NULL AND t.status NOT IN ('CLOSED', 'CLOSE_REQUESTED')
       AND t.current_due_date < $1::date - 10 AND f.found_date < $1::date - 60 AND i.feedback_date < $1::date - 60 AND r.level IN ('COUNTY', 'TOWNSHIP')
       AND NOT EXISTS (SELECT 1 FROM task_events e WHERE e.task_id = t.id AND e.event_date > $1::date - 45)
     ORDER BY t.id`,
    [LAST_MONTH],
  );
  const task = rows.find((row) => row.county !== notCounty);
  if (!task) throw new Error('the tiny seed holds no such task');
  return task;
}

async function rectification(path: string): Promise<{ cache: string | null; body: RectificationResponse }> {
  const response = await fetch(`${t.url}${path}`, { headers: { cookie: t.cookie } });
  expect(response.status).toBe(200);
  return { cache: response.headers.get('x-xuncha-cache'), body: (await response.json()) as RectificationResponse };
}

const overdue = (body: RectificationResponse) => body.overdue.count;

async function extend(task: Task, effectiveDate: string): Promise<void> {
  const body = {
    newDueDate: addDays(TODAY, 90),
    reason: '缓存测试延期 cache test extension',
    effectiveDate,
    ...(effectiveDate < TODAY ? { backdateReason: '补录 backdated' } : {}),
  };
  const response = await t.send('POST', `/api/tasks/${task.id}/extensions`, body);
  expect(response.status).toBe(201);
  expect((await t.send('POST', '/api/etl/run', {})).status).toBe(200);
}

describe('the response cache after an ETL run of the app', () => {
  it('keeps another county’s answer, and drops the written county’s, each equal to the reference', async () => {
    const a = await overdueTask();
    const b = await overdueTask(a.county);
    const pathA = `/api/metrics/rectification?regionId=${a.county}`;
    const pathB = `/api/metrics/rectification?regionId=${b.county}`;
    const beforeA = await rectification(pathA);
    await rectification(pathB);
    expect((await rectification(pathB)).cache).toBe('hit');

    await extend(a, TODAY);

    const afterB = await rectification(pathB);
    expect(afterB.cache).toBe('hit');
    expect(afterB.body).toEqual(await referenceRectification(t.db.url, { asOf: TODAY, regionId: b.county }));
    const afterA = await rectification(pathA);
    expect(afterA.cache).toBe('miss');
    expect(afterA.body).toEqual(await referenceRectification(t.db.url, { asOf: TODAY, regionId: a.county }));
    // the extension took the task out of the county's overdue work
    expect(overdue(afterA.body)).toBe(overdue(beforeA.body) - 1);
  });

  it('keeps an answer as of last month through a write dated today, and drops it for a backdated one', async () => {
    const path = `/api/metrics/rectification?asOf=${LAST_MONTH}`;
    const reference = () => referenceRectification(t.db.url, { asOf: LAST_MONTH });
    const before = await rectification(path);
    expect(before.body).toEqual(await reference());
    const task = await overdueTask();

    await extend(task, TODAY);
    const today = await rectification(path);
    expect(today.cache).toBe('hit');
    expect(today.body).toEqual(await reference());

    const other = await overdueTask();
    await extend(other, addDays(LAST_MONTH, -5));
    const backdated = await rectification(path);
    expect(backdated.cache).toBe('miss');
    expect(backdated.body).toEqual(await reference());
    expect(overdue(backdated.body)).toBe(overdue(before.body) - 1);
  });

  it('keeps every answer through a progress note, which moves no figure', async () => {
    const task = await overdueTask();
    const paths = ['/api/metrics/rectification', `/api/metrics/rectification?regionId=${task.county}`];
    for (const path of paths) await rectification(path);
    const note = await t.send('POST', `/api/tasks/${task.id}/notes`, { note: '缓存测试进展 cache test note' });
    expect(note.status).toBe(201);
    const run = await t.send<{ written: number }>('POST', '/api/etl/run', {});
    expect(run.body.written).toBeGreaterThan(0);
    const city = await rectification(paths[0]);
    const county = await rectification(paths[1]);
    expect([city.cache, county.cache]).toEqual(['hit', 'hit']);
    expect(city.body).toEqual(await referenceRectification(t.db.url, { asOf: TODAY }));
    expect(county.body).toEqual(await referenceRectification(t.db.url, { asOf: TODAY, regionId: task.county }));
  });
});
