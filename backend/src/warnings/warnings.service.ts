import { Inject, Injectable, StreamableFile } from '@nestjs/common';
import JSZip from 'jszip';
import { shanghaiToday } from '@xuncha/shared';
import { countyLimit, type Principal } from '../auth/principal';
import { AppError } from '../common/http-exception.filter';
import type { FiltersInput } from '../common/filters';
import type { AppConfig } from '../config/app-config';
import { DimensionsService } from '../dimensions/dimensions.service';
import { DrillService } from '../drill/drill.service';
import { WARNING_LEVELS, type TaskListQuery } from '../drill/dto/drill.dto';
import { APP_CONFIG } from '../infra/tokens';
import { contentDisposition } from '../files/files';
import type { TaskCsvQuery } from '../exports/dto/exports.dto';
import { NOTICE_TITLES, writeNoticeDocument, type NoticeData, type NoticeTask } from './notice-document';
import { highestLevel, WARNING_LABELS, WARNING_RECIPIENTS, warningLevel } from './warning-ladder';
import type { NoticeBody } from './dto/warnings.dto';
import { WarningsRepository } from './warnings.repository';

export const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
export const ZIP_TYPE = 'application/zip';

/** The most tasks one issue may name (a notice is read by people; 10,000 rows are a ledger, not a notice). */
export const MAX_NOTICE_TASKS = 5_000;

const NUMBER_PREFIX = { WARNING: '巡预', SUPERVISION: '巡督' } as const;

/** The 预警 page (tasks by level on the ladder) and the 预警函 / 督办单 issued for a list of tasks. */
@Injectable()
export class WarningsService {
  constructor(
    @Inject(DrillService) private readonly drill: DrillService,
    @Inject(DimensionsService) private readonly dimensions: DimensionsService,
    @Inject(WarningsRepository) private readonly repository: WarningsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Open tasks per warning level under the filters, as of their as-of day. */
  async summary(auth: Principal, filters: FiltersInput) {
    let asOf = '';
    const levels = [];
    for (const level of WARNING_LEVELS) {
      const page = await this.drill.tasks(auth, { ...filters, warning: level, sort: 'id', page: 1, pageSize: 1 } satisfies TaskListQuery);
      asOf = page.asOf;
      levels.push({ level, label: WARNING_LABELS[level], count: page.total, recipients: [...WARNING_RECIPIENTS[level]] });
    }
    return { asOf, days: { ...this.config.warningDays }, levels };
  }

  /**
   * The notices for every task of the list: one document per unit (or per unit and
   * responsible department), a zip when there are several. Each task named gets an
   * ESCALATION event dated today, and the issue an audit entry, in one transaction.
   */
  async issue(auth: Principal, query: TaskCsvQuery, body: NoticeBody, actor: string): Promise<StreamableFile> {
    const list = await this.drill.taskChunks(auth, { ...query, page: 1, pageSize: MAX_NOTICE_TASKS });
    if (list.total === 0) throw new AppError(400, '筛选条件下没有整改任务，无法生成文书 no task matches the filters');
    if (list.total > MAX_NOTICE_TASKS) {
      throw new AppError(
        400,
        `一次最多对 ${MAX_NOTICE_TASKS} 项任务生成文书（当前 ${list.total} 项），请缩小筛选范围 at most ${MAX_NOTICE_TASKS} tasks per issue (got ${list.total})`,
      );
    }
    const rows = await list.chunk(0, list.total);
    const asOf = list.asOf;
    const ladder = this.config.warningDays;
    const groups = new Map<string, { unitId: number; addressee: string; tasks: NoticeTask[] }>();
    for (const r of rows) {
      const key = body.groupBy === 'dept' ? `${r.unitId}\u0000${r.responsibleDept}` : String(r.unitId);
      const group = groups.get(key) ?? { unitId: r.unitId, addressee: body.groupBy === 'dept' ? `${r.unitName}${r.responsibleDept}` : r.unitName, tasks: [] };
      group.tasks.push({
        id: r.id,
        unitName: r.unitName,
        categoryName: r.categoryName,
        measure: r.measure,
        responsibleDept: r.responsibleDept,
        responsiblePerson: r.responsiblePerson,
        dueDate: r.dueDate,
        daysOverdue: r.daysOverdue,
        level: r.status === 'CLOSED' ? null : warningLevel(r.dueDate, asOf, ladder),
      });
      groups.set(key, group);
    }
    const leaders = await this.repository.unitLeaders([...new Set(rows.map((r) => r.unitId))]);
    const today = shanghaiToday();
    const issuer = await this.issuer(auth);
    const title = NOTICE_TITLES[body.kind];
    const ordered = [...groups.values()].sort((a, b) => a.addressee.localeCompare(b.addressee, 'zh-CN'));
    const { number, result } = await this.repository.issue(
      Number(today.slice(0, 4)),
      NUMBER_PREFIX[body.kind],
      async (number) => {
        const files = [];
        for (const [i, group] of ordered.entries()) {
          const data: NoticeData = {
            kind: body.kind,
            number: ordered.length > 1 ? `${number}之${i + 1}` : number,
            addressee: group.addressee,
            issuer,
            date: today,
            level: highestLevel(group.tasks.map((t) => t.level)),
            leaders: leaders.get(group.unitId) ?? { principalLeader: null, leaderInCharge: null },
            tasks: group.tasks,
          };
          files.push({ name: `${title}_${safeName(group.addressee)}_${today}.docx`, bytes: await writeNoticeDocument(data) });
        }
        return files;
      },
      () => ({
        title,
        taskIds: rows.map((r) => r.id),
        eventDate: new Date(`${today}T00:00:00Z`),
        actor,
        principal: auth,
        detail: { kind: body.kind, groupBy: body.groupBy, asOf, query, documents: ordered.length, tasks: rows.length, taskIds: rows.map((r) => r.id) },
      }),
    );
    if (result.length === 1) {
      return new StreamableFile(result[0].bytes, {
        type: DOCX_TYPE,
        disposition: contentDisposition(`notice-${today}.docx`, result[0].name),
        length: result[0].bytes.length,
      });
    }
    const zip = new JSZip();
    const used = new Set<string>();
    for (const file of result) {
      let name = file.name;
      for (let n = 2; used.has(name); n++) name = file.name.replace(/\.docx$/, `_${n}.docx`);
      used.add(name);
      zip.file(name, file.bytes);
    }
    const bytes = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
    const zipName = `${title}_${safeName(number)}_${result.length}份_${today}.zip`;
    return new StreamableFile(bytes, { type: ZIP_TYPE, disposition: contentDisposition(`notices-${today}.zip`, zipName), length: bytes.length });
  }

  /** 落款: the county's office for a county account, else the city's. */
  private async issuer(auth: Principal): Promise<string> {
    const dims = await this.dimensions.get();
    const county = countyLimit(auth);
    const region = (county !== null && dims.regions.find((r) => r.id === county && r.level === 'COUNTY')) || dims.regions.find((r) => r.level === 'CITY');
    return `中共${region?.name ?? ''}委巡察工作领导小组办公室`;
  }
}

/** A file name part without path separators or characters Windows refuses. */
export function safeName(text: string): string {
  return text.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_').slice(0, 80);
}
