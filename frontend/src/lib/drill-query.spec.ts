import { drillQuery, type DrillParents } from './drill-query';

// city 1 → county 10 → townships 101, 102; county 20. Level-1 category 5 → 51, 52; level-1 6.
const regions = new Map([
  [10, 1],
  [20, 1],
  [101, 10],
  [102, 10],
]);
const categories = new Map([
  [51, 5],
  [52, 5],
]);
const parents: DrillParents = { region: (id) => regions.get(id), category: (id) => categories.get(id) };

describe('the query a chart element opens', () => {
  it("adds the element's keys to the page's filters", () => {
    expect(drillQuery({ mode: 'ROUTINE' }, { categoryId: '5', recurrence: 'repeat' }, parents)).toEqual({
      mode: 'ROUTINE',
      categoryId: '5',
      recurrence: 'repeat',
    });
  });
  it("keeps the page's narrower filter inside the element", () => {
    expect(drillQuery({ regionId: '101', categoryId: '52' }, { regionId: '10', categoryId: '5' }, parents)).toEqual({ regionId: '101', categoryId: '52' });
  });
  it("takes the element inside the page's filter", () => {
    expect(drillQuery({ regionId: '1', categoryId: '5' }, { regionId: '10', categoryId: '51' }, parents)).toEqual({ regionId: '10', categoryId: '51' });
  });
  it("opens nothing for an element outside the page's filter", () => {
    expect(drillQuery({ regionId: '101' }, { regionId: '20' }, parents)).toBeUndefined();
    expect(drillQuery({ categoryId: '51' }, { categoryId: '6' }, parents)).toBeUndefined();
  });
});
