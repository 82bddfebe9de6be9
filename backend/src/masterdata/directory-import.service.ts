import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { CountyScope } from '../auth/county-scope';
import type { Principal } from '../auth/principal';
import type { AppConfig } from '../config/app-config';
import { UNIT_CATEGORIES, type UnitCategory } from '../common/filters';
import { AppError } from '../common/http-exception.filter';
import { UNIT_CATEGORY_LABELS } from '../common/labels';
import { APP_CONFIG } from '../infra/tokens';
import type { Upload } from '../records/ledger-import.service';
import { checkZip, looksLikeZip, ZipRefused } from '../records/zip-guard';
import { normalize, readDay, readText, textOf, type Plain, type Read } from '../records/cells';
import { buildTemplate, readChoice, readCode, readSheetFile, rowReader, SheetRefused, type SheetColumn, type SheetRow } from './directory-workbook';
import type { RegionLevel } from './dto/masterdata.dto';
import { MasterdataRepository, type RegionImportRow, type RegionRow, type UnitImportRow } from './masterdata.repository';
import { committeeName, committeeOf, countyOf, LEVEL_NAMES, PARENT_LEVELS } from './masterdata.service';

/** Most rows one directory upload may hold. */
export const MAX_DIRECTORY_ROWS = 20_000;
/** A unit without 设立日期 counts as established on this day (before any term the product measures). */
export const DEFAULT_VALID_FROM = '2000-01-01';

const OLE_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

type UnitKey = 'code' | 'name' | 'category' | 'region' | 'committee' | 'parent' | 'validFrom' | 'validTo' | 'principalLeader' | 'leaderInCharge';
type RegionKey = 'code' | 'name' | 'level' | 'parent';

export const UNIT_SHEET = '被巡察单位名录';
export const UNIT_COLUMNS: readonly SheetColumn<UnitKey>[] = [
  {
    key: 'code',
    header: '单位代码',
    aliases: ['代码', '单位编码'],
    required: true,
    help: '本单位在名录中的唯一代码（字母、数字、点、短横线，至多 24 位）',
    width: 16,
    numFmt: '@',
  },
  {
    key: 'name',
    header: '单位名称',
    aliases: ['名称', '被巡察党组织', '党组织名称'],
    required: true,
    help: '被巡察党组织（单位）的名称，至多 128 字',
    width: 36,
  },
  {
    key: 'category',
    header: '单位类别',
    aliases: ['类别'],
    required: true,
    help: `${UNIT_CATEGORIES.map((c) => UNIT_CATEGORY_LABELS[c]).join('、')} 之一`,
    width: 14,
  },
  {
    key: 'region',
    header: '所在区划',
    aliases: ['区划', '所在区划代码', '区划代码'],
    required: true,
    help: '所在行政区划的代码或名称（市管单位填“市本级”），见“区划”工作表',
    width: 16,
    numFmt: '@',
  },
  {
    key: 'committee',
    header: '管辖党委',
    aliases: ['巡察党委'],
    required: false,
    help: '选填：市委或县（区）委（填区划代码或名称，如“示例市委”“东城区委”）；留空时按所在区划确定：市本级为市委，县（区）及其乡镇为该县（区）委',
    width: 16,
    numFmt: '@',
  },
  {
    key: 'parent',
    header: '上级单位代码',
    aliases: ['上级单位'],
    required: false,
    help: '选填：上级单位的代码（如村（社区）所属的乡镇），可为本表中的单位或已在名录中的单位',
    width: 16,
    numFmt: '@',
  },
  {
    key: 'validFrom',
    header: '设立日期',
    aliases: ['成立日期'],
    required: false,
    help: `选填：日期，如 2024-03-01（也可用 2024/3/1、2024年3月1日 或 Excel 日期单元格）；留空视为 ${DEFAULT_VALID_FROM}`,
    width: 14,
    numFmt: 'yyyy-mm-dd',
  },
  {
    key: 'validTo',
    header: '撤销日期',
    aliases: ['撤并日期'],
    required: false,
    help: '选填：已撤销的单位填撤销日期，不早于设立日期',
    width: 14,
    numFmt: 'yyyy-mm-dd',
  },
  {
    key: 'principalLeader',
    header: '主要负责人',
    aliases: ['单位主要负责人', '党组织书记'],
    required: false,
    help: '选填：主要负责人姓名，至多 64 字；预警函、督办单据此点名',
    width: 14,
  },
  {
    key: 'leaderInCharge',
    header: '分管领导',
    aliases: ['分管整改领导'],
    required: false,
    help: '选填：分管整改工作的领导姓名，至多 64 字；预警函、督办单据此点名',
    width: 14,
  },
];

