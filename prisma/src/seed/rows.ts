/**
 * The rows of every table in PostgreSQL's binary COPY format (see binary.ts), produced
 * lazily as chunks of about half a megabyte. Values come from the plan and the case
 * simulator; texts from the fixed vocabulary.
 */
import { BinaryRows, utf8 } from './binary';
import { ACTOR_OFFICE, CaseSimulator, EVENT_NAMES, NOTES, STATUS_NAMES, TRACK_NAMES } from './cases';
import { CATEGORY_TREE, LEVEL2 } from './categories';
import { MODE_NAMES, NONE, type Plan } from './plan';
import { Rng } from './random';
import { CLUE_SUMMARIES, DEPARTMENTS, UNIT_CATEGORIES, chineseNumber, personName } from './vocabulary';

/** The columns each table is loaded with, besides change_seq and change_xid. */
export const COLUMNS: Record<string, readonly string[]> = {
  regions: ['id', 'code', 'name', 'level', 'parent_id'],
  terms: ['id', 'committee_region_id', 'ordinal', 'name', 'start_date', 'end_date'],
  org_units: ['id', 'code', 'name', 'category', 'region_id', 'committee_region_id', 'parent_unit_id', 'valid_from', 'valid_to'],
  rounds: ['id', 'term_id', 'ordinal', 'year', 'name', 'start_date', 'end_date'],
  issue_categories: ['id', 'code', 'name', 'level', 'parent_id'],
  inspections: ['id', 'round_id', 'unit_id', 'team', 'mode', 'is_cross', 'is_elevated', 'stationed_from', 'stationed_to', 'feedback_date'],
  clues: ['id', 'inspection_id', 'handed_to', 'handed_date', 'persons', 'summary', 'disposal_status', 'concluded_date'],
  findings: ['id', 'inspection_id', 'unit_id', 'category_id', 'description', 'is_immediate', 'is_key_concern', 'recurrence_of_id', 'found_date'],
  rectification_tasks: [
    'id',
    'finding_id',
    'measure',
    'responsible_dept',
    'responsible_person',
    'track',
    'original_due_date',
    'current_due_date',
    'status',
    'closed_date',
  ],
  task_events: ['id', 'task_id', 'type', 'event_date', 'from_status', 'to_status', 'new_due_date', 'note', 'actor', 'occurred_at'],
};

/** Tables in load order (parents before children). */
export const TABLES = Object.keys(COLUMNS);

/** The change-capture columns at the end of each row, when the loader fills them. */
export interface Capture {
  /** 2 when change_seq and change_xid are written, 0 when the triggers set them. */
  fields: number;
  write(rows: BinaryRows): void;
}

export type ChunkSource = Generator<Buffer, void, void>;

const enumLabels = (labels: readonly string[]) => labels.map(utf8);
const MODES = enumLabels(MODE_NAMES);
const STATUSES = enumLabels(STATUS_NAMES);
const EVENTS = enumLabels(EVENT_NAMES);
const TRACKS = enumLabels(TRACK_NAMES);
const UNIT_CATEGORY_LABELS = enumLabels(UNIT_CATEGORIES);
const NOTE_BYTES = NOTES.map(utf8);
const TEAMS = Array.from({ length: 13 }, (_, i) => utf8(`第${chineseNumber(i)}巡察组`));
/** Level-2 descriptions; one with "#" becomes [before, after] so that a number goes in between. */
const DESCRIPTIONS: string[][][] = LEVEL2.map((c) => c.descriptions.map((text) => text.split('#')));
/** Plausible ranges for the number, by the word that follows it (万元, 次, 户 …). */
const AMOUNT_RANGES: Record<string, [number, number]> = {
  万: [2, 80],
  元: [200, 6000],
  次: [2, 30],
  个: [2, 12],
  项: [2, 15],
  户: [3, 150],
  人: [2, 25],
  处: [2, 12],
  笔: [3, 60],
  年: [1, 3],
  名: [1, 8],
  份: [2, 30],
  件: [2, 15],
};
const DESCRIPTION_RANGES: [number, number][][] = DESCRIPTIONS.map((texts) =>
  texts.map((parts) => {
    if (parts.length === 1) return [0, 0];
    const range = AMOUNT_RANGES[parts[1].charAt(0)];
    if (!range) throw new Error(`no number range for "${parts.join('#')}"`);
    return range;
  }),
);
const DESCRIPTION_BYTES: Buffer[][] = LEVEL2.map((c) => c.descriptions.map(utf8));
const MEASURES: Buffer[][] = CATEGORY_TREE.map((c) => c.measures.map(utf8));
const DEPARTMENT_LISTS: Buffer[][] = UNIT_CATEGORIES.map((c) => DEPARTMENTS[c].map(utf8));
const LEVEL2_ID_BASE = CATEGORY_TREE.length + 1; // level-1 categories take ids 1..5
/** Minutes after midnight of events' times: office hours from 08:30. */
const FIRST_MINUTE = 8 * 60 + 30;

