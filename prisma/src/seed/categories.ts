/**
 * The seeded issue-category tree (docs/ARCHITECTURE.md, "Data model"): five level-1 categories and
 * their level-2 categories, coded "1" … "5" and "1.01" … . Weights give the demo data its
 * skew (categories 2 and 3 most common), adjusted by the kind of unit inspected.
 */
import type { UnitCategoryName } from './vocabulary';

export interface Level2 {
  code: string;
  name: string;
  /** Base weight: how often findings fall in this category. */
  weight: number;
  /** Findings' descriptions; "#" is replaced by a number. */
  descriptions: readonly string[];
}

export interface Level1 {
  code: string;
  name: string;
  /** Rectification measures for findings under this category. */
  measures: readonly string[];
  children: readonly Level2[];
}

export const CATEGORY_TREE: readonly Level1[] = [
  {
    code: '1',
    name: '贯彻落实党的路线方针政策和上级决策部署',
    measures: [
      '组织开展专题学习研讨，完善理论学习中心组学习制度',
      '制定贯彻落实工作方案，明确责任分工和完成时限',
      '建立重点工作台账，实行清单化管理、销号式推进',
      '健全意识形态工作责任制，定期开展形势研判',
      '修订议事规则，严格执行“三重一大”集体决策制度',
    ],
    children: [
      {
        code: '1.01',
        name: '理论学习不深入',
        weight: 3,
        descriptions: [
          '理论学习中心组学习流于形式，#次专题学习未形成研讨材料',
          '对党的创新理论学习不系统、不深入，学用结合不紧',
          '“第一议题”制度落实不到位，传达学习上级精神后未研究贯彻措施',
        ],
      },
      {
        code: '1.02',
        name: '重大决策部署落实不力',
        weight: 4,
        descriptions: [
          '落实乡村振兴决策部署打折扣，#个项目推进滞后',
          '贯彻落实安全生产部署不到位，#处隐患整改不彻底',
          '落实优化营商环境要求不力，#项审批事项超时办结',
        ],
      },
      {
        code: '1.03',
        name: '履行职能责任不到位',
        weight: 4,
        descriptions: ['履行主责主业不到位，#项重点工作未按期完成', '行业监管存在盲区，对下属单位监督指导不力', '服务群众意识不强，#件群众反映问题办理不及时'],
      },
      {
        code: '1.04',
        name: '意识形态工作责任制落实不到位',
        weight: 2,
        descriptions: ['未定期分析研判意识形态领域情况，责任清单未落实', '宣传阵地管理不规范，网络平台信息发布审核把关不严'],
      },
      {
        code: '1.05',
        name: '民主集中制和“三重一大”执行不到位',
        weight: 4,
        descriptions: [
          '“三重一大”事项未经集体研究决策，涉及金额#万元',
          '主要负责人末位表态制度落实不严，民主集中制执行不到位',
          '重大事项决策程序不规范，#次会议记录不完整',
        ],
      },
    ],
  },
  {
    code: '2',
    name: '群众身边不正之风和腐败问题',
    measures: [
      '全面清理违规发放款项，责令相关人员退缴',
      '开展专项资金清查，建立资金使用监管台账',
      '完善集体“三资”管理制度，推行民主理财和村务公开',
      '规范工程建设项目招投标和政府采购流程',
      '开展财务专项检查，规范报销审批程序',
      '对相关责任人进行批评教育，按规定移交处理',
    ],
    children: [
      {
        code: '2.01',
        name: '违反中央八项规定精神',
        weight: 6,
        descriptions: ['违规使用公务用车#次', '超标准公务接待，涉及金额#万元', '违规发放津贴补贴#万元'],
      },
      {
        code: '2.02',
        name: '形式主义、官僚主义',
        weight: 6,
        descriptions: ['督查检查考核过多过频，基层负担较重', '工作台账弄虚作假，搞“痕迹主义”', '调查研究走过场，#项调研成果未转化运用'],
      },
      {
        code: '2.03',
        name: '惠民惠农和专项资金问题',
        weight: 5,
        descriptions: ['惠民惠农补贴资金发放不及时，涉及群众#户', '专项资金被挤占挪用#万元', '低保、特困供养对象认定把关不严，#人不符合条件'],
      },
      {
        code: '2.04',
        name: '农村集体“三资”管理',
        weight: 5,
        descriptions: ['村集体资产出租未经民主程序，涉及#处', '集体资金管理混乱，白条入账#万元', '集体资源发包价格明显偏低，合同期限过长'],
      },
      {
        code: '2.05',
        name: '工程建设和政府采购',
        weight: 4,
        descriptions: ['工程项目未批先建、化整为零规避招标，涉及#个项目', '政府采购程序不规范，#项采购未按规定公开', '工程款支付审核不严，多付工程款#万元'],
      },
      {
        code: '2.06',
        name: '以权谋私、违规经商办企业',
        weight: 2,
        descriptions: ['干部亲属违规承揽本单位工程项目', '利用职务便利为亲友经营活动谋取利益', '干部违规在企业兼职取酬#万元'],
      },
      {
        code: '2.07',
        name: '财务管理不规范',
        weight: 5,
        descriptions: ['财务报销把关不严，#笔支出票据不全', '往来款长期挂账未清理，涉及#万元', '违规出借公款#万元'],
      },
    ],
  },
  {
    code: '3',
    name: '基层党组织和干部队伍建设',
    measures: [
      '调整充实班子成员，加强领导班子建设',
      '严格落实“三会一课”制度，规范组织生活',
      '修订干部选拔任用工作流程，开展专项检查',
      '开展干部人事档案专项审核',
      '规范党员发展和党费收缴管理',
    ],
    children: [
      {
        code: '3.01',
        name: '领导作用弱化、软弱涣散',
        weight: 8,
        descriptions: ['党组织领导作用发挥不充分，班子凝聚力不强', '党组织软弱涣散，#年未按期换届', '党建工作与业务工作“两张皮”'],
      },
      {
        code: '3.02',
        name: '组织生活不规范',
        weight: 7,
        descriptions: ['“三会一课”制度落实不到位，#次党员大会无记录', '组织生活会批评和自我批评辣味不足', '主题党日活动流于形式'],
      },
      {
        code: '3.03',
        name: '选人用人不规范',
        weight: 4,
        descriptions: ['干部选拔任用程序不规范，#名干部考察不充分', '违规超职数配备干部', '干部档案管理不规范，#份档案信息不一致'],
      },
      {
        code: '3.04',
        name: '干部管理监督不严',
        weight: 4,
        descriptions: ['领导干部个人有关事项报告审核不严', '对干部日常管理监督缺位，#名干部长期脱岗', '因私出国（境）证照管理不规范'],
      },
      {
        code: '3.05',
        name: '党员教育管理',
        weight: 4,
        descriptions: ['党员发展程序不规范，#名党员入党材料不全', '党费收缴不规范，少缴党费#元', '流动党员管理缺失，#名党员长期失联'],
      },
    ],
  },
  {
    code: '4',
    name: '全面从严治党“两个责任”',
    measures: ['制定主体责任清单，层层压实责任', '建立廉政风险防控台账，完善内控制度', '加强日常监督，开展廉政谈话提醒'],
    children: [
      {
        code: '4.01',
        name: '主体责任落实不到位',
        weight: 7,
        descriptions: [
          '未专题研究党风廉政建设工作，主体责任落实不到位',
          '“一岗双责”落实不到位，班子成员对分管领域廉政风险把关不严',
          '主体责任考核问责流于形式',
        ],
      },
      {
        code: '4.02',
        name: '监督责任履行不力',
        weight: 3,
        descriptions: ['#件问题线索未及时处置', '日常监督不深入，对“一把手”监督乏力', '监督执纪问责偏宽偏软'],
      },
      {
        code: '4.03',
        name: '廉政风险防控和制度建设',
        weight: 4,
        descriptions: ['廉政风险点排查不全面，防控措施针对性不强', '内控制度不健全，#项制度长期未修订', '重点岗位轮岗交流制度落实不到位'],
      },
    ],
  },
  {
    code: '5',
    name: '巡视巡察及其他监督整改落实',
    measures: ['逐项对账整改，实行整改销号管理', '开展整改“回头看”，巩固整改成效', '建立长效机制，防止问题反弹回潮'],
    children: [
      {
        code: '5.01',
        name: '上轮巡察反馈问题整改不到位',
        weight: 5,
        descriptions: ['上轮巡察反馈问题整改不到位，#个问题未完成整改', '整改方案措施不具体，整改责任未压实', '巡察整改“回头看”流于形式'],
      },
      {
        code: '5.02',
        name: '审计等监督发现问题整改不力',
        weight: 2,
        descriptions: ['审计发现问题整改不力，#项问题未整改到位', '对上级督查反馈问题整改敷衍', '专项检查发现问题整改滞后'],
      },
      {
        code: '5.03',
        name: '虚假整改、敷衍整改',
        weight: 2,
        descriptions: ['#项整改事项“纸面销号”', '以简单制定制度代替整改落实', '整改浮于表面，同类问题反复出现'],
      },
    ],
  },
];

