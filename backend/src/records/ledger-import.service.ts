import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { shanghaiToday } from '@xuncha/shared';
import type { AppConfig } from '../config/app-config';
import { CountyScope } from '../auth/county-scope';
import type { Principal } from '../auth/principal';
import { AppError } from '../common/http-exception.filter';
import { APP_CONFIG } from '../infra/tokens';
import { isoDay } from '../common/dates';
import { replayHistory } from './ledger-history';
import { LedgerImportRepository, type ImportEntry, type NewInspection } from './ledger-import.repository';
import {
  buildLedgerTemplate,
  HISTORY_SHEET,
  LEDGER_COLUMNS,
  LEDGER_SHEET,
  LedgerRefused,
  MAX_LEDGER_ROWS,
  readLedgerFile,
  unitLabel,
  type HistoryRow,
  type LedgerRow,
  type Problem,
  type ReadLedger,
} from './ledger-workbook';
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

/** How long a previewed file's reading is kept for its import. */
const PREVIEW_KEPT_MS = 10 * 60_000;

const OLE_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

const badFile = (message: string, field = 'file') => new AppError(HttpStatus.BAD_REQUEST, `${field}: ${message}`, [{ field, message }]);

/** A new inspection as the preview shows it. */
export interface NewInspectionView {
  round: string;
  unit: string;
  team: string;
  stationedFrom: string;
  rows: number[];
}

export interface LedgerPreview {
  fileName: string;
  rows: number;
  historyEvents: number;
  /** Rows and events dated before today (补录). */
  backdated: number;
  problems: Problem[];
  newInspections: NewInspectionView[];
  /** When this very file was imported within the window (it would be refused), else null. */
  importedAt: string | null;
}

export interface LedgerImportResult {
  imported: number;
  inspectionsCreated: number;
  events: number;
  backdated: number;
}

/** Everything an upload resolves to: the problems, or what to write. */
interface Resolved {
  problems: Problem[];
  entries: ImportEntry[];
  newInspections: (NewInspection & { view: NewInspectionView })[];
  historyEvents: number;
  backdated: number;
}

/** Names compared as a clerk types them: full-width folded, spaces dropped. */
const foldText = (text: string) => text.normalize('NFKC').replace(/\s+/g, '');

/**
 * The ledger import (整改台账) and history migration: the template with the office's own
 * lists as dropdowns, a preview naming every problem of every row in one pass, and an
 * import of every row or none. The upload is checked as a zip before exceljs expands it,
 * so that a zip bomb is a 400, never an out-of-memory.
 */
@Injectable()
export class LedgerImportService {
  /**
   * The last file previewed, as read (its cells, a pure function of its bytes): the import
   * of the same file (same SHA-256) within PREVIEW_KEPT_MS takes it instead of reading the
   * workbook again. One file only, dropped when an import takes it.
   */
  private previewed: { hash: string; at: number; read: ReadLedger } | null = null;