/** Yields the rows of one table in chunks; `counter.rows` counts the rows produced so far. */
export function rowsOf(table: string, plan: Plan, sim: CaseSimulator, seed: number, capture: Capture, counter: { rows: number }): ChunkSource {
  const w = new BinaryRows();
  const fields = COLUMNS[table].length + capture.fields;
  switch (table) {
    case 'regions':
      return each(w, counter, plan.regions.length, (i) => {
        const r = plan.regions[i];
        w.row(fields);
        w.int4(r.id);
        w.text(r.code);
        w.text(r.name);
        w.bytes(utf8(r.level));
        w.int4OrNull(r.parentId ?? NONE, NONE);
        capture.write(w);
      });
    case 'terms':
      return each(w, counter, plan.terms.length, (i) => {
        const t = plan.terms[i];
        w.row(fields);
        w.int4(t.id);
        w.int4(t.committeeRegionId);
        w.int4(t.ordinal);
        w.text(t.name);
        w.date(t.start);
        w.date(t.end);
        capture.write(w);
      });
    case 'rounds':
      return each(w, counter, plan.rounds.length, (i) => {
        const r = plan.rounds[i];
        w.row(fields);
        w.int4(r.id);
        w.int4(r.termId);
        w.int4(r.ordinal);
        w.int4(r.year);
        w.text(r.name);
        w.date(r.start);
        w.date(r.end);
        capture.write(w);
      });
    case 'issue_categories': {
      const level1 = CATEGORY_TREE.length;
      return each(w, counter, level1 + LEVEL2.length, (i) => {
        w.row(fields);
        if (i < level1) {
          const c = CATEGORY_TREE[i];
          w.int4(i + 1);
          w.text(c.code);
          w.text(c.name);
          w.int4(1);
          w.null();
        } else {
          const c = LEVEL2[i - level1];
          w.int4(LEVEL2_ID_BASE + i - level1);
          w.text(c.code);
          w.text(c.name);
          w.int4(2);
          w.int4(c.level1 + 1);
        }
        capture.write(w);
      });
    }
    case 'org_units': {
      const u = plan.units;
      const committeeRegion = plan.committees.map((c) => c.regionId);
      return each(w, counter, u.count, (i) => {
        const id = i + 1;
        w.row(fields);
        w.int4(id);
        w.text(u.codes[id]);
        w.text(u.names[id]);
        w.bytes(UNIT_CATEGORY_LABELS[u.category[id]]);
        w.int4(u.regionId[id]);
        w.int4(committeeRegion[u.committee[id]]);
        w.int4OrNull(u.parent[id], 0);
        w.date(u.validFrom[id]);
        w.dateOrNull(u.validTo[id], NONE);
        capture.write(w);
      });
    }
    case 'inspections': {
      const ins = plan.inspections;
      return each(w, counter, ins.count, (k) => {
        const i = k + 1;
        w.row(fields);
        w.int4(i);
        w.int4(plan.rounds[ins.round[i]].id);
        w.int4(ins.unit[i]);
        w.bytes(TEAMS[ins.team[i]]);
        w.bytes(MODES[ins.mode[i]]);
        w.bool(ins.cross[i]);
        w.bool(ins.elevated[i]);
        w.date(ins.from[i]);
        w.dateOrNull(ins.to[i], NONE);
        w.dateOrNull(ins.feedback[i], NONE);
        capture.write(w);
      });
    }
    case 'clues':
      return clues(w, fields, plan, seed, capture, counter);
    case 'findings':
    case 'rectification_tasks':
    case 'task_events':
      return cases(w, fields, table, plan, sim, capture, counter);
    default:
      throw new Error(`unknown table ${table}`);
  }
}

function* each(w: BinaryRows, counter: { rows: number }, count: number, write: (index: number) => void): ChunkSource {
  for (let i = 0; i < count; i++) {
    write(i);
    counter.rows++;
    if (w.full) yield w.take();
  }
  if (!w.empty) yield w.take();
}

const RECIPIENTS = ['DISCIPLINE', 'ORGANIZATION', 'OTHER'] as const;
const RECIPIENT_LABELS = enumLabels(RECIPIENTS);
const CLUE_STATUS = { PENDING: utf8('PENDING'), IN_PROGRESS: utf8('IN_PROGRESS'), CONCLUDED: utf8('CONCLUDED') };
const CLUE_TEXTS = RECIPIENTS.map((r) => CLUE_SUMMARIES[r].map(utf8));

