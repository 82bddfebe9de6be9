import type { Warehouse } from '../warehouse';
import type { Sink } from './sink';
import { buildFindingSummaryRebuild, buildMarkDirty, DIRTY_ROUNDS, SUMMARY_NEXT_VERSION, SUMMARY_ROUND_CHUNK } from './finding-summary';
import { buildMarkFindingsDirty, buildOpenFindingsRebuild, DIRTY_FINDINGS, OPEN_FINDINGS_CHUNK, OPEN_FINDINGS_NEXT_VERSION } from './open-findings';
import { buildOpenTasksRebuild } from './open-tasks';
import { buildMarkUnitsDirty, buildUnitCoverageRebuild, DIRTY_UNITS, UNIT_COVERAGE_CHUNK, UNIT_COVERAGE_NEXT_VERSION } from './unit-coverage';
import { buildTaskStateRebuild, TASK_STATE_CHUNK } from './task-state';
import { buildMarkTimelineDirty, buildTimelineRebuild, DIRTY_CELLS, TIMELINE_CELL_CHUNK, TIMELINE_NEXT_VERSION } from './rectification-timeline';
import { buildClosureRebuild, buildMarkClosureDirty, CLOSURE_CHUNK, CLOSURE_NEXT_VERSION, DIRTY_CLOSURE } from './finding-closure';
import {
  buildQuarterMarkAfter,
  buildQuarterMarkBefore,
  QUARTER_MARK_TABLES,
  QUARTER_STATE_TABLES,
  quarterEndOnOrBefore,
  RECORD_FULL_CHANGE,
  RECORD_QUARTER_CHANGE,
} from './quarter-state';
import { shanghaiToday } from '@xuncha/shared';

/** The tables the warehouse derives from the loaded facts. */
export type DerivedTable =
  | 'fact_task_state'
  | 'fact_finding_summary'
  | 'fact_open_tasks'
  | 'fact_open_findings'
  | 'fact_unit_coverage'
  | 'fact_rectification_timeline'
  | 'fact_finding_closure';

/** The derived tables each warehouse migration created: a warehouse migrated later derives them in full. */
export const DERIVED_BY_MIGRATION: Record<string, DerivedTable> = {
  '003_task_state.sql': 'fact_task_state',
  '004_finding_summary.sql': 'fact_finding_summary',
  '006_open_tasks.sql': 'fact_open_tasks',
  '007_open_findings.sql': 'fact_open_findings',
  '008_unit_coverage.sql': 'fact_unit_coverage',
  '011_rectification_timeline.sql': 'fact_rectification_timeline',
  '012_finding_closure.sql': 'fact_finding_closure',
};

interface DerivedQuery {
  query: string;
  params: Record<string, unknown>;
}

/**
 * A derived table kept up to date by marks: loading rows of a table marks in `marks`, before
 * and after each batch (where the rows were, where they are), the keys they may change; at
 * the end of an incremental run the marked keys are rebuilt `chunk` at a time, each chunk
 * under the version read just before it, and then the marks are emptied (a run that dies on
 * the way leaves its marks for the next one). A full run rebuilds the table whole.
 */
interface MarkedDerived {
  table: DerivedTable;
  /** the table of marks */
  marks: string;
  /** marks what loading rows of `table` (by id; task events also by task id) may change, as the warehouse holds them now */
  mark(table: string, ids: readonly string[], taskIds: readonly string[]): DerivedQuery | null;
  /** the marked keys, in order: one column */
  dirty: string;
  chunk: number;
  /** `v`: the version the next rebuild writes (the table's highest + 1) */
  nextVersion: string;
  /** the rebuild of some keys, `next` read from nextVersion; or of every key (the table empty) */
  rebuild(keys: readonly never[] | 'all', next: bigint): DerivedQuery;
}

