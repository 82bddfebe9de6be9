import ExcelJS from 'exceljs';
import { zip } from './zip-fixture';
import { checkZip, looksLikeZip, ZipRefused } from './zip-guard';

const LIMITS = { maxTotalBytes: 10 * 1024 * 1024, maxEntries: 100 };
const refusal = (buffer: Buffer, limits = LIMITS) => {
  try {
    checkZip(buffer, limits);
  } catch (error) {
    if (error instanceof ZipRefused) return error.message;
    throw error;
  }
  return undefined;
};

describe('checkZip', () => {
  it('refuses an XML part that declares a DTD (external or expanding entities)', () => {
    const xxe = '<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><worksheet>&xxe;</worksheet>';
    expect(refusal(zip([{ name: 'xl/worksheets/sheet1.xml', data: Buffer.from(xxe) }]))).toMatch(/DTD/);
    expect(refusal(zip([{ name: '_rels/.rels', data: Buffer.from('<!ENTITY a "b">') }]))).toMatch(/DTD/);
    // the same text in a part that is not XML (an embedded image, say) is left alone
    expect(() => checkZip(zip([{ name: 'xl/media/image1.png', data: Buffer.from(xxe) }]), LIMITS)).not.toThrow();
  });

  it('passes a workbook written by exceljs and sums its parts', async () => {
    const book = new ExcelJS.Workbook();
    book.addWorksheet('整改台账').addRow(['巡察ID', '问题描述']);
    const buffer = Buffer.from(await book.xlsx.writeBuffer());
    expect(looksLikeZip(buffer)).toBe(true);
    const summary = checkZip(buffer, LIMITS);
    expect(summary.entries).toBeGreaterThan(5);
    expect(summary.uncompressedBytes).toBeGreaterThan(summary.compressedBytes);
  });

  it('passes a hand-made zip within the limits, with its exact sizes', () => {
    const data = Buffer.from('<x/>'.repeat(1000));
    expect(
      checkZip(
        zip([
          { name: 'a.xml', data },
          { name: 'b.xml', data: Buffer.alloc(0) },
        ]),
        LIMITS,
      ),
    ).toMatchObject({ entries: 2, uncompressedBytes: 4000 });
  });

  it('refuses a declared total above the limit without expanding it', () => {
    // declares 11 MB, holds 10 bytes: refused on the declaration alone
    expect(refusal(zip([{ name: 'a.xml', data: Buffer.alloc(10), declared: 11 * 1024 * 1024 }]))).toMatch(/zip bomb/);
  });

  it('refuses a part that expands beyond the size it declares', () => {
    expect(refusal(zip([{ name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(5 * 1024 * 1024), declared: 100 }]))).toMatch(/beyond its declared size/);
  });

  it('refuses too many parts, encryption, and what is not a zip', () => {
    const parts = Array.from({ length: 3 }, (_, i) => ({ name: `${i}.xml`, data: Buffer.from('x') }));
    expect(refusal(zip(parts), { ...LIMITS, maxEntries: 2 })).toMatch(/too many parts/);
    expect(refusal(zip([{ name: 'a.xml', data: Buffer.from('x'), flags: 1 }]))).toMatch(/password-protected/);
    expect(refusal(Buffer.from('not a zip at all'))).toMatch(/not a valid \.xlsx/);
    expect(looksLikeZip(Buffer.from('PK'))).toBe(false);
    const good = zip([{ name: 'a.xml', data: Buffer.from('hello') }]);
    expect(refusal(good.subarray(0, good.length - 30))).toMatch(/not a valid \.xlsx|corrupt/);
  });
});
