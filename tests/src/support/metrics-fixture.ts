/**
 * A small hand-built set of case records for the metric tests, and the figures expected
 * from it, worked out by hand (backend/src/metrics/DEFINITIONS.md), not copied from a run.
 *
 * The world: 临江市 (CITY, region 1) with 临江市本级 (MUNICIPAL, 2), 甲县 (COUNTY, 3) with the
 * township 东镇 (5), and 乙县 (COUNTY, 4). Three committees: 市委 (region 1, units in 2),
 * 甲县委 (3, units in 3 and 5), 乙县委 (4). Each has a previous and a current term.
 *
 * The three as-of days: D1 = 2025-03-31 (Q1 end), D2 = 2025-06-30 (Q2 end), D3 = 2025-08-20.
 *
 * Edge cases, and where they live:
 * - unit 104 abolished during the current term and inspected in it → in scope, covered;
 *   unit 105 abolished during the term, inspected only in the previous term → out of scope;
 *   unit 106 abolished before the current term → out (but in scope and covered for term=previous);
 *   unit 113 created 2025-05-01 → in scope from D2; unit 114 soft-deleted → never counted;
 * - inspection 313 (回头看 of unit 108) does not cover it; inspection 308 is a 回头看 of unit 101;
 * - inspection 310 (unit 103) is soft-deleted: it neither covers unit 103 at D1 nor makes
 *   inspection 309 a re-inspection, and its finding 1017 and task 2017 do not exist;
 * - finding 1030 is soft-deleted (with its task 2031); task 2033 is soft-deleted; an event of
 *   task 2020 (a CLOSED) is soft-deleted; task 2034 has no status event and does not exist;
 * - finding 1009 has no task: fed back, never rectified;
 * - task 2010 is 基本完成 (BASICALLY_DONE): not closed, overdue;
 * - task 2011 extended 2025-03-01 → 2025-03-31: due today at D1 (not overdue although its original
 *   due date has passed), overdue by the extended date at D2 and D3; task 2004 extended and closed
 *   late; task 2030 extended so that it is neither overdue nor due soon at D2;
 * - tasks 2008 and 2035 are 长期坚持 without a due date: never overdue; 2008, closed 2025-05-15, is
 *   left out of the on-time rate from D2 on and counted beside it (closedUndated), next to 2007
 *   of the same finding closed on time and 2002 (市本级 too) closed late (case 市本级 below);
 * - coverage under a round filter counts the units of the round's committee over the round's term:
 *   city round 202 (市委, current term), county round 205 (甲县委), and round 201 of 市委's
 *   previous term without term=previous;
 * - status changes after a quarter end: task 2018 closed 2025-04-15 and task 2008 closed
 *   2025-05-15 (D1 figures ignore them); task 2018's IN_PROGRESS event is back-dated
 *   (recorded after the CLOSED, dated before it) so ordering by (event_date, id) matters;
 * - rebounds: 1013→1006, 1018→1003, 1025→1005 and (from D2) 1026→1018 are found after the
 *   closure; 1019→1004 is found before 1004's closure and never counts;
 * - repeats: 1013 (2.01 at unit 101 again), 1018, 1019, 1025, 1026; re-inspection findings of
 *   another category: 1014, 1020, 1021, 1027;
 * - due soon at D2: exactly 0 days (task 2013), 10 days (2014, 2029), 20 days (2022), 21 days
 *   (2023, not due soon); at D3: 10 days (2028), 11 days (2030);
 * - overdue aging: 90 days (2018 at D1), 91 (2011 at D2), 30 (2020 at D2, 2023 at D3),
 *   31 (2015 and 2022 at D3), 151 / 242 / 293 (2010), 243 / 334 / 385 (2025);
 * - findings closed before their feedback (立行立改): days to close 0 (1005, 1008, 1016).
 */
import { Client } from 'pg';
import type {
  InspectionMode,
  UnitCategory,
  CategoriesResponse,
  CoverageResponse,
  OverviewResponse,
  RectificationResponse,
  RecurrenceResponse,
} from '@xuncha/backend';

export const D1 = '2025-03-31';
export const D2 = '2025-06-30';
export const D3 = '2025-08-20';

// --- records -------------------------------------------------------------------------

type Level = 'CITY' | 'MUNICIPAL' | 'COUNTY' | 'TOWNSHIP';
type Status = 'NOT_STARTED' | 'IN_PROGRESS' | 'CLOSE_REQUESTED' | 'CLOSED' | 'BASICALLY_DONE' | 'NOT_DONE';
type Track = 'IMMEDIATE' | 'DEADLINE' | 'LONG_TERM';

const REGIONS: Array<{ id: number; code: string; name: string; level: Level; parent: number | null }> = [
  { id: 1, code: '330100', name: '临江市', level: 'CITY', parent: null },
  { id: 2, code: '330101', name: '临江市本级', level: 'MUNICIPAL', parent: 1 },
  { id: 3, code: '330121', name: '甲县', level: 'COUNTY', parent: 1 },
  { id: 4, code: '330122', name: '乙县', level: 'COUNTY', parent: 1 },
  { id: 5, code: '330121101', name: '东镇', level: 'TOWNSHIP', parent: 3 },
];

const TERMS: Array<{ id: number; committee: number; ordinal: number; name: string; start: string; end: string }> = [
  { id: 1, committee: 1, ordinal: 1, name: '市委第一届', start: '2019-01-01', end: '2023-12-31' },
  { id: 2, committee: 1, ordinal: 2, name: '市委第二届', start: '2024-01-01', end: '2028-12-31' },
  { id: 3, committee: 3, ordinal: 1, name: '甲县委第一届', start: '2018-07-01', end: '2023-06-30' },
  { id: 4, committee: 3, ordinal: 2, name: '甲县委第二届', start: '2023-07-01', end: '2028-06-30' },
  { id: 5, committee: 4, ordinal: 1, name: '乙县委第一届', start: '2018-01-01', end: '2022-12-31' },
  { id: 6, committee: 4, ordinal: 2, name: '乙县委第二届', start: '2023-01-01', end: '2027-12-31' },
];

interface UnitRow {
  id: number;
  code: string;
  name: string;
  category: UnitCategory;
  region: number;
  committee: number;
  parent: number | null;
  from: string;
  to: string | null;
  deleted?: boolean;
}

const UNITS: UnitRow[] = [
  { id: 101, code: 'U101', name: '市发展和改革委员会', category: 'PARTY_GOV', region: 2, committee: 1, parent: null, from: '2010-01-01', to: null },
  { id: 102, code: 'U102', name: '市人民医院', category: 'INSTITUTION', region: 2, committee: 1, parent: null, from: '2010-01-01', to: null },
  { id: 103, code: 'U103', name: '市城市建设投资集团', category: 'SOE', region: 2, committee: 1, parent: null, from: '2010-01-01', to: null },
  { id: 104, code: 'U104', name: '市旧城改造办公室', category: 'PARTY_GOV', region: 2, committee: 1, parent: null, from: '2010-01-01', to: '2024-12-31' },
  { id: 105, code: 'U105', name: '市信息中心', category: 'INSTITUTION', region: 2, committee: 1, parent: null, from: '2010-01-01', to: '2024-06-30' },
  { id: 106, code: 'U106', name: '市老干部活动站', category: 'OTHER', region: 2, committee: 1, parent: null, from: '2010-01-01', to: '2023-06-30' },
  { id: 107, code: 'U107', name: '甲县人民政府办公室', category: 'PARTY_GOV', region: 3, committee: 3, parent: null, from: '2010-01-01', to: null },
  { id: 108, code: 'U108', name: '甲县交通投资公司', category: 'SOE', region: 3, committee: 3, parent: null, from: '2010-01-01', to: null },
  { id: 109, code: 'U109', name: '东镇党委', category: 'TOWNSHIP', region: 5, committee: 3, parent: null, from: '2010-01-01', to: null },
  { id: 110, code: 'U110', name: '东镇东村党支部', category: 'VILLAGE', region: 5, committee: 3, parent: 109, from: '2010-01-01', to: null },
  { id: 111, code: 'U111', name: '乙县人民政府办公室', category: 'PARTY_GOV', region: 4, committee: 4, parent: null, from: '2010-01-01', to: null },
  { id: 112, code: 'U112', name: '乙县第一中学', category: 'INSTITUTION', region: 4, committee: 4, parent: null, from: '2010-01-01', to: null },
  { id: 113, code: 'U113', name: '乙县数据资源局', category: 'OTHER', region: 4, committee: 4, parent: null, from: '2025-05-01', to: null },
  { id: 114, code: 'U114', name: '乙县误录单位', category: 'PARTY_GOV', region: 4, committee: 4, parent: null, from: '2010-01-01', to: null, deleted: true },
];

const ROUNDS: Array<{ id: number; term: number; ordinal: number; year: number; start: string; end: string }> = [
  { id: 201, term: 1, ordinal: 1, year: 2021, start: '2021-04-01', end: '2021-07-31' },
  { id: 202, term: 2, ordinal: 1, year: 2024, start: '2024-03-01', end: '2024-07-31' },
  { id: 203, term: 2, ordinal: 2, year: 2025, start: '2025-01-01', end: '2025-07-31' },
  { id: 204, term: 3, ordinal: 1, year: 2022, start: '2022-09-01', end: '2022-12-31' },
  { id: 205, term: 4, ordinal: 1, year: 2024, start: '2024-04-01', end: '2024-08-31' },
  { id: 206, term: 4, ordinal: 2, year: 2025, start: '2025-05-01', end: '2025-08-31' },
  { id: 207, term: 6, ordinal: 1, year: 2025, start: '2025-04-01', end: '2025-09-30' },
];

interface InspectionRow {
  id: number;
  round: number;
  unit: number;
  mode: InspectionMode;
  from: string;
  feedback: string;
  deleted?: boolean;
}

const INSPECTIONS: InspectionRow[] = [
  { id: 301, round: 201, unit: 105, mode: 'ROUTINE', from: '2021-04-10', feedback: '2021-06-20' },
  { id: 302, round: 201, unit: 106, mode: 'ROUTINE', from: '2021-04-12', feedback: '2021-06-22' },
  { id: 303, round: 204, unit: 107, mode: 'ROUTINE', from: '2022-09-01', feedback: '2022-11-10' },
  { id: 304, round: 204, unit: 108, mode: 'ROUTINE', from: '2022-10-01', feedback: '2022-12-01' },
  { id: 305, round: 202, unit: 101, mode: 'ROUTINE', from: '2024-03-10', feedback: '2024-05-20' },
  { id: 306, round: 202, unit: 104, mode: 'ROUTINE', from: '2024-03-15', feedback: '2024-05-25' },
  { id: 307, round: 202, unit: 102, mode: 'SPECIAL', from: '2024-04-01', feedback: '2024-06-10' },
  { id: 308, round: 203, unit: 101, mode: 'REVISIT', from: '2025-03-01', feedback: '2025-04-20' },
  { id: 309, round: 203, unit: 103, mode: 'MOBILE', from: '2025-05-10', feedback: '2025-07-05' },
  { id: 310, round: 203, unit: 103, mode: 'MOBILE', from: '2025-01-10', feedback: '2025-02-20', deleted: true },
  { id: 311, round: 205, unit: 107, mode: 'ROUTINE', from: '2024-04-15', feedback: '2024-06-30' },
  { id: 312, round: 205, unit: 109, mode: 'ROUTINE', from: '2024-05-05', feedback: '2024-07-15' },
  { id: 313, round: 205, unit: 108, mode: 'REVISIT', from: '2024-06-01', feedback: '2024-07-25' },
  { id: 314, round: 206, unit: 107, mode: 'MOBILE', from: '2025-05-20', feedback: '2025-07-10' },
  { id: 315, round: 207, unit: 111, mode: 'ROUTINE', from: '2025-04-10', feedback: '2025-06-05' },
  { id: 316, round: 207, unit: 112, mode: 'SPECIAL', from: '2025-07-01', feedback: '2025-08-25' },
];