/** The derived tables refreshed from marks, in the order a run refreshes them. */
const MARKED_DERIVED: readonly MarkedDerived[] = [
  {
    table: 'fact_finding_summary',
    marks: 'etl_summary_dirty',
    mark: buildMarkDirty,
    dirty: DIRTY_ROUNDS,
    chunk: SUMMARY_ROUND_CHUNK,
    nextVersion: SUMMARY_NEXT_VERSION,
    // tombstones with the version after the highest, the rebuilt rows one more
    rebuild: (rounds, next) => (rounds === 'all' ? buildFindingSummaryRebuild('all', 1n) : buildFindingSummaryRebuild(rounds, next + 1n)),
  },
  {
    table: 'fact_open_findings',
    marks: 'etl_findings_dirty',
    mark: buildMarkFindingsDirty,
    dirty: DIRTY_FINDINGS,
    chunk: OPEN_FINDINGS_CHUNK,
    nextVersion: OPEN_FINDINGS_NEXT_VERSION,
    rebuild: (ids, next) => buildOpenFindingsRebuild(ids === 'all' ? 'all' : ids, ids === 'all' ? 1n : next),
  },
  {
    table: 'fact_unit_coverage',
    marks: 'etl_units_dirty',
    mark: buildMarkUnitsDirty,
    dirty: DIRTY_UNITS,
    chunk: UNIT_COVERAGE_CHUNK,
    nextVersion: UNIT_COVERAGE_NEXT_VERSION,
    rebuild: (units, next) => buildUnitCoverageRebuild(units === 'all' ? 'all' : units, units === 'all' ? 1n : next),
  },
  {
    // after fact_task_state, which the run has rebuilt for its tasks before the marked tables
    table: 'fact_rectification_timeline',
    marks: 'etl_timeline_dirty',
    mark: buildMarkTimelineDirty,
    dirty: DIRTY_CELLS,
    chunk: TIMELINE_CELL_CHUNK,
    nextVersion: TIMELINE_NEXT_VERSION,
    // tombstones with the version after the highest, the rebuilt rows one more
    rebuild: (cells, next) => (cells === 'all' ? buildTimelineRebuild('all', 1n) : buildTimelineRebuild(cells, next + 1n)),
  },
  {
    // after fact_task_state, as the timeline
    table: 'fact_finding_closure',
    marks: 'etl_closure_dirty',
    mark: buildMarkClosureDirty,
    dirty: DIRTY_CLOSURE,
    chunk: CLOSURE_CHUNK,
    nextVersion: CLOSURE_NEXT_VERSION,
    // tombstones with the version after the highest, the rebuilt rows one more
    rebuild: (ids, next) => (ids === 'all' ? buildClosureRebuild('all', 1n) : buildClosureRebuild(ids, next + 1n)),
  },
];

/** Rebuilds the marked keys of one derived table in chunks, then empties its marks. */
async function refreshMarked(warehouse: Warehouse, derived: MarkedDerived): Promise<void> {
  const keys = (await warehouse.query<Record<string, never>>(derived.dirty)).map((row) => Object.values(row)[0]);
  for (let i = 0; i < keys.length; i += derived.chunk) {
    const [next] = await warehouse.query<{ v: string }>(derived.nextVersion);
    const rebuild = derived.rebuild(keys.slice(i, i + derived.chunk), BigInt(next?.v ?? '1'));
    await warehouse.command(rebuild.query, rebuild.params);
  }
  await warehouse.command(`TRUNCATE TABLE IF EXISTS ${warehouse.database}.${derived.marks}`);
}

/** Records that the warehouse changed (etl_generation), once the derived tables are up to date. */
export async function nextGeneration(warehouse: Warehouse): Promise<void> {
  await warehouse.command('INSERT INTO etl_generation (generation, at) SELECT (SELECT max(generation) FROM etl_generation) + 1, now()');
}

/** Rebuilds derived tables from scratch. */
export async function rebuildDerived(warehouse: Warehouse, tables: readonly DerivedTable[]): Promise<void> {
  if (tables.includes('fact_task_state')) {
    await warehouse.command(`TRUNCATE TABLE IF EXISTS ${warehouse.database}.fact_task_state`);
    const rebuild = buildTaskStateRebuild('all');
    await warehouse.command(rebuild.query, rebuild.params);
  }
  if (tables.includes('fact_open_tasks')) {
    await warehouse.command(`TRUNCATE TABLE IF EXISTS ${warehouse.database}.fact_open_tasks`);
    const rebuild = buildOpenTasksRebuild('all');
    await warehouse.command(rebuild.query, rebuild.params);
  }
  // after the facts' own derived tables, as before: open findings, unit coverage, the summary, then the timeline and the closure spans
  for (const name of ['fact_open_findings', 'fact_unit_coverage', 'fact_finding_summary', 'fact_rectification_timeline', 'fact_finding_closure'] as const) {
    const derived = MARKED_DERIVED.find((d) => d.table === name)!;
    if (!tables.includes(name)) continue;
    await warehouse.command(`TRUNCATE TABLE IF EXISTS ${warehouse.database}.${name}`);
    const rebuild = derived.rebuild('all', 1n);
    await warehouse.command(rebuild.query, rebuild.params);
    await warehouse.command(`TRUNCATE TABLE IF EXISTS ${warehouse.database}.${derived.marks}`);
  }
}

