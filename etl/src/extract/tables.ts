/**
 * What the extract reads for each warehouse table: one SELECT over the case records whose
 * columns come out, through COPY's text format, exactly as the warehouse table's
 * TabSeparated input wants them. Facts are denormalized here, by joins in PostgreSQL.
 *
 * A fact's `version` is the highest change sequence of the record and of every row it
 * copies from, so a copy re-emitted because its unit (say) changed replaces the old one.
 * Which records a run reads: on a full run all of them; on an incremental run those
 * written by a transaction at or after the watermark, plus every fact that copies from a
 * row so written (the dependency sets below).
 */

export interface ColumnSpec {
  /** Column of the warehouse table. */
  name: string;
  /** PostgreSQL expression producing its TabSeparated text. */
  sql: string;
}

export interface TableSpec {
  /** Warehouse table. */
  target: string;
  /** Case-record table the rows come from (for reject records). */
  source: string;
  /** Key column of the driving table, as `alias.id`. */
  key: string;
  /** FROM clause with its joins (LEFT joins: a missing reference reaches validation). */
  from: string;
  /** Columns sent to the warehouse, in order. */
  columns: ColumnSpec[];
  /** Columns read only for validation, after the warehouse's. */
  checks: ColumnSpec[];
  /** Name of the dependency set (below) holding the keys to read on an incremental run. */
  changedSet: ChangedSet;
}

export type ChangedSet = 'regions' | 'units' | 'categories' | 'terms' | 'rounds' | 'inspections' | 'findings' | 'tasks' | 'task_events' | 'clues';

const text = (expr: string) => `${expr}::text`;
const flag = (expr: string) => `(${expr})::int`;
const deleted = (...aliases: string[]) => `(${aliases.map((a) => `${a}.deleted_at IS NOT NULL`).join(' OR ')})::int`;
const greatest = (...aliases: string[]) => `GREATEST(${aliases.map((a) => `COALESCE(${a}.change_seq, 0)`).join(', ')})`;
/** The county-level region (县区 or 市本级) of a region row `r`: itself, or a township's parent; 0 for the city. */
const countyOf = (r: string) => `(CASE ${r}.level WHEN 'TOWNSHIP' THEN ${r}.parent_id WHEN 'CITY' THEN 0 ELSE ${r}.id END)`;

const col = (name: string, sql: string): ColumnSpec => ({ name, sql });

/** What a finding's facts copy from its inspection, round, unit, region and category (joined as below, from `f`). */
const FINDING_CONTEXT_JOINS = `
      LEFT JOIN inspections i ON i.id = f.inspection_id
      LEFT JOIN rounds ro ON ro.id = i.round_id
      LEFT JOIN org_units u ON u.id = f.unit_id
      LEFT JOIN regions r ON r.id = u.region_id
      LEFT JOIN issue_categories c ON c.id = f.category_id`;
const FINDING_CONTEXT: ColumnSpec[] = [
  col('inspection_id', 'f.inspection_id'),
  col('unit_id', 'f.unit_id'),
  col('unit_category', text('u.category')),
  col('region_id', 'u.region_id'),
  col('county_id', countyOf('r')),
  col('committee_region_id', 'u.committee_region_id'),
  col('round_id', 'i.round_id'),
  col('term_id', 'ro.term_id'),
  col('round_year', 'ro.year'),
  col('mode', text('i.mode')),
  col('category_id', 'f.category_id'),
  col('category1_id', 'c.parent_id'),
];

