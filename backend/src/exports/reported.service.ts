import { createHash } from 'node:crypto';
import { Inject, Injectable, StreamableFile } from '@nestjs/common';
import { shanghaiToday } from '@xuncha/shared';
import { countyLimit, type Principal } from '../auth/principal';
import { AppError } from '../common/http-exception.filter';
import { withCorrectionSheet } from './correction-sheet';
import type { ReportedState, ReportQuarter, WithdrawQuarter } from './dto/reported.dto';
import { ExportsService, type ExportRestriction } from './exports.service';
import { contentDisposition, XLSX_TYPE } from '../files/files';
import { figureCorrections, type FigureCorrection } from './quarterly-workbook';
import { endedQuarter, quarterPeriod } from './quarters';
import { ReportedRepository, type ReportedRecord } from './reported.repository';

/** How a download was served: as reported, or computed (kept or made now; see the workbook store). */
export type QuarterlySource = 'reported' | 'kept' | 'made';

/** A reporting time as a clerk reads it: Asia/Shanghai, to the minute. */
function shanghaiTime(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/**
 * 已报送 (issue 16 item 5). A quarter's statistics marked reported keep their workbook file and
 * summary figures as they were (in PostgreSQL): the workbook is then served as reported, and a
 * later backdated change (a 销号 effective inside the quarter, a corrected record) shows as a
 * 更正 — every figure that differs now, reported and current value and the difference — never
 * as a silent rewrite. Which workbook: the city's, or a county-level region's (a county account
 * its own county's only, as for the download).
 */
@Injectable()
export class ReportedService {
  constructor(
    @Inject(ReportedRepository) private readonly repository: ReportedRepository,
    @Inject(ExportsService) private readonly exports: ExportsService,
  ) {}

  /** A quarter's state for a workbook: 未报送, 已报送, or 已报送 with corrections (which). */
  async state(auth: Principal, year: number, quarter: number, regionId: number | undefined): Promise<ReportedState> {
    const { restrict, region } = await this.target(auth, year, quarter, regionId);
    const record = await this.repository.find(year, quarter, region.id);
    const corrections = record ? await this.corrections(record, restrict) : [];
    const withdrawn = await this.repository.withdrawn(year, quarter, region.id);
    return {
      year,
      quarter,
      region,
      state: !record ? 'unreported' : corrections.length > 0 ? 'corrected' : 'reported',
      reported: record
        ? {
            at: record.reportedAt.toISOString(),
            by: record.reportedBy,
            fileName: record.fileName,
            size: record.size,
            sha256: record.sha256,
            figures: record.figures.length,
          }
        : null,
      corrections,
      withdrawn: withdrawn.map((w) => ({
        id: w.id,
        reportedAt: w.reportedAt.toISOString(),
        reportedBy: w.reportedBy,
        withdrawnAt: w.withdrawnAt.toISOString(),
        withdrawnBy: w.withdrawnBy,
        reason: w.withdrawnReason,
        fileName: w.fileName,
        size: w.size,
        sha256: w.sha256,
      })),
    };
  }

  /**
   * 撤回已报送 (the administrator's): the report in force becomes 已撤回 with who, when and why;
   * its file and figures stay (listed in the state, downloadable), and the quarter may be
   * reported again. None in force: 409.
   */
  async withdraw(auth: Principal, body: WithdrawQuarter, actor: string): Promise<ReportedState> {
    const { year, quarter } = body;
    const { region } = await this.target(auth, year, quarter, body.regionId);
    if (!(await this.repository.withdraw(year, quarter, region.id, actor, body.reason))) {
      throw new AppError(
        409,
        `quarter: ${region.name}${year}年第${quarter}季度未标记为已报送，无可撤回 this quarter's workbook is not reported: nothing to withdraw`,
      );
    }
    return this.state(auth, year, quarter, body.regionId);
  }

  /**
   * A withdrawn report's workbook, byte for byte as it was reported (its name says 已撤回).
   * Another county's answers as missing to a county account.
   */
  async withdrawnFile(auth: Principal, id: number): Promise<StreamableFile> {
    const record = await this.repository.withdrawnFile(id);
    const limit = countyLimit(auth);
    if (!record || (limit !== null && record.regionId !== limit)) throw new AppError(404, `id: 已撤回的报送记录 ${id} 不存在 no withdrawn report ${id}`);
    const name = record.fileName.replace(/\.xlsx$/, '-已撤回.xlsx');
    const ascii = `xuncha-quarterly-${record.year}Q${record.quarter}-withdrawn-${record.id}.xlsx`;
    return new StreamableFile(record.content, { type: XLSX_TYPE, disposition: contentDisposition(ascii, name), length: record.content.length });
  }

  /**
   * Marks a quarter's workbook 已报送: the workbook is made now and kept with its figures. A
   * quarter reported already is a 409 (what was reported stays).
   */
  async report(auth: Principal, body: ReportQuarter, actor: string): Promise<ReportedState> {
    const { year, quarter } = body;
    const { restrict, region } = await this.target(auth, year, quarter, body.regionId);
    if (await this.repository.find(year, quarter, region.id)) throw this.already(year, quarter, region.name);
    const made = await this.exports.quarterlyToReport(year, quarter, restrict);
    const kept = await this.repository.create({
      year,
      quarter,
      regionId: region.id,
      reportedBy: actor,
      figures: made.figures,
      fileName: made.fileName,
      size: made.content.length,
      sha256: createHash('sha256').update(made.content).digest('hex'),
      content: made.content,
    });
    if (!kept) throw this.already(year, quarter, region.name);
    return this.state(auth, year, quarter, body.regionId);
  }

  /**
   * The quarterly workbook: for a quarter marked 已报送, as reported (with a 更正说明 sheet when
   * a figure differs now) unless `current` is asked for, which is computed now and labelled
   * so; an unreported quarter is computed now.
   */
  async download(
    auth: Principal,
    year: number,
    quarter: number,
    regionId: number | undefined,
    version: 'reported' | 'current' | undefined,
  ): Promise<{ file: StreamableFile; source: QuarterlySource }> {
    const { restrict, region } = await this.target(auth, year, quarter, regionId);
    const record = await this.repository.find(year, quarter, region.id);
    if (!record || version === 'current') return this.exports.quarterly(year, quarter, restrict, record !== null);
    const content = await this.repository.content(year, quarter, region.id);
    if (!content) throw new AppError(404, `quarter: ${year}年第${quarter}季度的报送记录已不存在 the report is gone`);
    const corrections = await this.corrections(record, restrict);
    const bytes =
      corrections.length === 0
        ? content
        : await withCorrectionSheet(content, corrections, {
            reportingUnit: region.name,
            periodLabel: quarterPeriod(year, quarter).label,
            reportedBy: record.reportedBy,
            reportedAt: shanghaiTime(record.reportedAt),
            today: shanghaiToday(),
          });
    const label = corrections.length === 0 ? '已报送' : '已报送-含更正说明';
    const name = record.fileName.replace(/\.xlsx$/, `-${label}.xlsx`);
    const ascii = `xuncha-quarterly-${year}Q${quarter}${restrict ? `-county${region.id}` : ''}-reported.xlsx`;
    return { file: new StreamableFile(bytes, { type: XLSX_TYPE, disposition: contentDisposition(ascii, name), length: bytes.length }), source: 'reported' };
  }

  private async corrections(record: ReportedRecord, restrict: ExportRestriction | undefined): Promise<FigureCorrection[]> {
    return figureCorrections(record.figures, await this.exports.currentFigures(record.year, record.quarter, restrict));
  }

  /** The workbook a request names: the quarter must have ended; a county account's is its county's. */
  private async target(auth: Principal, year: number, quarter: number, regionId: number | undefined) {
    endedQuarter(year, quarter, shanghaiToday());
    const restrict = this.exports.quarterlyRestriction(countyLimit(auth), regionId);
    return { restrict, region: await this.exports.reportingRegion(restrict) };
  }

  private already(year: number, quarter: number, regionName: string): AppError {
    return new AppError(409, `quarter: ${regionName}${year}年第${quarter}季度已标记为已报送，报送内容不再改变 this quarter's workbook was reported already`);
  }
}
