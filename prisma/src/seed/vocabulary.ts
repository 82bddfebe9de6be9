/**
 * Names and texts of the fictional prefecture city 示例市. Every place, unit and person is
 * made up; unit names follow the usual patterns of county and city bodies.
 * "{c}" in a unit template is the committee's place name (示例市, 东城区, 西山县 …).
 */

export const UNIT_CATEGORIES = ['PARTY_GOV', 'INSTITUTION', 'SOE', 'TOWNSHIP', 'VILLAGE', 'OTHER'] as const;
export type UnitCategoryName = (typeof UNIT_CATEGORIES)[number];
export const CAT = { PARTY_GOV: 0, INSTITUTION: 1, SOE: 2, TOWNSHIP: 3, VILLAGE: 4, OTHER: 5 } as const;

export const CITY_NAME = '示例市';
export const CITY_CODE = '990000';
export const MUNICIPAL_NAME = '市本级';
export const MUNICIPAL_CODE = '990001';

/** The eight counties and districts: name, and whether it is a district (区). */
export const COUNTIES: readonly { name: string; district: boolean }[] = [
  { name: '东城区', district: true },
  { name: '西山县', district: false },
  { name: '南湖县', district: false },
  { name: '北岭县', district: false },
  { name: '青河县', district: false },
  { name: '云溪县', district: false },
  { name: '石桥区', district: true },
  { name: '梅林县', district: false },
];

/**
 * County-level (and city-level) units. `from: 'term'` marks bodies created during the
 * current term (e.g. 社会工作部); `until: 'term'` marks bodies abolished or merged in it.
 */
export interface UnitTemplate {
  name: string;
  from?: 'term';
  until?: 'term';
}

export const PARTY_GOV_UNITS: readonly UnitTemplate[] = [
  { name: '{c}委办公室' },
  { name: '{c}人大常委会办公室' },
  { name: '{c}政府办公室' },
  { name: '{c}政协办公室' },
  { name: '{c}纪委监委机关' },
  { name: '{c}委组织部' },
  { name: '{c}委宣传部' },
  { name: '{c}委统战部' },
  { name: '{c}委政法委员会' },
  { name: '{c}委机构编制委员会办公室' },
  { name: '{c}委政策研究室' },
  { name: '{c}委网络安全和信息化委员会办公室' },
  { name: '{c}委社会工作部', from: 'term' },
  { name: '{c}发展和改革局' },
  { name: '{c}教育局' },
  { name: '{c}科学技术局' },
  { name: '{c}工业和信息化局' },
  { name: '{c}公安局' },
  { name: '{c}民政局' },
  { name: '{c}司法局' },
  { name: '{c}财政局' },
  { name: '{c}人力资源和社会保障局' },
  { name: '{c}自然资源局' },
  { name: '{c}住房和城乡建设局' },
  { name: '{c}交通运输局' },
  { name: '{c}水利局' },
  { name: '{c}农业农村局' },
  { name: '{c}商务局' },
  { name: '{c}文化广电和旅游局' },
  { name: '{c}卫生健康局' },
  { name: '{c}退役军人事务局' },
  { name: '{c}应急管理局' },
  { name: '{c}审计局' },
  { name: '{c}市场监督管理局' },
  { name: '{c}统计局' },
  { name: '{c}医疗保障局' },
  { name: '{c}林业局' },
  { name: '{c}乡村振兴局', until: 'term' },
  { name: '{c}信访局' },
  { name: '{c}数据资源管理局', from: 'term' },
  { name: '{c}城市管理局' },
  { name: '{c}行政审批服务局' },
  { name: '{c}人民法院' },
  { name: '{c}人民检察院' },
  { name: '{c}总工会' },
  { name: '共青团{c}委员会' },
  { name: '{c}妇女联合会' },
];

export const INSTITUTION_UNITS: readonly UnitTemplate[] = [
  { name: '{c}人民医院' },
  { name: '{c}中医医院' },
  { name: '{c}妇幼保健院' },
  { name: '{c}疾病预防控制中心' },
  { name: '{c}第一中学' },
  { name: '{c}第二中学' },
  { name: '{c}实验小学' },
  { name: '{c}职业中等专业学校' },
  { name: '{c}融媒体中心' },
  { name: '{c}档案馆' },
  { name: '{c}图书馆' },
  { name: '{c}不动产登记中心' },
  { name: '{c}公共资源交易中心' },
  { name: '{c}社会保险事业管理中心' },
  { name: '{c}机关事务服务中心' },
  { name: '{c}农业技术推广中心' },
  { name: '{c}水利工程管理站' },
  { name: '{c}广播电视台', until: 'term' },
];