  constructor(
    @Inject(LedgerImportRepository) private readonly repository: LedgerImportRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CountyScope) private readonly county: CountyScope,
  ) {}

  async template(auth: Principal): Promise<Buffer> {
    const county = this.county.limit(auth);
    const [rounds, units, categories] = await Promise.all([this.repository.rounds(county), this.repository.units(county), this.repository.categories()]);
    return buildLedgerTemplate({
      rounds: rounds.map((r) => r.name),
      units: units.filter((u) => u.valid_to === null).map((u) => ({ code: u.code, name: u.name })),
      categories: categories.filter((c) => c.level === 2),
    });
  }

  async preview(auth: Principal, file: Upload | undefined): Promise<LedgerPreview> {
    const upload = this.checkFile(file);
    const hash = hashOf(upload);
    const read = await this.read(upload);
    // kept for the import of the same file that usually follows
    this.previewed = { hash, at: Date.now(), read };
    const resolved = await this.resolve(auth, read.rows, read.history, read.problems);
    const importedAt = await this.repository.importedRecently(hash);
    return {
      fileName: upload.originalname,
      rows: read.rows.length,
      historyEvents: resolved.historyEvents,
      backdated: resolved.backdated,
      problems: resolved.problems,
      newInspections: resolved.newInspections.map((i) => i.view),
      importedAt: importedAt?.toISOString() ?? null,
    };
  }

  async import(auth: Principal, file: Upload | undefined, confirmNewInspections: boolean, actor: string): Promise<LedgerImportResult> {
    const upload = this.checkFile(file);
    const hash = hashOf(upload);
    const previewed = this.previewed;
    this.previewed = null;
    const read = previewed && previewed.hash === hash && Date.now() - previewed.at < PREVIEW_KEPT_MS ? previewed.read : await this.read(upload);
    // what the rows name is resolved again: rounds, units and inspections may have changed since the preview
    const resolved = await this.resolve(auth, read.rows, read.history, read.problems);
    // every problem of every row at once
    if (resolved.problems.length > 0) throw rowsRefused(resolved.problems);
    if (resolved.newInspections.length > 0 && !confirmNewInspections) {
      const list = resolved.newInspections.map((i) => `${i.view.round} / ${i.view.unit}`).join('；');
      const message = `有 ${resolved.newInspections.length} 个巡察尚不存在，确认新建后再导入 ${resolved.newInspections.length} inspection(s) do not exist yet; confirm creating them (confirmNewInspections=true): ${list}`;
      throw new AppError(HttpStatus.BAD_REQUEST, `confirmNewInspections: ${message}`, [{ field: 'confirmNewInspections', message }]);
    }
    const written = await this.repository.importLedger({
      fileHash: hash,
      fileName: upload.originalname.replace(/[\u0000-\u001F\u007F]/g, ''),
      actor,
      today: shanghaiToday(),
      newInspections: resolved.newInspections,
      entries: resolved.entries,
    });
    return { ...written, backdated: resolved.backdated };
  }

  private checkFile(file: Upload | undefined): Upload {
    if (!file) throw badFile('请上传台账文件（表单字段 file） no file uploaded: send the workbook as multipart field "file"');
    if (file.size > this.config.maxUploadBytes)
      throw new AppError(HttpStatus.PAYLOAD_TOO_LARGE, `file: 文件过大 the file is larger than ${this.config.maxUploadBytes} bytes`);
    if (file.size === 0) throw badFile('文件为空 the file is empty');
    if (!/\.xlsx$/i.test(file.originalname)) throw badFile(`只接受 .xlsx 文件 only .xlsx workbooks are accepted (got "${file.originalname}")`);
    if (file.buffer.subarray(0, 8).equals(OLE_MAGIC))
      throw badFile(
        '这是旧版 .xls 或加密的工作簿，请另存为 .xlsx 后再上传 this is an old-format .xls (or encrypted) workbook; save it as .xlsx and upload again',
      );
    if (!looksLikeZip(file.buffer)) throw badFile('不是有效的 .xlsx 文件 the file is not an .xlsx workbook');
    return file;
  }

  /** The upload's rows and the problems of their cells; a 400 when the file as a whole is unusable. */
  private async read(file: Upload): Promise<ReadLedger> {
    try {
      checkZip(file.buffer, {
        maxTotalBytes: Math.min(EXPANSION_CEILING, Math.max(EXPANSION_FLOOR, EXPANSION_RATIO * file.size)),
        maxEntries: MAX_PARTS,
      });
      return await readLedgerFile(file.buffer, MAX_LEDGER_ROWS);
    } catch (error) {
      if (error instanceof ZipRefused) throw badFile(error.message);
      if (error instanceof LedgerRefused) throw badFile(error.message, error.field);
      throw error;
    }
  }

  /**
   * Resolves what the rows name (round, unit, category, inspection) and checks the dates
   * against them and the history against each task: every problem of every row, also of
   * rows whose other cells had problems (what could be read is checked).
   */
  private async resolve(auth: Principal, rows: LedgerRow[], history: HistoryRow[], cellProblems: Problem[]): Promise<Resolved> {
    const problems = [...cellProblems];
    const today = shanghaiToday();
    // the same few rounds, units and categories on thousands of rows: each text folded once
    const foldCache = new Map<string, string>();
    const fold = (text: string) => {
      let folded = foldCache.get(text);
      if (folded === undefined) foldCache.set(text, (folded = foldText(text)));
      return folded;
    };
    const county = this.county.limit(auth);
    const [rounds, units, categories] = await Promise.all([this.repository.rounds(county), this.repository.units(county), this.repository.categories()]);

    const roundByName = groupBy(rounds, (r) => fold(r.name));
    const unitByCode = new Map(units.map((u) => [fold(u.code), u]));
    const unitByName = groupBy(units, (u) => fold(u.name));
    const categoryByCode = new Map(categories.map((c) => [fold(c.code), c]));
    const categoryByName = groupBy(categories, (c) => fold(c.name));

    const report = (row: number, column: string, message: string) => problems.push({ sheet: LEDGER_SHEET, row, column, message });
    const roundOf = (row: LedgerRow) => {
      if (row.round === undefined) return undefined;
      const found = roundByName.get(fold(row.round)) ?? [];
      if (found.length === 1) return found[0];
      report(
        row.row,
        '轮次',
        found.length === 0 ? `未知的轮次 unknown round "${row.round}"` : `轮次名称重复，请联系管理员 the round name "${row.round}" is not unique`,
      );
      return undefined;
    };
    const unitOf = (row: LedgerRow) => {
      if (row.unit === undefined) return undefined;
      const text = fold(row.unit);
      // the dropdown's 名称（代码）: the code decides
      const coded = /\(([^()]+)\)$/.exec(text);
      const found = (coded && unitByCode.get(coded[1])) ?? unitByCode.get(text);
      if (found) return found;
      const named = unitByName.get(text) ?? [];
      if (named.length === 1) return named[0];
      report(
        row.row,
        '被巡察单位',
        named.length === 0
          ? `未知的单位 unknown unit "${row.unit}" (a name or code of the unit directory)`
          : `有 ${named.length} 个同名单位，请填写单位代码 ${named.length} units share the name "${row.unit}"; give the unit's code`,
      );
      return undefined;
    };
    const categoryOf = (row: LedgerRow) => {
      if (row.category === undefined) return undefined;
      const text = fold(row.category);
      // the dropdown's "代码 名称", a code alone, or a name alone
      const code = row.category.normalize('NFKC').trim().split(/\s+/)[0];
      const found = categoryByCode.get(fold(code)) ?? (categoryByName.get(text)?.length === 1 ? categoryByName.get(text)?.[0] : undefined);
      if (!found) report(row.row, '问题类别', `未知的问题类别 unknown category "${row.category}"`);
      else if (found.level !== 2) report(row.row, '问题类别', `须为二级类别 category ${found.code} is not a level-2 category`);
      else return found;
      return undefined;
    };

    const located = rows.map((row) => ({ row, round: roundOf(row), unit: unitOf(row), category: categoryOf(row) }));
    const roundIds = [...new Set(located.flatMap((l) => (l.round ? [l.round.id] : [])))];
    const unitIds = [...new Set(located.flatMap((l) => (l.unit ? [l.unit.id] : [])))];
    const existing = roundIds.length > 0 && unitIds.length > 0 ? await this.repository.inspections(roundIds, unitIds) : [];
    const inspectionsOf = groupBy(existing, (i) => `${i.roundId}:${i.unitId}`);

    // ledger rows by 任务编号, for the history
    const byKey = new Map<string, LedgerRow>();
    for (const row of rows) {
      if (row.taskKey === undefined) continue;
      const key = fold(row.taskKey);
      const first = byKey.get(key);
      if (first) report(row.row, '任务编号', `与第 ${first.row} 行重复 the same 任务编号 as row ${first.row}`);
      else byKey.set(key, row);
    }
    const historyOf = new Map<LedgerRow, HistoryRow[]>();
    const broken = new Set<LedgerRow>();
    for (const event of history) {
      if (event.taskKey === undefined) continue;
      const owner = byKey.get(fold(event.taskKey));
      if (!owner) {
        problems.push({
          sheet: HISTORY_SHEET,
          row: event.row,
          column: '任务编号',
          message: `整改台账中没有该任务编号 no ledger row has the 任务编号 "${event.taskKey}"`,
        });
        continue;
      }
      const complete =
        event.date !== undefined &&
        event.kind !== undefined &&
        (event.kind !== 'STATUS_CHANGE' || event.status !== undefined) &&
        (event.kind !== 'EXTENSION' || event.newDueDate !== undefined);
      if (!complete) broken.add(owner);
      else historyOf.set(owner, [...(historyOf.get(owner) ?? []), event]);
    }

    const newInspections = new Map<string, NewInspection & { view: NewInspectionView; firstRow: number }>();
    const entries: ImportEntry[] = [];
    let backdated = 0;
    let historyEvents = 0;
    for (const { row, round, unit, category } of located) {
      const before = problems.length;
      let inspection: number | string | undefined;
      let stationed: string | undefined;
      let feedback: string | null | undefined;
      if (round && unit) {
        const found = inspectionsOf.get(`${round.id}:${unit.id}`) ?? [];
        if (found.length > 1) {
          report(
            row.row,
            '被巡察单位',
            `该轮次对该单位有 ${found.length} 次巡察，无法确定 the round has ${found.length} inspections of this unit; enter the findings on the screen`,
          );
        } else if (found.length === 1) {
          inspection = found[0].id;
          stationed = isoDay(found[0].stationedFrom);
          feedback = found[0].feedbackDate ? isoDay(found[0].feedbackDate) : null;
        } else {
          // a new inspection: the first row naming it gives its fields, the others must agree
          const key = `${round.id}:${unit.id}`;
          const planned = newInspections.get(key);
          if (planned) {
            if (row.stationedFrom !== undefined && row.stationedFrom !== planned.stationedFrom)
              report(
                row.row,
                '进驻日期',
                `与第 ${planned.firstRow} 行（同一新建巡察）不一致 differs from row ${planned.firstRow} of the same new inspection (${planned.stationedFrom})`,
              );
            if (row.team !== undefined && row.team !== planned.team)
              report(
                row.row,
                '巡察组',
                `与第 ${planned.firstRow} 行（同一新建巡察）不一致 differs from row ${planned.firstRow} of the same new inspection (${planned.team})`,
              );
            planned.view.rows.push(row.row);
            inspection = key;
            stationed = planned.stationedFrom;
            feedback = planned.feedbackDate;
          } else {
            if (row.team === undefined)
              report(row.row, '巡察组', `该轮次尚无该单位的巡察，新建巡察须填巡察组 the inspection does not exist yet: 巡察组 is required to create it`);
            if (row.stationedFrom === undefined)
              report(row.row, '进驻日期', `该轮次尚无该单位的巡察，新建巡察须填进驻日期 the inspection does not exist yet: 进驻日期 is required to create it`);
            if (row.stationedFrom !== undefined) {
              const from = isoDay(unit.valid_from);
              if (row.stationedFrom < from) report(row.row, '进驻日期', `进驻时该单位尚未设立 the unit was established on ${from}, after ${row.stationedFrom}`);
              if (unit.valid_to && row.stationedFrom > isoDay(unit.valid_to))
                report(row.row, '进驻日期', `进驻时该单位已撤销 the unit was abolished on ${isoDay(unit.valid_to)}, before ${row.stationedFrom}`);
              if (row.stationedFrom > today) report(row.row, '进驻日期', `不能晚于今天 must not be in the future (${row.stationedFrom} > ${today})`);
              // as for an inspection entered on screen (RoundRules): stationed within the round's dates
              const [roundStart, roundEnd] = [isoDay(round.startDate), isoDay(round.endDate)];
              if (row.stationedFrom < roundStart || row.stationedFrom > roundEnd) {
                report(
                  row.row,
                  '进驻日期',
                  `须在该轮次的起止日期（${roundStart} 至 ${roundEnd}）之内 must lie within the round's dates (${roundStart} to ${roundEnd})`,
                );
              }
              if (row.feedbackDate !== undefined && row.feedbackDate < row.stationedFrom)
                report(row.row, '反馈日期', `早于进驻日期 must not be before the stationing (${row.feedbackDate} < ${row.stationedFrom})`);
            }
            if (row.team !== undefined && row.stationedFrom !== undefined) {
              newInspections.set(key, {
                key,
                firstRow: row.row,
                roundId: round.id,
                unitId: unit.id,
                team: row.team,
                mode: row.mode ?? 'ROUTINE',
                stationedFrom: row.stationedFrom,
                feedbackDate: row.feedbackDate ?? null,
                view: { round: round.name, unit: unitLabel(unit), team: row.team, stationedFrom: row.stationedFrom, rows: [row.row] },
              });
              inspection = key;
              stationed = row.stationedFrom;
              feedback = row.feedbackDate ?? null;
            }
          }
        }
      }
      if (row.foundDate !== undefined) {
        if (row.foundDate > today) report(row.row, '发现日期', `不能晚于今天 must not be in the future (${row.foundDate} > ${today})`);
        if (stationed !== undefined && row.foundDate < stationed)
          report(row.row, '发现日期', `早于巡察进驻日期 must not be before the inspection's stationing (${row.foundDate} < ${stationed})`);
      }
      // as for POST /api/tasks: 立行立改 may fall due before the feedback, the others may not
      if (row.dueDate && feedback && row.track !== undefined && row.track !== 'IMMEDIATE' && row.dueDate < feedback) {
        report(row.row, '整改时限', `早于巡察反馈日期 must not be before the inspection's feedback date (${row.dueDate} < ${feedback})`);
      }
      const created = row.createdDate ?? today;
      if (created > today) report(row.row, '建立日期', `不能晚于今天 must not be in the future (${created} > ${today})`);
      if (row.createdDate !== undefined && row.foundDate !== undefined && created < row.foundDate)
        report(row.row, '建立日期', `早于发现日期 must not be before the finding was found (${created} < ${row.foundDate})`);

      const events = historyOf.get(row) ?? [];
      const replayed = row.dueDate !== undefined ? replayHistory(events, created, row.dueDate, today, HISTORY_SHEET, problems) : undefined;
      if (problems.length > before || broken.has(row) || !replayed || inspection === undefined || !category || !unit) continue;
      historyEvents += replayed.events.length;
      backdated += (created < today ? 1 : 0) + replayed.events.filter((e) => e.date < today).length;
      entries.push({
        inspection,
        unitId: unit.id,
        categoryId: category.id,
        description: row.description as string,
        isImmediate: row.isImmediate as boolean,
        foundDate: row.foundDate as string,
        measure: row.measure as string,
        responsibleDept: row.responsibleDept as string,
        responsiblePerson: row.responsiblePerson as string,
        track: row.track as NonNullable<LedgerRow['track']>,
        originalDueDate: row.dueDate ?? null,
        currentDueDate: replayed.currentDueDate,
        status: replayed.status,
        closedDate: replayed.closedDate,
        createdDate: created,
        events: replayed.events,
      });
    }
    return { problems: sortProblems(problems), entries, newInspections: [...newInspections.values()], historyEvents, backdated };
  }
}

