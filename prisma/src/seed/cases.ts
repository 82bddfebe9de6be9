/**
 * Findings, rectification tasks and task events, simulated one inspection at a time in
 * the order of stationing. Everything an inspection produces lands in reusable scratch
 * buffers; the loader formats the rows of one table from them. The loader runs the whole
 * simulation once per table (findings, tasks, events: each is its own COPY), and because
 * the simulation only depends on the seed, every pass yields the same records.
 *
 * Task lifecycles are simulated in full (possibly beyond `today`) and then cut at today:
 * the events on or before today are kept, and the task's status, closed date and current
 * due date are read off the kept events, so the events always explain the task.
 */
import { categoryWeights, CATEGORY_TREE, LEVEL2 } from './categories';
import type { Plan } from './plan';
import { NONE } from './plan';
import { cumulative, Rng } from './random';
import {
  DEPARTMENTS,
  ESCALATION_NOTES,
  EXTENSION_REASONS,
  NOTE_BASICALLY_DONE,
  NOTE_NOT_DONE,
  NOTE_REJECTED,
  PROGRESS_NOTES,
  UNIT_CATEGORIES,
} from './vocabulary';

export const STATUS = { NOT_STARTED: 0, IN_PROGRESS: 1, CLOSE_REQUESTED: 2, CLOSED: 3, BASICALLY_DONE: 4, NOT_DONE: 5 } as const;
export const STATUS_NAMES = ['NOT_STARTED', 'IN_PROGRESS', 'CLOSE_REQUESTED', 'CLOSED', 'BASICALLY_DONE', 'NOT_DONE'] as const;
export const EVENT = { CREATED: 0, STATUS_CHANGE: 1, EXTENSION: 2, PROGRESS_NOTE: 3, ESCALATION: 4 } as const;
export const EVENT_NAMES = ['CREATED', 'STATUS_CHANGE', 'EXTENSION', 'PROGRESS_NOTE', 'ESCALATION'] as const;
export const TRACK = { IMMEDIATE: 0, DEADLINE: 1, LONG_TERM: 2 } as const;
export const TRACK_NAMES = ['IMMEDIATE', 'DEADLINE', 'LONG_TERM'] as const;

/** All event notes in one list; events refer to them by index (NONE: no note). */
export const NOTES: readonly string[] = [...EXTENSION_REASONS, ...PROGRESS_NOTES, ...ESCALATION_NOTES, NOTE_REJECTED, NOTE_BASICALLY_DONE, NOTE_NOT_DONE];
const NOTE_EXTENSION = 0;
const NOTE_PROGRESS = EXTENSION_REASONS.length;
const NOTE_ESCALATION = NOTE_PROGRESS + PROGRESS_NOTES.length;
const NOTE_REJECT = NOTE_ESCALATION + ESCALATION_NOTES.length;
const NOTE_BD = NOTE_REJECT + 1;
const NOTE_ND = NOTE_REJECT + 2;

/** Who wrote an event: the inspection office of the committee, or the task's responsible person. */
export const ACTOR_OFFICE = 0;
export const ACTOR_RESPONSIBLE = 1;

const MAX_FINDINGS = 15;
const MAX_TASKS = MAX_FINDINGS * 3;
const MAX_EVENTS_PER_TASK = 16;
const MAX_EVENTS = MAX_TASKS * MAX_EVENTS_PER_TASK;
const POOL = 6; // earlier findings remembered per unit, for recurrences
const NEVER = 0x7fffffff;
const MINUTES_PER_DAY = 540; // office hours, 08:30 to 17:30

export class CaseSimulator {
  private rng!: Rng;
  private readonly categoryCumulative: Float64Array[];
  private readonly findingsP: number;
  private poolSeen!: Int32Array;
  private poolId!: Float64Array;
  private poolCat!: Uint8Array;
  private poolFound!: Int32Array;
  private poolClosed!: Int32Array;

  nextFindingId = 1;
  nextTaskId = 1;
  nextEventId = 1;

