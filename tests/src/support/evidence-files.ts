import ExcelJS from 'exceljs';
import { zip } from './zip';

/**
 * Small evidence files of each accepted kind, and impostors, for the closure-review tests:
 * a minimal PDF, a PNG, a .docx (a zip whose [Content_Types].xml names a document), an
 * .xlsx written by exceljs, and a Windows executable renamed .pdf.
 */
export function pdfFile(text = '整改情况说明'): Buffer {
  return Buffer.from(
    `%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n% ${text}\ntrailer<</Root 1 0 R>>\n%%EOF\n`,
    'utf8',
  );
}

export function pngFile(): Buffer {
  return Buffer.from(
    '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6300010000000500010d0a2db40000000049454e44ae426082',
    'hex',
  );
}

export function docxFile(): Buffer {
  const types =
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
    '<Default Extension="xml" ContentType="application/xml"/>' +
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>';
  const document =
    '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>整改报告</w:t></w:r></w:p></w:body></w:document>';
  return zip([
    { name: '[Content_Types].xml', data: Buffer.from(types) },
    { name: 'word/document.xml', data: Buffer.from(document) },
  ]);
}

export async function xlsxFile(): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.addWorksheet('台账').addRow(['整改完成']);
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** An MZ (Windows PE) header: what a renamed .exe starts with. */
export function exeFile(): Buffer {
  const bytes = Buffer.alloc(1024);
  bytes.write('MZ', 0, 'latin1');
  bytes.write('This program cannot be run in DOS mode.', 78, 'latin1');
  return bytes;
}

/** A valid PDF of exactly `size` bytes (a comment pads it). */
export function pdfOfSize(size: number): Buffer {
  const head = pdfFile();
  const bytes = Buffer.alloc(size, 0x20);
  head.copy(bytes, 0);
  return bytes;
}
