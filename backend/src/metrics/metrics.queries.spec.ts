import type { Scope } from '../dimensions/scope';
import {
  buildCategoriesQuery,
  buildCoverageQuery,
  buildRectificationTasksQuery,
  buildFindingTotalsQuery,
  buildReboundQuery,
  buildRepeatQuery,
  buildUncoveredQuery,
  buildSummaryCategoriesQuery,
  buildSummaryCloseDaysQuery,
  buildSummaryFindingClosureQuery,
  buildSummaryRecurrenceQuery,
  buildSummaryTaskFiguresQuery,
  CATEGORY_SETS,
  filterConditions,
  findingsSubquery,
  groupingMask,
  taskStateCte,
} from './metrics.queries';

const base: Scope = { filters: { asOf: '2025-06-30' }, asOf: '2025-06-30', coverageTerms: [] };
/** A quarter end's build (as-of = base's). */
const quarter = { kind: 'quarter', quarterEnd: '2025-06-30', build: '1732400000000123' } as const;
/** The current-state tables. */
const summary = { kind: 'summary' } as const;
const full: Scope = {
  ...base,
  termIds: [2, 4],
  roundId: 7,
  countyId: 3,
  unitCategory: 'VILLAGE',
  category1Id: 1,
  mode: 'ROUTINE',
};

/** Every {name:Type} placeholder of a query. */
const placeholders = (sql: string) => [...new Set([...sql.matchAll(/\{(\w+):[^}]+\}/g)].map((m) => m[1]))].sort();

describe('filterConditions', () => {
  it('turns each filter into one parameterized condition', () => {
    const { where, params } = filterConditions(full, { categories: true });
    expect(where).toEqual([
      'term_id IN {termIds:Array(UInt32)}',
      'round_id = {roundId:UInt32}',
      'county_id = {countyId:UInt32}',
      'unit_category = {unitCategory:String}',
      'mode = {mode:String}',
      'category1_id = {category1Id:UInt32}',
    ]);
    expect(params).toEqual({ termIds: [2, 4], roundId: 7, countyId: 3, unitCategory: 'VILLAGE', mode: 'ROUTINE', category1Id: 1 });
  });

  it('leaves the category out for tables without one, and filters a township by region', () => {
    const { where } = filterConditions({ ...base, townshipId: 12, category2Id: 9 }, { categories: false });
    expect(where).toEqual(['region_id = {regionId:UInt32}']);
    expect(filterConditions({ ...base, category2Id: 9 }, { categories: true }).where).toEqual(['category_id = {category2Id:UInt32}']);
  });

  it('never splices a value into the text', () => {
    const { where } = filterConditions({ ...full, unitCategory: "VILLAGE' OR 1=1 --" as never }, { categories: true });
    expect(where.join(' ')).not.toContain('OR 1=1');
  });
});