export const REGION_SHEET = '行政区划';
export const REGION_COLUMNS: readonly SheetColumn<RegionKey>[] = [
  {
    key: 'code',
    header: '区划代码',
    aliases: ['代码'],
    required: true,
    help: '唯一代码（字母、数字、点、短横线，至多 12 位），如 330100',
    width: 14,
    numFmt: '@',
  },
  { key: 'name', header: '区划名称', aliases: ['名称'], required: true, help: '如 示例市、市本级、东城区、城关街道，至多 64 字', width: 20 },
  {
    key: 'level',
    header: '层级',
    aliases: ['级别'],
    required: true,
    help: '市、市本级、县(市、区)、乡镇(街道) 之一（也可填 县、区、乡、镇、街道）',
    width: 14,
  },
  {
    key: 'parent',
    header: '上级区划代码',
    aliases: ['上级代码', '上级区划'],
    required: false,
    help: '市留空；市本级、县(市、区)填市的代码；乡镇(街道)填所属县(市、区)或市本级的代码。可为本表中的区划或系统中已有的区划',
    width: 16,
    numFmt: '@',
  },
];

const CATEGORY_NAMES: Record<UnitCategory, readonly string[]> = {
  PARTY_GOV: ['党政机关', '党政机关单位'],
  INSTITUTION: ['事业单位'],
  SOE: ['国有企业', '国企'],
  TOWNSHIP: ['乡镇(街道)', '乡镇', '街道'],
  VILLAGE: ['村(社区)', '村', '社区'],
  OTHER: ['其他'],
};

const LEVEL_LABELS: Record<RegionLevel, readonly string[]> = {
  CITY: ['市', '地级市', '设区的市'],
  MUNICIPAL: ['市本级', '市直'],
  COUNTY: ['县(市、区)', '县', '区', '县级市', '县(区)', '县区'],
  TOWNSHIP: ['乡镇(街道)', '乡', '镇', '街道', '乡镇', '乡镇街道'],
};

interface RowProblems {
  row: number;
  problems: string[];
}

const badFile = (message: string, field = 'file') => new AppError(HttpStatus.BAD_REQUEST, `${field}: ${message}`, [{ field, message }]);

/** The 400 of a list with bad rows: nothing imported, every problem of every row, by Excel row number. */
function rowsRefused(what: string, problems: RowProblems[]): AppError {
  const details = [...problems].sort((a, b) => a.row - b.row).map((p) => ({ field: `row ${p.row}`, message: p.problems.join('; ') }));
  return new AppError(
    HttpStatus.BAD_REQUEST,
    `${what}有 ${details.length} 行有误，未导入任何数据 ${details.length} row(s) are invalid and nothing was imported; ${details[0].field}: ${details[0].message}`,
    details,
  );
}

/** A region named by code (full-width forms and blanks aside) or, when unique, by name. */
function regionFinder(regions: readonly RegionRow[]) {
  const byCode = new Map(regions.map((r) => [r.code, r]));
  const byName = new Map<string, RegionRow[]>();
  for (const r of regions) {
    const key = normalize(r.name);
    byName.set(key, [...(byName.get(key) ?? []), r]);
  }
  return (value: Plain): Read<RegionRow> => {
    const text = typeof value === 'number' ? String(value) : normalize(textOf(value));
    const found = byCode.get(text) ?? byName.get(text);
    if (found === undefined) return { problem: `未知的区划 "${text}" unknown region (give its code or name, see the 区划 sheet)` };
    if (Array.isArray(found)) {
      if (found.length > 1)
        return {
          problem: `区划名称“${text}”不唯一，请填写区划代码 the region name "${text}" is ambiguous; give its code (${found.map((r) => r.code).join(', ')})`,
        };
      return { value: found[0] };
    }
    return { value: found };
  };
}

/**
 * The Excel imports of the master data: the region list and the unit directory
 * (被巡察单位名录). Every row is checked in one pass — its cells, what it refers to, and
 * duplicates across the file — and the first answer names every problem of every row;
 * only a file without problems is imported, all of it in one transaction.
 */
