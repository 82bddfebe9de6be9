import type { Sink } from './load/sink';
import type { Warehouse } from './warehouse';

/**
 * What an ETL run changed in the warehouse, as the readers' caches need it: `everything`
 * (a full load, a rebuild, master data), or the counties whose records changed and the
 * earliest day from which a change shows. Figures of other counties, and figures as of a
 * day before `from`, read the same rows as before the run.
 *
 * - `counties`: dim_regions ids of the MUNICIPAL/COUNTY regions (0: the city itself) the
 *   changed records lay in before the run or lie in after it. Empty: nothing changed.
 * - `from`: the earliest day (YYYY-MM-DD) a changed record's figures may differ, or null
 *   when they may differ on every day.
 * - `generation`: the warehouse's ETL generation before and after the run (etl_generation),
 *   when the run moved it; a reader that knew `before` knows everything up to `after` now.
 */
export type RunChanges =
  | { everything: true; generation?: { before: string | null; after: string | null } }
  | { everything: false; counties: number[]; from: string | null; generation?: { before: string | null; after: string | null } };

/** The fact tables a case-record write reaches, with what decides when a change shows. */
interface FactRule {
  /** The table carrying county_id for this table's rows (fact_task_events: via its task). */
  county: 'own' | 'task';
  /** Days on which the record happened: a change of one shows from the earlier of old and new value. */
  happenedOn: readonly string[];
  /** Every Date column: a change of anything else shows from the earliest of them. */
  dates: readonly string[];
  /** A new record shows from the earliest of these. */
  newFrom: readonly string[];
  /** Columns that change with every write or follow the task's events (each event says when). */
  ignored: readonly string[];
}

const FACT_RULES: Record<string, FactRule> = {
  fact_inspections: {
    county: 'own',
    happenedOn: ['stationed_from', 'stationed_to', 'feedback_date'],
    dates: ['stationed_from', 'stationed_to', 'feedback_date'],
    newFrom: ['stationed_from', 'stationed_to', 'feedback_date'],
    ignored: ['version'],
  },
  fact_findings: {
    county: 'own',
    happenedOn: ['found_date', 'stationed_from', 'feedback_date'],
    dates: ['found_date', 'stationed_from', 'feedback_date'],
    newFrom: ['found_date', 'stationed_from', 'feedback_date'],
    ignored: ['version'],
  },
  // A task's status, current due date and closing day are where its events took it; the
  // event that moved them is in the same run and says from which day.
  fact_tasks: {
    county: 'own',
    happenedOn: ['found_date', 'feedback_date'],
    dates: ['found_date', 'feedback_date', 'original_due_date', 'current_due_date', 'closed_date'],
    newFrom: ['found_date', 'feedback_date', 'original_due_date', 'current_due_date', 'closed_date'],
    ignored: ['version', 'status', 'current_due_date', 'closed_date'],
  },
  fact_task_events: {
    county: 'task',
    happenedOn: ['event_date'],
    dates: ['event_date', 'new_due_date'],
    // an event takes effect on its day (an extension's new due date only from then on)
    newFrom: ['event_date'],
    ignored: ['version'],
  },
  fact_clues: {
    county: 'own',
    happenedOn: ['handed_date', 'concluded_date'],
    dates: ['handed_date', 'concluded_date'],
    newFrom: ['handed_date', 'concluded_date'],
    ignored: ['version'],
  },
};

/** Whether a task event moves its task: a status, a due date, or an event of a kind that may. */
function movesTask(event: Record<string, string | null>): boolean {
  return event.to_status !== null || event.new_due_date !== null || !['PROGRESS_NOTE', 'ESCALATION'].includes(event.type ?? '');
}

/** A TabSeparated field as text (null for \N). */
function unescapeField(field: string): string | null {
  if (field === '\\N') return null;
  if (!field.includes('\\')) return field;
  return field.replace(/\\(.)/g, (_, c: string) => ({ t: '\t', n: '\n', r: '\r', '0': '\0', b: '\b', f: '\f' })[c] ?? c);
}

/** The same value whichever engine wrote it: flags as 0/1, numbers without trailing zeros. */
function normalize(value: string | null): string | null {
  if (value === null) return null;
  if (value === 't' || value === 'true') return '1';
  if (value === 'f' || value === 'false') return '0';
  if (/^-?\d+(\.\d+)?$/.test(value)) return value.includes('.') ? String(Number(value)) : value.replace(/^(-?)0+(?=\d)/, '$1');
  return value;
}

const earlier = (a: string | null, b: string | null): string | null => (a === null ? b : b === null ? a : a < b ? a : b);

/** Collects what a run changed, from the rows it inserts compared with what the warehouse held. */
class ChangeCollector {
  everything = false;
  readonly counties = new Set<number>();
  /** undefined: nothing dated yet; null: every day. */
  from: string | null | undefined = undefined;
  generationBefore?: string | null;
  generationAfter?: string | null;

  showFrom(day: string | null): void {
    if (this.from === null) return;
    this.from = day === null ? null : this.from === undefined ? day : earlier(this.from, day);
  }

  result(): RunChanges {
    const generation = this.generationAfter !== undefined ? { before: this.generationBefore ?? null, after: this.generationAfter } : undefined;
    if (this.everything) return { everything: true, generation };
    return { everything: false, counties: [...this.counties].sort((a, b) => a - b), from: this.counties.size === 0 ? null : (this.from ?? null), generation };
  }
}