export const SOE_UNITS: readonly UnitTemplate[] = [
  { name: '{c}城市建设投资集团有限公司' },
  { name: '{c}国有资产投资经营有限公司' },
  { name: '{c}交通建设投资有限公司' },
  { name: '{c}水务集团有限公司' },
  { name: '{c}农业发展投资有限公司' },
  { name: '{c}文化旅游发展集团有限公司' },
  { name: '{c}粮食购销有限公司', until: 'term' },
  { name: '{c}公共交通有限公司' },
  { name: '{c}产业投资发展集团有限公司', from: 'term' },
];

export const OTHER_UNITS: readonly UnitTemplate[] = [
  { name: '{c}工商业联合会' },
  { name: '{c}文学艺术界联合会' },
  { name: '{c}科学技术协会' },
  { name: '{c}残疾人联合会' },
  { name: '{c}红十字会' },
  { name: '{c}归国华侨联合会' },
  { name: '{c}社会组织综合党委' },
  { name: '{c}非公有制经济组织综合党委' },
  { name: '{c}供销合作社联合社' },
  { name: '{c}老年大学' },
];

/** Units only the city has (市直), appended to the templates above for 市本级. */
export const CITY_EXTRA: Record<'PARTY_GOV' | 'INSTITUTION' | 'SOE' | 'OTHER', readonly UnitTemplate[]> = {
  PARTY_GOV: [{ name: '{c}委党校' }, { name: '{c}外事办公室' }, { name: '{c}国防动员办公室' }, { name: '{c}生态环境局' }, { name: '{c}税务局机关党委' }],
  INSTITUTION: [
    { name: '示例学院' },
    { name: '{c}中心医院' },
    { name: '{c}第一人民医院' },
    { name: '{c}博物馆' },
    { name: '{c}住房公积金管理中心' },
    { name: '{c}广播电视台' },
  ],
  SOE: [{ name: '{c}投资控股集团有限公司' }, { name: '{c}城市发展集团有限公司' }, { name: '{c}能源集团有限公司' }, { name: '{c}港务集团有限公司' }],
  OTHER: [{ name: '{c}社会科学界联合会' }, { name: '{c}作家协会' }, { name: '{c}慈善总会' }],
};

/** Syllables of the fictional township and village names. */
// no character in two of the lists, so that no name doubles a character (泉泉, 溪溪)
const PLACE_FIRST = '青石白龙凤金银桃柳松竹梅兰清长新永安平和丰福宝双高黄红东西南北上下大小马牛鹤云杨李花枫沙'.split('');
const PLACE_MIDDLE = '家子头里庙仙官坡窑'.split('');
const PLACE_LAST = '山水河溪湖桥岭坪塘坝湾沟口庄林田泉冲岗港营铺集洲源峰台寨店阳'.split('');

/** The i-th place name of a sequence, starting at a seeded offset: distinct for i below 44×30×(1+9) = 13,200. */
export function placeName(i: number, offset: number): string {
  const twoChar = PLACE_FIRST.length * PLACE_LAST.length;
  const total = twoChar * (1 + PLACE_MIDDLE.length);
  // an affine permutation of the name space, so that consecutive names do not look alike
  const k = (((i + offset) % total) * 7919) % total;
  if (k < twoChar) return PLACE_FIRST[k % PLACE_FIRST.length] + PLACE_LAST[Math.floor(k / PLACE_FIRST.length)];
  const r = k - twoChar;
  const first = PLACE_FIRST[r % PLACE_FIRST.length];
  const rest = Math.floor(r / PLACE_FIRST.length);
  return first + PLACE_MIDDLE[rest % PLACE_MIDDLE.length] + PLACE_LAST[Math.floor(rest / PLACE_MIDDLE.length) % PLACE_LAST.length];
}

/** Township-level institutions; {t} is the township's name. */
export const TOWNSHIP_INSTITUTIONS = ['{t}中心学校', '{t}卫生院', '{t}农业综合服务中心', '{t}社会事务服务中心'];
export const TOWNSHIP_OTHERS = ['{t}商会', '{t}非公企业联合党委'];

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'.split(
    '',
  );
