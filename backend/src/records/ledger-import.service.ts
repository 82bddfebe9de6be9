import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { shanghaiToday } from '@xuncha/prisma/src/calendar';
import type { AppConfig } from '../config/app-config';
import { CountyScope } from '../auth/county-scope';
import { AppError } from '../common/http-exception.filter';
import { APP_CONFIG } from '../infra/tokens';
import { dbDate, isoDay } from '../common/dates';
import { buildLedgerTemplate, LedgerRefused, loadWorkbook, MAX_LEDGER_ROWS, readLedger, type LedgerRow, type RowProblem } from './ledger-workbook';
import { RecordsRepository, type LedgerEntry } from './records.repository';
import { checkZip, looksLikeZip, ZipRefused } from './zip-guard';

/** What an upload arrives as (multer's memory storage). */
export interface Upload {
  originalname: string;
  size: number;
  buffer: Buffer;
}

/** A workbook may expand to at most this many times its upload, at least FLOOR, at most CEILING. */
const EXPANSION_RATIO = 100;
const EXPANSION_FLOOR = 16 * 1024 * 1024;
const EXPANSION_CEILING = 128 * 1024 * 1024;
/** An .xlsx has a dozen parts; a ledger with images or many sheets maybe a few hundred. */
const MAX_PARTS = 2000;

const OLE_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

const badFile = (message: string, field = 'file') => new AppError(HttpStatus.BAD_REQUEST, `${field}: ${message}`, [{ field, message }]);

/**
 * The ledger import (整改台账): the template, and an upload that becomes findings and
 * tasks all together or not at all. The upload is checked as a zip before exceljs expands
 * it, so that a zip bomb is a 400, never an out-of-memory.
 */