describe('taskStateCte', () => {
  it('reads the current state when no later event is loaded', () => {
    const cte = taskStateCte(full, { fedBack: true, current: true });
    expect(cte.query).toContain('current_due_date AS due');
    expect(cte.query).not.toContain('fact_task_events');
    expect(cte.query).toContain('feedback_date <= {asOf:Date}');
  });

  it('reads the open tasks alone (fact_open_tasks) when the caller wants only those and the state is current', () => {
    expect(taskStateCte(full, { fedBack: true, current: true, openOnly: true }).query).toContain('FROM fact_open_tasks FINAL');
    expect(taskStateCte(full, { fedBack: true, current: true }).query).toContain('FROM fact_tasks FINAL');
    expect(taskStateCte(full, { fedBack: true, current: false, openOnly: true }).query).not.toContain('fact_open_tasks');
  });

  it('joins the states as of D with the filtered tasks once, without a second pass over the tasks', () => {
    const cte = taskStateCte(full, { fedBack: true, current: false });
    expect(cte.query.match(/FROM fact_tasks FINAL/g)).toHaveLength(1);
    expect(taskStateCte(base, { fedBack: true, current: false }).query).not.toContain('IN (SELECT');
  });

  it('prunes both reads of a county, township or round to its tasks’ ids, read without FINAL under the same filters', () => {
    const ids =
      'IN (SELECT id FROM fact_tasks WHERE is_deleted = 0\n    AND found_date <= {asOf:Date}\n    AND feedback_date <= {asOf:Date}\n    AND region_id = {regionId:UInt32})';
    const township = taskStateCte({ ...base, townshipId: 12 }, { fedBack: true, current: false }).query;
    expect(township).toContain(`task_id ${ids}`);
    expect(township.split(`id ${ids}`)).toHaveLength(3);
    expect(taskStateCte({ ...base, townshipId: 12 }, { fedBack: true, current: true }).query).toContain(`id ${ids}`);
    expect(taskStateCte({ ...base, roundId: 7 }, { fedBack: false, current: false }).query).toContain('task_id IN (SELECT id FROM fact_tasks WHERE');
    expect(taskStateCte({ ...base, category1Id: 1, mode: 'ROUTINE' }, { fedBack: false, current: false }).query).not.toContain('IN (SELECT');
    // a drill list's unit narrows the read as a scope does
    expect(taskStateCte(base, { fedBack: false, current: false, where: ['unit_id = {listUnitId:UInt32}'] }).query).toContain(
      'task_id IN (SELECT id FROM fact_tasks WHERE is_deleted = 0\n    AND found_date <= {asOf:Date}\n    AND unit_id = {listUnitId:UInt32})',
    );
    expect(findingsSubquery(base, false, 'id', 'fact_findings', ['unit_id = {listUnitId:UInt32}']).query).toContain(
      'id IN (SELECT id FROM fact_findings WHERE is_deleted = 0\n    AND found_date <= {asOf:Date}\n    AND unit_id = {listUnitId:UInt32})',
    );
    expect(findingsSubquery(base, false, 'id').query).not.toContain('IN (SELECT');
    // a list page's ids and the small fact_open_tasks need no pruning
    expect(taskStateCte(full, { fedBack: true, current: false, ids: ['5'] }).query).not.toContain('IN (SELECT');
    expect(taskStateCte(full, { fedBack: true, current: true, openOnly: true }).query).not.toContain('IN (SELECT');
  });

  it('reads the state between events otherwise, keeping only tasks that had a status by then', () => {
    const cte = taskStateCte(base, { fedBack: false, current: false });
    expect(cte.query).toContain('FROM fact_task_state FINAL');
    expect(cte.query).toContain('valid_from <= {asOf:Date} AND valid_to > {asOf:Date}');
    expect(cte.query).toContain('status IS NOT NULL');
    expect(cte.query).not.toContain('feedback_date <= {asOf:Date}');
  });
});