const GIVEN = [
  '伟',
  '芳',
  '娜',
  '敏',
  '静',
  '丽',
  '强',
  '磊',
  '军',
  '洋',
  '勇',
  '艳',
  '杰',
  '娟',
  '涛',
  '明',
  '超',
  '秀兰',
  '霞',
  '平',
  '刚',
  '桂英',
  '建华',
  '建国',
  '文博',
  '志强',
  '海燕',
  '晓东',
  '晓梅',
  '春生',
  '玉兰',
  '德明',
  '国庆',
  '红梅',
  '立新',
  '永红',
  '建军',
  '卫东',
  '淑珍',
  '振华',
  '思远',
  '子涵',
  '雨欣',
  '浩然',
  '俊杰',
  '嘉怡',
  '佳琪',
  '梓轩',
  '一鸣',
  '宏伟',
  '丽华',
  '秋菊',
  '冬梅',
  '向阳',
  '晨曦',
  '锦程',
  '光明',
  '庆丰',
  '学军',
  '爱民',
];

/** A fictional person's name for an integer. */
export function personName(n: number): string {
  const k = n >>> 0;
  return SURNAMES[k % SURNAMES.length] + GIVEN[Math.floor(k / SURNAMES.length) % GIVEN.length];
}

/** Departments within a unit, by unit category (responsible_dept of a task). */
export const DEPARTMENTS: Record<UnitCategoryName, readonly string[]> = {
  PARTY_GOV: ['办公室', '综合股', '财务股', '人事股', '机关党委', '政策法规股', '规划发展股', '监督管理股'],
  INSTITUTION: ['办公室', '财务科', '党委办公室', '人事科', '业务科', '后勤保障科', '纪检监察室'],
  SOE: ['综合管理部', '财务部', '党群工作部', '工程管理部', '纪检监察室', '人力资源部', '经营发展部'],
  TOWNSHIP: ['党政综合办公室', '财政所', '农业农村办公室', '纪委', '党建工作办公室', '经济发展办公室', '社会事务办公室'],
  VILLAGE: ['村党支部', '村民委员会', '村务监督委员会', '村股份经济合作社'],
  OTHER: ['办公室', '财务室', '组织人事部', '业务部'],
};

export const EXTENSION_REASONS = [
  '涉及资金追缴，需通过司法程序解决',
  '项目审批周期较长，申请延期完成',
  '涉及人员多、情况复杂，需进一步核查',
  '需上级部门协调解决',
  '受季节性施工影响，工程未能按期完工',
  '制度修订需履行法定程序',
];

export const PROGRESS_NOTES = [
  '已制定整改方案，正在推进',
  '已完成阶段性整改，相关材料已归档',
  '召开专题会议研究整改工作',
  '已追回部分资金，剩余部分正在追缴',
  '已约谈相关责任人',
  '已修订完善相关制度',
];

export const ESCALATION_NOTES = ['整改超期，发出督办通知', '约谈单位主要负责人，督促加快整改', '纳入重点督办清单，实行周调度'];

export const NOTE_REJECTED = '销号材料不完整，退回补充';
export const NOTE_BASICALLY_DONE = '阶段性目标已完成，转入持续整改';
export const NOTE_NOT_DONE = '逾期未完成整改';

export const CLUE_SUMMARIES: Record<'DISCIPLINE' | 'ORGANIZATION' | 'OTHER', readonly string[]> = {
  DISCIPLINE: [
    '反映有关干部违规收受礼品礼金问题',
    '反映工程项目招投标中可能存在利益输送问题',
    '反映有关干部违规经商办企业问题',
    '反映村干部优亲厚友、截留惠民资金问题',
    '反映有关人员违规领取补贴问题',
  ],
  ORGANIZATION: ['反映干部选拔任用中违规操作问题', '反映有关干部长期脱岗、作风漂浮问题', '反映干部档案涉嫌造假问题'],
  OTHER: ['反映单位信访事项处置不当问题', '反映安全生产隐患问题'],
};

export const CHINESE_NUMERALS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

/** 1 → 一, 12 → 十二, 25 → 二十五 (up to 99). */
export function chineseNumber(n: number): string {
  if (n <= 10) return CHINESE_NUMERALS[n];
  if (n < 20) return `十${CHINESE_NUMERALS[n - 10]}`;
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${CHINESE_NUMERALS[tens]}十${ones ? CHINESE_NUMERALS[ones] : ''}`;
}