@Injectable()
export class LedgerImportService {
  constructor(
    @Inject(RecordsRepository) private readonly repository: RecordsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CountyScope) private readonly county: CountyScope,
  ) {}

  async template(): Promise<Buffer> {
    return buildLedgerTemplate(await this.repository.level2Categories());
  }

  async import(file: Upload | undefined, actor: string): Promise<{ imported: number }> {
    const { rows, problems } = await this.read(file);
    const resolved = await this.resolve(rows);
    // every bad row at once, the malformed and those whose references or dates are wrong
    if (problems.length + resolved.problems.length > 0) throw rowsRefused([...problems, ...resolved.problems]);
    const entries = resolved.entries;
    const today = shanghaiToday();
    const imported = await this.repository.importLedger(entries, { eventDate: dbDate(today), actor });
    return { imported };
  }

  /** The upload's well-formed rows and the problems of the others; a 400 when the file as a whole is unusable. */
  private async read(file: Upload | undefined): Promise<{ rows: LedgerRow[]; problems: RowProblem[] }> {
    if (!file) throw badFile('请上传台账文件（表单字段 file） no file uploaded: send the workbook as multipart field "file"');
    if (file.size > this.config.maxUploadBytes) throw new AppError(HttpStatus.PAYLOAD_TOO_LARGE, `file: 文件过大 the file is larger than ${this.config.maxUploadBytes} bytes`);
    if (file.size === 0) throw badFile('文件为空 the file is empty');
    if (!/\.xlsx$/i.test(file.originalname)) throw badFile(`只接受 .xlsx 文件 only .xlsx workbooks are accepted (got "${file.originalname}")`);
    if (file.buffer.subarray(0, 8).equals(OLE_MAGIC)) throw badFile('这是旧版 .xls 或加密的工作簿，请另存为 .xlsx 后再上传 this is an old-format .xls (or encrypted) workbook; save it as .xlsx and upload again');
    if (!looksLikeZip(file.buffer)) throw badFile('不是有效的 .xlsx 文件 the file is not an .xlsx workbook');
    try {
      checkZip(file.buffer, {
        maxTotalBytes: Math.min(EXPANSION_CEILING, Math.max(EXPANSION_FLOOR, EXPANSION_RATIO * file.size)),
        maxEntries: MAX_PARTS,
      });
      return readLedger(await loadWorkbook(file.buffer), MAX_LEDGER_ROWS);
    } catch (error) {
      if (error instanceof ZipRefused) throw badFile(error.message);
      if (error instanceof LedgerRefused) throw badFile(error.message, error.field);
      throw error;
    }
  }

  /** Checks what the rows refer to (inspections, categories) and the dates against them. */
  private async resolve(rows: LedgerRow[]): Promise<{ entries: LedgerEntry[]; problems: RowProblem[] }> {
    if (rows.length === 0) return { entries: [], problems: [] };
    const [found, categories] = await Promise.all([
      this.repository.inspections([...new Set(rows.map((r) => r.inspectionId))]),
      this.repository.categoriesByCode([...new Set(rows.map((r) => r.categoryCode))]),
    ]);
    // a county user's row naming another county's inspection reads as an unknown inspection
    const allowed = await this.county.allowed('inspection', found.map((i) => i.id));
    const inspections = found.filter((i) => allowed.has(String(i.id)));
    const inspectionById = new Map(inspections.map((i) => [i.id, i]));
    const categoryByCode = new Map(categories.map((c) => [c.code, c]));
    const today = shanghaiToday();
    const problems: RowProblem[] = [];
    const entries: LedgerEntry[] = [];
    for (const row of rows) {
      const found: string[] = [];
      const inspection = inspectionById.get(row.inspectionId);
      const category = categoryByCode.get(row.categoryCode);
      if (!inspection) found.push(`巡察ID: 巡察不存在或已删除 inspection ${row.inspectionId} does not exist or was deleted`);
      if (!category) found.push(`问题类别代码: 未知的问题类别代码 unknown category code "${row.categoryCode}"`);
      else if (category.level !== 2) found.push(`问题类别代码: 须为二级类别 category ${row.categoryCode} is not a level-2 category`);
      if (row.foundDate > today) found.push(`发现日期: 不能晚于今天 must not be in the future (${row.foundDate} > ${today})`);
      if (inspection) {
        const stationed = isoDay(inspection.stationedFrom);
        if (row.foundDate < stationed) found.push(`发现日期: 早于巡察进驻日期 must not be before the inspection's stationing (${row.foundDate} < ${stationed})`);
        const feedback = inspection.feedbackDate ? isoDay(inspection.feedbackDate) : null;
        // as for POST /api/tasks: 立行立改 may fall due before the feedback, the others may not
        if (row.dueDate && feedback && row.track !== 'IMMEDIATE' && row.dueDate < feedback) {
          found.push(`整改时限: 早于巡察反馈日期 must not be before the inspection's feedback date (${row.dueDate} < ${feedback})`);
        }
      }
      if (found.length > 0 || !inspection || !category) {
        problems.push({ row: row.row, problems: found });
        continue;
      }
      entries.push({
        finding: {
          inspectionId: inspection.id,
          unitId: inspection.unitId,
          categoryId: category.id,
          description: row.description,
          isImmediate: row.isImmediate,
          isKeyConcern: false,
          foundDate: dbDate(row.foundDate),
        },
        task: {
          measure: row.measure,
          responsibleDept: row.responsibleDept,
          responsiblePerson: row.responsiblePerson,
          track: row.track,
          originalDueDate: row.dueDate ? dbDate(row.dueDate) : null,
        },
      });
    }
    return { entries, problems };
  }
}

/** The 400 of a ledger with bad rows: nothing imported, every bad row listed by its Excel row number. */
function rowsRefused(problems: RowProblem[]): AppError {
  const sorted = [...problems].sort((a, b) => a.row - b.row);
  const details = sorted.map((p) => ({ field: `row ${p.row}`, message: p.problems.join('; ') }));
  const first = details[0];
  return new AppError(
    HttpStatus.BAD_REQUEST,
    `台账有 ${details.length} 行有误，未导入任何数据 ${details.length} row(s) are invalid and nothing was imported; ${first.field}: ${first.message}`,
    details,
  );
}
