import {
  AlignmentType,
  convertMillimetersToTwip,
  Document,
  Footer,
  Packer,
  PageNumber,
  Paragraph,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import type { WarningLevel } from '../drill/dto/drill.dto';
import { WARNING_LABELS, WARNING_RECIPIENTS } from './warning-ladder';

/**
 * A 预警函 or 督办单 as a Word document in the layout of Party and government documents
 * (GB/T 9704: A4, margins 37/35/28/26 mm, 标题 in 方正小标宋 二号 (22 pt), body in 仿宋_GB2312
 * 三号 (16 pt), page numbers "— n —" in 宋体 四号 at the foot). Fonts fall back to 宋体/仿宋
 * where the 方正 and GB2312 fonts are not installed.
 */

export const NOTICE_KINDS = ['WARNING', 'SUPERVISION'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];
export const NOTICE_TITLES: Record<NoticeKind, string> = { WARNING: '整改预警函', SUPERVISION: '整改督办单' };

export interface NoticeTask {
  id: number;
  unitName: string;
  categoryName: string;
  measure: string;
  responsibleDept: string;
  responsiblePerson: string;
  dueDate: string | null;
  daysOverdue: number;
  level: WarningLevel | null;
}

/** The unit's leaders from the unit directory (null where not entered). */
export interface UnitLeaders {
  principalLeader: string | null;
  leaderInCharge: string | null;
}

export interface NoticeData {
  kind: NoticeKind;
  /** 文号, e.g. 巡督〔2026〕3号 */
  number: string;
  /** 主送: the unit, or the unit and its responsible department */
  addressee: string;
  /** 落款: the issuing office */
  issuer: string;
  /** YYYY-MM-DD */
  date: string;
  /** The most urgent level among the tasks: who the notice is to be passed to. */
  level: WarningLevel | null;
  /** The addressed unit's 主要负责人 and 分管领导, named where known. */
  leaders: UnitLeaders;
  tasks: NoticeTask[];
}

const TITLE_FONT = { ascii: 'Times New Roman', eastAsia: '方正小标宋简体', hAnsi: 'Times New Roman' };
const BODY_FONT = { ascii: 'Times New Roman', eastAsia: '仿宋_GB2312', hAnsi: 'Times New Roman' };
const TABLE_FONT = { ascii: 'Times New Roman', eastAsia: '仿宋_GB2312', hAnsi: 'Times New Roman' };
const PAGE_FONT = { ascii: 'Times New Roman', eastAsia: '宋体', hAnsi: 'Times New Roman' };
/** half-points */
const TITLE_SIZE = 44;
const BODY_SIZE = 32;
const TABLE_SIZE = 21;
/** 28 pt line spacing (twips) as documents of this kind use */
const LINE = 560;

/** 2026-12-03 → 2026年12月3日 */
export function chineseDate(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

function body(text: string, options: { indent?: boolean; align?: (typeof AlignmentType)[keyof typeof AlignmentType] } = {}): Paragraph {
  return new Paragraph({
    alignment: options.align ?? AlignmentType.JUSTIFIED,
    spacing: { line: LINE, lineRule: 'exact' },
    indent: options.indent === false ? undefined : { firstLine: 640 },
    children: [new TextRun({ text, font: BODY_FONT, size: BODY_SIZE })],
  });
}

function cell(text: string, width: number, bold = false): TableCell {
  return new TableCell({
    width: { size: width, type: WidthType.DXA },
    children: text
      .split('\n')
      .map((line) => new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: line, font: TABLE_FONT, size: TABLE_SIZE, bold })] })),
  });
}

const LEVEL_SHORT = { yellow: '黄色', orange: '橙色', red: '红色' } as const;

/** The task table's columns; their widths fill the 156 mm between the margins (8,844 twips). */
export const COLUMNS: { header: string; width: number; value: (t: NoticeTask, i: number) => string }[] = [
  { header: '序号', width: 500, value: (_t, i) => String(i + 1) },
  { header: '任务编号', width: 800, value: (t) => String(t.id) },
  { header: '被巡察单位', width: 1150, value: (t) => t.unitName },
  { header: '问题类别', width: 950, value: (t) => t.categoryName },
  { header: '整改措施', width: 1944, value: (t) => t.measure },
  { header: '责任部门', width: 900, value: (t) => t.responsibleDept },
  { header: '责任人', width: 700, value: (t) => t.responsiblePerson },
  { header: '整改时限', width: 1200, value: (t) => t.dueDate ?? '长期坚持' },
  { header: '预警', width: 700, value: (t) => (t.level ? LEVEL_SHORT[t.level] : '—') + (t.daysOverdue > 0 ? `\n超期${t.daysOverdue}天` : '') },
];

