import { Inject, Injectable, type StreamableFile } from '@nestjs/common';
import { shanghaiToday } from '@xuncha/shared';
import { CountyScope } from '../auth/county-scope';
import type { Principal } from '../auth/principal';
import { INSPECTION_MODES } from '../common/filters';
import { ScopeService } from '../dimensions/scope.service';
import { recurrenceMemberIdsSubquery } from '../metrics/metrics.queries';
import { MetricsService, nearestRank } from '../metrics/metrics.service';
import type { UnitProfile, UnitProfileTable } from './dto/unit-profile.dto';
import { csvListFile, namedFileName, xlsxListFile } from '../files/list-file';
import { PROFILE_TABLE_FILES } from './unit-profile-file';
import { UnitProfileRepository } from './unit-profile.repository';

/**
 * 单位画像: one inspected unit — its inspections across terms by mode, its findings by
 * category with repeats and rebounds (the 复发 figures' own definitions), its tasks, days to
 * close against its county's, its clues and its responsible persons. A county account sees
 * its own county's units only (another county's answers as missing: 404).
 */
@Injectable()
export class UnitProfileService {
  constructor(
    @Inject(UnitProfileRepository) private readonly repository: UnitProfileRepository,
    @Inject(CountyScope) private readonly county: CountyScope,
    @Inject(ScopeService) private readonly scopes: ScopeService,
    @Inject(MetricsService) private readonly metrics: MetricsService,
  ) {}

  async profile(auth: Principal, id: number): Promise<UnitProfile> {
    const missing = CountyScope.notFound('单位', id);
    await this.county.check(auth, 'unit', id, missing);
    const unit = await this.repository.unit(id);
    if (!unit) throw missing();
    const asOf = shanghaiToday();
    const [inspections, findings, tasks, clues, closeDays] = await Promise.all([
      this.repository.inspections(id),
      this.repository.findings(id, asOf),
      this.repository.tasks(id, asOf),
      this.repository.clues(id),
      this.repository.closeDays(id, asOf),
    ]);

    // repeats and rebounds: the members of the county's 复发 figures that are this unit's findings
    const { scope, current } = await this.scopes.resolve(auth, { regionId: unit.countyId, asOf });
    const [repeats, rebounds] =
      findings.length === 0
        ? [new Set<string>(), new Set<string>()]
        : await Promise.all([
            this.repository.memberIds(recurrenceMemberIdsSubquery(scope, 'repeat', current)),
            this.repository.memberIds(recurrenceMemberIdsSubquery(scope, 'rebound', current)),
          ]);

    const categories = new Map<number, UnitProfile['categories'][number]>();
    for (const f of findings) {
      const c = categories.get(f.categoryId) ?? {
        categoryId: f.categoryId,
        categoryName: f.categoryName,
        parentName: f.parentName,
        findings: 0,
        repeats: 0,
        rebounds: 0,
      };
      c.findings++;
      if (repeats.has(f.id)) c.repeats++;
      if (rebounds.has(f.id)) c.rebounds++;
      categories.set(f.categoryId, c);
    }

    const county = (await this.metrics.rectification(auth, { regionId: unit.countyId, asOf })).daysToClose;

    const persons: UnitProfile['persons'] = [];
    if (unit.principalLeader) persons.push({ role: 'PRINCIPAL', name: unit.principalLeader, dept: null, tasks: 0, openTasks: 0 });
    if (unit.leaderInCharge) persons.push({ role: 'IN_CHARGE', name: unit.leaderInCharge, dept: null, tasks: 0, openTasks: 0 });
    const responsible = new Map<string, UnitProfile['persons'][number]>();
    for (const t of tasks) {
      const key = `${t.responsiblePerson}\u0000${t.responsibleDept}`;
      const p = responsible.get(key) ?? { role: 'RESPONSIBLE' as const, name: t.responsiblePerson, dept: t.responsibleDept, tasks: 0, openTasks: 0 };
      p.tasks++;
      if (t.status !== 'CLOSED') p.openTasks++;
      responsible.set(key, p);
    }
    persons.push(...[...responsible.values()].sort((a, b) => b.openTasks - a.openTasks || b.tasks - a.tasks || a.name.localeCompare(b.name, 'zh-CN')));

    return {
      asOf,
      unit: { ...unit, category: unit.category as UnitProfile['unit']['category'] },
      inspections: inspections.map((i) => ({ ...i, mode: i.mode as UnitProfile['inspections'][number]['mode'] })),
      byMode: INSPECTION_MODES.map((mode) => ({ mode, inspections: inspections.filter((i) => i.mode === mode).length })),
      categories: [...categories.values()].sort((a, b) => b.findings - a.findings || a.categoryId - b.categoryId),
      findings: findings.map((f) => ({
        id: Number(f.id),
        inspectionId: f.inspectionId,
        categoryName: f.categoryName,
        description: f.description,
        foundDate: f.foundDate,
        isRepeat: repeats.has(f.id),
        isRebound: rebounds.has(f.id),
      })),
      tasks: tasks.map((t) => ({ ...t, id: Number(t.id), findingId: Number(t.findingId), status: t.status as UnitProfile['tasks'][number]['status'] })),
      daysToClose: {
        unit: { count: closeDays.reduce((s, d) => s + d.n, 0), median: nearestRank(closeDays, 0.5) },
        county: { count: county.count, median: county.median },
      },
      clues: clues.map((c) => ({
        ...c,
        handedTo: c.handedTo as UnitProfile['clues'][number]['handedTo'],
        disposalStatus: c.disposalStatus as UnitProfile['clues'][number]['disposalStatus'],
      })),
      persons,
    };
  }

  /**
   * 导出 of one table of the page (.xlsx or CSV): the rows of GET /api/units/:id/profile,
   * in its order, under the same scope; the file named after the unit, the table and the day.
   */
  async file(auth: Principal, id: number, table: UnitProfileTable, format: 'csv' | 'xlsx'): Promise<StreamableFile> {
    const profile = await this.profile(auth, id);
    const spec = PROFILE_TABLE_FILES[table];
    const title = `单位画像-${spec.label}`;
    const name = namedFileName([title, profile.unit.name, profile.asOf], format);
    const ascii = `unit-${id}-${table}-${profile.asOf}.${format}`;
    if (format === 'csv') return spec.write(profile, (columns, rows) => csvListFile(columns, [rows], ascii, name));
    const reportingUnit = await this.repository.reportingUnit(this.county.limit(auth));
    return spec.write(profile, (columns, rows) =>
      xlsxListFile(columns, [rows], rows, { title: `${profile.unit.name}${spec.label}`, reportingUnit, asOf: profile.asOf, ascii, name }),
    );
  }
}