export const TABLES: TableSpec[] = [
  {
    target: 'dim_regions',
    source: 'regions',
    key: 'g.id',
    from: 'regions g',
    changedSet: 'regions',
    columns: [
      col('id', 'g.id'),
      col('code', 'g.code'),
      col('name', 'g.name'),
      col('level', text('g.level')),
      col('parent_id', 'COALESCE(g.parent_id, 0)'),
      col('county_id', countyOf('g')),
      col('version', 'g.change_seq'),
      col('is_deleted', deleted('g')),
    ],
    checks: [],
  },
  {
    target: 'dim_units',
    source: 'org_units',
    key: 'u.id',
    from: 'org_units u LEFT JOIN regions r ON r.id = u.region_id',
    changedSet: 'units',
    columns: [
      col('id', 'u.id'),
      col('code', 'u.code'),
      col('name', 'u.name'),
      col('category', text('u.category')),
      col('region_id', 'u.region_id'),
      col('county_id', countyOf('r')),
      col('committee_region_id', 'u.committee_region_id'),
      col('parent_unit_id', 'COALESCE(u.parent_unit_id, 0)'),
      col('valid_from', text('u.valid_from')),
      col('valid_to', text('u.valid_to')),
      col('version', greatest('u', 'r')),
      col('is_deleted', deleted('u')),
    ],
    checks: [col('region_found', flag('r.id IS NOT NULL'))],
  },
  {
    target: 'dim_categories',
    source: 'issue_categories',
    key: 'c.id',
    from: 'issue_categories c',
    changedSet: 'categories',
    columns: [
      col('id', 'c.id'),
      col('code', 'c.code'),
      col('name', 'c.name'),
      col('level', 'c.level'),
      col('parent_id', 'COALESCE(c.parent_id, 0)'),
      col('version', 'c.change_seq'),
      col('is_deleted', deleted('c')),
    ],
    checks: [],
  },
  {
    target: 'dim_terms',
    source: 'terms',
    key: 'te.id',
    from: 'terms te',
    changedSet: 'terms',
    columns: [
      col('id', 'te.id'),
      col('committee_region_id', 'te.committee_region_id'),
      col('ordinal', 'te.ordinal'),
      col('name', 'te.name'),
      col('start_date', text('te.start_date')),
      col('end_date', text('te.end_date')),
      col('version', 'te.change_seq'),
      col('is_deleted', deleted('te')),
    ],
    checks: [],
  },
  {
    target: 'dim_rounds',
    source: 'rounds',
    key: 'ro.id',
    from: 'rounds ro',
    changedSet: 'rounds',
    columns: [
      col('id', 'ro.id'),
      col('term_id', 'ro.term_id'),
      col('ordinal', 'ro.ordinal'),
      col('year', 'ro.year'),
      col('name', 'ro.name'),
      col('start_date', text('ro.start_date')),
      col('end_date', text('ro.end_date')),
      col('version', 'ro.change_seq'),
      col('is_deleted', deleted('ro')),
    ],
    checks: [],
  },
  {
    target: 'fact_inspections',
    source: 'inspections',
    key: 'i.id',
    from: `inspections i
      LEFT JOIN rounds ro ON ro.id = i.round_id
      LEFT JOIN org_units u ON u.id = i.unit_id
      LEFT JOIN regions r ON r.id = u.region_id`,
    changedSet: 'inspections',
    columns: [
      col('id', 'i.id'),
      col('round_id', 'i.round_id'),
      col('term_id', 'ro.term_id'),
      col('round_year', 'ro.year'),
      col('unit_id', 'i.unit_id'),
      col('unit_category', text('u.category')),
      col('region_id', 'u.region_id'),
      col('county_id', countyOf('r')),
      col('committee_region_id', 'u.committee_region_id'),
      col('team', 'i.team'),
      col('mode', text('i.mode')),
      col('is_cross', flag('i.is_cross')),
      col('is_elevated', flag('i.is_elevated')),
      col('stationed_from', text('i.stationed_from')),
      col('stationed_to', text('i.stationed_to')),
      col('feedback_date', text('i.feedback_date')),
      col('version', greatest('i', 'ro', 'u', 'r')),
      col('is_deleted', deleted('i')),
    ],
    checks: [col('unit_found', flag('u.id IS NOT NULL AND r.id IS NOT NULL')), col('round_found', flag('ro.id IS NOT NULL'))],
  },
  {
    target: 'fact_findings',
    source: 'findings',
    key: 'f.id',
    from: `findings f ${FINDING_CONTEXT_JOINS}`,
    changedSet: 'findings',
    columns: [
      col('id', 'f.id'),
      ...FINDING_CONTEXT,
      col('is_immediate', flag('f.is_immediate')),
      col('is_key_concern', flag('f.is_key_concern')),
      col('recurrence_of_id', 'f.recurrence_of_id'),
      col('found_date', text('f.found_date')),
      col('stationed_from', text('i.stationed_from')),
      col('feedback_date', text('i.feedback_date')),
      col('version', greatest('f', 'i', 'ro', 'u', 'r', 'c')),
      col('is_deleted', deleted('f', 'i')),
    ],
    checks: [
      col('unit_found', flag('u.id IS NOT NULL AND r.id IS NOT NULL')),
      col('inspection_found', flag('i.id IS NOT NULL AND ro.id IS NOT NULL')),
      col('category_level', 'COALESCE(c.level, 0)'),
      col('inspection_unit_id', 'i.unit_id'),
      col('description_length', 'char_length(f.description)'),
    ],
  },
  {
    target: 'fact_tasks',
    source: 'rectification_tasks',
    key: 't.id',
    from: `rectification_tasks t LEFT JOIN findings f ON f.id = t.finding_id ${FINDING_CONTEXT_JOINS}`,
    changedSet: 'tasks',
    columns: [
      col('id', 't.id'),
      col('finding_id', 't.finding_id'),
      ...FINDING_CONTEXT,
      col('finding_is_immediate', flag('f.is_immediate')),
      col('track', text('t.track')),
      col('responsible_dept', 't.responsible_dept'),
      col('original_due_date', text('t.original_due_date')),
      col('current_due_date', text('t.current_due_date')),
      col('status', text('t.status')),
      col('closed_date', text('t.closed_date')),
      col('found_date', text('f.found_date')),
      col('feedback_date', text('i.feedback_date')),
      col('version', greatest('t', 'f', 'i', 'ro', 'u', 'r', 'c')),
      col('is_deleted', deleted('t', 'f', 'i')),
    ],
    checks: [
      col('finding_found', flag('f.id IS NOT NULL AND i.id IS NOT NULL AND ro.id IS NOT NULL AND u.id IS NOT NULL AND r.id IS NOT NULL AND c.id IS NOT NULL')),
      col('measure_length', 'char_length(t.measure)'),
    ],
  },
  {
    target: 'fact_task_events',
    source: 'task_events',
    key: 'e.id',
    from: 'task_events e LEFT JOIN rectification_tasks t ON t.id = e.task_id',
    changedSet: 'task_events',
    columns: [
      col('id', 'e.id'),
      col('task_id', 'e.task_id'),
      col('type', text('e.type')),
      col('event_date', text('e.event_date')),
      col('from_status', text('e.from_status')),
      col('to_status', text('e.to_status')),
      col('new_due_date', text('e.new_due_date')),
      col('version', 'e.change_seq'),
      col('is_deleted', deleted('e')),
    ],
    checks: [col('task_found', flag('t.id IS NOT NULL'))],
  },
  {
    target: 'fact_clues',
    source: 'clues',
    key: 'k.id',
    from: `clues k
      LEFT JOIN inspections i ON i.id = k.inspection_id
      LEFT JOIN org_units u ON u.id = i.unit_id
      LEFT JOIN regions r ON r.id = u.region_id`,
    changedSet: 'clues',
    columns: [
      col('id', 'k.id'),
      col('inspection_id', 'k.inspection_id'),
      col('unit_id', 'i.unit_id'),
      col('county_id', countyOf('r')),
      col('handed_to', text('k.handed_to')),
      col('handed_date', text('k.handed_date')),
      col('persons', 'k.persons'),
      col('disposal_status', text('k.disposal_status')),
      col('concluded_date', text('k.concluded_date')),
      col('version', greatest('k', 'i', 'u', 'r')),
      col('is_deleted', deleted('k', 'i')),
    ],
    checks: [col('inspection_found', flag('i.id IS NOT NULL AND u.id IS NOT NULL AND r.id IS NOT NULL'))],
  },
];