/** 问题线索: about one inspection in eight hands one or two over. */
function* clues(w: BinaryRows, fields: number, plan: Plan, seed: number, capture: Capture, counter: { rows: number }): ChunkSource {
  const rng = new Rng(seed, 'clues');
  const ins = plan.inspections;
  const today = plan.today;
  let id = 0;
  for (let i = 1; i <= ins.count; i++) {
    if (!rng.chance(0.12)) continue;
    const n = rng.chance(0.25) ? 2 : 1;
    for (let k = 0; k < n; k++) {
      const x = rng.next();
      const recipient = x < 0.7 ? 0 : x < 0.94 ? 1 : 2;
      const summaries = CLUE_TEXTS[recipient];
      const summary = summaries[rng.int(0, summaries.length - 1)];
      const latest = Math.min(today, ins.feedback[i] === NONE ? today : ins.feedback[i]);
      const handed = Math.min(latest, ins.from[i] + rng.int(7, 60));
      const persons = recipient === 0 ? rng.int(1, 4) : rng.int(1, 2);
      const age = today - handed;
      let status = CLUE_STATUS.PENDING;
      let concluded = NONE;
      const u = rng.next();
      const v = rng.int(0, 10_000);
      if (age > 30 && u < Math.min(0.95, age / 400)) {
        status = CLUE_STATUS.CONCLUDED;
        concluded = handed + 30 + (v % Math.max(1, Math.min(age - 30, 400)));
      } else if (age > 20 || u < 0.5) {
        status = CLUE_STATUS.IN_PROGRESS;
      }
      w.row(fields);
      w.int4(++id);
      w.int4(i);
      w.bytes(RECIPIENT_LABELS[recipient]);
      w.date(handed);
      w.int4(persons);
      w.bytes(summary);
      w.bytes(status);
      w.dateOrNull(concluded, NONE);
      capture.write(w);
      counter.rows++;
    }
    if (w.full) yield w.take();
  }
  if (!w.empty) yield w.take();
}

/** One pass of the case simulation, emitting only `table`'s rows. */
function* cases(w: BinaryRows, fields: number, table: string, plan: Plan, sim: CaseSimulator, capture: Capture, counter: { rows: number }): ChunkSource {
  sim.reset();
  const ins = plan.inspections;
  const units = plan.units;
  const offices = plan.committees.map((c) => [0, 1, 2].map((k) => utf8(`${c.shortName}巡察办 ${personName(c.index * 7919 + k * 104729 + 17)}`)));
  for (let i = 1; i <= ins.count; i++) {
    sim.simulate(i);
    const unit = ins.unit[i];
    if (table === 'findings') {
      for (let f = 0; f < sim.fCount; f++) {
        const cat = sim.fCat[f];
        const parts = DESCRIPTIONS[cat][sim.fDesc[f]];
        w.row(fields);
        w.int8(sim.fId[f]);
        w.int4(i);
        w.int4(unit);
        w.int4(LEVEL2_ID_BASE + cat);
        if (parts.length === 1) w.bytes(DESCRIPTION_BYTES[cat][sim.fDesc[f]]);
        else {
          const [low, high] = DESCRIPTION_RANGES[cat][sim.fDesc[f]];
          w.text(parts[0] + (low + (sim.fAmount[f] % (high - low + 1))) + parts[1]);
        }
        w.bool(sim.fImmediate[f]);
        w.bool(sim.fKey[f]);
        if (sim.fRecurrence[f] === 0) w.null();
        else w.int8(sim.fRecurrence[f]);
        w.date(sim.fFound[f]);
        capture.write(w);
      }
      counter.rows += sim.fCount;
    } else if (table === 'rectification_tasks') {
      const departments = DEPARTMENT_LISTS[units.category[unit]];
      for (let t = 0; t < sim.tCount; t++) {
        const f = sim.tFinding[t];
        w.row(fields);
        w.int8(sim.tId[t]);
        w.int8(sim.fId[f]);
        w.bytes(MEASURES[LEVEL2[sim.fCat[f]].level1][sim.tMeasure[t]]);
        w.bytes(departments[sim.tDept[t]]);
        w.text(personName(sim.tPerson[t]));
        w.bytes(TRACKS[sim.tTrack[t]]);
        w.dateOrNull(sim.tOriginal[t], NONE);
        w.dateOrNull(sim.tCurrent[t], NONE);
        w.bytes(STATUSES[sim.tStatus[t]]);
        w.dateOrNull(sim.tClosed[t], NONE);
        capture.write(w);
      }
      counter.rows += sim.tCount;
    } else {
      const office = offices[units.committee[unit]];
      for (let e = 0; e < sim.eCount; e++) {
        const t = sim.eTask[e];
        const from = sim.eFrom[e];
        const to = sim.eTo[e];
        const note = sim.eNote[e];
        w.row(fields);
        w.int8(sim.eId[e]);
        w.int8(sim.tId[t]);
        w.bytes(EVENTS[sim.eType[e]]);
        w.date(sim.eDate[e]);
        if (from === NONE) w.null();
        else w.bytes(STATUSES[from]);
        if (to === NONE) w.null();
        else w.bytes(STATUSES[to]);
        w.dateOrNull(sim.eNewDue[e], NONE);
        if (note === NONE) w.null();
        else w.bytes(NOTE_BYTES[note]);
        if (sim.eActor[e] === ACTOR_OFFICE) w.bytes(office[sim.eOffice[e]]);
        else w.text(personName(sim.tPerson[t]));
        w.shanghaiTime(sim.eDate[e], FIRST_MINUTE + sim.eMinute[e]);
        capture.write(w);
      }
      counter.rows += sim.eCount;
    }
    if (w.full) yield w.take();
  }
  if (!w.empty) yield w.take();
}
