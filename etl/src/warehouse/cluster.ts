import { WarehouseError } from './errors';
import { splitStatements, tokenize, type Token } from './sql-text';

/**
 * Cluster mode: the warehouse migrations are written for one node, and this rewrites their
 * DDL for a ClickHouse cluster (`CLICKHOUSE_CLUSTER`):
 *
 * - CREATE / ALTER / DROP / TRUNCATE / RENAME get `ON CLUSTER '<cluster>'`;
 * - a fact table (`fact_*`) of the MergeTree family becomes `<name>_local` with the
 *   Replicated engine (`ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/{table}',
 *   '{replica}', version, is_deleted)`), and a Distributed table takes its place under
 *   `<name>`, so queries and inserts keep using the one name. Rows are sharded by a hash of
 *   the sorting key: the rows a ReplacingMergeTree deduplicates (same sorting key) land on
 *   the same shard, so `FINAL` still sees every version of a record together;
 * - any other MergeTree-family table (dimensions, small lookups) keeps its name and becomes
 *   Replicated without `{shard}` in its path: a full copy on every node, so that a fact
 *   query running on each shard joins it locally;
 * - a materialized view's own MergeTree engine becomes Replicated (no Distributed);
 * - anything else (INSERT, SELECT, OPTIMIZE, SYSTEM, ...) passes unchanged.
 *
 * Not handled (throws or passes through as written): an ALTER of a table that was split
 * into `<name>_local` + `<name>` must be written for both tables; mutations (ALTER ...
 * DELETE/UPDATE) must name `<name>_local`.
 */

const MERGE_TREE = /^(Replacing|Summing|Aggregating|Collapsing|VersionedCollapsing|Graphite|Coalescing)?MergeTree$/;
const TABLE_CLAUSES = new Set(['PARTITION', 'PRIMARY', 'SAMPLE', 'TTL', 'SETTINGS', 'COMMENT', 'AS']);
const CLUSTER_NAME = /^[A-Za-z0-9_.{}-]+$/;

/** Replication path of a sharded table (one copy per shard) and of a table copied to every node. */
export const SHARDED_REPLICA = "'/clickhouse/tables/{shard}/{database}/{table}', '{replica}'";
export const EVERY_NODE_REPLICA = "'/clickhouse/tables/all/{database}/{table}', '{replica}'";

const FACT_TABLE = /^fact_/;

export interface ClusterizeOptions {
  /** The database the statements run in, named in the Distributed engine (default: `currentDatabase()`). */
  database?: string;
  /** Which tables are sharded behind a Distributed table (default: names starting with `fact_`). */
  isFactTable?: (table: string) => boolean;
}

