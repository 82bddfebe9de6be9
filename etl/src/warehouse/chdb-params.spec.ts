import { parameterSettings, placeholderNames } from './chdb-params';
import { WarehouseError } from './errors';
import { prepareParams } from './values';

describe('placeholderNames', () => {
  it('finds placeholders in the statement, not in its comments or string literals', () => {
    const sql = `SELECT {a:UInt64}, { b : Array(Nullable(UInt64)) }, {c:DateTime('Asia/Shanghai')}, '{d:String}' -- {e:Date}
      /* {f:Date} */ FROM t WHERE x = {a:UInt64}`;
    expect([...placeholderNames(sql)]).toEqual(['a', 'b', 'c']);
  });
});

describe('parameterSettings', () => {
  it('is undefined without placeholders', () => {
    expect(parameterSettings('SELECT 1', { unused: 1 })).toBeUndefined();
  });

  it('sets each placeholder to the text a server receives for it, as one literal per value', () => {
    const sql = 'SELECT {s:String}, {n:Nullable(String)}, {ids:Array(UInt64)}, {names:Array(String)}, {d:Date}, {flag:UInt8}';
    const params = prepareParams(sql, {
      s: "it's a\\b\tc",
      n: null,
      ids: ['1', '18446744073709551615'],
      names: ["o'brien"],
      d: '2024-02-29',
      flag: true,
      extra: 'x; DROP',
    });
    // The value texts are what @clickhouse/client sends as param_<name> (TSV-escaped, \N for
    // NULL, quoted array elements); the SET literal quotes that text once more.
    expect(parameterSettings(sql, params)).toBe(
      "SET param_s = 'it\\\\\\'s a\\\\\\\\b\\\\tc', param_n = '\\\\N', param_ids = '[1,18446744073709551615]', " +
        "param_names = '[\\'o\\\\\\'brien\\']', param_d = '2024-02-29', param_flag = '1'",
    );
  });

  it('refuses a placeholder without a value (the connection may hold an earlier one)', () => {
    expect(() => parameterSettings('SELECT {a:UInt8}, {b:UInt8}', { a: 1 })).toThrow(WarehouseError);
    expect(() => parameterSettings('SELECT {a:UInt8}, {b:UInt8}', { a: 1 })).toThrow(expect.objectContaining({ code: 456, type: 'UNKNOWN_QUERY_PARAMETER' }));
  });

  it('names only what the statement holds: a parameter name never reaches the SQL unread', () => {
    const settings = parameterSettings('SELECT {a:UInt8}', { a: 1, 'b = 1; DROP TABLE t': 2 });
    expect(settings).toBe("SET param_a = '1'");
  });
});
