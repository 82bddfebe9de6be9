/**
 * The structure of the demo data: regions, committees and their terms, rounds, units and
 * the inspections of every unit. Small tables are plain objects; units and inspections
 * (up to ~1M and ~2M rows at the 10m scale) live in typed arrays.
 */
import { addYears, dayFromParts, yearOf } from './dates';
import { Rng } from './random';
import {
  CAT,
  CITY_CODE,
  CITY_EXTRA,
  CITY_NAME,
  COUNTIES,
  INSTITUTION_UNITS,
  MUNICIPAL_CODE,
  MUNICIPAL_NAME,
  OTHER_UNITS,
  PARTY_GOV_UNITS,
  SOE_UNITS,
  TOWNSHIP_INSTITUTIONS,
  TOWNSHIP_OTHERS,
  chineseNumber,
  placeName,
  type UnitTemplate,
} from './vocabulary';

export type Scale = 'demo' | '1m' | '10m' | 'tiny';

/** Findings aimed at per scale; everything else is sized from it. */
export const SCALE_FINDINGS: Record<Scale, number> = { tiny: 1_000, demo: 30_000, '1m': 1_000_000, '10m': 10_000_000 };

export type RegionLevel = 'CITY' | 'MUNICIPAL' | 'COUNTY' | 'TOWNSHIP';

export interface RegionRow {
  id: number;
  code: string;
  name: string;
  level: RegionLevel;
  parentId: number | null;
}

export interface Committee {
  index: number;
  /** The committee's region: the city for 市委, the county for a 县(区)委. */
  regionId: number;
  /** Where its county-level units sit: 市本级 for the city, the county itself otherwise. */
  unitRegionId: number;
  placeName: string;
  /** 市委, 东城区委, 西山县委 … */
  shortName: string;
  /** Share of units the current term has covered so far (before unit-category adjustment). */
  coverage: number;
  terms: [TermRow, TermRow];
}

export interface TermRow {
  id: number;
  committee: number;
  committeeRegionId: number;
  ordinal: number;
  name: string;
  start: number;
  end: number;
  current: boolean;
}

export interface RoundRow {
  id: number;
  termId: number;
  committee: number;
  ordinal: number;
  year: number;
  name: string;
  start: number;
  end: number;
  teams: number;
}

export const MODE = { ROUTINE: 0, SPECIAL: 1, MOBILE: 2, REVISIT: 3 } as const;
export const MODE_NAMES = ['ROUTINE', 'SPECIAL', 'MOBILE', 'REVISIT'] as const;
export const NONE = -1;

export class Units {
  count = 0;
  category: Uint8Array;
  regionId: Int32Array;
  committee: Uint8Array;
  parent: Int32Array;
  validFrom: Int32Array;
  validTo: Int32Array;
  names: string[] = [];
  codes: string[] = [];

  constructor(capacity: number) {
    this.category = new Uint8Array(capacity + 1);
    this.regionId = new Int32Array(capacity + 1);
    this.committee = new Uint8Array(capacity + 1);
    this.parent = new Int32Array(capacity + 1);
    this.validFrom = new Int32Array(capacity + 1);
    this.validTo = new Int32Array(capacity + 1).fill(NONE);
    this.names.push('');
    this.codes.push('');
  }

  /** Adds a unit; ids start at 1 (index 0 is unused). */
  add(category: number, regionId: number, committee: number, parent: number, code: string, name: string, validFrom: number, validTo: number): number {
    const id = ++this.count;
    if (id >= this.category.length) throw new Error('unit capacity exceeded');
    this.category[id] = category;
    this.regionId[id] = regionId;
    this.committee[id] = committee;
    this.parent[id] = parent;
    this.validFrom[id] = validFrom;
    this.validTo[id] = validTo;
    this.codes.push(code);
    this.names.push(name);
    return id;
  }
}

