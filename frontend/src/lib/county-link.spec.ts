import { ownCountyQuery } from './county-link';

describe("a county user's link to another county", () => {
  const regions = new Set([1, 5, 51, 52]);
  const rounds = new Set([7, 8]);
  it('lands on their own county and drops a round of another committee', () => {
    expect(ownCountyQuery({ regionId: '6', roundId: '9', asOf: '2026-01-01' }, 5, regions, rounds)).toEqual({ regionId: '5', asOf: '2026-01-01' });
    expect(ownCountyQuery({ roundId: '9' }, 5, regions, rounds)).toEqual({});
  });
  it('leaves their own links alone', () => {
    expect(ownCountyQuery({ regionId: '51', roundId: '7' }, 5, regions, rounds)).toBeUndefined();
    expect(ownCountyQuery({}, 5, regions, rounds)).toBeUndefined();
  });
});