  // findings of the current inspection
  fCount = 0;
  readonly fId = new Float64Array(MAX_FINDINGS);
  readonly fFound = new Int32Array(MAX_FINDINGS);
  readonly fCat = new Uint8Array(MAX_FINDINGS);
  readonly fImmediate = new Uint8Array(MAX_FINDINGS);
  readonly fKey = new Uint8Array(MAX_FINDINGS);
  readonly fRecurrence = new Float64Array(MAX_FINDINGS); // 0: none
  readonly fDesc = new Uint8Array(MAX_FINDINGS);
  readonly fAmount = new Int32Array(MAX_FINDINGS); // the number in the description, before scaling
  readonly fClosed = new Int32Array(MAX_FINDINGS); // day all its tasks were closed, NEVER if not

  // tasks of the current inspection
  tCount = 0;
  readonly tId = new Float64Array(MAX_TASKS);
  readonly tFinding = new Uint8Array(MAX_TASKS); // index into the findings above
  readonly tTrack = new Uint8Array(MAX_TASKS);
  readonly tOriginal = new Int32Array(MAX_TASKS);
  readonly tCurrent = new Int32Array(MAX_TASKS);
  readonly tStatus = new Uint8Array(MAX_TASKS);
  readonly tClosed = new Int32Array(MAX_TASKS);
  readonly tMeasure = new Uint8Array(MAX_TASKS);
  readonly tDept = new Uint8Array(MAX_TASKS);
  readonly tPerson = new Int32Array(MAX_TASKS);

  // events of the current inspection, grouped by task, in date order within a task
  eCount = 0;
  readonly eId = new Float64Array(MAX_EVENTS);
  readonly eTask = new Uint8Array(MAX_EVENTS); // index into the tasks above
  readonly eType = new Uint8Array(MAX_EVENTS);
  readonly eDate = new Int32Array(MAX_EVENTS);
  readonly eFrom = new Int8Array(MAX_EVENTS);
  readonly eTo = new Int8Array(MAX_EVENTS);
  readonly eNewDue = new Int32Array(MAX_EVENTS);
  readonly eNote = new Int16Array(MAX_EVENTS);
  readonly eActor = new Uint8Array(MAX_EVENTS);
  readonly eOffice = new Uint8Array(MAX_EVENTS); // which of the office's staff
  readonly eMinute = new Int16Array(MAX_EVENTS); // minutes after 08:30, at most MINUTES_PER_DAY

  // one task's events before sorting and cutting at today
  private readonly xType = new Uint8Array(MAX_EVENTS_PER_TASK);
  private readonly xDate = new Int32Array(MAX_EVENTS_PER_TASK);
  private readonly xFrom = new Int8Array(MAX_EVENTS_PER_TASK);
  private readonly xTo = new Int8Array(MAX_EVENTS_PER_TASK);
  private readonly xNewDue = new Int32Array(MAX_EVENTS_PER_TASK);
  private readonly xNote = new Int16Array(MAX_EVENTS_PER_TASK);
  private readonly xActor = new Uint8Array(MAX_EVENTS_PER_TASK);
  private readonly xOrder = new Uint8Array(MAX_EVENTS_PER_TASK);
  private xCount = 0;

  constructor(
    private readonly plan: Plan,
    private readonly seed: number,
  ) {
    this.categoryCumulative = UNIT_CATEGORIES.map((category) => cumulative(categoryWeights(category)));
    // findings per inspection: 5 + Binomial(10, p), p chosen so the total meets the scale
    const mean = plan.targetFindings / Math.max(1, plan.inspections.count);
    this.findingsP = Math.min(0.97, Math.max(0.03, (mean - 5) / 10));
    this.reset();
  }

  /** Back to the start: the next pass yields the same records again. */
  reset(): void {
    this.rng = new Rng(this.seed, 'cases');
    const units = this.plan.units.count + 1;
    if (this.poolSeen === undefined) {
      this.poolSeen = new Int32Array(units);
      this.poolId = new Float64Array(units * POOL);
      this.poolCat = new Uint8Array(units * POOL);
      this.poolFound = new Int32Array(units * POOL);
      this.poolClosed = new Int32Array(units * POOL);
    } else {
      this.poolSeen.fill(0); // the only one read before written: slots beyond a unit's count are never read
    }
    this.nextFindingId = 1;
    this.nextTaskId = 1;
    this.nextEventId = 1;
  }