/** Inspections in id order (= order of stationing), ids start at 1. */
export interface Inspections {
  count: number;
  unit: Int32Array;
  round: Int32Array; // index into Plan.rounds
  mode: Uint8Array;
  cross: Uint8Array;
  elevated: Uint8Array;
  team: Uint8Array;
  from: Int32Array;
  to: Int32Array; // NONE: still stationed
  feedback: Int32Array; // NONE: not fed back yet
}

export interface Plan {
  scale: Scale;
  today: number;
  targetFindings: number;
  regions: RegionRow[];
  committees: Committee[];
  terms: TermRow[];
  rounds: RoundRow[];
  units: Units;
  inspections: Inspections;
}

const TERM_YEARS = 5;
const ROUNDS_PER_TERM = 10;

/** Coverage of the current term so far, by unit category: villages lag, 党政机关 lead. */
const CATEGORY_COVERAGE = [1.12, 1.0, 1.1, 1.12, 0.9, 0.95];
/** Counties' coverage levels so far (shuffled per seed): some near 90 %, others near 45 %. */
const COUNTY_COVERAGE = [0.99, 0.92, 0.82, 0.72, 0.64, 0.56, 0.5, 0.47];

export function buildPlan(scale: Scale, seed: number, today: number): Plan {
  const targetFindings = SCALE_FINDINGS[scale];
  const factor = targetFindings / SCALE_FINDINGS.demo;
  const rng = new Rng(seed, 'structure');

  // --- regions and committees -------------------------------------------------------
  const regions: RegionRow[] = [];
  const addRegion = (code: string, name: string, level: RegionLevel, parentId: number | null) => {
    const row = { id: regions.length + 1, code, name, level, parentId };
    regions.push(row);
    return row;
  };
  const city = addRegion(CITY_CODE, CITY_NAME, 'CITY', null);
  const municipal = addRegion(MUNICIPAL_CODE, MUNICIPAL_NAME, 'MUNICIPAL', city.id);
  const countyRegions = COUNTIES.map((county, i) => addRegion(`99${String(i + 1).padStart(2, '0')}00`, county.name, 'COUNTY', city.id));

  const coverage = rng.shuffle([...COUNTY_COVERAGE]);
  const committees: Committee[] = [];
  const terms: TermRow[] = [];
  const rounds: RoundRow[] = [];
  const committeeSpecs = [
    { regionId: city.id, unitRegionId: municipal.id, placeName: CITY_NAME, shortName: '市委', coverage: 0.74, ordinal: 3 },
    ...countyRegions.map((region, i) => ({
      regionId: region.id,
      unitRegionId: region.id,
      placeName: region.name,
      shortName: `${region.name}委`,
      coverage: coverage[i],
      ordinal: 2 + (i % 3 === 1 ? 1 : 0),
    })),
  ];
  for (const [index, spec] of committeeSpecs.entries()) {
    // the current term is 55–65 % through at `today`
    const termDays = addYears(today, TERM_YEARS) - today;
    const currentStart = today - Math.round(termDays * (0.55 + rng.next() * 0.1));
    const previousStart = addYears(currentStart, -TERM_YEARS);
    const makeTerm = (ordinal: number, start: number, current: boolean): TermRow => {
      const end = addYears(start, TERM_YEARS) - 1;
      const term: TermRow = {
        id: terms.length + 1,
        committee: index,
        committeeRegionId: spec.regionId,
        ordinal,
        name: `${spec.shortName}第${chineseNumber(ordinal)}届（${yearOf(start)}—${yearOf(end)}）`,
        start,
        end,
        current,
      };
      terms.push(term);
      return term;
    };
    const previous = makeTerm(spec.ordinal - 1, previousStart, false);
    const current = makeTerm(spec.ordinal, currentStart, true);
    committees.push({
      index,
      regionId: spec.regionId,
      unitRegionId: spec.unitRegionId,
      placeName: spec.placeName,
      shortName: spec.shortName,
      coverage: spec.coverage,
      terms: [previous, current],
    });
    for (const term of [previous, current]) {
      const length = term.end - term.start + 1;
      for (let k = 0; k < ROUNDS_PER_TERM; k++) {
        const start = term.start + Math.floor((k * length) / ROUNDS_PER_TERM) + rng.int(10, 40);
        if (start > today) break;
        rounds.push({
          id: rounds.length + 1,
          termId: term.id,
          committee: index,
          ordinal: k + 1,
          year: yearOf(start),
          name: `${spec.shortName}第${chineseNumber(term.ordinal)}届第${chineseNumber(k + 1)}轮巡察`,
          start,
          end: start + 80,
          teams: rng.int(3, 8),
        });
      }
    }
  }

  // --- units ----------------------------------------------------------------------------
  const townshipsPerCounty = COUNTIES.map(() => Math.max(1, Math.round(rng.int(9, 15) * factor)));
  const smallScale = factor < 0.2;
  const villagesPerTownship = () => (smallScale ? rng.int(2, 4) : rng.int(12, 26));
  const estimate = 400 + townshipsPerCounty.reduce((sum, n) => sum + n, 0) * 32 + 9 * 120;
  const units = new Units(estimate);

  const countyLevelCount = (list: readonly UnitTemplate[], min: number) =>
    Math.min(list.length, Math.max(min, Math.round(list.length * Math.min(1, factor * 1.2))));

  const longAgo = (committee: Committee) => dayFromParts(yearOf(committee.terms[0].start) - rng.int(1, 20), 1, 1);
  const duringTerm = (committee: Committee) => {
    const start = committee.terms[1].start;
    return start + rng.int(30, Math.max(31, today - start - 30));
  };

  const addTemplates = (committee: Committee, category: number, list: readonly UnitTemplate[], count: number, seqRef: { n: number }) => {
    for (const template of list.slice(0, count)) {
      const name = template.name.replace('{c}', committee.placeName);
      const validFrom = template.from === 'term' ? duringTerm(committee) : longAgo(committee);
      const validTo = template.until === 'term' ? duringTerm(committee) : NONE;
      const regionCode = regions[committee.unitRegionId - 1].code;
      units.add(category, committee.unitRegionId, committee.index, 0, `${regionCode}-${String(++seqRef.n).padStart(4, '0')}`, name, validFrom, validTo);
    }
  };

  for (const committee of committees) {
    const seq = { n: 0 };
    const isCity = committee.index === 0;
    const lists: [number, readonly UnitTemplate[], number][] = [
      [CAT.PARTY_GOV, isCity ? [...PARTY_GOV_UNITS, ...CITY_EXTRA.PARTY_GOV] : PARTY_GOV_UNITS, 2],
      [CAT.INSTITUTION, isCity ? [...INSTITUTION_UNITS.filter((t) => !t.name.includes('广播电视台')), ...CITY_EXTRA.INSTITUTION] : INSTITUTION_UNITS, 1],
      [CAT.SOE, isCity ? [...SOE_UNITS, ...CITY_EXTRA.SOE] : SOE_UNITS, 1],
      [CAT.OTHER, isCity ? [...OTHER_UNITS, ...CITY_EXTRA.OTHER] : OTHER_UNITS, 1],
    ];
    for (const [category, list, min] of lists) addTemplates(committee, category, list, countyLevelCount(list, min), seq);
    if (isCity) continue;

    // townships (乡镇/街道) with their villages (村/社区) and township-level bodies
    const county = COUNTIES[committee.index - 1];
    const countyRegion = regions[committee.regionId - 1];
    const townships = townshipsPerCounty[committee.index - 1];
    const nameOffset = rng.int(0, 100_000);
    const width = Math.max(3, String(townships).length);
    for (let t = 0; t < townships; t++) {
      const street = county.district ? t % 3 !== 2 : t % 7 === 6;
      const townName = placeName(t, nameOffset) + (street ? '街道' : t % 4 === 3 ? '乡' : '镇');
      const region = addRegion(`${countyRegion.code}${String(t + 1).padStart(width, '0')}`, townName, 'TOWNSHIP', countyRegion.id);
      let unitSeq = 0;
      const code = () => `${region.code}-${String(++unitSeq).padStart(4, '0')}`;
      const founded = longAgo(committee);
      const townUnit = units.add(CAT.TOWNSHIP, region.id, committee.index, 0, code(), `${townName}${street ? '党工委' : '党委'}`, founded, NONE);
      const villages = villagesPerTownship();
      const villageOffset = rng.int(0, 100_000);
      for (let v = 0; v < villages; v++) {
        const community = street ? v % 5 !== 4 : v % 9 === 8;
        const villageName = placeName(v, villageOffset) + (community ? '社区' : '村');
        const merged = !smallScale && rng.chance(0.012);
        const created = !merged && !smallScale && rng.chance(0.008);
        units.add(
          CAT.VILLAGE,
          region.id,
          committee.index,
          townUnit,
          code(),
          `${townName}${villageName}${community ? '党委' : '党支部'}`,
          created ? duringTerm(committee) : longAgo(committee),
          merged ? duringTerm(committee) : NONE,
        );
      }
      const institutions = smallScale ? (t === 0 ? 1 : 0) : rng.int(1, 3);
      for (let k = 0; k < institutions; k++) {
        units.add(CAT.INSTITUTION, region.id, committee.index, 0, code(), TOWNSHIP_INSTITUTIONS[k].replace('{t}', townName), longAgo(committee), NONE);
      }
      if ((t === 0 && smallScale) || (!smallScale && rng.chance(0.4))) {
        units.add(CAT.OTHER, region.id, committee.index, 0, code(), rng.pick(TOWNSHIP_OTHERS).replace('{t}', townName), longAgo(committee), NONE);
      }
    }
  }

  const inspections = planInspections(rng, today, committees, rounds, units);
  return { scale, today, targetFindings, regions, committees, terms, rounds, units, inspections };
}