@Injectable()
export class DirectoryImportService {
  constructor(
    @Inject(MasterdataRepository) private readonly repository: MasterdataRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CountyScope) private readonly county: CountyScope,
  ) {}

  /** The rows of the upload's sheet `sheet` (streamed); a 400 when the file as a whole is unusable. */
  private async rows<K extends string>(file: Upload | undefined, sheet: string, columns: readonly SheetColumn<K>[]): Promise<SheetRow<K>[]> {
    if (!file) throw badFile('请上传文件（表单字段 file） no file uploaded: send the workbook as multipart field "file"');
    if (file.size > this.config.maxUploadBytes)
      throw new AppError(HttpStatus.PAYLOAD_TOO_LARGE, `file: 文件过大 the file is larger than ${this.config.maxUploadBytes} bytes`);
    if (file.size === 0) throw badFile('文件为空 the file is empty');
    if (!/\.xlsx$/i.test(file.originalname)) throw badFile(`只接受 .xlsx 文件 only .xlsx workbooks are accepted (got "${file.originalname}")`);
    if (file.buffer.subarray(0, 8).equals(OLE_MAGIC))
      throw badFile(
        '这是旧版 .xls 或加密的工作簿，请另存为 .xlsx 后再上传 this is an old-format .xls (or encrypted) workbook; save it as .xlsx and upload again',
      );
    if (!looksLikeZip(file.buffer)) throw badFile('不是有效的 .xlsx 文件 the file is not an .xlsx workbook');
    try {
      checkZip(file.buffer, { maxTotalBytes: Math.min(256 * 1024 * 1024, Math.max(16 * 1024 * 1024, 100 * file.size)), maxEntries: 2000 });
      return await readSheetFile(file.buffer, sheet, columns, MAX_DIRECTORY_ROWS);
    } catch (error) {
      if (error instanceof ZipRefused) throw badFile(error.message);
      if (error instanceof SheetRefused) throw badFile(error.message, error.field);
      throw error;
    }
  }

  // --- regions ---------------------------------------------------------------------

  async regionTemplate(): Promise<Buffer> {
    return buildTemplate({
      sheet: REGION_SHEET,
      columns: REGION_COLUMNS,
      rows: 500,
      choices: { level: ['市', '市本级', '县(市、区)', '乡镇(街道)'] },
      examples: [
        { code: '330100', name: '示例市', level: '市', parent: '' },
        { code: '330100-0', name: '市本级', level: '市本级', parent: '330100' },
        { code: '330102', name: '东城区', level: '县(市、区)', parent: '330100' },
        { code: '330102001', name: '城关街道', level: '乡镇(街道)', parent: '330102' },
      ],
      notes: [
        '第 1 行为表头，请勿修改；示例行请替换为本地数据；空行会被忽略。',
        '上级区划可以是本表中的区划（顺序不限），也可以是系统中已有的区划。',
        `一次最多导入 ${MAX_DIRECTORY_ROWS} 行。只要有一行有误，整个文件都不会导入；错误信息列出每一行（Excel 行号）的每一个问题。`,
        '已存在的区划代码不会被覆盖：修改已有区划请在“行政区划”页面编辑。',
      ],
    });
  }

  async importRegions(auth: Principal, file: Upload | undefined): Promise<{ imported: number }> {
    if (this.county.limit(auth) !== null) {
      throw new AppError(
        HttpStatus.FORBIDDEN,
        '县区账号不能导入区划表，请在页面上添加本县（区）的乡镇（街道） a county account may not import the region list; add your townships on the page',
      );
    }
    const rows = await this.rows(file, REGION_SHEET, REGION_COLUMNS);
    const existing = await this.repository.allRegions();
    const existingByCode = new Map(existing.map((r) => [r.code, r]));
    const problems: RowProblems[] = [];
    const parsed: (RegionImportRow & { row: number; problems: string[] })[] = [];
    const firstRowOf = new Map<string, number>();
    for (const { row, cells } of rows) {
      const r = rowReader(REGION_COLUMNS, cells);
      const code = r.need('code', readCode(12));
      const name = r.need('name', readText(64));
      const level = r.need('level', readChoice(LEVEL_LABELS, 'level'));
      const parentCode = r.may('parent', readCode(12));
      if (code !== undefined) {
        if (existingByCode.has(code)) r.add('code', `区划代码 ${code} 已存在于系统中 region code ${code} already exists`);
        const first = firstRowOf.get(code);
        if (first !== undefined) r.add('code', `与第 ${first} 行重复 duplicates row ${first}`);
        else firstRowOf.set(code, row);
      }
      parsed.push({ row, problems: r.problems, code: code ?? '', name: name ?? '', level: level ?? 'CITY', parentCode: parentCode ?? null });
    }
    // parents: in the file (by code) or already in the system, of the level the rules want
    // a code given twice is reported on its second row; parents refer to its first
    const inFile = new Map<string, (typeof parsed)[number]>();
    for (const p of parsed) if (p.code !== '' && !inFile.has(p.code)) inFile.set(p.code, p);
    for (const p of parsed) {
      const allowed = PARENT_LEVELS[p.level];
      const levelKnown = !p.problems.some((m) => m.startsWith('层级:'));
      if (p.parentCode === null) {
        if (levelKnown && !allowed.includes(null)) p.problems.push(`上级区划代码: ${LEVEL_NAMES[p.level]}须填写上级区划 a ${p.level} region needs a parent`);
      } else {
        const parent = inFile.get(p.parentCode) ?? existingByCode.get(p.parentCode);
        if (!parent) p.problems.push(`上级区划代码: 未知的区划代码 ${p.parentCode} unknown region code (neither in this file nor in the system)`);
        else if (p.parentCode === p.code) p.problems.push('上级区划代码: 不能是自己 a region cannot be its own parent');
        else if (levelKnown && !allowed.includes(parent.level)) {
          p.problems.push(
            `上级区划代码: ${LEVEL_NAMES[p.level]}的上级须为${allowed.map((l) => (l ? LEVEL_NAMES[l] : '无')).join('或')} the parent of a ${p.level} region must be ${allowed.join(' or ')} (${p.parentCode} is ${parent.level})`,
          );
        }
      }
      if (p.problems.length > 0) problems.push({ row: p.row, problems: p.problems });
    }
    if (problems.length > 0) throw rowsRefused('区划表', problems);
    return { imported: await this.repository.importRegions(parsed.map(({ code, name, level, parentCode }) => ({ code, name, level, parentCode }))) };
  }

  // --- units -------------------------------------------------------------------------

  async unitTemplate(auth: Principal): Promise<Buffer> {
    const limit = this.county.limit(auth);
    const regions = (await this.repository.allRegions()).filter((r) => limit === null || countyOf(r) === limit);
    return buildTemplate({
      sheet: UNIT_SHEET,
      columns: UNIT_COLUMNS,
      rows: 2000,
      choices: { category: UNIT_CATEGORIES.map((c) => UNIT_CATEGORY_LABELS[c]) },
      notes: [
        '第 1 行为表头，请勿修改；空行会被忽略。',
        '所在区划、管辖党委填代码或名称均可（名称须唯一），见“区划”工作表。',
        `一次最多导入 ${MAX_DIRECTORY_ROWS} 行。只要有一行有误，整个文件都不会导入；错误信息列出每一行（Excel 行号）的每一个问题。`,
        '已存在的单位代码不会被覆盖：修改、移动、撤并已有单位请在“被巡察单位”页面操作。',
      ],
      reference: {
        sheet: '区划',
        headers: ['区划代码', '区划名称', '层级', '管辖党委'],
        rows: regions.map((r) => [r.code, r.name, LEVEL_NAMES[r.level], r.level === 'CITY' || r.level === 'COUNTY' ? committeeName(r) : '']),
      },
    });
  }

  async importUnits(auth: Principal, file: Upload | undefined): Promise<{ imported: number }> {
    const rows = await this.rows(file, UNIT_SHEET, UNIT_COLUMNS);
    const limit = this.county.limit(auth);
    const allRegions = await this.repository.allRegions();
    const regionById = new Map(allRegions.map((r) => [r.id, r]));
    const hasMunicipal = allRegions.some((r) => r.level === 'MUNICIPAL');
    const findRegion = regionFinder(allRegions);
    const committees = allRegions.filter((r) => r.level === 'CITY' || r.level === 'COUNTY');
    const findCommittee = regionFinder([...committees, ...committees.map((r) => ({ ...r, code: `\u0000${r.id}`, name: committeeName(r) }))]);
    const codes = rows.map(({ cells }) => readCode(24)(cells.code)).flatMap((r) => ('value' in r ? [r.value] : []));
    const parentCodes = rows.map(({ cells }) => readCode(24)(cells.parent)).flatMap((r) => ('value' in r ? [r.value] : []));
    const existing = new Map((await this.repository.unitsByCode([...new Set([...codes, ...parentCodes])])).map((u) => [u.code, u]));
    const problems: RowProblems[] = [];
    const parsed: (UnitImportRow & { row: number })[] = [];
    const firstRowOf = new Map<string, number>();
    const fileCodes = new Set(codes);
    for (const { row, cells } of rows) {
      const r = rowReader(UNIT_COLUMNS, cells);
      const code = r.need('code', readCode(24));
      const name = r.need('name', readText(128));
      const category = r.need('category', readChoice(CATEGORY_NAMES, 'category'));
      let region = r.need('region', findRegion);
      const committeeGiven = r.may('committee', findCommittee);
      const parentCode = r.may('parent', readCode(24));
      const validFrom = r.may('validFrom', readDay);
      const validTo = r.may('validTo', readDay);
      const principalLeader = r.may('principalLeader', readText(64));
      const leaderInCharge = r.may('leaderInCharge', readText(64));
      if (code !== undefined) {
        if (existing.has(code)) r.add('code', `单位代码 ${code} 已在名录中 unit code ${code} already exists in the directory`);
        const first = firstRowOf.get(code);
        if (first !== undefined) r.add('code', `与第 ${first} 行重复 duplicates row ${first}`);
        else firstRowOf.set(code, row);
      }
      if (region !== undefined) {
        if (limit !== null && countyOf(region) !== limit) {
          r.add('region', `“${region.name}”不在本县（区） region ${region.code} is outside your county`);
          region = undefined;
        } else if (region.level === 'CITY' && hasMunicipal) {
          r.add('region', '市管单位请填“市本级”区划 units of the city belong to its 市本级 region, not the city itself');
          region = undefined;
        }
      }
      let committeeRegionId: number | undefined;
      if (region !== undefined) {
        committeeRegionId = committeeOf(region, regionById);
        if (committeeGiven) {
          if (limit !== null && committeeGiven.id !== limit) r.add('committee', `须为本县（区）委 must be your county's committee`);
          else committeeRegionId = committeeGiven.id;
        }
      }
      if (parentCode !== undefined && parentCode !== null) {
        const known = existing.get(parentCode);
        if (parentCode === code) r.add('parent', '上级单位不能是自己 a unit cannot be its own parent');
        else if (!fileCodes.has(parentCode) && (!known || known.deletedAt !== null))
          r.add('parent', `未知的单位代码 ${parentCode} unknown unit code (neither in this file nor in the directory)`);
        else if (known && limit !== null && !fileCodes.has(parentCode)) {
          const parentRegion = regionById.get(known.regionId);
          if (!parentRegion || countyOf(parentRegion) !== limit)
            r.add('parent', `未知的单位代码 ${parentCode} unknown unit code (neither in this file nor in the directory)`);
        }
      }
      const from = validFrom ?? DEFAULT_VALID_FROM;
      if (validFrom !== undefined && validTo !== undefined && validTo !== null && validTo < from)
        r.add('validTo', `早于设立日期 must not be before the establishment date (${validTo} < ${from})`);
      if (r.problems.length > 0) {
        problems.push({ row, problems: r.problems });
        continue;
      }
      parsed.push({
        row,
        code: code!,
        name: name!,
        category: category!,
        regionId: region!.id,
        committeeRegionId: committeeRegionId!,
        parentCode: parentCode ?? null,
        validFrom: from,
        validTo: validTo ?? null,
        principalLeader: principalLeader || null,
        leaderInCharge: leaderInCharge || null,
      });
    }
    // a parent in the file must itself come in, and the file's parents must not go round in a circle
    const good = new Map(parsed.map((p) => [p.code, p]));
    const badRows = new Set(problems.map((p) => p.row));
    for (const p of parsed) {
      if (p.parentCode === null || existing.has(p.parentCode)) continue;
      const seen = new Set<string>([p.code]);
      let at: string | null = p.parentCode;
      let message: string | null = null;
      while (at !== null && !existing.has(at)) {
        const parent = good.get(at);
        if (!parent) {
          message = `上级单位 ${at} 所在行有误 the parent ${at} is on a row with problems`;
          break;
        }
        if (seen.has(at)) {
          message = `上级单位形成循环 the parents go round in a circle (${[...seen].join(' → ')})`;
          break;
        }
        seen.add(at);
        at = parent.parentCode;
      }
      if (message !== null && !badRows.has(p.row)) {
        problems.push({ row: p.row, problems: [`上级单位代码: ${message}`] });
        badRows.add(p.row);
      }
    }
    if (problems.length > 0) throw rowsRefused('单位名录', problems);
    return { imported: await this.repository.importUnits(parsed.map(({ row: _row, ...unit }) => unit)) };
  }
}