/** Renders keys as a PostgreSQL bigint[] literal; each goes through BigInt, so only integers reach the SQL. */
export function bigintArrayLiteral(keys: readonly bigint[]): string {
  return `'{${keys.map((key) => BigInt(key).toString()).join(',')}}'::bigint[]`;
}

function selectList(spec: TableSpec): string {
  return [...spec.columns, ...spec.checks].map((c) => c.sql).join(',\n  ');
}

/**
 * A full run's read of one table: every record, as one COPY that PostgreSQL answers with
 * hash joins in a single pass; the loader batches the stream.
 */
export function buildFullCopy(spec: TableSpec): string {
  return `COPY (SELECT\n  ${selectList(spec)}\nFROM ${spec.from}) TO STDOUT`;
}

/**
 * An incremental run's keyset batch: the records with these keys (a slice of the sorted
 * changed keys), in key order. COPY takes no bind parameters; the keys are rendered by
 * BigInt, so nothing but integers is spliced in.
 */
export function buildKeysCopy(spec: TableSpec, keys: readonly bigint[]): string {
  return `COPY (SELECT\n  ${selectList(spec)}\nFROM ${spec.from}\nWHERE ${spec.key} = ANY(${bigintArrayLiteral(keys)})\nORDER BY ${spec.key}) TO STDOUT`;
}

export function tableSpec(target: string): TableSpec {
  const spec = TABLES.find((t) => t.target === target);
  if (!spec) throw new Error(`no extract spec for ${target}`);
  return spec;
}