/** Level 1 ids 1–3, level 2 ids 11–32 (a subset of the seed tree, same codes). */
export const CATEGORY_NAMES = {
  1: '贯彻落实党的路线方针政策和上级决策部署',
  2: '群众身边不正之风和腐败问题',
  3: '基层党组织和干部队伍建设',
  11: '理论学习不深入',
  12: '重大决策部署落实不力',
  21: '违反中央八项规定精神',
  22: '形式主义、官僚主义',
  31: '领导作用弱化、软弱涣散',
  32: '组织生活不规范',
} as const;

const CATEGORIES: Array<{ id: keyof typeof CATEGORY_NAMES; code: string; level: number; parent: number | null }> = [
  { id: 1, code: '1', level: 1, parent: null },
  { id: 2, code: '2', level: 1, parent: null },
  { id: 3, code: '3', level: 1, parent: null },
  { id: 11, code: '1.01', level: 2, parent: 1 },
  { id: 12, code: '1.02', level: 2, parent: 1 },
  { id: 21, code: '2.01', level: 2, parent: 2 },
  { id: 22, code: '2.02', level: 2, parent: 2 },
  { id: 31, code: '3.01', level: 2, parent: 3 },
  { id: 32, code: '3.02', level: 2, parent: 3 },
];

interface FindingRow {
  id: number;
  inspection: number;
  unit: number;
  category: number;
  found: string;
  immediate?: boolean;
  recurrenceOf?: number;
  deleted?: boolean;
}

const FINDINGS: FindingRow[] = [
  { id: 1001, inspection: 301, unit: 105, category: 21, found: '2021-04-20' },
  { id: 1002, inspection: 302, unit: 106, category: 11, found: '2021-04-25' },
  { id: 1003, inspection: 303, unit: 107, category: 31, found: '2022-09-10' },
  { id: 1004, inspection: 303, unit: 107, category: 12, found: '2022-09-12' },
  { id: 1005, inspection: 304, unit: 108, category: 22, found: '2022-10-15', immediate: true },
  { id: 1006, inspection: 305, unit: 101, category: 21, found: '2024-03-20' },
  { id: 1007, inspection: 305, unit: 101, category: 22, found: '2024-03-22' },
  { id: 1008, inspection: 305, unit: 101, category: 11, found: '2024-03-25', immediate: true },
  { id: 1009, inspection: 305, unit: 101, category: 12, found: '2024-03-28' },
  { id: 1010, inspection: 306, unit: 104, category: 21, found: '2024-03-30' },
  { id: 1011, inspection: 307, unit: 102, category: 31, found: '2024-04-10' },
  { id: 1012, inspection: 307, unit: 102, category: 32, found: '2024-04-12' },
  { id: 1013, inspection: 308, unit: 101, category: 21, found: '2025-03-05', recurrenceOf: 1006 },
  { id: 1014, inspection: 308, unit: 101, category: 32, found: '2025-03-06' },
  { id: 1015, inspection: 309, unit: 103, category: 22, found: '2025-05-20' },
  { id: 1016, inspection: 309, unit: 103, category: 12, found: '2025-05-22', immediate: true },
  { id: 1017, inspection: 310, unit: 103, category: 21, found: '2025-01-15' },
  { id: 1018, inspection: 311, unit: 107, category: 31, found: '2024-04-20', recurrenceOf: 1003 },
  { id: 1019, inspection: 311, unit: 107, category: 12, found: '2024-04-20', recurrenceOf: 1004 },
  { id: 1020, inspection: 311, unit: 107, category: 21, found: '2024-04-22' },
  { id: 1021, inspection: 311, unit: 107, category: 22, found: '2024-04-25' },
  { id: 1022, inspection: 312, unit: 109, category: 32, found: '2024-05-10' },
  { id: 1023, inspection: 312, unit: 109, category: 11, found: '2024-05-12', immediate: true },
  { id: 1024, inspection: 312, unit: 109, category: 21, found: '2024-05-15', immediate: true },
  { id: 1025, inspection: 313, unit: 108, category: 22, found: '2024-06-05', recurrenceOf: 1005 },
  { id: 1026, inspection: 314, unit: 107, category: 31, found: '2025-05-25', recurrenceOf: 1018 },
  { id: 1027, inspection: 314, unit: 107, category: 32, found: '2025-06-02' },
  { id: 1028, inspection: 315, unit: 111, category: 11, found: '2025-04-15' },
  { id: 1029, inspection: 315, unit: 111, category: 12, found: '2025-04-18' },
  { id: 1030, inspection: 315, unit: 111, category: 31, found: '2025-04-20', deleted: true },
  { id: 1031, inspection: 316, unit: 112, category: 22, found: '2025-07-05' },
];

/** [event_date, type, to_status, new_due_date, deleted] — inserted in this order (ids ascending). */
type EventSpec = [string, 'CREATED' | 'STATUS_CHANGE' | 'EXTENSION' | 'PROGRESS_NOTE', Status | null, string | null, boolean?];
const created = (date: string): EventSpec => [date, 'CREATED', 'NOT_STARTED', null];
const status = (date: string, to: Status): EventSpec => [date, 'STATUS_CHANGE', to, null];
const extension = (date: string, due: string): EventSpec => [date, 'EXTENSION', null, due];

interface TaskRow {
  id: number;
  finding: number;
  track: Track;
  due: string | null;
  events: EventSpec[];
  deleted?: boolean;
}

const TASKS: TaskRow[] = [
  { id: 2001, finding: 1001, track: 'DEADLINE', due: '2021-12-31', events: [created('2021-06-20'), status('2021-11-30', 'CLOSED')] },
  { id: 2002, finding: 1002, track: 'DEADLINE', due: '2021-10-31', events: [created('2021-06-22'), status('2022-01-15', 'CLOSED')] },
  { id: 2003, finding: 1003, track: 'DEADLINE', due: '2023-05-31', events: [created('2022-11-10'), status('2023-03-20', 'CLOSED')] },
  {
    id: 2004,
    finding: 1004,
    track: 'DEADLINE',
    due: '2023-06-30',
    events: [created('2022-11-10'), extension('2023-06-20', '2024-06-30'), status('2024-05-01', 'CLOSED')],
  },
  { id: 2005, finding: 1005, track: 'IMMEDIATE', due: '2022-12-31', events: [created('2022-10-15'), status('2022-11-20', 'CLOSED')] },
  { id: 2006, finding: 1006, track: 'DEADLINE', due: '2024-09-30', events: [created('2024-05-20'), status('2024-08-15', 'CLOSED')] },
  { id: 2007, finding: 1007, track: 'DEADLINE', due: '2024-12-31', events: [created('2024-05-20'), status('2024-12-20', 'CLOSED')] },
  {
    id: 2008,
    finding: 1007,
    track: 'LONG_TERM',
    due: null,
    events: [created('2024-05-20'), status('2024-10-01', 'IN_PROGRESS'), status('2025-05-15', 'CLOSED')],
  },
  { id: 2009, finding: 1008, track: 'IMMEDIATE', due: '2024-04-30', events: [created('2024-03-25'), status('2024-04-10', 'CLOSED')] },
  { id: 2010, finding: 1010, track: 'DEADLINE', due: '2024-10-31', events: [created('2024-05-25'), status('2024-10-20', 'BASICALLY_DONE')] },
  {
    id: 2011,
    finding: 1011,
    track: 'DEADLINE',
    due: '2025-03-01',
    events: [created('2024-06-10'), status('2024-09-01', 'IN_PROGRESS'), extension('2025-02-20', '2025-03-31')],
  },
  {
    id: 2012,
    finding: 1012,
    track: 'DEADLINE',
    due: '2024-12-31',
    events: [created('2024-06-10'), status('2024-12-30', 'CLOSE_REQUESTED'), status('2024-12-30', 'CLOSED')],
  },
  { id: 2013, finding: 1013, track: 'DEADLINE', due: '2025-06-30', events: [created('2025-04-20')] },
  { id: 2014, finding: 1014, track: 'DEADLINE', due: '2025-07-10', events: [created('2025-04-20'), status('2025-05-01', 'IN_PROGRESS')] },
  { id: 2015, finding: 1015, track: 'DEADLINE', due: '2025-07-20', events: [created('2025-07-05')] },
  { id: 2016, finding: 1016, track: 'IMMEDIATE', due: '2025-06-10', events: [created('2025-05-22'), status('2025-06-05', 'CLOSED')] },
  { id: 2017, finding: 1017, track: 'DEADLINE', due: '2025-03-31', events: [created('2025-02-20')] },
  {
    id: 2018,
    finding: 1018,
    track: 'DEADLINE',
    due: '2024-12-31',
    // the IN_PROGRESS is recorded after the CLOSED (higher id) but dated before it
    events: [created('2024-06-30'), status('2025-04-15', 'CLOSED'), status('2024-08-01', 'IN_PROGRESS')],
  },
  { id: 2019, finding: 1019, track: 'DEADLINE', due: '2024-10-31', events: [created('2024-06-30'), status('2024-10-25', 'CLOSED')] },
  {
    id: 2020,
    finding: 1020,
    track: 'DEADLINE',
    due: '2025-05-31',
    events: [created('2024-06-30'), ['2025-04-01', 'STATUS_CHANGE', 'CLOSED', null, true]],
  },
  { id: 2035, finding: 1020, track: 'LONG_TERM', due: null, events: [created('2024-06-30'), status('2024-12-01', 'NOT_DONE')] },
  { id: 2021, finding: 1021, track: 'DEADLINE', due: '2024-09-30', events: [created('2024-06-30'), status('2024-09-01', 'CLOSED')] },
  { id: 2022, finding: 1021, track: 'DEADLINE', due: '2025-07-20', events: [created('2024-06-30'), status('2024-07-15', 'IN_PROGRESS')] },
  { id: 2023, finding: 1022, track: 'DEADLINE', due: '2025-07-21', events: [created('2024-07-15')] },
  {
    id: 2024,
    finding: 1023,
    track: 'IMMEDIATE',
    due: '2024-06-30',
    events: [created('2024-05-12'), status('2024-06-25', 'CLOSE_REQUESTED'), status('2024-07-20', 'CLOSED')],
  },
  { id: 2025, finding: 1024, track: 'IMMEDIATE', due: '2024-07-31', events: [created('2024-05-15'), status('2024-06-01', 'IN_PROGRESS')] },
  { id: 2026, finding: 1025, track: 'DEADLINE', due: '2024-12-31', events: [created('2024-07-25'), status('2024-12-15', 'CLOSED')] },
  { id: 2027, finding: 1026, track: 'DEADLINE', due: '2025-09-30', events: [created('2025-07-10')] },
  { id: 2028, finding: 1027, track: 'DEADLINE', due: '2025-08-30', events: [created('2025-07-10')] },
  { id: 2029, finding: 1028, track: 'DEADLINE', due: '2025-07-10', events: [created('2025-06-05'), status('2025-07-08', 'CLOSED')] },
  { id: 2030, finding: 1029, track: 'DEADLINE', due: '2025-06-30', events: [created('2025-06-05'), extension('2025-06-25', '2025-08-31')] },
  { id: 2031, finding: 1030, track: 'DEADLINE', due: '2025-07-31', events: [created('2025-06-05')] },
  { id: 2032, finding: 1031, track: 'DEADLINE', due: '2025-10-31', events: [created('2025-08-25')] },
  { id: 2033, finding: 1028, track: 'DEADLINE', due: '2025-05-31', events: [created('2025-06-05')], deleted: true },
  { id: 2034, finding: 1006, track: 'DEADLINE', due: '2024-09-30', events: [['2024-05-20', 'PROGRESS_NOTE', null, null]] },
];