  /** Simulates inspection `i` (ids in order, each exactly once per pass). */
  simulate(i: number): void {
    const { rng, plan } = this;
    const ins = plan.inspections;
    const today = plan.today;
    const unit = ins.unit[i];
    const unitCategory = plan.units.category[unit];
    const from = ins.from[i];
    const lastFound = ins.to[i] === NONE ? today : Math.min(ins.to[i], today);
    const feedback = ins.feedback[i];

    this.fCount = 5 + rng.binomial(10, this.findingsP);
    this.tCount = 0;
    this.eCount = 0;
    const seen = this.poolSeen[unit];
    const base = unit * POOL;

    for (let f = 0; f < this.fCount; f++) {
      this.fId[f] = this.nextFindingId++;
      const found = from + rng.int(0, lastFound - from);
      this.fFound[f] = found;
      const immediate = rng.chance(0.15);
      this.fImmediate[f] = immediate ? 1 : 0;
      this.fKey[f] = rng.chance(0.08) ? 1 : 0;
      this.fRecurrence[f] = 0;
      if (seen > 0 && rng.chance(0.22)) {
        // the same problem again (屡改屡犯); link it to the earlier finding some of the time
        const slot = base + rng.int(0, Math.min(seen, POOL) - 1);
        this.fCat[f] = this.poolCat[slot];
        const reopened = this.poolClosed[slot] < found;
        if (this.poolFound[slot] < found && rng.chance(reopened ? 0.6 : 0.2)) this.fRecurrence[f] = this.poolId[slot];
      } else {
        this.fCat[f] = rng.weighted(this.categoryCumulative[unitCategory]);
      }
      this.fDesc[f] = rng.int(0, LEVEL2[this.fCat[f]].descriptions.length - 1);
      this.fAmount[f] = rng.int(0, 999_999); // scaled to the description's unit when written
      this.fClosed[f] = feedback === NONE ? NEVER : this.simulateTasks(f, feedback, immediate, unitCategory);
    }

    // remember this inspection's findings for the unit's later inspections (reservoir sample)
    let count = seen;
    for (let f = 0; f < this.fCount; f++) {
      count++;
      const slot = count <= POOL ? count - 1 : rng.int(0, count - 1);
      if (slot < POOL) {
        this.poolId[base + slot] = this.fId[f];
        this.poolCat[base + slot] = this.fCat[f];
        this.poolFound[base + slot] = this.fFound[f];
        this.poolClosed[base + slot] = this.fClosed[f];
      }
    }
    this.poolSeen[unit] = count;
  }

  /** The tasks of finding f; returns the day its last task was closed, NEVER if one is open. */
  private simulateTasks(f: number, feedback: number, immediate: boolean, unitCategory: number): number {
    const { rng } = this;
    const x = rng.next();
    const tasks = x < 0.1 ? 3 : x < 0.35 ? 2 : 1;
    const level1 = LEVEL2[this.fCat[f]].level1;
    const measures = CATEGORY_TREE[level1].measures.length;
    const departments = DEPARTMENTS[UNIT_CATEGORIES[unitCategory]].length;
    let closedAll = 0;
    for (let k = 0; k < tasks; k++) {
      const t = this.tCount++;
      this.tId[t] = this.nextTaskId++;
      this.tFinding[t] = f;
      this.tMeasure[t] = rng.int(0, measures - 1);
      this.tDept[t] = rng.int(0, departments - 1);
      this.tPerson[t] = rng.nextUint32();
      const track = immediate ? TRACK.IMMEDIATE : rng.chance(0.8) ? TRACK.DEADLINE : TRACK.LONG_TERM;
      this.tTrack[t] = track;
      const original =
        track === TRACK.IMMEDIATE
          ? feedback + rng.int(15, 35)
          : track === TRACK.DEADLINE
            ? feedback + rng.int(30, 180)
            : rng.chance(0.5)
              ? NONE
              : feedback + rng.int(120, 180);
      this.tOriginal[t] = original;
      this.lifecycle(feedback, track, original);
      this.keepEvents(t);
      if (this.tStatus[t] !== STATUS.CLOSED) closedAll = NEVER;
      else if (closedAll !== NEVER && this.tClosed[t] > closedAll) closedAll = this.tClosed[t];
    }
    return closedAll;
  }

