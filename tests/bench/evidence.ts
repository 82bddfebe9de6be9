/**
 * npm run bench -- evidence: one 20 MB evidence file (佐证材料, a PDF) through HTTP on the
 * tiny demo data: uploaded with a closure application (multipart, type sniffed from the
 * bytes, stored as bytea in PostgreSQL in the same transaction as the task's event) and
 * downloaded again (read from PostgreSQL, audited). BENCH_EVIDENCE_RUNS: runs (default 3),
 * each on another task; medians.
 *
 *   BENCH evidence-upload-20mb-seconds              POST /api/tasks/:id/closure-requests, whole request
 *   BENCH evidence-download-20mb-seconds            GET /api/closure-evidence/:id, whole body
 *   BENCH evidence-peak-rss-mb                      peak resident memory of the process (app, PostgreSQL client, chDB)
 *   BENCH evidence-peak-rss-above-open-mb           the same less the memory before the first upload
 */
import type { AddressInfo } from 'node:net';
import { createApp, loadConfig } from '@xuncha/backend';
import { runCli } from '@xuncha/shared';
import { query } from '../src/support/pg';
import { pdfOfSize } from '../src/support/evidence-files';
import { bench, benchDatabase, benchSession, benchWarehouse, BENCH_APP_ENV, peakRssMb } from './fixture';

const RUNS = Number(process.env.BENCH_EVIDENCE_RUNS ?? 3);
const SIZE = 20 * 1024 * 1024;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export async function benchEvidence(): Promise<void> {
  const db = await benchDatabase('tiny');
  const warehouse = await benchWarehouse(db);
  const app = await createApp({ config: loadConfig({ ...BENCH_APP_ENV }), databaseUrl: db.url, warehouse, logger: false });
  try {
    await app.listen(0, '127.0.0.1');
    const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    const { cookie } = await benchSession(db.url, base);
    const tasks = await query<{ id: string }>(
      db.url,
      `SELECT k.id::text FROM rectification_tasks k JOIN findings f ON f.id = k.finding_id JOIN inspections i ON i.id = f.inspection_id
        WHERE k.status IN ('IN_PROGRESS', 'BASICALLY_DONE') AND k.deleted_at IS NULL AND f.deleted_at IS NULL AND i.deleted_at IS NULL ORDER BY k.id LIMIT $1`,
      [RUNS],
    );
    if (tasks.length < RUNS) throw new Error(`bench: only ${tasks.length} open tasks for ${RUNS} runs`);
    const file = pdfOfSize(SIZE);
    const openRss = process.memoryUsage().rss / 1024 / 1024;
    const uploads: number[] = [];
    const downloads: number[] = [];
    for (const task of tasks) {
      const form = new FormData();
      form.append('explanation', '基准测试：20 MB 佐证材料');
      form.append('files', new Blob([new Uint8Array(file)]), '佐证材料.pdf');
      let started = performance.now();
      const response = await fetch(`${base}/api/tasks/${task.id}/closure-requests`, { method: 'POST', body: form, headers: { cookie } });
      const body = (await response.json()) as { request?: { evidence: { id: number }[] }; message?: string };
      uploads.push((performance.now() - started) / 1000);
      if (response.status !== 201 || !body.request) throw new Error(`bench: upload → ${response.status} ${body.message ?? ''}`);
      started = performance.now();
      const download = await fetch(`${base}/api/closure-evidence/${body.request.evidence[0].id}`, { headers: { cookie } });
      const bytes = Buffer.from(await download.arrayBuffer());
      downloads.push((performance.now() - started) / 1000);
      if (download.status !== 200 || Buffer.compare(bytes, file) !== 0) throw new Error(`bench: download → ${download.status}, ${bytes.length} bytes`);
    }
    console.error(`bench: uploads ${uploads.map((s) => s.toFixed(2)).join(', ')} s; downloads ${downloads.map((s) => s.toFixed(2)).join(', ')} s`);
    bench('evidence-upload-20mb-seconds', median(uploads), 's');
    bench('evidence-download-20mb-seconds', median(downloads), 's');
    bench('evidence-peak-rss-mb', peakRssMb(), 'MB');
    bench('evidence-peak-rss-above-open-mb', peakRssMb() - openRss, 'MB');
  } finally {
    await app.close();
    await warehouse.close();
    await db.close();
  }
}

if (require.main === module) runCli(benchEvidence);