async function generationOf(warehouse: Warehouse): Promise<string | null> {
  const [row] = await warehouse.query<{ n: string; g: string }>('SELECT count() AS n, toString(max(generation)) AS g FROM etl_generation');
  return row && Number(row.n) > 0 ? row.g : null;
}

/** Compares the incoming rows of a fact table with the warehouse's current copy of them. */
async function recordFactRows(
  warehouse: Warehouse,
  table: string,
  rule: FactRule,
  columns: readonly string[],
  lines: readonly string[],
  into: ChangeCollector,
): Promise<void> {
  const idAt = columns.indexOf('id');
  if (idAt < 0) {
    into.everything = true;
    return;
  }
  const incoming = lines.map((line) => {
    const fields = line.split('\t').map((f) => normalize(unescapeField(f)));
    const row: Record<string, string | null> = Object.fromEntries(columns.map((c, i) => [c, fields[i] ?? null]));
    return row;
  });
  const ids = incoming.map((row) => row.id as string);
  const compared = columns.map((c) => `toString(${c}) AS v_${c}`).join(', ');
  // fact_task_events is ordered by task: looked up by task and id
  const where = rule.county === 'task' ? 'task_id IN {tasks:Array(UInt64)} AND id IN {ids:Array(UInt64)}' : 'id IN {ids:Array(UInt64)}';
  const tasks = rule.county === 'task' ? [...new Set(incoming.map((row) => row.task_id as string))] : [];
  const before = await warehouse.query<Record<string, string | null>>(
    `SELECT ${compared} FROM ${table} FINAL WHERE ${where}`,
    rule.county === 'task' ? { ids, tasks } : { ids },
  );
  const old = new Map<string, Record<string, string | null>>();
  for (const row of before) old.set(row.v_id as string, Object.fromEntries(columns.map((c) => [c, normalize(row[`v_${c}`] ?? null)])));

  const taskCounties = new Set<string>();
  for (const row of incoming) {
    const previous = old.get(row.id as string);
    let from: string | null;
    if (!previous) {
      // A progress note or an escalation moves no task's state or due date: no figure shows it.
      if (rule.county === 'task' && !movesTask(row)) continue;
      // A new record shows from its first day.
      from = rule.newFrom.map((c) => row[c] ?? null).reduce(earlier, null);
    } else {
      const changed = columns.filter((c) => previous[c] !== row[c] && !rule.ignored.includes(c));
      if (changed.length === 0) continue;
      from = changed.every((c) => rule.happenedOn.includes(c))
        ? changed.map((c) => earlier(previous[c], row[c])).reduce(earlier, null)
        : [previous, row].flatMap((r) => rule.dates.map((c) => r[c] ?? null)).reduce(earlier, null);
    }
    into.showFrom(from);
    for (const r of previous ? [previous, row] : [row]) {
      if (rule.county === 'own') into.counties.add(Number(r.county_id ?? 0));
      else if (r.task_id !== null) taskCounties.add(r.task_id);
    }
  }
  if (taskCounties.size > 0) {
    const found = await warehouse.query<{ county_id: number }>('SELECT DISTINCT county_id FROM fact_tasks FINAL WHERE id IN {ids:Array(UInt64)}', {
      ids: [...taskCounties],
    });
    for (const row of found) into.counties.add(Number(row.county_id));
    // An event of a task the warehouse does not hold yet: no county to name.
    if (found.length === 0) into.everything = true;
  }
}

/**
 * Wraps a sink so that the run it serves reports what it changed (`changes()`, also after a
 * failed run: what was inserted before the failure counts). Each insert of a fact table is
 * preceded by one read of the rows it replaces; dimensions, a full load, a truncation or a
 * rebuild of everything change everything.
 */
export function recordingChanges(sink: Sink, warehouse: Warehouse): { sink: Sink; changes(): RunChanges } {
  const collected = new ChangeCollector();
  const wrapped: Sink = {
    begin(readsAll) {
      if (readsAll) collected.everything = true;
      sink.begin?.(readsAll);
    },
    async insertTsv(table, columns, lines) {
      const rule = FACT_RULES[table];
      if (!rule) collected.everything = true;
      else if (!collected.everything && lines.length > 0) await recordFactRows(warehouse, table, rule, columns, lines, collected);
      await sink.insertTsv(table, columns, lines);
    },
    async truncate(table) {
      collected.everything = true;
      await sink.truncate(table);
    },
  };
  if (sink.beginFull) {
    wrapped.beginFull = async (tables) => {
      collected.everything = true;
      await sink.beginFull!(tables);
    };
  }
  if (sink.publishFull) {
    wrapped.publishFull = async () => {
      collected.generationBefore ??= await generationOf(warehouse);
      await sink.publishFull!();
      collected.generationAfter = await generationOf(warehouse);
    };
  }
  if (sink.refreshDerived) {
    wrapped.refreshDerived = async (tasks) => {
      if ('all' in tasks) collected.everything = true;
      collected.generationBefore ??= await generationOf(warehouse);
      await sink.refreshDerived!(tasks);
      collected.generationAfter = await generationOf(warehouse);
    };
  }
  return { sink: wrapped, changes: () => collected.result() };
}
