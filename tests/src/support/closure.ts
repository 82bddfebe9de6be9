import type { TestApp, TestClient } from './app';
import { TEST_PASSWORD } from './app';
import { pdfFile } from './evidence-files';

/** The second writer every closure needs (the applicant may not approve): created once per app by its administrator. */
const reviewers = new WeakMap<TestApp, TestClient>();

export async function closureReviewer(t: TestApp): Promise<TestClient> {
  const known = reviewers.get(t);
  if (known) return known;
  const admin = await t.as('admin');
  const created = await admin.send('POST', '/api/users', { username: 'closure-reviewer', displayName: '销号审核人', role: 'STAFF', password: TEST_PASSWORD });
  if (created.status !== 201 && created.status !== 409) throw new Error(`reviewer account: ${created.status} ${JSON.stringify(created.body)}`);
  const client = await t.as('closure-reviewer');
  reviewers.set(t, client);
  return client;
}

/** Applies for closure (as `applicant`, with a small PDF) and posts the multipart form. */
export async function applyForClosure(
  t: TestApp,
  applicant: { cookie: string },
  taskId: number | string,
  explanation = '整改已完成',
): Promise<{ status: number; body: { request: { id: number }; message?: string } }> {
  const form = new FormData();
  form.append('explanation', explanation);
  form.append('files', new Blob([new Uint8Array(pdfFile())]), '整改报告.pdf');
  const response = await fetch(`${t.url}/api/tasks/${taskId}/closure-requests`, { method: 'POST', body: form, headers: { cookie: applicant.cookie } });
  return { status: response.status, body: (await response.json()) as { request: { id: number } } };
}

/**
 * Closes a task the way the office does: applied for by `applicant` (default: the app's
 * staff user) with evidence, approved by another writer. Returns the approval's status.
 */
export async function closeTask(t: TestApp, taskId: number | string, applicant: { cookie: string } = { cookie: t.cookie }): Promise<number> {
  const applied = await applyForClosure(t, applicant, taskId);
  if (applied.status !== 201) return applied.status;
  const reviewer = await closureReviewer(t);
  return (await reviewer.send('POST', `/api/closure-requests/${applied.body.request.id}/approve`, {})).status;
}