describe('metric queries', () => {
  const options = { countingModes: ['ROUTINE', 'SPECIAL'], uncoveredLimit: 50, uncoveredOffset: 100 };
  const builders = {
    findingTotals: buildFindingTotalsQuery(full),
    rectificationAsOf: buildRectificationTasksQuery(full, false),
    rectificationCurrent: buildRectificationTasksQuery(full, true),
    categories: buildCategoriesQuery(full),
    coverage: buildCoverageQuery(
      { ...full, coverageTerms: [{ id: 2, committeeRegionId: 1, ordinal: 3, name: '', startDate: '2023-01-01', endDate: '2027-12-31' }] },
      options,
    ),
    uncovered: buildUncoveredQuery(full, options),
    unitCoverage: buildCoverageQuery({ ...full, roundId: undefined }, { ...options, source: summary }),
    unitUncovered: buildUncoveredQuery({ ...full, roundId: undefined }, { ...options, source: summary }),
    repeat: buildRepeatQuery(full),
    rebound: buildReboundQuery(full, false),
    summaryCategories: buildSummaryCategoriesQuery(full),
    summaryFindingClosure: buildSummaryFindingClosureQuery(full),
    summaryCloseDays: buildSummaryCloseDaysQuery(full),
    summaryTaskFigures: buildSummaryTaskFiguresQuery(full),
    summaryRecurrence: buildSummaryRecurrenceQuery(full),
    quarterCoverage: buildCoverageQuery({ ...full, roundId: undefined }, { ...options, source: quarter }),
    quarterUncovered: buildUncoveredQuery({ ...full, roundId: undefined }, { ...options, source: quarter }),
    quarterCategories: buildSummaryCategoriesQuery(full, quarter),
    quarterFindingClosure: buildSummaryFindingClosureQuery(full, quarter),
    quarterCloseDays: buildSummaryCloseDaysQuery(full, quarter),
    quarterTaskFigures: buildSummaryTaskFiguresQuery(full, quarter),
    quarterRecurrence: buildSummaryRecurrenceQuery(full, quarter),
  };

  it.each(Object.entries(builders))('%s: every placeholder has its parameter and no parameter is unused', (_name, sql) => {
    expect(placeholders(sql.query)).toEqual(Object.keys(sql.params).sort());
  });

  it('coverage counts only the counting modes, within each committee’s term up to as-of', () => {
    const { query, params } = builders.coverage;
    expect(query).toContain('i.mode IN {countingModes:Array(String)}');
    expect(query).toContain('least(end_date, {asOf:Date}) AS e');
    expect(query).toContain('i.stationed_from >= t.start_date');
    expect(query).toContain('WHERE active OR (abolished_in_term AND covered)');
    expect(params).toMatchObject({ countingModes: ['ROUTINE', 'SPECIAL'], coverageTermIds: [2] });
    expect(builders.uncovered.params).toMatchObject({ limit: 50, offset: 100 });
  });

  it('rectification evaluates the tasks’ state as of D once for the closed findings, their days and the task figures', () => {
    const { query } = builders.rectificationAsOf;
    expect(query.match(/FROM fact_task_state FINAL/g)).toHaveLength(1);
    expect(query).toContain('GROUP BY GROUPING SETS ((county_id, area, round_id, immediate), (days))');
  });

  it('recurrence compares with the units’ history without re-evaluating the counted findings', () => {
    // as of a past day the closed findings are their spans closed on the day, no task state; today the tasks' current state once
    expect(builders.rebound.query).not.toContain('fact_task_state');
    expect(builders.rebound.query.match(/FROM fact_finding_closure AS k FINAL/g)).toHaveLength(1);
    expect(builders.rebound.query).toContain('closed_from <= {asOf:Date}');
    expect(builders.rebound.query).toContain('closed_to > {asOf:Date}');
    const reboundToday = buildReboundQuery(full, true).query;
    expect(reboundToday.match(/FROM fact_tasks FINAL/g)).toHaveLength(1);
    expect(reboundToday).not.toContain('fact_finding_closure');
    // the only subqueries are a county's ids, which prune the reads of its facts and of its findings' closure spans
    const subqueries = (sql: string) => [...sql.matchAll(/IN \(SELECT id FROM (\w+) WHERE/g)].map((m) => m[1]);
    expect(subqueries(builders.repeat.query)).toEqual(['fact_findings', 'fact_findings']);
    expect(builders.repeat.query.match(/IN \(SELECT/g)).toHaveLength(2);
    expect(subqueries(builders.rebound.query)).toEqual(['fact_findings']);
    expect(builders.rebound.query).toContain('WHERE finding_id IN (SELECT id FROM fact_findings WHERE');
    expect(builders.rebound.query.match(/IN \(SELECT/g)).toHaveLength(1);
    expect(subqueries(reboundToday)).toEqual(['fact_tasks']);
    expect(reboundToday.match(/IN \(SELECT/g)).toHaveLength(1);
    expect(buildRepeatQuery(base).query).not.toContain('IN (SELECT');
    expect(buildReboundQuery(base, false).query).not.toContain('IN (SELECT');
    expect(buildReboundQuery(base, true).query).not.toContain('IN (SELECT');
  });

  it('coverage from each unit’s latest inspection by mode: the counting modes’ days within the term', () => {
    const { query, params } = builders.unitCoverage;
    expect(query).toContain('FROM fact_unit_coverage AS u FINAL');
    expect(query).not.toContain('fact_inspections');
    expect(query).toContain(
      'coalesce(u.last_routine >= t.start_date AND u.last_routine <= t.e, 0) OR coalesce(u.last_special >= t.start_date AND u.last_special <= t.e, 0)',
    );
    expect(query).not.toContain('last_mobile >=');
    expect(params).not.toHaveProperty('countingModes');
    expect(builders.unitUncovered.query).toContain('ORDER BY (last_date IS NULL) DESC, last_date, unit_id');
    expect(buildCoverageQuery(base, { ...options, countingModes: [], source: summary }).query).toContain('toUInt8(0) AS covered');
    expect(() => buildCoverageQuery(full, { ...options, source: summary })).toThrow(/round/);
  });

  it('the categories query counts every grouping of the page in one pass', () => {
    for (const set of Object.values(CATEGORY_SETS)) {
      expect(builders.categories.query).toContain(`(${set.join(', ')})`);
      expect(builders.summaryCategories.query).toContain(`(${set.join(', ')})`);
    }
  });
});

describe('queries over the current-state summary', () => {
  it('apply the same filters, by the same columns, to fact_finding_summary', () => {
    const { where } = filterConditions(full, { categories: true });
    for (const sql of [buildSummaryCategoriesQuery(full), buildSummaryTaskFiguresQuery(full), buildSummaryRecurrenceQuery(full)]) {
      expect(sql.query).toContain('FROM fact_finding_summary FINAL');
      for (const condition of where) expect(sql.query).toContain(condition);
    }
  });

  it('rectification reads the findings fed back only; recurrence and categories every finding', () => {
    expect(buildSummaryFindingClosureQuery(full).query).toContain('fed_back = 1');
    expect(buildSummaryCloseDaysQuery(full).query).toContain('fed_back = 1');
    expect(buildSummaryTaskFiguresQuery(full).query).toContain('fed_back = 1');
    expect(buildSummaryRecurrenceQuery(full).query).not.toContain('fed_back');
    expect(buildSummaryCategoriesQuery(full).query).not.toContain('fed_back');
  });

  it('evaluates overdue, aging and due soon at the as-of day from the open tasks’ due dates', () => {
    const { query, params } = buildSummaryTaskFiguresQuery(full);
    expect(query).toContain('sumMap(open_due)');
    expect(query).toContain("dateDiff('day', d, {asOf:Date}) BETWEEN 31 AND 90");
    expect(params.asOf).toBe('2025-06-30');
  });

  it('refuses a township filter: the summary is by county', () => {
    expect(() => buildSummaryCategoriesQuery({ ...base, townshipId: 12 })).toThrow(/township/);
    expect(() => buildSummaryCategoriesQuery({ ...base, townshipId: 12 }, quarter)).toThrow(/township/);
  });
});

describe('queries over a quarter end’s state', () => {
  const options = { countingModes: ['ROUTINE', 'SPECIAL'], uncoveredLimit: 50, uncoveredOffset: 100 };
  it('read one build of quarter_summary, with the same filters, without FINAL', () => {
    const { where } = filterConditions(full, { categories: true });
    for (const sql of [
      buildSummaryCategoriesQuery(full, quarter),
      buildSummaryFindingClosureQuery(full, quarter),
      buildSummaryCloseDaysQuery(full, quarter),
      buildSummaryTaskFiguresQuery(full, quarter),
      buildSummaryRecurrenceQuery(full, quarter),
    ]) {
      expect(sql.query).toContain('FROM quarter_summary\n');
      expect(sql.query).not.toContain('fact_finding_summary');
      expect(sql.query).not.toContain('FINAL');
      expect(sql.query).toContain('as_of = {quarterAsOf:Date}');
      expect(sql.query).toContain('build = {quarterBuild:UInt64}');
      expect(sql.params).toMatchObject({ quarterAsOf: '2025-06-30', quarterBuild: '1732400000000123' });
      for (const condition of where) expect(sql.query).toContain(condition);
    }
  });

  it('coverage reads the build’s units, as it reads fact_unit_coverage', () => {
    const { query, params } = buildCoverageQuery({ ...full, roundId: undefined }, { ...options, source: quarter });
    expect(query).toContain('FROM quarter_units AS u\n');
    expect(query).toContain('u.as_of = {quarterAsOf:Date}');
    expect(query).toContain('u.build = {quarterBuild:UInt64}');
    expect(query).not.toContain('fact_inspections');
    expect(query).not.toContain('u.is_deleted');
    expect(params).toMatchObject({ quarterAsOf: '2025-06-30', quarterBuild: '1732400000000123' });
    expect(() => buildCoverageQuery(full, { ...options, source: quarter })).toThrow(/round/);
  });

  it('refuses a build of another day', () => {
    expect(() => buildSummaryCategoriesQuery({ ...full, asOf: '2025-03-31' }, quarter)).toThrow(/2025-06-30/);
  });
});

describe('groupingMask', () => {
  it('sets a bit for every column outside the set, the first column highest', () => {
    // columns: category_id, area, category1_id, unit_category, round_id, mode, quarter
    expect(groupingMask(['category_id'])).toBe(0b0111111);
    expect(groupingMask(['area', 'category1_id'])).toBe(0b1001111);
    expect(groupingMask(['quarter', 'category1_id'])).toBe(0b1101110);
    expect(groupingMask(['days'], ['county_id', 'area', 'round_id', 'immediate', 'days'])).toBe(0b11110);
  });
});
