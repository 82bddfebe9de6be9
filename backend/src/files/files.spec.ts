import { contentDisposition, CSV_BOM, csvField, csvHead, csvLine, csvRows } from './files';

describe('contentDisposition', () => {
  it('gives an ASCII name and the UTF-8 name percent-encoded as RFC 5987 asks', () => {
    const header = contentDisposition('xuncha-2025Q3.xlsx', "示例市巡察工作统计(2025年第3季度)'*.xlsx");
    expect(header).toBe(
      `attachment; filename="xuncha-2025Q3.xlsx"; filename*=UTF-8''${encodeURIComponent('示例市巡察工作统计')}%282025${encodeURIComponent('年第')}3${encodeURIComponent('季度')}%29%27%2A.xlsx`,
    );
    const encoded = /filename\*=UTF-8''(.*)$/.exec(header)![1];
    expect(encoded).toMatch(/^[A-Za-z0-9%!#$&+.^_`|~-]+$/);
    expect(decodeURIComponent(encoded)).toBe("示例市巡察工作统计(2025年第3季度)'*.xlsx");
  });

  it('refuses a fallback name that is not plain ASCII', () => {
    expect(() => contentDisposition('统计.xlsx', 'x')).toThrow();
    expect(() => contentDisposition('a"b.xlsx', 'x')).toThrow();
  });
});

describe('CSV', () => {
  it('quotes fields with commas, quotes and line breaks (RFC 4180) and ends records with CRLF', () => {
    expect(csvLine(['a', 'b,c', 'say "hi"', 'two\nlines', 'cr\rhere'])).toBe('a,"b,c","say ""hi""","two\nlines","cr\rhere"\r\n');
    expect(csvLine([1, 0, null, true, false, ''])).toBe('1,0,,是,否,\r\n');
  });

  it('defuses text a spreadsheet would run as a formula', () => {
    expect(csvField('=SUM(A1:A9)')).toBe("'=SUM(A1:A9)");
    expect(csvField('+86 123')).toBe("'+86 123");
    expect(csvField('-1')).toBe("'-1");
    expect(csvField('@cmd')).toBe("'@cmd");
    expect(csvField('\t=1')).toBe("'\t=1");
    expect(csvField('=HYPERLINK("x","y")')).toBe(`"'=HYPERLINK(""x"",""y"")"`);
    expect(csvField('a=b')).toBe('a=b');
    expect(csvField(-1)).toBe('-1'); // a number is data, not a formula
  });

  it('starts with a BOM and the header record, then one record per row', () => {
    const columns = [
      { header: '编号', value: (r: { id: number; name: string }) => r.id },
      { header: '名称', value: (r: { id: number; name: string }) => r.name },
    ];
    expect(csvHead(columns)).toBe(`${CSV_BOM}编号,名称\r\n`);
    expect(
      csvRows(columns, [
        { id: 1, name: '甲' },
        { id: 2, name: '乙,丙' },
      ]),
    ).toBe('1,甲\r\n2,"乙,丙"\r\n');
  });
});
