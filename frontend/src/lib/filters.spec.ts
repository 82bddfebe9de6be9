import { filtersFromQuery, pastQuarters, quarterEnd, quarterKeyOf, withFilters } from './filters';

describe('filters in the URL', () => {
  it('reads the API’s parameter names and nothing else', () => {
    expect(filtersFromQuery({ regionId: '3', mode: 'ROUTINE', page: '2', sort: '-id', asOf: '', term: ['previous', 'current'] })).toEqual({
      regionId: '3',
      mode: 'ROUTINE',
      term: 'previous',
    });
  });

  it('changes one filter, keeps the other keys and goes back to page 1', () => {
    expect(withFilters({ regionId: '3', sort: '-id', page: '4' }, { mode: 'SPECIAL', regionId: undefined })).toEqual({ sort: '-id', mode: 'SPECIAL' });
  });
});

describe('quarters', () => {
  it('knows each quarter’s last day, leap years included', () => {
    expect(quarterEnd(2024, 1)).toBe('2024-03-31');
    expect(quarterEnd(2024, 2)).toBe('2024-06-30');
    expect(quarterEnd(2025, 4)).toBe('2025-12-31');
    expect(quarterKeyOf('2025-09-30')).toBe('2025-Q3');
    expect(quarterKeyOf('2025-09-29')).toBeUndefined();
  });

  it('lists the quarters ended by today, newest first', () => {
    expect(pastQuarters('2026-01-15', 3).map((q) => q.end)).toEqual(['2025-12-31', '2025-09-30', '2025-06-30']);
  });
});
