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
    const row = await this.prisma.reportedQuarter.findUnique({ where: { year_quarter_regionId: { year, quarter, regionId } }, select: WITHOUT_CONTENT });
    return row ? { ...row, figures: row.figures as unknown as WorkbookFigure[] } : null;
  }

  /** The workbook file as reported. */
  async content(year: number, quarter: number, regionId: number): Promise<Buffer | null> {
    const row = await this.prisma.reportedQuarter.findUnique({ where: { year_quarter_regionId: { year, quarter, regionId } }, select: { content: true } });
    return row ? Buffer.from(row.content) : null;
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
        ON CONFLICT (year, quarter, region_id) DO NOTHING`;
      return inserted === 1;
    });
  }
}
