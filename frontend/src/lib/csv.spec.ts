import { exportFileName, toCsv } from './csv';

describe('toCsv', () => {
  it('starts with a BOM, quotes commas, quotes and line breaks, and defuses formulas', () => {
    expect(
      toCsv(
        ['a', 'b'],
        [
          ['x,y', 'say "hi"'],
          ['=1+1', null],
        ],
      ),
    ).toBe('\ufeffa,b\r\n"x,y","say ""hi"""\r\n\'=1+1,\r\n');
  });
});

describe('exportFileName', () => {
  it('carries the filters in use and leaves out the empty ones', () => {
    expect(exportFileName('巡察列表', { 轮次: '市委第一轮', 方式: undefined, 单位: 'a b/c' }, '2026-12-03', 'csv')).toBe(
      '巡察列表_轮次-市委第一轮_单位-abc_2026-12-03.csv',
    );
  });
});
