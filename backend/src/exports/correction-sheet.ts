import type { FigureCorrection } from './quarterly-workbook';
import { SIGNATURE_LINE } from '../files/sheet-writer';
import { loadExcel } from '../files/excel';

/** The sheet a reported workbook gains when a figure differs now from what was reported. */
export const CORRECTION_SHEET = '更正说明';

export const CORRECTION_HEADERS = ['序号', '报表', '行', '列', '报送数', '现行数', '差额'] as const;

export interface CorrectionContext {
  /** 填报单位 */
  reportingUnit: string;
  /** "2026年第3季度" */
  periodLabel: string;
  reportedBy: string;
  /** when it was marked 已报送, as shown (Asia/Shanghai) */
  reportedAt: string;
  /** the day the current figures are of (today) */
  today: string;
}

const FONT = { name: '宋体', size: 11 };
const THIN = { style: 'thin' as const };
const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN };
const WIDTHS = [6, 18, 30, 30, 12, 12, 12];

/**
 * The reported workbook with a 更正说明 sheet appended: its own sheets keep the reported
 * figures, and the new sheet lists every figure that differs now (报送数, 现行数, 差额), with
 * the print setup of the other sheets (header row repeated, page numbers, signature block).
 */
export async function withCorrectionSheet(reported: Buffer, corrections: readonly FigureCorrection[], context: CorrectionContext): Promise<Buffer> {
  const book = new (await loadExcel()).Workbook();
  await book.xlsx.load(reported as unknown as ArrayBuffer);
  const sheet = book.addWorksheet(CORRECTION_SHEET, {
    views: [{ state: 'frozen', ySplit: 4 }],
    pageSetup: { orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '4:4', horizontalCentered: true },
    headerFooter: { oddFooter: '&C第 &P 页，共 &N 页', evenFooter: '&C第 &P 页，共 &N 页' },
  });
  sheet.columns = WIDTHS.map((width) => ({ width }));
  const title = sheet.getRow(1);
  title.getCell(1).value = `${context.reportingUnit}巡察工作统计更正说明（${context.periodLabel}）`;
  title.getCell(1).style = { font: { ...FONT, size: 16, bold: true }, alignment: { horizontal: 'center', vertical: 'middle' } };
  title.height = 30;
  sheet.mergeCells(1, 1, 1, WIDTHS.length);
  const note = sheet.getRow(2);
  note.getCell(1).value =
    `本报表已于 ${context.reportedAt} 由 ${context.reportedBy} 标记为已报送，各表保持报送时的数字不变。` +
    `其后补录或更正的记录使下列 ${corrections.length} 项数字现与报送数不同（现行数按 ${context.today} 的记录计算，统计截止日不变）：差额 = 现行数 − 报送数。`;
  note.getCell(1).style = { font: { ...FONT, size: 10 }, alignment: { wrapText: true, vertical: 'top' } };
  note.height = 45;
  sheet.mergeCells(2, 1, 2, WIDTHS.length);
  const header = sheet.getRow(4);
  CORRECTION_HEADERS.forEach((text, i) => {
    const cell = header.getCell(i + 1);
    cell.value = text;
    cell.style = {
      font: { ...FONT, bold: true },
      alignment: { horizontal: 'center', vertical: 'middle' },
      border: BORDER,
      fill: { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } },
    };
  });
  corrections.forEach((c, i) => {
    const row = sheet.getRow(5 + i);
    const number = c.format === 'rate' ? '0.0%' : '0';
    const values: (string | number | null)[] = [i + 1, c.sheet, c.row, c.column, c.reported, c.current, c.difference];
    values.forEach((value, k) => {
      const cell = row.getCell(k + 1);
      cell.value = value;
      cell.style = {
        font: FONT,
        border: BORDER,
        alignment: { vertical: 'middle', horizontal: k >= 4 ? 'right' : k === 0 ? 'center' : 'left', wrapText: k >= 1 && k <= 3 },
        ...(k === 0 ? { numFmt: '0' } : k === 6 ? { numFmt: c.format === 'rate' ? '+0.0%;-0.0%;0.0%' : '+0;-0;0' } : k >= 4 ? { numFmt: number } : {}),
      };
    });
  });
  const signature = sheet.getRow(5 + corrections.length + 1);
  signature.getCell(1).value = SIGNATURE_LINE;
  signature.getCell(1).style = { font: FONT, alignment: { horizontal: 'left', vertical: 'middle' } };
  signature.height = 30;
  sheet.mergeCells(signature.number, 1, signature.number, WIDTHS.length);
  return Buffer.from(await book.xlsx.writeBuffer());
}
