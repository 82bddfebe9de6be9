import type { Client } from 'pg';
import type { ChangedSet } from './tables';

/**
 * The keys an incremental run reads, table by table: records written by a transaction at
 * or after the watermark, and every fact that copies from a row so written (a unit's
 * inspections, findings and tasks when the unit moved, say). Computed in dependency
 * order with index lookups on change_xid and on the foreign keys, in the run's snapshot.
 * Keys come back sorted; the loader reads them in keyset batches.
 */
export type ChangedKeys = Record<ChangedSet, bigint[]>;

async function ids(client: Client, sql: string, params: unknown[]): Promise<bigint[]> {
  const { rows } = await client.query<{ id: string }>({ text: `SELECT id::text AS id FROM (${sql}) s ORDER BY s.id`, values: params });
  return rows.map((row) => BigInt(row.id));
}

const strings = (keys: readonly bigint[]) => keys.map((key) => key.toString());

export async function changedKeys(client: Client, watermark: bigint): Promise<ChangedKeys> {
  const w = watermark.toString();
  const since = (table: string) => `SELECT id FROM ${table} WHERE change_xid >= $1::xid8`;

  const regions = await ids(client, `${since('regions')} UNION SELECT id FROM regions WHERE parent_id IN (${since('regions')})`, [w]);
  const units = await ids(client, `${since('org_units')} UNION SELECT id FROM org_units WHERE region_id = ANY($2::int[])`, [w, strings(regions)]);
  const categories = await ids(client, `${since('issue_categories')} UNION SELECT id FROM issue_categories WHERE parent_id IN (${since('issue_categories')})`, [
    w,
  ]);
  const terms = await ids(client, since('terms'), [w]);
  const rounds = await ids(client, since('rounds'), [w]);
  const inspections = await ids(
    client,
    `${since('inspections')} UNION SELECT id FROM inspections WHERE round_id = ANY($2::int[]) UNION SELECT id FROM inspections WHERE unit_id = ANY($3::int[])`,
    [w, strings(rounds), strings(units)],
  );
  const findings = await ids(
    client,
    `${since('findings')}
     UNION SELECT id FROM findings WHERE inspection_id = ANY($2::int[])
     UNION SELECT id FROM findings WHERE unit_id = ANY($3::int[])
     UNION SELECT id FROM findings WHERE category_id = ANY($4::int[])`,
    [w, strings(inspections), strings(units), strings(categories)],
  );
  const tasks = await ids(client, `${since('rectification_tasks')} UNION SELECT id FROM rectification_tasks WHERE finding_id = ANY($2::bigint[])`, [
    w,
    strings(findings),
  ]);
  const taskEvents = await ids(client, since('task_events'), [w]);
  const clues = await ids(client, `${since('clues')} UNION SELECT id FROM clues WHERE inspection_id = ANY($2::int[])`, [w, strings(inspections)]);
  return { regions, units, categories, terms, rounds, inspections, findings, tasks, task_events: taskEvents, clues };
}