const DERIVED_TABLES: readonly DerivedTable[] = [
  'fact_task_state',
  'fact_finding_summary',
  'fact_open_tasks',
  'fact_open_findings',
  'fact_unit_coverage',
  'fact_rectification_timeline',
  'fact_finding_closure',
];
/** Marks of what incremental runs touched: emptied once a full load is in. */
const DIRTY_TABLES = MARKED_DERIVED.map((d) => d.marks);

/** The database beside the warehouse's where a full run loads its shadow tables. */
export function shadowDatabase(warehouse: Warehouse): string {
  return `${warehouse.database}_full_load`;
}

/**
 * A full load beside the live tables (the sink's beginFull/publishFull): every loaded and
 * derived table is created empty in the shadow database with the live table's structure,
 * loaded and derived there, then exchanged with the live one. EXCHANGE TABLES swaps two
 * tables' names atomically (Atomic databases, chDB and a server alike), so each table
 * answers with its old rows or its new ones; the ~15 pairs go in one EXCHANGE statement,
 * exchanged one after the other inside the engine (microseconds apart), and only then does
 * the generation change (which the response cache keys on). Not on a cluster: there a fact table is a Distributed table over
 * `<table>_local` on every shard, which this does not exchange (see deploy/README.md).
 */
class ShadowLoad {
  private constructor(
    readonly live: Warehouse,
    readonly shadow: Warehouse,
    readonly tables: readonly string[],
  ) {}

  static async open(live: Warehouse, loaded: readonly string[]): Promise<ShadowLoad> {
    const database = shadowDatabase(live);
    // What a killed run left behind.
    await live.command(`DROP DATABASE IF EXISTS ${database} SYNC`);
    const shadow = await live.sibling!(database);
    const tables = [...new Set([...loaded, ...DERIVED_TABLES])];
    try {
      for (const table of tables) await live.command(`CREATE TABLE ${database}.${table} AS ${live.database}.${table}`);
    } catch (error) {
      await shadow.close();
      throw error;
    }
    return new ShadowLoad(live, shadow, tables);
  }

  async publish(): Promise<void> {
    const database = this.shadow.database;
    // One statement for every pair: the engine exchanges them one after the other with no
    // round trip between; the embedded engine runs it with no other statement under way.
    const exchange = `EXCHANGE TABLES ${this.tables.map((table) => `${this.live.database}.${table} AND ${database}.${table}`).join(', ')}`;
    // alone: no statement of this process under way mixes old and new tables (swap-gate.ts)
    if (this.live.commandExclusive) await this.live.commandExclusive(exchange);
    else await this.live.command(exchange);
    for (const table of DIRTY_TABLES) await this.live.command(`TRUNCATE TABLE IF EXISTS ${this.live.database}.${table}`);
    await resetQuarterState(this.live);
    await nextGeneration(this.live);
    await this.close();
    // The old tables, now in the shadow database.
    await this.live.command(`DROP DATABASE IF EXISTS ${database} SYNC`);
  }

  async close(): Promise<void> {
    await this.shadow.close();
  }
}

/** The values of column `name` (default id) of TabSeparated lines. */
function idsOf(columns: readonly string[], lines: readonly string[], name = 'id'): string[] {
  const at = columns.indexOf(name);
  return lines.map((line) => {
    let start = 0;
    for (let i = 0; i < at; i++) start = line.indexOf('\t', start) + 1;
    const end = line.indexOf('\t', start);
    return line.slice(start, end === -1 ? undefined : end);
  });
}

export interface WarehouseSinkOptions {
  /**
   * Whether incremental runs mark the earliest day what they load can affect, which changes
   * the quarter ends' tokens (quarter-state.ts). Only a test turns it off, to show that its
   * check of the quarter-end state notices what the marks prevent.
   */
  quarterMarks?: boolean;
}