/** Level-2 categories in tree order; a finding's category is an index into this list. */
export const LEVEL2: readonly (Level2 & { level1: number })[] = CATEGORY_TREE.flatMap((l1, i) => l1.children.map((l2) => ({ ...l2, level1: i })));

/** Per unit category, multipliers on the base weight of some level-2 categories. */
const AFFINITY: Record<UnitCategoryName, Record<string, number>> = {
  PARTY_GOV: { '1.01': 1.4, '1.02': 1.4, '1.03': 1.5, '1.04': 1.5, '1.05': 1.3, '4.01': 1.3, '4.02': 1.3, '2.04': 0.05, '3.01': 0.5, '2.03': 0.6 },
  INSTITUTION: { '2.07': 1.6, '2.01': 1.2, '2.04': 0.05, '2.05': 1.2, '3.04': 1.2 },
  SOE: { '2.05': 2.5, '2.06': 2.5, '2.07': 1.8, '2.03': 0.1, '2.04': 0.05, '1.04': 0.6, '4.03': 1.4 },
  TOWNSHIP: { '2.03': 1.8, '2.04': 1.5, '1.02': 1.3, '2.02': 1.2 },
  VILLAGE: { '2.03': 2, '2.04': 4, '2.05': 1.2, '3.01': 2, '3.02': 1.5, '3.03': 0.2, '3.04': 0.5, '1.04': 0.3, '1.05': 1.3, '2.06': 0.5, '2.01': 0.6 },
  OTHER: { '2.04': 0.05, '2.05': 0.5 },
};

export function categoryWeights(unitCategory: UnitCategoryName): number[] {
  const affinity = AFFINITY[unitCategory];
  return LEVEL2.map((l2) => l2.weight * (affinity[l2.code] ?? 1));
}