  private push(date: number, type: number, from: number, to: number, newDue: number, note: number, actor: number): void {
    const k = this.xCount++;
    this.xDate[k] = date;
    this.xType[k] = type;
    this.xFrom[k] = from;
    this.xTo[k] = to;
    this.xNewDue[k] = newDue;
    this.xNote[k] = note;
    this.xActor[k] = actor;
  }

  private change(date: number, from: number, to: number, actor: number, note = NONE): void {
    this.push(date, EVENT.STATUS_CHANGE, from, to, NONE, note, actor);
  }

  /** The full life of one task, unbounded by today, into the x-buffers. */
  private lifecycle(feedback: number, track: number, original: number): void {
    const { rng } = this;
    const S = STATUS;
    this.xCount = 0;
    this.push(feedback, EVENT.CREATED, NONE, S.NOT_STARTED, NONE, NONE, ACTOR_OFFICE);

    // 立行立改 already done by the feedback: the whole path on one day
    if (track === TRACK.IMMEDIATE && rng.chance(0.35)) {
      this.change(feedback, S.NOT_STARTED, S.IN_PROGRESS, ACTOR_RESPONSIBLE);
      this.change(feedback, S.IN_PROGRESS, S.CLOSE_REQUESTED, ACTOR_RESPONSIBLE);
      this.change(feedback, S.CLOSE_REQUESTED, S.CLOSED, ACTOR_OFFICE);
      return;
    }
    // never started: left alone until the office escalates, then mostly taken up late
    if (rng.chance(0.02)) {
      if (original === NONE) return;
      const escalated = original + rng.int(10, 40);
      this.escalate(escalated);
      if (rng.chance(0.7)) {
        const begun = escalated + rng.int(5, 30);
        this.change(begun, S.NOT_STARTED, S.IN_PROGRESS, ACTOR_RESPONSIBLE);
        this.requestAndClose(begun + rng.int(30, 200));
      }
      return;
    }
    const start = feedback + (track === TRACK.IMMEDIATE ? rng.int(0, 3) : rng.int(1, 25));
    this.change(start, S.NOT_STARTED, S.IN_PROGRESS, ACTOR_RESPONSIBLE);

    let due = original;
    let floor = start;
    if (due !== NONE && track !== TRACK.IMMEDIATE && rng.chance(0.13)) {
      let extendedOn = Math.max(start, due - rng.int(0, 20));
      due += rng.int(30, 120);
      this.push(extendedOn, EVENT.EXTENSION, NONE, NONE, due, NOTE_EXTENSION + rng.int(0, EXTENSION_REASONS.length - 1), ACTOR_OFFICE);
      if (rng.chance(0.2)) {
        extendedOn = Math.max(extendedOn, due - rng.int(0, 15));
        due += rng.int(30, 90);
        this.push(extendedOn, EVENT.EXTENSION, NONE, NONE, due, NOTE_EXTENSION + rng.int(0, EXTENSION_REASONS.length - 1), ACTOR_OFFICE);
      }
      floor = extendedOn;
    }
    const target = due !== NONE ? due : start + rng.int(180, 720);

    let closed = NEVER;
    const outcome = rng.next();
    if (outcome < 0.9) {
      // closed: on time (0.68) or late (0.22, exponential lateness, mean ~100 days)
      let finish = outcome < 0.68 ? start + rng.int(0, Math.max(0, target - start - 3)) : target + 1 + Math.floor(-Math.log(1 - rng.next()) * 100);
      finish = Math.max(finish, floor);
      if (rng.chance(0.06)) {
        // the office sends the closure request back once
        this.change(finish, S.IN_PROGRESS, S.CLOSE_REQUESTED, ACTOR_RESPONSIBLE);
        const back = finish + rng.int(3, 20);
        this.change(back, S.CLOSE_REQUESTED, S.IN_PROGRESS, ACTOR_OFFICE, NOTE_REJECT);
        finish = back + rng.int(15, 60);
      }
      closed = this.requestAndClose(finish);
    } else if (outcome < 0.96) {
      // 基本完成 (持续整改), mostly closed much later
      const day = Math.max(floor, target + rng.int(-20, 40));
      this.change(day, S.IN_PROGRESS, S.BASICALLY_DONE, ACTOR_OFFICE, NOTE_BD);
      if (rng.chance(0.7)) closed = this.requestAndClose(day + rng.int(60, 400), S.BASICALLY_DONE);
    } else {
      // 未完成, mostly taken up again
      const day = Math.max(floor, target + rng.int(10, 60));
      this.change(day, S.IN_PROGRESS, S.NOT_DONE, ACTOR_OFFICE, NOTE_ND);
      if (rng.chance(0.7)) {
        const resumed = day + rng.int(15, 60);
        this.change(resumed, S.NOT_DONE, S.IN_PROGRESS, ACTOR_RESPONSIBLE);
        closed = this.requestAndClose(resumed + rng.int(30, 250));
      }
    }

    if (rng.chance(0.12)) {
      const until = closed === NEVER ? start + 300 : closed - 1;
      this.push(
        start + rng.int(0, Math.max(0, until - start)),
        EVENT.PROGRESS_NOTE,
        NONE,
        NONE,
        NONE,
        NOTE_PROGRESS + rng.int(0, PROGRESS_NOTES.length - 1),
        ACTOR_RESPONSIBLE,
      );
    }
    if (due !== NONE && closed > due + 15 && rng.chance(0.4)) {
      const day = due + rng.int(15, 45);
      if (day < closed) this.escalate(day);
    }
  }