/** Records a full run in etl_quarter_change and empties the state built as of quarter ends. */
async function resetQuarterState(warehouse: Warehouse): Promise<void> {
  await warehouse.command(RECORD_FULL_CHANGE);
  for (const table of [...QUARTER_MARK_TABLES, ...QUARTER_STATE_TABLES]) {
    await warehouse.command(`TRUNCATE TABLE IF EXISTS ${warehouse.database}.${table}`);
  }
}

/** The warehouse as the pipeline's sink: TabSeparated lines in one raw INSERT per batch. */
export function warehouseSink(warehouse: Warehouse, options: WarehouseSinkOptions = {}): Sink {
  // A run that reads everything rebuilds every derived table at its end: no need to track what it touched.
  let tracking = true;
  const quarterMarks = options.quarterMarks ?? true;
  // Set from beginFull to publishFull: where the full run loads.
  let shadow: ShadowLoad | null = null;
  const fullLoad = warehouse.sibling !== undefined && !warehouse.cluster;
  const markDirty = async (table: string, columns: readonly string[], lines: readonly string[], when: 'before' | 'after') => {
    if (!tracking || !columns.includes('id')) return;
    const ids = idsOf(columns, lines);
    const taskIds = columns.includes('task_id') ? idsOf(columns, lines, 'task_id') : [];
    const quarter = !quarterMarks ? null : when === 'before' ? buildQuarterMarkBefore(table, ids, taskIds) : buildQuarterMarkAfter(table, ids, taskIds);
    for (const mark of [...MARKED_DERIVED.map((d) => d.mark(table, ids, taskIds)), quarter]) {
      if (mark) await warehouse.command(mark.query, mark.params);
    }
  };
  return {
    begin(readsAll) {
      tracking = !readsAll;
      // A run that fails leaves its shadow load open; the next run does not use it.
      if (shadow) void shadow.close().catch(() => undefined);
      shadow = null;
    },
    ...(fullLoad
      ? {
          async beginFull(tables: readonly string[]) {
            if (shadow) await shadow.close().catch(() => undefined);
            shadow = null;
            shadow = await ShadowLoad.open(warehouse, tables);
          },
          async publishFull() {
            if (!shadow) throw new Error('publishFull without beginFull');
            const load = shadow;
            shadow = null;
            await load.publish();
          },
        }
      : {}),
    async insertTsv(table, columns, lines) {
      if (lines.length === 0) return;
      if (shadow) {
        await shadow.shadow.insertRaw(table, columns, 'TabSeparated', Buffer.from(`${lines.join('\n')}\n`, 'utf8'));
        return;
      }
      // Where the rows were (a row may leave a round), then where they are.
      await markDirty(table, columns, lines, 'before');
      await warehouse.insertRaw(table, columns, 'TabSeparated', Buffer.from(`${lines.join('\n')}\n`, 'utf8'));
      await markDirty(table, columns, lines, 'after');
    },
    async truncate(table) {
      await warehouse.command(`TRUNCATE TABLE IF EXISTS ${warehouse.database}.${table}`);
    },
    async refreshDerived(tasks) {
      if ('all' in tasks && shadow) {
        // In the shadow database; publishFull marks the warehouse changed.
        await rebuildDerived(shadow.shadow, DERIVED_TABLES);
        return;
      }
      if ('all' in tasks) {
        await rebuildDerived(warehouse, DERIVED_TABLES);
        await resetQuarterState(warehouse);
        await nextGeneration(warehouse);
        return;
      }
      for (let i = 0; i < tasks.taskIds.length; i += TASK_STATE_CHUNK) {
        const chunk = tasks.taskIds.slice(i, i + TASK_STATE_CHUNK);
        const rebuild = buildTaskStateRebuild(chunk);
        await warehouse.command(rebuild.query, rebuild.params);
        const open = buildOpenTasksRebuild(chunk);
        await warehouse.command(open.query, open.params);
      }
      for (const derived of MARKED_DERIVED) await refreshMarked(warehouse, derived);
      // Last, once every derived table the quarter-end state is built from is up to date.
      await warehouse.command(RECORD_QUARTER_CHANGE, { latest: quarterEndOnOrBefore(shanghaiToday()) });
      for (const table of QUARTER_MARK_TABLES) await warehouse.command(`TRUNCATE TABLE IF EXISTS ${warehouse.database}.${table}`);
      await nextGeneration(warehouse);
    },
  };
}