/** The task's "current" columns after all its events, as the application would keep them. */
function currentColumns(task: TaskRow): { status: Status; due: string | null; closed: string | null } {
  const live = task.events.map((e, i) => ({ e, i })).filter(({ e }) => !e[4]);
  live.sort((a, b) => (a.e[0] < b.e[0] ? -1 : a.e[0] > b.e[0] ? 1 : a.i - b.i));
  let current: Status = 'NOT_STARTED';
  let due = task.due;
  let closed: string | null = null;
  for (const { e } of live) {
    if (e[2]) {
      current = e[2];
      closed = e[2] === 'CLOSED' ? e[0] : null;
    }
    if (e[1] === 'EXTENSION') due = e[3];
  }
  return { status: current, due, closed };
}

/** Loads the fixture into a freshly migrated, empty database. */
export async function loadMetricsFixture(databaseUrl: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  const deletedAt = (flag: boolean | undefined) => (flag ? '2025-08-01T00:00:00+08:00' : null);
  try {
    await client.query('BEGIN');
    for (const r of REGIONS) {
      await client.query('INSERT INTO regions (id, code, name, level, parent_id) VALUES ($1, $2, $3, $4, $5)', [r.id, r.code, r.name, r.level, r.parent]);
    }
    for (const t of TERMS) {
      await client.query('INSERT INTO terms (id, committee_region_id, ordinal, name, start_date, end_date) VALUES ($1, $2, $3, $4, $5, $6)', [
        t.id,
        t.committee,
        t.ordinal,
        t.name,
        t.start,
        t.end,
      ]);
    }
    for (const u of UNITS) {
      await client.query(
        `INSERT INTO org_units (id, code, name, category, region_id, committee_region_id, parent_unit_id, valid_from, valid_to, deleted_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [u.id, u.code, u.name, u.category, u.region, u.committee, u.parent, u.from, u.to, deletedAt(u.deleted)],
      );
    }
    for (const r of ROUNDS) {
      await client.query('INSERT INTO rounds (id, term_id, ordinal, year, name, start_date, end_date) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
        r.id,
        r.term,
        r.ordinal,
        r.year,
        `${r.year}年第${r.ordinal}轮`,
        r.start,
        r.end,
      ]);
    }
    for (const i of INSPECTIONS) {
      await client.query(
        `INSERT INTO inspections (id, round_id, unit_id, team, mode, stationed_from, stationed_to, feedback_date, deleted_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6::date + 30, $7, $8)`,
        [i.id, i.round, i.unit, `第${i.id % 10}巡察组`, i.mode, i.from, i.feedback, deletedAt(i.deleted)],
      );
    }
    for (const c of CATEGORIES) {
      await client.query('INSERT INTO issue_categories (id, code, name, level, parent_id) VALUES ($1, $2, $3, $4, $5)', [
        c.id,
        c.code,
        CATEGORY_NAMES[c.id],
        c.level,
        c.parent,
      ]);
    }
    for (const f of FINDINGS) {
      await client.query(
        `INSERT INTO findings (id, inspection_id, unit_id, category_id, description, is_immediate, recurrence_of_id, found_date, deleted_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [f.id, f.inspection, f.unit, f.category, `问题${f.id}`, f.immediate ?? false, f.recurrenceOf ?? null, f.found, deletedAt(f.deleted)],
      );
    }
    for (const t of TASKS) {
      const cur = currentColumns(t);
      await client.query(
        `INSERT INTO rectification_tasks (id, finding_id, measure, responsible_dept, responsible_person, track,
           original_due_date, current_due_date, status, closed_date, deleted_at)
         VALUES ($1, $2, $3, '办公室', '张三', $4, $5, $6, $7, $8, $9)`,
        [t.id, t.finding, `整改措施${t.id}`, t.track, t.due, cur.due, cur.status, cur.closed, deletedAt(t.deleted)],
      );
      let from: Status | null = null;
      for (const [date, type, to, due, deleted] of t.events) {
        await client.query(
          `INSERT INTO task_events (task_id, type, event_date, from_status, to_status, new_due_date, actor, deleted_at)
           VALUES ($1, $2, $3, $4, $5, $6, '巡察办', $7)`,
          [t.id, type, date, type === 'CREATED' ? null : from, to, due, deletedAt(deleted)],
        );
        if (to && !deleted) from = to;
      }
    }
    // explicit ids above: move the sequences past them
    for (const table of ['regions', 'terms', 'org_units', 'rounds', 'inspections', 'issue_categories', 'findings', 'rectification_tasks']) {
      await client.query(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), (SELECT max(id) FROM ${table}))`);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    await client.end();
  }
}

// --- expected figures ----------------------------------------------------------------

type AppliedFilters = CoverageResponse['filters'];
type UncoveredRow = CoverageResponse['uncovered']['rows'][number];
type CoverageRegionRow = CoverageResponse['byRegion'][number];

export function filtersEcho(asOf: string, given: Partial<Omit<AppliedFilters, 'asOf'>> = {}): AppliedFilters {
  return { asOf, term: null, roundId: null, regionId: null, unitCategory: null, categoryId: null, mode: null, countyUnits: false, ignored: [], ...given };
}

const r = (numerator: number, denominator: number) => ({ numerator, denominator, rate: denominator === 0 ? null : numerator / denominator });

const UNIT_BY_ID = new Map(UNITS.map((u) => [u.id, u]));
const COUNTY_OF_REGION: Record<number, number> = { 2: 2, 3: 3, 4: 4, 5: 3 };
/** An uncovered-unit row: the unit's own fields, then last inspection, days and years as worked out by hand. */
function uncovered(id: number, last: string | null, days: number | null, years: number | null): UncoveredRow {
  const u = UNIT_BY_ID.get(id);
  if (!u) throw new Error(`no unit ${id}`);
  return {
    unitId: u.id,
    code: u.code,
    name: u.name,
    unitCategory: u.category,
    regionId: u.region,
    countyId: COUNTY_OF_REGION[u.region],
    lastInspectionDate: last,
    daysSinceLast: days,
    yearsSinceLast: years,
  };
}

/** Terms days: 市委 2024-01-01..2028-12-31 = 366+365+365+365+366 = 1827; 甲县委 2023-07-01..2028-06-30 =
 *  184 + 1461 + 182 = 1827; 乙县委 2023-01-01..2027-12-31 = 365+366+365+365+365 = 1826. */
const CITY_TERM = { termId: 2, termStart: '2024-01-01', termEnd: '2028-12-31' };
const JIA_TERM = { termId: 4, termStart: '2023-07-01', termEnd: '2028-06-30' };
const YI_TERM = { termId: 6, termStart: '2023-01-01', termEnd: '2027-12-31' };
type AreaFields = Pick<CoverageRegionRow, 'level' | 'regionId' | 'unitCategory' | 'unitId' | 'name'>;
const REGION_NAME = new Map(REGIONS.map((g) => [g.id, g.name]));
/** A by-region row's area (issue 18, item 9): a county-level region, under no region filter. */
function county(regionId: number): AreaFields {
  return { level: 'county', regionId, unitCategory: null, unitId: null, name: REGION_NAME.get(regionId)! };
}
/** Under a county filter: a township, or the county's own units (县直单位). */
function township(regionId: number): AreaFields {
  return { level: 'township', regionId, unitCategory: null, unitId: null, name: REGION_NAME.get(regionId)! };
}
function countyUnits(countyId: number): AreaFields {
  return { level: 'countyUnits', regionId: countyId, unitCategory: null, unitId: null, name: '县直单位' };
}
/** Under a township filter (or 市本级 and a unit category): a unit. */
function unitArea(unitId: number, within: number): AreaFields {
  return { level: 'unit', regionId: within, unitCategory: null, unitId, name: UNIT_BY_ID.get(unitId)!.name };
}
/** Under 市本级: a 市直 unit category. */
function unitCategoryArea(unitCategory: UnitCategory, within: number, name: string): AreaFields {
  return { level: 'unitCategory', regionId: within, unitCategory, unitId: null, name };
}
function regionRow(area: number | AreaFields, term: typeof CITY_TERM, pace: number, inScope: number, covered: number, projected: number): CoverageRegionRow {
  return { ...(typeof area === 'number' ? county(area) : area), ...term, pace, projected, inScope, covered, rate: covered / inScope };
}
const cat = (unitCategory: UnitCategory, inScope: number, covered: number) => ({ unitCategory, inScope, covered, rate: covered / inScope });

function level1(c1: number, c2: number, c3: number): CategoriesResponse['level1'] {
  return [
    { categoryId: 1, code: '1', name: CATEGORY_NAMES[1], count: c1 },
    { categoryId: 2, code: '2', name: CATEGORY_NAMES[2], count: c2 },
    { categoryId: 3, code: '3', name: CATEGORY_NAMES[3], count: c3 },
  ];
}
function level2(c11: number, c12: number, c21: number, c22: number, c31: number, c32: number): CategoriesResponse['level2'] {
  return [
    { categoryId: 11, parentId: 1, code: '1.01', name: CATEGORY_NAMES[11], count: c11 },
    { categoryId: 12, parentId: 1, code: '1.02', name: CATEGORY_NAMES[12], count: c12 },
    { categoryId: 21, parentId: 2, code: '2.01', name: CATEGORY_NAMES[21], count: c21 },
    { categoryId: 22, parentId: 2, code: '2.02', name: CATEGORY_NAMES[22], count: c22 },
    { categoryId: 31, parentId: 3, code: '3.01', name: CATEGORY_NAMES[31], count: c31 },
    { categoryId: 32, parentId: 3, code: '3.02', name: CATEGORY_NAMES[32], count: c32 },
  ];
}
const buckets = (b1: number, b2: number, b3: number, b4: number): RectificationResponse['overdue']['buckets'] => [
  { bucket: '1-30', count: b1 },
  { bucket: '31-90', count: b2 },
  { bucket: '91-180', count: b3 },
  { bucket: '180+', count: b4 },
];
const closure = (findings: number, findingsClosed: number, tasks: number, tasksClosed: number, overdue: number) => ({
  findings,
  findingsClosed,
  tasks,
  tasksClosed,
  overdue,
});
const rec = (reinspectionFindings: number, repeats: number, closedReinspected: number, rebounds: number) => ({
  reinspectionFindings,
  repeats,
  closedReinspected,
  rebounds,
});

export interface ExpectedAsOf {
  coverage: CoverageResponse;
  categories: CategoriesResponse;
  rectification: RectificationResponse;
  recurrence: RecurrenceResponse;
}

// Task states used below (events ≤ D; "exists" = has a status event by D):
//   closed (day; on time vs original due): 2001 2021-11-30 ✓, 2002 2022-01-15 ✗, 2003 2023-03-20 ✓,
//   2004 2024-05-01 ✗, 2005 2022-11-20 ✓, 2006 2024-08-15 ✓, 2007 2024-12-20 ✓, 2009 2024-04-10 ✓,
//   2012 2024-12-30 ✓, 2019 2024-10-25 ✓, 2021 2024-09-01 ✓, 2024 2024-07-20 ✗, 2026 2024-12-15 ✓;
//   from D2: 2008 2025-05-15 ✓ (no original due), 2018 2025-04-15 ✗, 2016 2025-06-05 ✓; from D3: 2029 2025-07-08 ✓.
//   open: 2010 (due 2024-10-31), 2011 (due 2025-03-31 after extension), 2020 (2025-05-31), 2022 (2025-07-20),
//   2023 (2025-07-21), 2025 (2024-07-31), 2035 (none); 2008 until D2; 2018 until D1 (due 2024-12-31);
//   from D2: 2013 (2025-06-30), 2014 (2025-07-10), 2029 until D3 (2025-07-10), 2030 (2025-08-31 extended);
//   from D3: 2015 (2025-07-20), 2027 (2025-09-30), 2028 (2025-08-30).
// Findings fed back by D1: 1001–1012, 1018–1025 (20); by D2 also 1013, 1014, 1028, 1029 (24); by D3 also
//   1015, 1016, 1026, 1027 (28). 1031 is fed back 2025-08-25, after D3.
// Days to close (max(0, closure − feedback)): 1001 163, 1002 207, 1003 130, 1004 538, 1005 0, 1006 87,
//   1007 360, 1008 0, 1012 203, 1016 0, 1018 289, 1019 117, 1023 5, 1025 143, 1028 33.

const EXPECTED_D1: ExpectedAsOf = {
  coverage: {
    filters: filtersEcho(D1),
    // in scope: 市 101 102 103 104 (104 abolished 2024-12-31, inspected by 306); 甲县 107 108 109 110;
    // 乙县 111 112 (113 starts 2025-05-01). Covered: 101 (305), 102 (307), 104 (306), 107 (311), 109 (312) = 5 of 10.
    coverage: r(5, 10),
    // elapsed days: 市 2024 (366) + 90 = 456; 甲县 184 + 366 + 90 = 640; 乙县 365 + 366 + 90 = 821; weights = units in scope
    pace: ((456 / 1827) * 4 + (640 / 1827) * 4 + (821 / 1826) * 2) / 10,
    // 0.5 ÷ ~0.33 > 1
    projected: 1,
    byRegion: [
      regionRow(2, CITY_TERM, 456 / 1827, 4, 3, 1), // 101 102 104 covered, 103 not (310 deleted, 309 later)
      regionRow(3, JIA_TERM, 640 / 1827, 4, 2, 1), // 107 109 covered; 108 (回头看 only), 110 not
      regionRow(4, YI_TERM, 821 / 1826, 2, 0, 0), // 111 (315 is 2025-04-10) and 112 not yet
    ],
    byUnitCategory: [
      cat('INSTITUTION', 2, 1), // 102 ✓, 112
      cat('PARTY_GOV', 4, 3), // 101 ✓, 104 ✓, 107 ✓, 111
      cat('SOE', 2, 0), // 103, 108
      cat('TOWNSHIP', 1, 1), // 109 ✓
      cat('VILLAGE', 1, 0), // 110
    ],
    uncovered: {
      total: 5,
      rows: [
        uncovered(103, null, null, null), // 310 is deleted, 309 after D1
        uncovered(110, null, null, null),
        uncovered(111, null, null, null),
        uncovered(112, null, null, null),
        uncovered(108, '2024-06-01', 303, 0.8), // 313 (回头看); 214 days to 2025-01-01 + 89; 303/365.25 = 0.83
      ],
    },
  },
  categories: {
    filters: filtersEcho(D1),
    // found by D1: 1001–1014, 1018–1025 (1017 under a deleted inspection, 1030 deleted)
    total: 22,
    level1: level1(6, 10, 6),
    // 1.01: 1002 1008 1023; 1.02: 1004 1009 1019; 2.01: 1001 1006 1010 1013 1020 1024; 2.02: 1005 1007 1021 1025;
    // 3.01: 1003 1011 1018; 3.02: 1012 1014 1022
    level2: level2(3, 3, 6, 4, 3, 3),
    byRegion: [
      { ...county(2), count: 11 }, // 1001 1002 1006–1014
      { ...county(3), count: 11 }, // 1003 1004 1005 1018–1025 (1022–1024 in the township)
    ],
    regionCategory: [
      { ...county(2), categoryId: 1, count: 3 }, // 1002 1008 1009
      { ...county(2), categoryId: 2, count: 5 }, // 1001 1006 1007 1010 1013
      { ...county(2), categoryId: 3, count: 3 }, // 1011 1012 1014
      { ...county(3), categoryId: 1, count: 3 }, // 1004 1019 1023
      { ...county(3), categoryId: 2, count: 5 }, // 1005 1020 1021 1024 1025
      { ...county(3), categoryId: 3, count: 3 }, // 1003 1018 1022
    ],
    unitCategoryMatrix: [
      { unitCategory: 'INSTITUTION', categoryId: 2, count: 1 }, // 1001
      { unitCategory: 'INSTITUTION', categoryId: 3, count: 2 }, // 1011 1012
      { unitCategory: 'OTHER', categoryId: 1, count: 1 }, // 1002
      { unitCategory: 'PARTY_GOV', categoryId: 1, count: 4 }, // 1004 1008 1009 1019
      { unitCategory: 'PARTY_GOV', categoryId: 2, count: 6 }, // 1006 1007 1010 1013 1020 1021
      { unitCategory: 'PARTY_GOV', categoryId: 3, count: 3 }, // 1003 1014 1018
      { unitCategory: 'SOE', categoryId: 2, count: 2 }, // 1005 1025
      { unitCategory: 'TOWNSHIP', categoryId: 1, count: 1 }, // 1023
      { unitCategory: 'TOWNSHIP', categoryId: 2, count: 1 }, // 1024
      { unitCategory: 'TOWNSHIP', categoryId: 3, count: 1 }, // 1022
    ],
    byRound: [
      { roundId: 201, count: 2 }, // 1001 1002
      { roundId: 202, count: 7 }, // 1006–1012
      { roundId: 203, count: 2 }, // 1013 1014
      { roundId: 204, count: 3 }, // 1003 1004 1005
      { roundId: 205, count: 8 }, // 1018–1025
    ],
    byMode: [
      { mode: 'REVISIT', count: 3 }, // 1013 1014 1025
      { mode: 'ROUTINE', count: 17 }, // 1001–1010, 1018–1024
      { mode: 'SPECIAL', count: 2 }, // 1011 1012
    ],
    quarterly: [
      { quarter: '2021Q2', categoryId: 1, count: 1 }, // 1002
      { quarter: '2021Q2', categoryId: 2, count: 1 }, // 1001
      { quarter: '2022Q3', categoryId: 1, count: 1 }, // 1004
      { quarter: '2022Q3', categoryId: 3, count: 1 }, // 1003
      { quarter: '2022Q4', categoryId: 2, count: 1 }, // 1005
      { quarter: '2024Q1', categoryId: 1, count: 2 }, // 1008 1009
      { quarter: '2024Q1', categoryId: 2, count: 3 }, // 1006 1007 1010 (03-30)
      { quarter: '2024Q2', categoryId: 1, count: 2 }, // 1019 1023
      { quarter: '2024Q2', categoryId: 2, count: 4 }, // 1020 1021 1024 1025
      { quarter: '2024Q2', categoryId: 3, count: 4 }, // 1011 1012 1018 1022
      { quarter: '2025Q1', categoryId: 2, count: 1 }, // 1013
      { quarter: '2025Q1', categoryId: 3, count: 1 }, // 1014
    ],
  },
  rectification: {
    filters: filtersEcho(D1),
    // closed: 1001–1006, 1008, 1012, 1019, 1023, 1025 = 11 of 20 (1007: 2008 open; 1009 no task; 1021: 2022 open;
    // 1006: 2034 has no status event, so it does not exist)
    findingClosure: r(11, 20),
    // 22 tasks: 2001–2007, 2008, 2009, 2010, 2011, 2012, 2018, 2019, 2020, 2035, 2021, 2022, 2023, 2024, 2025, 2026;
    // 13 closed (the list above up to 2026)
    taskClosure: r(13, 22),
    // 立行立改: 1005 ✓, 1008 ✓, 1023 ✓, 1024 ✗
    immediateClosure: r(3, 4),
    // late: 2002, 2004, 2024 (2008 is not closed yet)
    onTime: r(10, 13),
    closedUndated: 0,
    // 2018: 90 days; 2010 (基本完成): 151; 2025: 243. 2011 due today is not overdue; 2008, 2035 no due date
    overdue: { count: 3, buckets: buckets(0, 1, 1, 1) },
    // 2011 due on D1 (0 days)
    dueSoon: { within20: 1, within10: 1 },
    // 2004 and 2011 have a later current due date
    extended: r(2, 22),
    // sorted: 0 0 5 87 117 130 143 163 203 207 538; rank ⌈5.5⌉ = 6 → 130; rank ⌈9.9⌉ = 10 → 207
    daysToClose: { count: 11, median: 130, p90: 207 },
    byRegion: [
      // 1001 1002 1006–1012; closed 1001 1002 1006 1008 1012; tasks 2001 2002 2006–2012; closed 2001 2002 2006 2007 2009 2012; overdue 2010
      { ...county(2), ...closure(9, 5, 9, 6, 1) },
      // 1003 1004 1005 1018–1025; closed 1003 1004 1005 1019 1023 1025; 13 tasks, 7 closed; overdue 2018 2025
      { ...county(3), ...closure(11, 6, 13, 7, 2) },
    ],
    byRound: [
      { roundId: 201, ...closure(2, 2, 2, 2, 0) }, // 1001 1002
      { roundId: 202, ...closure(7, 3, 7, 4, 1) }, // 1006–1012: closed 1006 1008 1012; tasks 2006–2012, closed 2006 2007 2009 2012; 2010 overdue
      { roundId: 204, ...closure(3, 3, 3, 3, 0) }, // 1003 1004 1005
      { roundId: 205, ...closure(8, 3, 10, 4, 2) }, // 1018–1025: closed 1019 1023 1025; tasks closed 2019 2021 2024 2026; 2018 2025 overdue
    ],
  },
  recurrence: {
    filters: filtersEcho(D1),
    // re-inspections by D1: 308 (101 after 305), 311 (107 after 303), 313 (108 after 304) → 1013 1014 1018–1021 1025;
    // repeats: 1013 (2.01 in 305), 1018 (3.01 in 303), 1019 (1.02 in 303), 1025 (2.02 in 304)
    repeat: r(4, 7),
    // closed and re-inspected after closure: 1003 (311), 1005 (313), 1006 (308), 1008 (308); 1004 closed 2024-05-01 after 311.
    // rebounds: 1003←1018, 1005←1025, 1006←1013
    rebound: r(3, 4),
    byRegion: [
      { ...county(2), ...rec(2, 1, 2, 1) }, // 1013 ✓ 1014; 1006 ✓ 1008
      { ...county(3), ...rec(5, 3, 2, 2) }, // 1018 ✓ 1019 ✓ 1020 1021 1025 ✓; 1003 ✓ 1005 ✓
    ],
    byCategory: [
      { categoryId: 1, ...rec(1, 1, 1, 0) }, // 1019 ✓; 1008
      { categoryId: 2, ...rec(4, 2, 2, 2) }, // 1013 ✓ 1020 1021 1025 ✓; 1005 ✓ 1006 ✓
      { categoryId: 3, ...rec(2, 1, 1, 1) }, // 1014 1018 ✓; 1003 ✓
    ],
  },
};

const EXPECTED_D2: ExpectedAsOf = {
  coverage: {
    filters: filtersEcho(D2),
    // 市 101 102 103 (309 2025-05-10) 104 all covered; 甲县 107 109 of 107–110; 乙县 111 of 111 112 113 → 7 of 11
    coverage: r(7, 11),
    // elapsed: 市 456 + 91 = 547; 甲县 640 + 91 = 731; 乙县 821 + 91 = 912
    pace: ((547 / 1827) * 4 + (731 / 1827) * 4 + (912 / 1826) * 3) / 11,
    projected: 1, // 0.64 ÷ 0.39
    byRegion: [
      regionRow(2, CITY_TERM, 547 / 1827, 4, 4, 1),
      regionRow(3, JIA_TERM, 731 / 1827, 4, 2, 1), // 0.5 ÷ 0.40
      regionRow(4, YI_TERM, 912 / 1826, 3, 1, 1 / 3 / (912 / 1826)), // (1/3) ÷ 0.4995 = 0.667
    ],
    byUnitCategory: [
      cat('INSTITUTION', 2, 1), // 102 ✓, 112 (316 is 2025-07-01)
      cat('OTHER', 1, 0), // 113
      cat('PARTY_GOV', 4, 4), // 101 104 107 111
      cat('SOE', 2, 1), // 103 ✓, 108
      cat('TOWNSHIP', 1, 1),
      cat('VILLAGE', 1, 0),
    ],
    uncovered: {
      total: 4,
      rows: [
        uncovered(110, null, null, null),
        uncovered(112, null, null, null),
        uncovered(113, null, null, null),
        uncovered(108, '2024-06-01', 394, 1.1), // 214 + 180; 1.079
      ],
    },
  },
  categories: {
    filters: filtersEcho(D2),
    // D1's 22 + 1015 1016 1026 1027 1028 1029
    total: 28,
    level1: level1(9, 11, 8),
    // 1.01 +1028; 1.02 +1016 +1029; 2.02 +1015; 3.01 +1026; 3.02 +1027
    level2: level2(4, 5, 6, 5, 4, 4),
    byRegion: [
      { ...county(2), count: 13 }, // +1015 1016
      { ...county(3), count: 13 }, // +1026 1027
      { ...county(4), count: 2 }, // 1028 1029 (1030 deleted)
    ],
    regionCategory: [
      { ...county(2), categoryId: 1, count: 4 }, // +1016
      { ...county(2), categoryId: 2, count: 6 }, // +1015
      { ...county(2), categoryId: 3, count: 3 },
      { ...county(3), categoryId: 1, count: 3 },
      { ...county(3), categoryId: 2, count: 5 },
      { ...county(3), categoryId: 3, count: 5 }, // +1026 1027
      { ...county(4), categoryId: 1, count: 2 }, // 1028 1029
    ],
    unitCategoryMatrix: [
      { unitCategory: 'INSTITUTION', categoryId: 2, count: 1 },
      { unitCategory: 'INSTITUTION', categoryId: 3, count: 2 },
      { unitCategory: 'OTHER', categoryId: 1, count: 1 },
      { unitCategory: 'PARTY_GOV', categoryId: 1, count: 6 }, // +1028 1029
      { unitCategory: 'PARTY_GOV', categoryId: 2, count: 6 },
      { unitCategory: 'PARTY_GOV', categoryId: 3, count: 5 }, // +1026 1027
      { unitCategory: 'SOE', categoryId: 1, count: 1 }, // 1016
      { unitCategory: 'SOE', categoryId: 2, count: 3 }, // +1015
      { unitCategory: 'TOWNSHIP', categoryId: 1, count: 1 },
      { unitCategory: 'TOWNSHIP', categoryId: 2, count: 1 },
      { unitCategory: 'TOWNSHIP', categoryId: 3, count: 1 },
    ],
    byRound: [
      { roundId: 201, count: 2 },
      { roundId: 202, count: 7 },
      { roundId: 203, count: 4 }, // +1015 1016
      { roundId: 204, count: 3 },
      { roundId: 205, count: 8 },
      { roundId: 206, count: 2 }, // 1026 1027
      { roundId: 207, count: 2 }, // 1028 1029
    ],
    byMode: [
      { mode: 'MOBILE', count: 4 }, // 1015 1016 1026 1027
      { mode: 'REVISIT', count: 3 },
      { mode: 'ROUTINE', count: 19 }, // +1028 1029
      { mode: 'SPECIAL', count: 2 },
    ],
    quarterly: [
      ...EXPECTED_D1.categories.quarterly,
      { quarter: '2025Q2', categoryId: 1, count: 3 }, // 1016 1028 1029
      { quarter: '2025Q2', categoryId: 2, count: 1 }, // 1015
      { quarter: '2025Q2', categoryId: 3, count: 2 }, // 1026 1027
    ],
  },
  rectification: {
    filters: filtersEcho(D2),
    // D1's 11 + 1007 (2008 closed 2025-05-15) + 1018 (2018 closed 2025-04-15), of 20 + 1013 1014 1028 1029
    findingClosure: r(13, 24),
    // + 2013 2014 2029 2030; closed + 2008 2018
    taskClosure: r(15, 26),
    // 1016 is fed back only 2025-07-05
    immediateClosure: r(3, 4),
    // + 2018 late; 2008 (closed, no original due date) is left out of both sides and counted beside
    onTime: r(10, 14),
    closedUndated: 1,
    // 2020: 30 days; 2011: 91 (by its extended due date); 2010: 242; 2025: 334. 2013 due today is not overdue
    overdue: { count: 4, buckets: buckets(1, 0, 1, 2) },
    // 2013 (0 days), 2014 (10), 2029 (10), 2022 (20); 2023 (21) and 2030 (62, after extension) are not
    dueSoon: { within20: 4, within10: 3 },
    // 2004, 2011, 2030
    extended: r(3, 26),
    // + 289 (1018) and 360 (1007): 0 0 5 87 117 130 143 163 203 207 289 360 538; rank 7 → 143; rank ⌈11.7⌉ = 12 → 360
    daysToClose: { count: 13, median: 143, p90: 360 },
    byRegion: [
      { ...county(2), ...closure(11, 6, 11, 7, 2) }, // +1013 1014, +1007 closed; +2013 2014, +2008 closed; overdue 2010 2011
      { ...county(3), ...closure(11, 7, 13, 8, 2) }, // +1018 closed; overdue 2020 2025
      { ...county(4), ...closure(2, 0, 2, 0, 0) }, // 1028 1029; 2029 2030 open, not overdue
    ],
    byRound: [
      { roundId: 201, ...closure(2, 2, 2, 2, 0) },
      { roundId: 202, ...closure(7, 4, 7, 5, 2) }, // +1007 / 2008 closed; 2010 2011 overdue
      { roundId: 203, ...closure(2, 0, 2, 0, 0) }, // 1013 1014
      { roundId: 204, ...closure(3, 3, 3, 3, 0) },
      { roundId: 205, ...closure(8, 4, 10, 5, 2) }, // +1018 / 2018 closed; 2020 2025 overdue
      { roundId: 207, ...closure(2, 0, 2, 0, 0) }, // 1028 1029
    ],
  },
  recurrence: {
    filters: filtersEcho(D2),
    // + 314 (107 again): 1026 (3.01 found in 303 and 311) ✓, 1027 (3.02 never at 107) ✗. 309 is no re-inspection (310 deleted)
    repeat: r(5, 9),
    // + 1004 (closed 2024-05-01, 314 after), 1018 (closed 2025-04-15, 314 after), 1019 (closed 2024-10-25, 314 after);
    // 1007 (closed 2025-05-15) and 1016 (2025-06-05) have no later inspection.
    // rebounds + 1018←1026 (found 2025-05-25); 1004←1019 was found 2024-04-20, before 1004's closure: no
    rebound: r(4, 7),
    byRegion: [
      { ...county(2), ...rec(2, 1, 2, 1) },
      { ...county(3), ...rec(7, 4, 5, 3) }, // + 1026 ✓ 1027; + 1004 1018 ✓ 1019
    ],
    byCategory: [
      { categoryId: 1, ...rec(1, 1, 3, 0) }, // 1019 ✓; 1008 1004 1019
      { categoryId: 2, ...rec(4, 2, 2, 2) },
      { categoryId: 3, ...rec(4, 2, 2, 2) }, // 1014 1018 ✓ 1026 ✓ 1027; 1003 ✓ 1018 ✓
    ],
  },
};

const EXPECTED_D3: ExpectedAsOf = {
  coverage: {
    filters: filtersEcho(D3),
    // D2 + 112 (316 SPECIAL 2025-07-01) → 8 of 11
    coverage: r(8, 11),
    // elapsed + 51 (July 31 + 20): 598, 782, 963
    pace: ((598 / 1827) * 4 + (782 / 1827) * 4 + (963 / 1826) * 3) / 11,
    projected: 1,
    byRegion: [
      regionRow(2, CITY_TERM, 598 / 1827, 4, 4, 1),
      regionRow(3, JIA_TERM, 782 / 1827, 4, 2, 1), // 0.5 ÷ 0.428
      regionRow(4, YI_TERM, 963 / 1826, 3, 2, 1), // 0.667 ÷ 0.527
    ],
    byUnitCategory: [cat('INSTITUTION', 2, 2), cat('OTHER', 1, 0), cat('PARTY_GOV', 4, 4), cat('SOE', 2, 1), cat('TOWNSHIP', 1, 1), cat('VILLAGE', 1, 0)],
    uncovered: {
      total: 3,
      rows: [
        uncovered(110, null, null, null),
        uncovered(113, null, null, null),
        uncovered(108, '2024-06-01', 445, 1.2), // 214 + 231; 1.218
      ],
    },
  },
  categories: {
    filters: filtersEcho(D3),
    total: 29, // + 1031 (2.02, 乙县, 2025-07-05)
    level1: level1(9, 12, 8),
    level2: level2(4, 5, 6, 6, 4, 4),
    byRegion: [
      { ...county(2), count: 13 },
      { ...county(3), count: 13 },
      { ...county(4), count: 3 },
    ],
    regionCategory: [...EXPECTED_D2.categories.regionCategory, { ...county(4), categoryId: 2, count: 1 }],
    unitCategoryMatrix: [
      { unitCategory: 'INSTITUTION', categoryId: 2, count: 2 }, // 1001 1031
      ...EXPECTED_D2.categories.unitCategoryMatrix.slice(1),
    ],
    byRound: [...EXPECTED_D2.categories.byRound.slice(0, 6), { roundId: 207, count: 3 }],
    byMode: [
      { mode: 'MOBILE', count: 4 },
      { mode: 'REVISIT', count: 3 },
      { mode: 'ROUTINE', count: 19 },
      { mode: 'SPECIAL', count: 3 }, // + 1031
    ],
    quarterly: [...EXPECTED_D2.categories.quarterly, { quarter: '2025Q3', categoryId: 2, count: 1 }],
  },
  rectification: {
    filters: filtersEcho(D3),
    // + 1015 1016 1026 1027 fed back; closed + 1016 (2016) + 1028 (2029 closed 2025-07-08)
    findingClosure: r(15, 28),
    // + 2015 2016 2027 2028; closed + 2016 2029
    taskClosure: r(17, 30),
    // + 1016 ✓
    immediateClosure: r(4, 5),
    // + 2016 (2025-06-05 ≤ 06-10), 2029 (07-08 ≤ 07-10); 2008 still left out
    onTime: r(12, 16),
    closedUndated: 1,
    // 1-30: 2023 (30); 31-90: 2015 (31), 2022 (31), 2014 (41), 2013 (51), 2020 (81); 91-180: 2011 (142); 180+: 2010 (293), 2025 (385)
    overdue: { count: 9, buckets: buckets(1, 5, 1, 2) },
    // 2028 (10 days), 2030 (11 days); 2027 is 41 days out
    dueSoon: { within20: 2, within10: 1 },
    extended: r(3, 30),
    // + 0 (1016) and 33 (1028): 0 0 0 5 33 87 117 130 143 163 203 207 289 360 538; rank 8 → 130; rank ⌈13.5⌉ = 14 → 360
    daysToClose: { count: 15, median: 130, p90: 360 },
    byRegion: [
      { ...county(2), ...closure(13, 7, 13, 8, 5) }, // + 1015 1016 (closed); overdue 2010 2011 2013 2014 2015
      { ...county(3), ...closure(13, 7, 15, 8, 4) }, // + 1026 1027 (2027 2028 open); overdue 2020 2022 2023 2025
      { ...county(4), ...closure(2, 1, 2, 1, 0) }, // 1028 closed
    ],
    byRound: [
      { roundId: 201, ...closure(2, 2, 2, 2, 0) },
      { roundId: 202, ...closure(7, 4, 7, 5, 2) },
      { roundId: 203, ...closure(4, 1, 4, 1, 3) }, // 1013–1016; 1016 closed; 2013 2014 2015 overdue
      { roundId: 204, ...closure(3, 3, 3, 3, 0) },
      { roundId: 205, ...closure(8, 4, 10, 5, 4) }, // overdue 2020 2022 2023 2025
      { roundId: 206, ...closure(2, 0, 2, 0, 0) }, // 1026 1027
      { roundId: 207, ...closure(2, 1, 2, 1, 0) }, // 1028 closed, 1029 open
    ],
  },
  recurrence: {
    // nothing new: 316 (112) has no earlier inspection; 1028 closed 2025-07-08 without a later inspection of 111
    ...EXPECTED_D2.recurrence,
    filters: filtersEcho(D3),
  },
};

export function overviewOf(e: ExpectedAsOf): OverviewResponse {
  return {
    filters: { ...e.categories.filters, ignored: [] },
    cards: {
      coverage: e.coverage.coverage,
      pace: e.coverage.pace,
      projected: e.coverage.projected,
      findings: e.categories.total,
      findingClosure: e.rectification.findingClosure,
      taskClosure: e.rectification.taskClosure,
      immediateClosure: e.rectification.immediateClosure,
      onTime: e.rectification.onTime,
      closedUndated: e.rectification.closedUndated,
      overdue: e.rectification.overdue.count,
      dueSoon20: e.rectification.dueSoon.within20,
      repeat: e.recurrence.repeat,
      rebound: e.recurrence.rebound,
    },
    charts: {
      coverageByRegion: e.coverage.byRegion,
      categoriesLevel1: e.categories.level1,
      closureByRegion: e.rectification.byRegion,
      overdueBuckets: e.rectification.overdue.buckets,
    },
  };
}

// --- filtered cases (all at D2 unless said) -------------------------------------------

export interface FilteredCase {
  name: string;
  filters: Omit<AppliedFilters, 'ignored'>;
  coverage?: Partial<CoverageResponse>;
  categories?: Partial<CategoriesResponse>;
  rectification?: Partial<RectificationResponse>;
  recurrence?: Partial<RecurrenceResponse>;
}

const NO_FILTERS = { term: null, roundId: null, regionId: null, unitCategory: null, categoryId: null, mode: null, countyUnits: false } as const;

/** pace with 市 3, 甲县 4, 乙县 3 units in scope at D2 (104 out: it needs a counting inspection) */
const PACE_D2_3_4_3 = ((547 / 1827) * 3 + (731 / 1827) * 4 + (912 / 1826) * 3) / 10;

const FILTERED: FilteredCase[] = [
  {
    name: 'county 甲县 (regionId 3)',
    filters: { ...NO_FILTERS, asOf: D2, regionId: 3 },
    coverage: {
      coverage: r(2, 4), // 107 109 of 107–110
      pace: 731 / 1827, // one committee
      projected: 1,
      // by township: 县直 107 ✓ 108, 东镇 109 ✓ 110
      byRegion: [regionRow(countyUnits(3), JIA_TERM, 731 / 1827, 2, 1, 1), regionRow(township(5), JIA_TERM, 731 / 1827, 2, 1, 1)],
      byUnitCategory: [cat('PARTY_GOV', 1, 1), cat('SOE', 1, 0), cat('TOWNSHIP', 1, 1), cat('VILLAGE', 1, 0)],
      uncovered: { total: 2, rows: [uncovered(110, null, null, null), uncovered(108, '2024-06-01', 394, 1.1)] },
    },
    categories: {
      total: 13,
      level1: level1(3, 5, 5),
      // 1.01: 1023; 1.02: 1004 1019; 2.01: 1020 1024; 2.02: 1005 1021 1025; 3.01: 1003 1018 1026; 3.02: 1022 1027
      level2: level2(1, 2, 2, 3, 3, 2),
      // 县直 (107 108): 1003 1004 1005 1018–1021 1025–1027; 东镇 (109): 1022 1023 1024
      byRegion: [
        { ...countyUnits(3), count: 10 },
        { ...township(5), count: 3 },
      ],
      regionCategory: [
        { ...countyUnits(3), categoryId: 1, count: 2 }, // 1004 1019
        { ...countyUnits(3), categoryId: 2, count: 4 }, // 1005 1020 1021 1025
        { ...countyUnits(3), categoryId: 3, count: 4 }, // 1003 1018 1026 1027
        { ...township(5), categoryId: 1, count: 1 }, // 1023
        { ...township(5), categoryId: 2, count: 1 }, // 1024
        { ...township(5), categoryId: 3, count: 1 }, // 1022
      ],
    },
    rectification: {
      // 1003 1004 1005 1018–1025; closed 1003 1004 1005 1018 1019 1023 1025
      findingClosure: r(7, 11),
      taskClosure: r(8, 13),
      immediateClosure: r(2, 3), // 1005 ✓ 1023 ✓ 1024
      onTime: r(5, 8), // late: 2004 2018 2024
      closedUndated: 0, // 2035 (no due date) is 未完成, not closed
      overdue: { count: 2, buckets: buckets(1, 0, 0, 1) }, // 2020 (30), 2025 (334)
      dueSoon: { within20: 1, within10: 0 }, // 2022 (20 days)
      extended: r(1, 13), // 2004
      // 0 5 117 130 143 289 538: rank 4 → 130, rank ⌈6.3⌉ = 7 → 538
      daysToClose: { count: 7, median: 130, p90: 538 },
      // 东镇 as in the township case below; 县直 the rest (overdue 2020)
      byRegion: [
        { ...countyUnits(3), ...closure(8, 6, 10, 7, 1) },
        { ...township(5), ...closure(3, 1, 3, 1, 1) },
      ],
      byRound: [
        { roundId: 204, ...closure(3, 3, 3, 3, 0) },
        { roundId: 205, ...closure(8, 4, 10, 5, 2) },
      ],
    },
    recurrence: {
      repeat: r(4, 7), // 1018 ✓ 1019 ✓ 1020 1021 1025 ✓ 1026 ✓ 1027
      rebound: r(3, 5), // 1003 ✓ 1004 1005 ✓ 1018 ✓ 1019
      // 东镇 has none (312 is its only inspection)
      byRegion: [{ ...countyUnits(3), ...rec(7, 4, 5, 3) }],
      byCategory: [
        { categoryId: 1, ...rec(1, 1, 2, 0) }, // 1019 ✓; 1004 1019
        { categoryId: 2, ...rec(3, 1, 1, 1) }, // 1020 1021 1025 ✓; 1005 ✓
        { categoryId: 3, ...rec(3, 2, 2, 2) }, // 1018 ✓ 1026 ✓ 1027; 1003 ✓ 1018 ✓
      ],
    },
  },
  {
    name: 'township 东镇 (regionId 5)',
    filters: { ...NO_FILTERS, asOf: D2, regionId: 5 },
    coverage: {
      coverage: r(1, 2), // 109 ✓, 110
      pace: 731 / 1827,
      projected: 1,
      // by unit
      byRegion: [regionRow(unitArea(109, 5), JIA_TERM, 731 / 1827, 1, 1, 1), regionRow(unitArea(110, 5), JIA_TERM, 731 / 1827, 1, 0, 0)],
      byUnitCategory: [cat('TOWNSHIP', 1, 1), cat('VILLAGE', 1, 0)],
      uncovered: { total: 1, rows: [uncovered(110, null, null, null)] },
    },
    categories: { total: 3, byRegion: [{ ...unitArea(109, 5), count: 3 }] }, // 1022 1023 1024, all of 109
    rectification: {
      findingClosure: r(1, 3), // 1023
      taskClosure: r(1, 3), // 2024 of 2023 2024 2025
      immediateClosure: r(1, 2), // 1023 ✓ 1024
      onTime: r(0, 1), // 2024 closed 2024-07-20 after 2024-06-30
      overdue: { count: 1, buckets: buckets(0, 0, 0, 1) }, // 2025
      dueSoon: { within20: 0, within10: 0 }, // 2023 is 21 days out
      extended: r(0, 3),
      daysToClose: { count: 1, median: 5, p90: 5 },
      byRegion: [{ ...unitArea(109, 5), ...closure(3, 1, 3, 1, 1) }],
      byRound: [{ roundId: 205, ...closure(3, 1, 3, 1, 1) }],
    },
    // 312 is the township's only inspection
    recurrence: { repeat: r(0, 0), rebound: r(0, 0), byRegion: [], byCategory: [] },
  },
  {
    name: 'unit category PARTY_GOV',
    filters: { ...NO_FILTERS, asOf: D2, unitCategory: 'PARTY_GOV' },
    coverage: {
      coverage: r(4, 4), // 101 104 107 111 (114 deleted)
      pace: ((547 / 1827) * 2 + (731 / 1827) * 1 + (912 / 1826) * 1) / 4,
      projected: 1,
      byRegion: [regionRow(2, CITY_TERM, 547 / 1827, 2, 2, 1), regionRow(3, JIA_TERM, 731 / 1827, 1, 1, 1), regionRow(4, YI_TERM, 912 / 1826, 1, 1, 1)],
      byUnitCategory: [cat('PARTY_GOV', 4, 4)],
      uncovered: { total: 0, rows: [] },
    },
    categories: {
      total: 17,
      level1: level1(6, 6, 5),
      unitCategoryMatrix: [
        { unitCategory: 'PARTY_GOV', categoryId: 1, count: 6 },
        { unitCategory: 'PARTY_GOV', categoryId: 2, count: 6 },
        { unitCategory: 'PARTY_GOV', categoryId: 3, count: 5 },
      ],
    },
    rectification: {
      // 1003 1004 1006–1010 1013 1014 1018–1021 1028 1029; closed 1003 1004 1006 1007 1008 1018 1019
      findingClosure: r(7, 15),
      // 2003 2004 2006–2010 2013 2014 2018–2022 2035 2029 2030; closed 2003 2004 2006–2009 2018 2019 2021
      taskClosure: r(9, 17),
      immediateClosure: r(1, 1), // 1008
      onTime: r(6, 8), // late: 2004 2018; 2008 left out
      closedUndated: 1,
      overdue: { count: 2, buckets: buckets(1, 0, 0, 1) }, // 2020 (30), 2010 (242)
      dueSoon: { within20: 4, within10: 3 }, // 2013 (0) 2014 (10) 2029 (10) 2022 (20)
      extended: r(2, 17), // 2004 2030
      // 0 87 117 130 289 360 538: rank 4 → 130; rank 7 → 538
      daysToClose: { count: 7, median: 130, p90: 538 },
      byRegion: [
        { ...county(2), ...closure(7, 3, 7, 4, 1) }, // 1006–1010 1013 1014
        { ...county(3), ...closure(6, 4, 8, 5, 1) }, // 1003 1004 1018–1021
        { ...county(4), ...closure(2, 0, 2, 0, 0) }, // 1028 1029
      ],
      byRound: [
        { roundId: 202, ...closure(5, 3, 5, 4, 1) }, // 1006–1010
        { roundId: 203, ...closure(2, 0, 2, 0, 0) },
        { roundId: 204, ...closure(2, 2, 2, 2, 0) }, // 1003 1004
        { roundId: 205, ...closure(4, 2, 6, 3, 1) }, // 1018–1021
        { roundId: 207, ...closure(2, 0, 2, 0, 0) },
      ],
    },
    recurrence: {
      repeat: r(4, 8), // 1013 ✓ 1014 1018 ✓ 1019 ✓ 1020 1021 1026 ✓ 1027 (1025 is a SOE's)
      rebound: r(3, 6), // 1003 ✓ 1004 1006 ✓ 1008 1018 ✓ 1019
      byRegion: [
        { ...county(2), ...rec(2, 1, 2, 1) },
        { ...county(3), ...rec(6, 3, 4, 2) },
      ],
      byCategory: [
        { categoryId: 1, ...rec(1, 1, 3, 0) }, // 1019 ✓; 1004 1008 1019
        { categoryId: 2, ...rec(3, 1, 1, 1) }, // 1013 ✓ 1020 1021; 1006 ✓
        { categoryId: 3, ...rec(4, 2, 2, 2) }, // 1014 1018 ✓ 1026 ✓ 1027; 1003 ✓ 1018 ✓
      ],
    },
  },
  {
    name: 'level-1 category 2',
    filters: { ...NO_FILTERS, asOf: D2, categoryId: 2 },
    // coverage ignores the category: the D2 figures, with categoryId listed as ignored
    coverage: {
      ...EXPECTED_D2.coverage,
      filters: filtersEcho(D2, { categoryId: 2, ignored: ['categoryId'] }),
    },
    categories: {
      total: 11,
      level1: level1(0, 11, 0),
      level2: level2(0, 0, 6, 5, 0, 0),
      byMode: [
        { mode: 'MOBILE', count: 1 }, // 1015
        { mode: 'REVISIT', count: 2 }, // 1013 1025
        { mode: 'ROUTINE', count: 8 }, // 1001 1005 1006 1007 1010 1020 1021 1024
      ],
    },
    rectification: {
      // fed back: 1001 1005 1006 1007 1010 1013 1020 1021 1024 1025; closed 1001 1005 1006 1007 1025
      findingClosure: r(5, 10),
      // 2001 2005 2006 2007 2008 2010 2013 2020 2035 2021 2022 2025 2026; closed 2001 2005 2006 2007 2008 2021 2026
      taskClosure: r(7, 13),
      immediateClosure: r(1, 2), // 1005 ✓ 1024
      overdue: { count: 3, buckets: buckets(1, 0, 0, 2) }, // 2020; 2010 2025
    },
    recurrence: {
      repeat: r(2, 4), // 1013 ✓ 1020 1021 1025 ✓
      rebound: r(2, 2), // 1005 ✓ 1006 ✓
      byCategory: [{ categoryId: 2, ...rec(4, 2, 2, 2) }],
    },
  },
  {
    name: 'level-2 category 3.01',
    filters: { ...NO_FILTERS, asOf: D2, categoryId: 31 },
    categories: { total: 4, level1: level1(0, 0, 4), level2: level2(0, 0, 0, 0, 4, 0) }, // 1003 1011 1018 1026
  },
  {
    name: 'mode REVISIT',
    filters: { ...NO_FILTERS, asOf: D2, mode: 'REVISIT' },
    coverage: {
      // nothing counts: 104 (abolished) drops out, every other unit active at D2 is uncovered
      coverage: r(0, 10),
      pace: PACE_D2_3_4_3,
      projected: 0,
      byRegion: [regionRow(2, CITY_TERM, 547 / 1827, 3, 0, 0), regionRow(3, JIA_TERM, 731 / 1827, 4, 0, 0), regionRow(4, YI_TERM, 912 / 1826, 3, 0, 0)],
      byUnitCategory: [
        cat('INSTITUTION', 2, 0), // 102 112
        cat('OTHER', 1, 0), // 113
        cat('PARTY_GOV', 3, 0), // 101 107 111
        cat('SOE', 2, 0), // 103 108
        cat('TOWNSHIP', 1, 0),
        cat('VILLAGE', 1, 0),
      ],
      uncovered: {
        total: 10,
        rows: [
          uncovered(110, null, null, null),
          uncovered(112, null, null, null), // 316 is after D2
          uncovered(113, null, null, null),
          uncovered(102, '2024-04-01', 455, 1.2), // 275 + 180; 1.246
          uncovered(109, '2024-05-05', 421, 1.2), // 241 + 180; 1.153
          uncovered(108, '2024-06-01', 394, 1.1),
          uncovered(101, '2025-03-01', 121, 0.3), // 308 (回头看); 181 − 60; 0.331
          uncovered(111, '2025-04-10', 81, 0.2), // 181 − 100; 0.222
          uncovered(103, '2025-05-10', 51, 0.1), // 181 − 130; 0.140
          uncovered(107, '2025-05-20', 41, 0.1), // 314; 181 − 140; 0.112
        ],
      },
    },
    categories: {
      total: 3, // 1013 1014 1025
      byMode: [{ mode: 'REVISIT', count: 3 }],
      byRound: [
        { roundId: 203, count: 2 },
        { roundId: 205, count: 1 },
      ],
    },
    rectification: {
      findingClosure: r(1, 3), // 1025 closed; 1013 1014 open
      taskClosure: r(1, 3), // 2026 of 2013 2014 2026
      immediateClosure: r(0, 0),
      onTime: r(1, 1), // 2026 closed 2024-12-15 ≤ 2024-12-31
      overdue: { count: 0, buckets: buckets(0, 0, 0, 0) },
      dueSoon: { within20: 2, within10: 2 }, // 2013 (0 days), 2014 (10)
      extended: r(0, 3),
      daysToClose: { count: 1, median: 143, p90: 143 },
      byRegion: [
        { ...county(2), ...closure(2, 0, 2, 0, 0) },
        { ...county(3), ...closure(1, 1, 1, 1, 0) },
      ],
      byRound: [
        { roundId: 203, ...closure(2, 0, 2, 0, 0) },
        { roundId: 205, ...closure(1, 1, 1, 1, 0) },
      ],
    },
    recurrence: {
      repeat: r(2, 3), // 1013 ✓ 1014 1025 ✓
      rebound: r(0, 0), // 1025 closed 2024-12-15, no later inspection of 108
      byRegion: [
        { ...county(2), ...rec(2, 1, 0, 0) },
        { ...county(3), ...rec(1, 1, 0, 0) },
      ],
      byCategory: [
        { categoryId: 2, ...rec(2, 2, 0, 0) }, // 1013 1025
        { categoryId: 3, ...rec(1, 0, 0, 0) }, // 1014
      ],
    },
  },
  {
    name: 'previous term',
    filters: { ...NO_FILTERS, asOf: D2, term: 'previous' },
    coverage: {
      // 市 term 1 (E = 2023-12-31): 101–105 active, 106 abolished 2023-06-30 but inspected (302) → 6, covered 105 106;
      // 甲县 term 3: 107 ✓ (303) 108 ✓ (304) 109 110 → 4; 乙县 term 5: 111 112 → 2, none covered
      coverage: r(4, 12),
      pace: 1, // every previous term is over
      projected: 4 / 12,
      byRegion: [
        { ...county(2), termId: 1, termStart: '2019-01-01', termEnd: '2023-12-31', pace: 1, projected: 2 / 6, inScope: 6, covered: 2, rate: 2 / 6 },
        { ...county(3), termId: 3, termStart: '2018-07-01', termEnd: '2023-06-30', pace: 1, projected: 0.5, inScope: 4, covered: 2, rate: 0.5 },
        { ...county(4), termId: 5, termStart: '2018-01-01', termEnd: '2022-12-31', pace: 1, projected: 0, inScope: 2, covered: 0, rate: 0 },
      ],
      byUnitCategory: [
        cat('INSTITUTION', 3, 1), // 102 105 ✓ 112
        cat('OTHER', 1, 1), // 106 ✓
        cat('PARTY_GOV', 4, 1), // 101 104 107 ✓ 111
        cat('SOE', 2, 1), // 103 108 ✓
        cat('TOWNSHIP', 1, 0),
        cat('VILLAGE', 1, 0),
      ],
      uncovered: {
        total: 8,
        rows: [
          uncovered(110, null, null, null),
          uncovered(112, null, null, null),
          uncovered(104, '2024-03-15', 472, 1.3), // 292 + 180; 1.292
          uncovered(102, '2024-04-01', 455, 1.2),
          uncovered(109, '2024-05-05', 421, 1.2),
          uncovered(101, '2025-03-01', 121, 0.3),
          uncovered(111, '2025-04-10', 81, 0.2),
          uncovered(103, '2025-05-10', 51, 0.1),
        ],
      },
    },
    categories: {
      total: 5, // 1001–1005 (rounds 201 and 204)
      level1: level1(2, 2, 1),
      byRound: [
        { roundId: 201, count: 2 },
        { roundId: 204, count: 3 },
      ],
      quarterly: EXPECTED_D1.categories.quarterly.slice(0, 5),
    },
    rectification: {
      findingClosure: r(5, 5),
      taskClosure: r(5, 5),
      immediateClosure: r(1, 1), // 1005
      onTime: r(3, 5), // 2002 2004 late
      overdue: { count: 0, buckets: buckets(0, 0, 0, 0) },
      dueSoon: { within20: 0, within10: 0 },
      extended: r(1, 5), // 2004
      // 0 130 163 207 538: rank 3 → 163; rank 5 → 538
      daysToClose: { count: 5, median: 163, p90: 538 },
      byRegion: [
        { ...county(2), ...closure(2, 2, 2, 2, 0) },
        { ...county(3), ...closure(3, 3, 3, 3, 0) },
      ],
      byRound: [
        { roundId: 201, ...closure(2, 2, 2, 2, 0) },
        { roundId: 204, ...closure(3, 3, 3, 3, 0) },
      ],
    },
    recurrence: {
      repeat: r(0, 0), // 301–304 are first inspections
      rebound: r(2, 3), // 1003 ✓ 1004 ✗ 1005 ✓ (1001 1002: units never inspected again)
      byRegion: [{ ...county(3), ...rec(0, 0, 3, 2) }],
      byCategory: [
        { categoryId: 1, ...rec(0, 0, 1, 0) }, // 1004
        { categoryId: 2, ...rec(0, 0, 1, 1) }, // 1005
        { categoryId: 3, ...rec(0, 0, 1, 1) }, // 1003
      ],
    },
  },
  {
    name: 'current term',
    filters: { ...NO_FILTERS, asOf: D2, term: 'current' },
    coverage: { coverage: r(7, 11) }, // coverage's default
    categories: { total: 23 }, // 28 − 1001…1005
  },
  {
    name: 'round 205',
    filters: { ...NO_FILTERS, asOf: D2, roundId: 205 },
    coverage: {
      // a county round: the units of its committee (甲县委: 107–110), not every committee's.
      // counting: 311 (107), 312 (109); 313 is 回头看.
      coverage: r(2, 4),
      pace: 731 / 1827, // 甲县委's current term alone
      projected: 1, // 0.5 ÷ 0.40 > 1
      byRegion: [regionRow(3, JIA_TERM, 731 / 1827, 4, 2, 1)],
      byUnitCategory: [
        cat('PARTY_GOV', 1, 1), // 107
        cat('SOE', 1, 0), // 108
        cat('TOWNSHIP', 1, 1), // 109
        cat('VILLAGE', 1, 0), // 110
      ],
      uncovered: { total: 2, rows: [uncovered(110, null, null, null), uncovered(108, '2024-06-01', 394, 1.1)] },
    },
    categories: { total: 8, byRound: [{ roundId: 205, count: 8 }] },
    rectification: {
      findingClosure: r(4, 8),
      taskClosure: r(5, 10),
      byRound: [{ roundId: 205, ...closure(8, 4, 10, 5, 2) }],
    },
    recurrence: {
      repeat: r(3, 5), // 1018 ✓ 1019 ✓ 1020 1021 1025 ✓
      rebound: r(1, 2), // 1018 ✓ (←1026), 1019
    },
  },
  {
    name: 'round 202 (a city round)',
    filters: { ...NO_FILTERS, asOf: D2, roundId: 202 },
    coverage: {
      // the units of its committee (市委: 101–106) over 市委's current term (E = D2): 101 102 103 active,
      // 104 abolished in the term and inspected in the round (306) → in; 105 (only 301, round 201) and
      // 106 (abolished before the term) out. Covered by the round: 101 (305), 102 (307), 104 (306).
      coverage: r(3, 4),
      pace: 547 / 1827,
      projected: 1, // 0.75 ÷ 0.30 > 1
      byRegion: [regionRow(2, CITY_TERM, 547 / 1827, 4, 3, 1)],
      byUnitCategory: [cat('INSTITUTION', 1, 1), cat('PARTY_GOV', 2, 2), cat('SOE', 1, 0)],
      uncovered: { total: 1, rows: [uncovered(103, '2025-05-10', 51, 0.1)] },
    },
  },
  {
    name: 'round 201 (市委, previous term) without term=previous',
    filters: { ...NO_FILTERS, asOf: D2, roundId: 201 },
    coverage: {
      // 市委's term 1 (E = 2023-12-31): 101–105 active, 106 abolished 2023-06-30 and inspected in the round (302)
      // → 6 in scope; covered 105 (301) and 106 (302). Every day of the term has passed: pace 1.
      coverage: r(2, 6),
      pace: 1,
      projected: 2 / 6,
      byRegion: [{ ...county(2), termId: 1, termStart: '2019-01-01', termEnd: '2023-12-31', pace: 1, projected: 2 / 6, inScope: 6, covered: 2, rate: 2 / 6 }],
      byUnitCategory: [
        cat('INSTITUTION', 2, 1), // 102 105 ✓
        cat('OTHER', 1, 1), // 106 ✓
        cat('PARTY_GOV', 2, 0), // 101 104
        cat('SOE', 1, 0), // 103
      ],
      uncovered: {
        total: 4,
        rows: [
          uncovered(104, '2024-03-15', 472, 1.3),
          uncovered(102, '2024-04-01', 455, 1.2),
          uncovered(101, '2025-03-01', 121, 0.3),
          uncovered(103, '2025-05-10', 51, 0.1),
        ],
      },
    },
  },
  {
    name: '市本级 (regionId 2): on-time rate without 长期坚持 tasks',
    filters: { ...NO_FILTERS, asOf: D2, regionId: 2 },
    rectification: {
      // tasks: 2001 2002 2006–2014 (1009 has none; 2034 does not exist); closed 2001 2002 2006 2007 2008 2009 2012
      taskClosure: r(7, 11),
      // on time: 2001 (11-30 ≤ 12-31), 2006, 2007 (12-20 ≤ 12-31), 2009, 2012; late: 2002 (2022-01-15 > 2021-10-31);
      // 2008 (长期坚持, closed 2025-05-15, no original due date) on neither side
      onTime: r(5, 6),
      closedUndated: 1,
    },
    categories: {
      total: 13,
      // by 市直 unit category, in the order of the categories: PARTY_GOV 101 (1006–1009 1013 1014) 104 (1010);
      // INSTITUTION 105 (1001) 102 (1011 1012); SOE 103 (1015 1016); OTHER 106 (1002)
      byRegion: [
        { ...unitCategoryArea('PARTY_GOV', 2, '党政机关'), count: 7 },
        { ...unitCategoryArea('INSTITUTION', 2, '事业单位'), count: 3 },
        { ...unitCategoryArea('SOE', 2, '国有企业'), count: 2 },
        { ...unitCategoryArea('OTHER', 2, '其他'), count: 1 },
      ],
    },
  },
  {
    name: '市本级 and a unit category (regionId 2, PARTY_GOV): by unit',
    filters: { ...NO_FILTERS, asOf: D2, regionId: 2, unitCategory: 'PARTY_GOV' },
    coverage: {
      // 101 (305), 104 (306, abolished 2024-12-31 after it): both covered in 市委's second term
      byRegion: [regionRow(unitArea(101, 2), CITY_TERM, 547 / 1827, 1, 1, 1), regionRow(unitArea(104, 2), CITY_TERM, 547 / 1827, 1, 1, 1)],
    },
    categories: {
      total: 7,
      byRegion: [
        { ...unitArea(101, 2), count: 6 }, // 1006–1009 1013 1014
        { ...unitArea(104, 2), count: 1 }, // 1010
      ],
    },
  },
];

export const FIXTURE_EXPECTED = {
  asOf: { [D1]: EXPECTED_D1, [D2]: EXPECTED_D2, [D3]: EXPECTED_D3 } as Record<string, ExpectedAsOf>,
  filtered: FILTERED,
  /** D1 with COVERAGE_MODES including REVISIT: 108 is covered by 313 (2024-06-01) → 6 of 10 */
  coverageWithRevisitD1: { coverage: r(6, 10), uncoveredTotal: 4 },
  /** D1's uncovered list, limit 2 from offset 1: 110 and 111 of 103 110 111 112 108 */
  uncoveredPageD1: { total: 5, unitIds: [110, 111] },
};