  /** Closure request on `day`, then the office's review; returns the closed day. */
  private requestAndClose(day: number, from: number = STATUS.IN_PROGRESS): number {
    this.change(day, from, STATUS.CLOSE_REQUESTED, ACTOR_RESPONSIBLE);
    const closed = day + this.rng.int(2, 25);
    this.change(closed, STATUS.CLOSE_REQUESTED, STATUS.CLOSED, ACTOR_OFFICE);
    return closed;
  }

  private escalate(day: number): void {
    this.push(day, EVENT.ESCALATION, NONE, NONE, NONE, NOTE_ESCALATION + this.rng.int(0, ESCALATION_NOTES.length - 1), ACTOR_OFFICE);
  }

  /** Sorts task t's events by date (stable), keeps those on or before today, derives the task's state. */
  private keepEvents(t: number): void {
    const { rng } = this;
    const today = this.plan.today;
    const n = this.xCount;
    const order = this.xOrder;
    for (let k = 0; k < n; k++) {
      let j = k;
      while (j > 0 && this.xDate[order[j - 1]] > this.xDate[k]) {
        order[j] = order[j - 1];
        j--;
      }
      order[j] = k;
    }
    let status: number = STATUS.NOT_STARTED;
    let closed = NONE;
    let current = this.tOriginal[t];
    let lastDate = NONE;
    let lastMinute = 0;
    for (let j = 0; j < n; j++) {
      const k = order[j];
      const date = this.xDate[k];
      const office = rng.int(0, 2);
      let minute = rng.int(0, 480);
      if (date > today) continue; // drawn before the cut: one draw per event, kept or not
      // times of day follow the events' order within a day
      if (date === lastDate) minute = Math.min(MINUTES_PER_DAY, lastMinute + 1 + (minute % 40));
      lastDate = date;
      lastMinute = minute;
      const e = this.eCount++;
      this.eId[e] = this.nextEventId++;
      this.eTask[e] = t;
      this.eType[e] = this.xType[k];
      this.eDate[e] = date;
      this.eFrom[e] = this.xFrom[k];
      this.eTo[e] = this.xTo[k];
      this.eNewDue[e] = this.xNewDue[k];
      this.eNote[e] = this.xNote[k];
      this.eActor[e] = this.xActor[k];
      this.eOffice[e] = office;
      this.eMinute[e] = minute;
      const type = this.xType[k];
      if (type === EVENT.CREATED || type === EVENT.STATUS_CHANGE) {
        status = this.xTo[k];
        closed = status === STATUS.CLOSED ? date : NONE;
      } else if (type === EVENT.EXTENSION) {
        current = this.xNewDue[k];
      }
    }
    this.tStatus[t] = status;
    this.tClosed[t] = closed;
    this.tCurrent[t] = current;
  }
}