interface Planned {
  round: number;
  mode: number;
  from: number;
  team: number;
}

/** Is the unit in existence for a whole stationing starting at `from`? */
function validAt(units: Units, unit: number, from: number): boolean {
  if (units.validFrom[unit] > from) return false;
  const to = units.validTo[unit];
  return to === NONE || to >= from + 45;
}

function planInspections(rng: Rng, today: number, committees: Committee[], rounds: RoundRow[], units: Units): Inspections {
  // rounds of each committee in time order: previous term's first, then the current term's
  const byCommittee: number[][] = committees.map(() => []);
  for (let r = 0; r < rounds.length; r++) byCommittee[rounds[r].committee].push(r);
  for (const list of byCommittee) list.sort((a, b) => rounds[a].start - rounds[b].start);
  const termOfRound = rounds.map((round) => round.termId);

  // the rounds and start of each township's inspections, so that its villages follow it (巡乡带村)
  const townshipPlan = new Map<number, Planned[]>();

  const out = {
    unit: [] as number[],
    round: [] as number[],
    mode: [] as number[],
    cross: [] as number[],
    elevated: [] as number[],
    team: [] as number[],
    from: [] as number[],
    to: [] as number[],
    feedback: [] as number[],
  };

  const pickMode = () => {
    const x = rng.next();
    return x < 0.84 ? MODE.ROUTINE : x < 0.95 ? MODE.SPECIAL : MODE.MOBILE;
  };

  for (let unit = 1; unit <= units.count; unit++) {
    const committee = committees[units.committee[unit]];
    const category = units.category[unit];
    const committeeRounds = byCommittee[committee.index];
    const plan: Planned[] = [];
    const parentPlan = category === CAT.VILLAGE ? townshipPlan.get(units.parent[unit]) : undefined;

    for (const term of committee.terms) {
      const termRounds = committeeRounds.filter((r) => termOfRound[r] === term.id);
      if (termRounds.length === 0) continue;
      let p: number;
      if (!term.current) p = category === CAT.VILLAGE ? 0.975 : 0.99;
      else {
        p = Math.min(0.99, committee.coverage * CATEGORY_COVERAGE[category]);
        if (units.validFrom[unit] > term.start) p *= 0.6;
      }
      if (!rng.chance(p)) continue;
      // a village is mostly inspected together with its township
      const parent = parentPlan?.find((planned) => termRounds.includes(planned.round));
      if (parent && rng.chance(0.7)) {
        const from = parent.from + rng.int(0, 15);
        if (validAt(units, unit, from)) {
          plan.push({ round: parent.round, mode: parent.mode, from, team: parent.team });
          continue;
        }
      }
      for (let attempt = 0; attempt < 4; attempt++) {
        const round = rng.pick(termRounds);
        const from = rounds[round].start + rng.int(0, 30);
        if (!validAt(units, unit, from)) continue;
        plan.push({ round, mode: pickMode(), from, team: rng.int(1, rounds[round].teams) });
        break;
      }
    }
    // 回头看: a follow-up two to four rounds after a routine inspection
    for (const planned of [...plan]) {
      if (!rng.chance(0.07)) continue;
      const position = committeeRounds.indexOf(planned.round) + rng.int(2, 4);
      if (position >= committeeRounds.length) continue;
      const round = committeeRounds[position];
      const from = rounds[round].start + rng.int(0, 30);
      if (validAt(units, unit, from)) plan.push({ round, mode: MODE.REVISIT, from, team: rng.int(1, rounds[round].teams) });
    }
    // at most one inspection of a unit per round; stationings never overlap
    plan.sort((a, b) => a.from - b.from || a.mode - b.mode);
    let lastTo = -Infinity;
    let lastRound = -1;
    const kept: Planned[] = [];
    for (const planned of plan) {
      if (planned.round === lastRound || planned.from <= lastTo + 10 || planned.from > today) continue;
      const to = planned.from + rng.int(20, 40);
      const feedback = to + rng.int(30, 60);
      const county = committee.index > 0;
      const local = category === CAT.TOWNSHIP || category === CAT.VILLAGE;
      out.unit.push(unit);
      out.round.push(planned.round);
      out.mode.push(planned.mode);
      out.cross.push(county && rng.chance(local ? 0.2 : 0.08) ? 1 : 0);
      out.elevated.push(county && rng.chance(local ? 0.05 : 0.03) ? 1 : 0);
      out.team.push(planned.team);
      out.from.push(planned.from);
      out.to.push(to <= today ? to : NONE);
      out.feedback.push(to <= today && feedback <= today ? feedback : NONE);
      lastTo = to;
      lastRound = planned.round;
      kept.push(planned);
    }
    if (category === CAT.TOWNSHIP) townshipPlan.set(unit, kept);
  }

  // ids in order of stationing (a stable counting sort by day keeps unit order within a day)
  const n = out.unit.length;
  let minDay = Infinity;
  let maxDay = -Infinity;
  for (const day of out.from) {
    if (day < minDay) minDay = day;
    if (day > maxDay) maxDay = day;
  }
  const buckets = new Int32Array(Math.max(0, maxDay - minDay) + 2);
  for (const day of out.from) buckets[day - minDay + 1]++;
  for (let i = 1; i < buckets.length; i++) buckets[i] += buckets[i - 1];
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[buckets[out.from[i] - minDay]++] = i;

  const take = <T extends Int32Array | Uint8Array>(source: number[], target: T): T => {
    for (let k = 0; k < n; k++) target[k + 1] = source[order[k]];
    return target;
  };
  return {
    count: n,
    unit: take(out.unit, new Int32Array(n + 1)),
    round: take(out.round, new Int32Array(n + 1)),
    mode: take(out.mode, new Uint8Array(n + 1)),
    cross: take(out.cross, new Uint8Array(n + 1)),
    elevated: take(out.elevated, new Uint8Array(n + 1)),
    team: take(out.team, new Uint8Array(n + 1)),
    from: take(out.from, new Int32Array(n + 1)),
    to: take(out.to, new Int32Array(n + 1)),
    feedback: take(out.feedback, new Int32Array(n + 1)),
  };
}
