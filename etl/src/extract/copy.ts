import { StringDecoder } from 'node:string_decoder';
import type { Client, PoolClient } from 'pg';
import { to as copyTo } from 'pg-copy-streams';

/**
 * Runs a `COPY (…) TO STDOUT` statement (text format, one record a line) and hands its
 * lines to `onBatch` in batches of at most `batchSize`. The next chunk is not read until
 * `onBatch` has finished, so a slow warehouse slows the read (backpressure) and memory
 * stays bounded by one batch.
 */
export async function copyBatches(
  client: Client | PoolClient,
  statement: string,
  batchSize: number,
  onBatch: (lines: string[]) => Promise<void>,
): Promise<void> {
  const stream = client.query(copyTo(statement));
  let pending: string[] = [];
  let partial = '';
  // A chunk may end inside a multi-byte character: the decoder keeps the rest for the next.
  const decoder = new StringDecoder('utf8');
  for await (const chunk of stream) {
    const text = partial + decoder.write(chunk as Buffer);
    const lines = text.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) pending.push(line);
    while (pending.length >= batchSize) {
      const batch = pending.slice(0, batchSize);
      pending = pending.slice(batchSize);
      await onBatch(batch);
    }
  }
  partial += decoder.end();
  if (partial) pending.push(partial);
  if (pending.length > 0) await onBatch(pending);
}
