import { checkZip, looksLikeZip, readZipPart, ZipRefused } from '../records/zip-guard';

/**
 * What an evidence file (佐证材料) is, told from its bytes, never from its name: PDF, PNG,
 * JPEG, Word (.docx, .doc) or Excel (.xlsx, .xls). An Office Open XML file is a zip checked
 * by the zip guard (sizes, part counts, DTDs) whose `[Content_Types].xml` names the main part
 * of a document or a workbook; a legacy .doc/.xls is an OLE2 compound file whose directory
 * names its `WordDocument` or `Workbook` stream.
 */
export type EvidenceKind = 'pdf' | 'png' | 'jpeg' | 'docx' | 'xlsx' | 'doc' | 'xls';

export const EVIDENCE_CONTENT_TYPES: Record<EvidenceKind, string> = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpeg: 'image/jpeg',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  doc: 'application/msword',
  xls: 'application/vnd.ms-excel',
};

/** The file-name extensions each kind may carry. */
const EXTENSIONS: Record<EvidenceKind, readonly string[]> = {
  pdf: ['pdf'],
  png: ['png'],
  jpeg: ['jpg', 'jpeg'],
  docx: ['docx'],
  xlsx: ['xlsx'],
  doc: ['doc'],
  xls: ['xls'],
};

export const EVIDENCE_ACCEPTED = '.pdf, .png, .jpg, .jpeg, .docx, .doc, .xlsx, .xls';

export class EvidenceRefused extends Error {}

const OLE2 = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const utf16 = (name: string) => Buffer.from(name, 'utf16le');

/** The kind of `bytes`, or null when they are none of the accepted kinds. */
export function sniffEvidence(bytes: Buffer): EvidenceKind | null {
  if (bytes.length >= 5 && bytes.toString('latin1', 0, 5) === '%PDF-') return 'pdf';
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(PNG)) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 512 && bytes.subarray(0, 8).equals(OLE2)) {
    if (bytes.includes(utf16('WordDocument'))) return 'doc';
    if (bytes.includes(utf16('Workbook')) || bytes.includes(utf16('Book'))) return 'xls';
    return null;
  }
  if (looksLikeZip(bytes)) {
    try {
      checkZip(bytes, { maxEntries: 5000, maxTotalBytes: 512 * 1024 * 1024 });
      const types = readZipPart(bytes, '[Content_Types].xml')?.toString('utf8') ?? '';
      if (types.includes('application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml')) return 'docx';
      if (types.includes('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml')) return 'xlsx';
    } catch (error) {
      if (error instanceof ZipRefused) return null;
      throw error;
    }
  }
  return null;
}

/** The kind of an uploaded file; throws EvidenceRefused (with a message for the clerk) otherwise. */
export function evidenceKind(name: string, bytes: Buffer): EvidenceKind {
  const kind = sniffEvidence(bytes);
  if (!kind) {
    throw new EvidenceRefused(`${name}：文件内容不是可接受的佐证材料类型（PDF、图片、Word、Excel） the content of ${name} is not one of ${EVIDENCE_ACCEPTED}`);
  }
  const extension = /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase() ?? '';
  if (!EXTENSIONS[kind].includes(extension)) {
    throw new EvidenceRefused(
      `${name}：文件扩展名与内容（${kind}）不符 the name of ${name} does not match its content (${kind}); rename it .${EXTENSIONS[kind][0]}`,
    );
  }
  return kind;
}
