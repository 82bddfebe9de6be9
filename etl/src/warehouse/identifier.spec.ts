import { WarehouseError } from './errors';
import { identifier, insertStatement, plainIdentifier } from './identifier';

describe('identifier', () => {
  const columns = ['region_code', 'unit_category', 'tasks.status'] as const;

  it('returns an allow-listed name unchanged', () => {
    expect(identifier('region_code', columns)).toBe('region_code');
    expect(identifier('tasks.status', new Set(columns))).toBe('tasks.status');
  });

  it('refuses a name that is not on the list', () => {
    expect(() => identifier('password', columns)).toThrow(new WarehouseError('identifier "password" is not allowed here'));
    expect(() => identifier('region_code; DROP TABLE tasks', columns)).toThrow(WarehouseError);
    expect(() => identifier('Region_Code', columns)).toThrow(WarehouseError);
  });

  it('refuses an allow-listed entry that is not a plain identifier', () => {
    expect(() => identifier('1; DROP TABLE x', ['1; DROP TABLE x'])).toThrow('is not a plain identifier');
    expect(() => identifier('a b', ['a b'])).toThrow('is not a plain identifier');
  });
});

describe('plainIdentifier', () => {
  it('accepts names and db.table, refuses anything else', () => {
    expect(plainIdentifier('xt_1a', 'database')).toBe('xt_1a');
    expect(plainIdentifier('xuncha.tasks', 'table')).toBe('xuncha.tasks');
    for (const bad of ['', '1abc', 'a-b', 'a.b.c', 'a`', "a'", '巡察']) {
      expect(() => plainIdentifier(bad, 'table')).toThrow(WarehouseError);
    }
  });
});

describe('insertStatement', () => {
  it('names the table, the columns and the format', () => {
    expect(insertStatement('xuncha.fact_tasks', ['task_id', 'status'], 'TabSeparated')).toBe(
      'INSERT INTO xuncha.fact_tasks (task_id, status) FORMAT TabSeparated',
    );
    expect(insertStatement('facts', undefined, 'JSONEachRow')).toBe('INSERT INTO facts FORMAT JSONEachRow');
  });

  it('refuses bad names and an empty column list', () => {
    expect(() => insertStatement('facts; DROP TABLE x', undefined, 'JSONEachRow')).toThrow('invalid table name');
    expect(() => insertStatement('facts', ['ok', 'status) SELECT 1 --'], 'TabSeparated')).toThrow('invalid column name');
    expect(() => insertStatement('facts', [], 'TabSeparated')).toThrow('empty column list');
  });
});