function taskTable(tasks: readonly NoticeTask[]): Table {
  return new Table({
    layout: TableLayoutType.FIXED,
    width: { size: COLUMNS.reduce((s, c) => s + c.width, 0), type: WidthType.DXA },
    columnWidths: COLUMNS.map((c) => c.width),
    rows: [
      new TableRow({ tableHeader: true, children: COLUMNS.map((c) => cell(c.header, c.width, true)) }),
      ...tasks.map((t, i) => new TableRow({ cantSplit: true, children: COLUMNS.map((c) => cell(c.value(t, i), c.width)) })),
    ],
  });
}

/**
 * Who the notice is to be passed to, by the ladder's roles of `level`, each followed by the
 * person's name where known: 责任人 by the tasks' responsible persons, 分管领导 and 主要负责人
 * by the unit directory. A role whose person is not known stays a role.
 */
export function recipientNames(level: WarningLevel | null, leaders: UnitLeaders, tasks: readonly NoticeTask[]): string {
  const persons = [...new Set(tasks.map((t) => t.responsiblePerson.trim()).filter((p) => p !== ''))];
  const named: Record<string, string | null> = {
    责任人: persons.length > 0 ? persons.join('、') : null,
    分管领导: leaders.leaderInCharge,
    主要负责人: leaders.principalLeader,
  };
  const roles = level ? WARNING_RECIPIENTS[level] : WARNING_RECIPIENTS.yellow;
  return roles.map((role) => (named[role] ? `${role}${named[role]}` : role)).join('，');
}

/** The document's paragraphs, in order (the table between them). */
export function noticeText(data: NoticeData): { title: string; opening: string; paragraphs: string[] } {
  const overdue = data.tasks.filter((t) => t.daysOverdue > 0).length;
  const recipients = recipientNames(data.level, data.leaders, data.tasks);
  const state = overdue > 0 ? `，其中${overdue}项已超过整改时限` : '即将到达整改时限';
  const paragraphs =
    data.kind === 'WARNING'
      ? [
          `经巡察整改监督平台监测，截至${chineseDate(data.date)}，你单位有${data.tasks.length}项巡察整改任务${state}（见附表）。现予以${data.level ? WARNING_LABELS[data.level] : '预警'}。`,
          `请将本函转送${recipients}，对照整改措施逐项落实，确保按期整改到位；确有客观原因不能按期完成的，应按程序申请延期。`,
          '请于收到本函后5个工作日内将整改进展情况书面报送巡察办。',
        ]
      : [
          `截至${chineseDate(data.date)}，你单位有${data.tasks.length}项巡察整改任务${state}（见附表），整改进度滞后。根据巡察整改监督工作有关规定，现予以督办。`,
          `请${recipients}切实履行整改责任，逐项研究推进措施，明确完成时限，按期销号。`,
          '请于收到本督办单后5个工作日内书面报送整改落实情况及下一步措施；逾期未整改的，将按有关规定提请约谈或问责。',
        ];
  return { title: NOTICE_TITLES[data.kind], opening: `${data.addressee}：`, paragraphs };
}

/** The notice as a .docx file. */
export async function writeNoticeDocument(data: NoticeData): Promise<Buffer> {
  const text = noticeText(data);
  const footer = new Footer({
    children: [
      new Paragraph({
        alignment: AlignmentType.CENTER,
        children: [new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'], font: PAGE_FONT, size: 28 })],
      }),
    ],
  });
  const document = new Document({
    creator: data.issuer,
    title: `${text.title} ${data.number}`,
    sections: [
      {
        properties: {
          page: {
            size: { width: convertMillimetersToTwip(210), height: convertMillimetersToTwip(297) },
            margin: {
              top: convertMillimetersToTwip(37),
              bottom: convertMillimetersToTwip(35),
              left: convertMillimetersToTwip(28),
              right: convertMillimetersToTwip(26),
              footer: convertMillimetersToTwip(20),
            },
          },
        },
        footers: { default: footer },
        children: [
          new Paragraph({
            alignment: AlignmentType.CENTER,
            spacing: { line: 700, lineRule: 'exact', after: 200 },
            children: [new TextRun({ text: text.title, font: TITLE_FONT, size: TITLE_SIZE })],
          }),
          body(data.number, { indent: false, align: AlignmentType.CENTER }),
          body(text.opening, { indent: false }),
          ...text.paragraphs.map((p) => body(p)),
          body('附表：巡察整改任务清单', { indent: false }),
          taskTable(data.tasks),
          body('', { indent: false }),
          body(data.issuer, { indent: false, align: AlignmentType.RIGHT }),
          body(chineseDate(data.date), { indent: false, align: AlignmentType.RIGHT }),
        ],
      },
    ],
  });
  return Packer.toBuffer(document);
}
