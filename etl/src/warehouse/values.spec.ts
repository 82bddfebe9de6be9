import { WarehouseError } from './errors';
import { parseJsonEachRow, placeholderTypes, prepareParams, toJsonEachRow } from './values';

describe('prepareParams', () => {
  it('reads placeholder types', () => {
    expect(placeholderTypes("SELECT {a:UInt64}, { b : Array(Nullable(UInt64)) }, {c:DateTime('Asia/Shanghai')}")).toEqual(
      new Map([
        ['a', 'UInt64'],
        ['b', 'Array(Nullable(UInt64))'],
        ['c', "DateTime('Asia/Shanghai')"],
      ]),
    );
  });

  it('turns decimal strings into bigint only in arrays of 64-bit integers, and booleans into 1/0', () => {
    const sql = 'SELECT {ids:Array(UInt64)}, {names:Array(String)}, {id:UInt64}, {flag:UInt8}';
    expect(prepareParams(sql, { ids: ['1', '18446744073709551615'], names: ['1'], id: '7', flag: true })).toEqual({
      ids: [1n, 18446744073709551615n],
      names: ['1'],
      id: '7',
      flag: 1,
    });
  });

  it('refuses Date objects and undefined', () => {
    expect(() => prepareParams('SELECT {d:Date}', { d: new Date() })).toThrow(
      new WarehouseError("parameter d is a Date object: pass dates as 'YYYY-MM-DD' or 'YYYY-MM-DD hh:mm:ss' strings"),
    );
    expect(() => prepareParams('SELECT {d:String}', { d: undefined })).toThrow('parameter d is undefined');
  });
});

describe('toJsonEachRow', () => {
  it('writes one JSON object a line, bigint as string, booleans as 1/0', async () => {
    const text = (
      await toJsonEachRow([
        { id: 1n, name: '巡察 "办"', ok: true, tags: ['a'], note: null },
        { id: '2', name: 'x', ok: false, tags: [], note: 'n' },
      ])
    ).toString('utf8');
    expect(text).toBe('{"id":"1","name":"巡察 \\"办\\"","ok":1,"tags":["a"],"note":null}\n{"id":"2","name":"x","ok":0,"tags":[],"note":"n"}\n');
    expect(parseJsonEachRow(text)).toHaveLength(2);
  });

  it('refuses Date objects and undefined fields', async () => {
    await expect(toJsonEachRow([{ at: new Date() }])).rejects.toThrow('column at is a Date object');
    await expect(toJsonEachRow([{ id: 1, name: undefined }])).rejects.toThrow('column name is undefined');
  });

  it('serializes a batch larger than one slice completely and in order', async () => {
    const rows = Array.from({ length: 12_345 }, (_, i) => ({ id: i }));
    const lines = (await toJsonEachRow(rows)).toString('utf8').split('\n');
    expect(lines).toHaveLength(12_346);
    expect(lines[12_344]).toBe('{"id":12344}');
    expect(lines[12_345]).toBe('');
  });
});
