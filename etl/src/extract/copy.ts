import type { PoolClient, Client } from 'pg';
import { to as copyTo } from 'pg-copy-streams';

/**
 * Runs a `COPY (…) TO STDOUT` statement and returns its lines (text format, one record a
 * line). Batches are bounded by the keyset LIMIT, so a batch fits in memory.
 */
export async function copyLines(client: Client | PoolClient, statement: string): Promise<string[]> {
  const stream = client.query(copyTo(statement));
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return [];
  const text = Buffer.concat(chunks).toString('utf8');
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}