/** `ON CLUSTER '<cluster>'`, with the name checked. */
export function onCluster(cluster: string): string {
  if (!CLUSTER_NAME.test(cluster)) {
    throw new WarehouseError(`invalid cluster name ${JSON.stringify(cluster)}: expected letters, digits, _ . - or a {macro}`);
  }
  return `ON CLUSTER '${cluster}'`;
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

function applyEdits(sql: string, edits: Edit[]): string {
  let out = sql;
  for (const edit of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  return out;
}

/** The significant tokens of one statement (no spaces or comments), with paren depth. */
class Statement {
  readonly tokens: (Token & { depth: number })[] = [];

  constructor(readonly sql: string) {
    let depth = 0;
    for (const token of tokenize(sql)) {
      if (token.kind === 'space' || token.kind === 'comment') continue;
      if (token.text === ')') depth--;
      this.tokens.push({ ...token, depth });
      if (token.text === '(') depth++;
    }
  }

  word(i: number): string | undefined {
    const token = this.tokens[i];
    return token?.kind === 'word' ? token.text.toUpperCase() : undefined;
  }

  words(i: number, ...expected: string[]): boolean {
    return expected.every((word, k) => this.word(i + k) === word);
  }

  /** Index of the `)` closing the `(` at index `open`. */
  closing(open: number): number {
    const depth = this.tokens[open].depth;
    for (let i = open + 1; i < this.tokens.length; i++) if (this.tokens[i].text === ')' && this.tokens[i].depth === depth) return i;
    throw new WarehouseError(`unbalanced parentheses in: ${this.sql.slice(0, 80)}`);
  }

  /** First index at or after `from` of a top-level word. */
  find(from: number, word: string): number {
    for (let i = from; i < this.tokens.length; i++) if (this.tokens[i].depth === 0 && this.word(i) === word) return i;
    return -1;
  }
}

interface Name {
  /** Index of the first and last token of the (possibly qualified) name. */
  first: number;
  last: number;
  database?: string;
  table: string;
  /** The table name token as written (quoted or not). */
  tableToken: Token;
}

function unquote(token: Token): string {
  return token.kind === 'quoted' ? token.text.slice(1, -1).replace(/\\(.)/g, '$1') : token.text;
}

function readName(st: Statement, i: number): Name {
  const first = st.tokens[i];
  if (!first || (first.kind !== 'word' && first.kind !== 'quoted')) {
    throw new WarehouseError(`expected a name at "${st.sql.slice(first?.start ?? st.sql.length, (first?.start ?? st.sql.length) + 40)}"`);
  }
  if (st.tokens[i + 1]?.text === '.') {
    const table = st.tokens[i + 2];
    return { first: i, last: i + 2, database: unquote(first), table: unquote(table), tableToken: table };
  }
  return { first: i, last: i, table: unquote(first), tableToken: first };
}

function renamed(token: Token, suffix: string): string {
  return token.kind === 'quoted' ? `${token.text[0]}${unquote(token)}${suffix}${token.text[0]}` : `${token.text}${suffix}`;
}

/** Replaces a MergeTree-family engine by its Replicated form; returns the engine's edit or undefined. */
function replicatedEngine(st: Statement, from: number, replica: string): Edit | undefined {
  let i = st.find(from, 'ENGINE');
  if (i === -1) return undefined;
  i++;
  if (st.tokens[i]?.text === '=') i++;
  const engine = st.tokens[i];
  if (!engine || engine.kind !== 'word' || !MERGE_TREE.test(engine.text)) return undefined;
  let args = '';
  let end = engine.end;
  if (st.tokens[i + 1]?.text === '(') {
    const close = st.closing(i + 1);
    args = st.sql.slice(st.tokens[i + 1].end, st.tokens[close].start).trim();
    end = st.tokens[close].end;
  }
  return { start: engine.start, end, text: `Replicated${engine.text}(${replica}${args ? `, ${args}` : ''})` };
}

/** The sharding key for a table: a hash of its sorting key (ORDER BY). */
function shardingKey(st: Statement, from: number): string {
  const order = st.find(from, 'ORDER');
  if (order === -1 || st.word(order + 1) !== 'BY') {
    throw new WarehouseError(`a MergeTree table needs ORDER BY to be sharded on a cluster: ${st.sql.slice(0, 80)}`);
  }
  let stop = order + 2;
  while (stop < st.tokens.length && !(st.tokens[stop].depth === 0 && TABLE_CLAUSES.has(st.word(stop) ?? ''))) stop++;
  const firstKey = order + 2;
  const lastKey = stop - 1;
  let key = st.sql.slice(st.tokens[firstKey].start, st.tokens[lastKey].end).trim();
  if (st.tokens[firstKey].text === '(' && st.closing(firstKey) === lastKey) {
    key = st.sql.slice(st.tokens[firstKey].end, st.tokens[lastKey].start).trim();
  }
  if (key === '' || /^tuple\s*\(\s*\)$/i.test(key)) return 'rand()';
  return `cityHash64(${key})`;
}

function clusterizeCreate(st: Statement, cluster: string, options: ClusterizeOptions): string[] {
  let i = 1;
  if (st.words(i, 'OR', 'REPLACE')) i += 2;
  if (st.word(i) === 'TEMPORARY') return [st.sql]; // lives in one session on one node
  let kind = st.word(i);
  if (kind === 'MATERIALIZED' || kind === 'LIVE' || kind === 'WINDOW') {
    i++;
    kind = `MATERIALIZED ${st.word(i)}`;
  }
  if (!['DATABASE', 'TABLE', 'VIEW', 'MATERIALIZED VIEW', 'DICTIONARY', 'FUNCTION'].includes(kind ?? '')) {
    throw new WarehouseError(`clusterizeDdl does not know how to run on a cluster: ${st.sql.slice(0, 80)}`);
  }
  i++;
  const ifNotExists = st.words(i, 'IF', 'NOT', 'EXISTS');
  if (ifNotExists) i += 3;
  const name = readName(st, i);
  if (st.word(name.last + 1) === 'ON' && st.word(name.last + 2) === 'CLUSTER') return [st.sql];

  const on = onCluster(cluster);
  const nameEnd = st.tokens[name.last].end;
  const edits: Edit[] = [{ start: nameEnd, end: nameEnd, text: ` ${on}` }];
  if (kind !== 'TABLE' && kind !== 'MATERIALIZED VIEW') return [applyEdits(st.sql, edits)];

  const sharded = kind === 'TABLE' && (options.isFactTable ?? ((table: string) => FACT_TABLE.test(table)))(name.table);
  const engine = replicatedEngine(st, name.last + 1, sharded || kind === 'MATERIALIZED VIEW' ? SHARDED_REPLICA : EVERY_NODE_REPLICA);
  if (!engine) return [applyEdits(st.sql, edits)];
  edits.push(engine);
  if (!sharded) return [applyEdits(st.sql, edits)];

  // A MergeTree table: the replicated table becomes <name>_local, a Distributed table takes <name>.
  const key = shardingKey(st, name.last + 1);
  edits.push({ start: name.tableToken.start, end: name.tableToken.end, text: renamed(name.tableToken, '_local') });
  const prefix = st.sql.slice(st.tokens[0].start, st.tokens[name.first].start);
  const fullName = st.sql.slice(st.tokens[name.first].start, nameEnd);
  const localName = st.sql.slice(st.tokens[name.first].start, name.tableToken.start) + renamed(name.tableToken, '_local');
  const database = name.database ?? options.database;
  const databaseArgument = database === undefined ? 'currentDatabase()' : `'${database.replace(/['\\]/g, '\\$&')}'`;
  const distributed =
    `${prefix}${fullName} ${on} AS ${localName}\n` +
    `ENGINE = Distributed('${cluster}', ${databaseArgument}, '${`${name.table}_local`.replace(/['\\]/g, '\\$&')}', ${key})`;
  return [applyEdits(st.sql, edits), distributed];
}

/** Rewrites one statement or a script of them for a cluster; returns the statements to run, in order. */
export function clusterizeDdl(sql: string, cluster: string, options: ClusterizeOptions = {}): string[] {
  onCluster(cluster);
  const out: string[] = [];
  for (const statement of splitStatements(sql)) {
    const st = new Statement(statement);
    const first = st.word(0);
    const on = onCluster(cluster);
    if (first === 'CREATE') {
      out.push(...clusterizeCreate(st, cluster, options));
    } else if (first === 'ALTER' || first === 'DROP' || first === 'TRUNCATE') {
      let i = 1;
      if (first === 'DROP' && st.word(i) === 'TEMPORARY') {
        out.push(statement);
        continue;
      }
      const kind = st.word(i);
      if (['TABLE', 'DATABASE', 'VIEW', 'DICTIONARY', 'FUNCTION'].includes(kind ?? '')) {
        i++;
      } else if (first !== 'TRUNCATE') {
        throw new WarehouseError(`clusterizeDdl does not know how to run on a cluster: ${statement.slice(0, 80)}`);
      }
      if (st.words(i, 'IF', 'EXISTS')) i += 2;
      const name = readName(st, i);
      if (st.word(name.last + 1) === 'ON' && st.word(name.last + 2) === 'CLUSTER') {
        out.push(statement);
        continue;
      }
      const end = st.tokens[name.last].end;
      out.push(applyEdits(statement, [{ start: end, end, text: ` ${on}` }]));
    } else if (first === 'RENAME' || first === 'EXCHANGE') {
      out.push(st.find(1, 'ON') !== -1 && st.find(1, 'CLUSTER') !== -1 ? statement : `${statement} ${on}`);
    } else {
      out.push(statement);
    }
  }
  return out;
}