export function hashOf(file: Upload): string {
  return createHash('sha256').update(file.buffer).digest('hex');
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}

const COLUMN_ORDER = new Map(LEDGER_COLUMNS.map((c, i) => [c.header.replace(/\(.*\)$/, ''), i]));

/** The ledger sheet's problems first, then the history's; by row, then by column. */
function sortProblems(problems: Problem[]): Problem[] {
  const sheetOrder = (p: Problem) => (p.sheet === HISTORY_SHEET ? 1 : 0);
  return [...problems].sort(
    (a, b) => sheetOrder(a) - sheetOrder(b) || a.row - b.row || (COLUMN_ORDER.get(a.column) ?? 99) - (COLUMN_ORDER.get(b.column) ?? 99),
  );
}

/** The 400 of a ledger with bad rows: nothing imported, every problem listed by its Excel row number and column. */
function rowsRefused(problems: Problem[]): AppError {
  const details = problems.map((p) => ({ field: `${p.sheet === HISTORY_SHEET ? `${HISTORY_SHEET} ` : ''}row ${p.row}`, message: `${p.column}: ${p.message}` }));
  const rows = new Set(details.map((d) => d.field)).size;
  const first = details[0];
  return new AppError(
    HttpStatus.BAD_REQUEST,
    `台账有 ${rows} 行共 ${details.length} 处有误，未导入任何数据 ${rows} row(s) have ${details.length} problem(s) and nothing was imported; ${first.field}: ${first.message}`,
    details,
  );
}
