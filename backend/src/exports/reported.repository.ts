import { Inject, Injectable } from '@nestjs/common';
import type { Db } from '@xuncha/prisma';
import { auditedTransaction } from '../audit/audit-context';
import { PRISMA } from '../infra/tokens';
import type { WorkbookFigure } from './quarterly-workbook';

export interface ReportedRecord {
  year: number;
  quarter: number;
  regionId: number;
  reportedBy: string;
  reportedAt: Date;
  figures: WorkbookFigure[];
  fileName: string;
  size: number;
  sha256: string;
}

/** A withdrawn report (已撤回): what was reported, and when, by whom and why it was withdrawn. */
export interface WithdrawnRecord extends Omit<ReportedRecord, 'figures'> {
  id: number;
  withdrawnAt: Date;
  withdrawnBy: string;
  withdrawnReason: string;
}

/** No report in force to withdraw (rolls the withdrawal's transaction back). */
class NothingInForce extends Error {}

/** A report in force has withdrawn_seq 0 (one per quarter and workbook; the unique key holds it). */
const IN_FORCE = 0;

const WITHOUT_CONTENT = {
  year: true,
  quarter: true,
  regionId: true,
  reportedBy: true,
  reportedAt: true,
  figures: true,
  fileName: true,
  size: true,
  sha256: true,
} as const;

/** The quarters marked 已报送, each with its workbook file and figures as reported, in PostgreSQL. */
@Injectable()
export class ReportedRepository {
  constructor(@Inject(PRISMA) private readonly prisma: Db) {}

  /** The report of a quarter's workbook for a 填报单位, without the file, or null. */
  async find(year: number, quarter: number, regionId: number): Promise<ReportedRecord | null> {
    const row = await this.prisma.reportedQuarter.findUnique({
      where: { year_quarter_regionId_withdrawnSeq: { year, quarter, regionId, withdrawnSeq: IN_FORCE } },
      select: WITHOUT_CONTENT,
    });
    return row ? { ...row, figures: row.figures as unknown as WorkbookFigure[] } : null;
  }

  /** The workbook file as reported. */
  async content(year: number, quarter: number, regionId: number): Promise<Buffer | null> {
    const row = await this.prisma.reportedQuarter.findUnique({
      where: { year_quarter_regionId_withdrawnSeq: { year, quarter, regionId, withdrawnSeq: IN_FORCE } },
      select: { content: true },
    });
    return row ? Buffer.from(row.content) : null;
  }

  /** The withdrawn reports of a quarter's workbook, the latest withdrawal first. */
  async withdrawn(year: number, quarter: number, regionId: number): Promise<WithdrawnRecord[]> {
    const rows = await this.prisma.reportedQuarter.findMany({
      where: { year, quarter, regionId, withdrawnSeq: { not: IN_FORCE } },
      select: { ...WITHOUT_CONTENT, figures: false, id: true, withdrawnAt: true, withdrawnBy: true, withdrawnReason: true },
      orderBy: [{ withdrawnAt: 'desc' }, { id: 'desc' }],
    });
    return rows.map((r) => ({ ...r, withdrawnAt: r.withdrawnAt!, withdrawnBy: r.withdrawnBy ?? '', withdrawnReason: r.withdrawnReason ?? '' }));
  }

  /** A withdrawn report with its file as it was reported, or null (also for a report still in force). */
  async withdrawnFile(id: number): Promise<(WithdrawnRecord & { content: Buffer }) | null> {
    const row = await this.prisma.reportedQuarter.findFirst({
      where: { id, withdrawnSeq: { not: IN_FORCE } },
      select: { ...WITHOUT_CONTENT, figures: false, id: true, withdrawnAt: true, withdrawnBy: true, withdrawnReason: true, content: true },
    });
    if (!row) return null;
    return {
      ...row,
      withdrawnAt: row.withdrawnAt!,
      withdrawnBy: row.withdrawnBy ?? '',
      withdrawnReason: row.withdrawnReason ?? '',
      content: Buffer.from(row.content),
    };
  }

  /**
   * Withdraws the report in force of a quarter's workbook, keeping its row and file (已撤回,
   * with who, when and why), so that the quarter may be reported again. False when none is in
   * force (withdrawn by a concurrent request too: the row is locked by the update).
   */
  async withdraw(year: number, quarter: number, regionId: number, by: string, reason: string): Promise<boolean> {
    try {
      // the audit entry commits with the withdrawal, or neither does (nothing withdrawn: rolled back, recorded as refused)
      await auditedTransaction(this.prisma, async (tx) => {
        const updated = await tx.$executeRaw`
          UPDATE reported_quarters SET withdrawn_at = now(), withdrawn_by = ${by}, withdrawn_reason = ${reason}, withdrawn_seq = id
           WHERE year = ${year} AND quarter = ${quarter} AND region_id = ${regionId} AND withdrawn_seq = ${IN_FORCE}`;
        if (updated !== 1) throw new NothingInForce();
      });
      return true;
    } catch (error) {
      if (error instanceof NothingInForce) return false;
      throw error;
    }
  }

  /**
   * Keeps a report; false when the quarter's workbook was reported already (by a concurrent
   * request too: the unique key decides). The file goes in as a plain bytea parameter.
   */
  async create(data: Omit<ReportedRecord, 'reportedAt'> & { content: Buffer }): Promise<boolean> {
    // the audit entry commits with the report, or neither does
    return auditedTransaction(this.prisma, async (tx) => {
      const inserted = await tx.$executeRaw`
        INSERT INTO reported_quarters (year, quarter, region_id, reported_by, figures, file_name, size, sha256, content)
        VALUES (${data.year}, ${data.quarter}, ${data.regionId}, ${data.reportedBy}, ${JSON.stringify(data.figures)}::jsonb, ${data.fileName}, ${data.size}, ${data.sha256}, ${data.content})
        ON CONFLICT (year, quarter, region_id, withdrawn_seq) DO NOTHING`;
      return inserted === 1;
    });
  }
}
