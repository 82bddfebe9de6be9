import { WarehouseError } from './errors';
import { PAGE_SETTINGS, pageStatement, parsePage } from './page';

describe('page queries', () => {
  it('ask for an exact count of the rows before the LIMIT, read in any order', () => {
    expect(pageStatement('SELECT id FROM t ORDER BY id LIMIT 10')).toBe(
      'SELECT id FROM t ORDER BY id LIMIT 10\nSETTINGS exact_rows_before_limit = 1, optimize_read_in_order = 0',
    );
    expect(PAGE_SETTINGS).toContain('exact_rows_before_limit = 1');
  });

  it('read the rows and the count, given as a number or a quoted 64-bit integer', () => {
    expect(parsePage({ data: [{ id: '7' }], rows_before_limit_at_least: 1234 }, 'q')).toEqual({ rows: [{ id: '7' }], rowsBeforeLimit: 1234 });
    expect(parsePage({ data: [], rows_before_limit_at_least: '98765' }, 'q')).toEqual({ rows: [], rowsBeforeLimit: 98765 });
  });

  it('throw when the answer has no count (a SELECT without LIMIT), never taking the rows for the total', () => {
    expect(() => parsePage({ data: [{ n: '5' }] }, 'SELECT count() AS n FROM t')).toThrow(WarehouseError);
    expect(() => parsePage({ rows_before_limit_at_least: 3 }, 'q')).toThrow('lacks its rows');
  });
});
