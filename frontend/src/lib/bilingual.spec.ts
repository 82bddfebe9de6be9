import { localized, splitBilingual } from './bilingual';

describe('server messages in the chosen language', () => {
  it.each([
    [
      'newDueDate: 新整改时限须晚于当前时限 must be later than the current due date (2026-01-01 ≤ 2026-02-01)',
      '新整改时限须晚于当前时限',
      'must be later than the current due date (2026-01-01 ≤ 2026-02-01)',
    ],
    ['整改任务不存在或已删除 task 12 does not exist or was deleted', '整改任务不存在或已删除', 'task 12 does not exist or was deleted'],
    ['已销号的任务不能延期 a 已销号 (CLOSED) task cannot be extended (task 5)', '已销号的任务不能延期', 'a 已销号 (CLOSED) task cannot be extended (task 5)'],
    [
      '请上传至少一份佐证材料（PDF、图片） at least one evidence file is required',
      '请上传至少一份佐证材料（PDF、图片）',
      'at least one evidence file is required',
    ],
    ['只接受 PDF 或图片 only PDF or images', '只接受 PDF 或图片', 'only PDF or images'],
    ['files.0: 报告.pdf：文件为空 the file is empty', '报告.pdf：文件为空', 'the file is empty'],
    ['must be a date (YYYY-MM-DD)', 'must be a date (YYYY-MM-DD)', 'must be a date (YYYY-MM-DD)'],
    ['区县账号只能查看本县（区）', '区县账号只能查看本县（区）', '区县账号只能查看本县（区）'],
    [
      '上级单位代码: 未知的单位代码 U99 unknown unit code (neither in this file nor in the directory)',
      '上级单位代码: 未知的单位代码 U99',
      'unknown unit code (neither in this file nor in the directory)',
    ],
    [
      '数据库暂不可用，请稍后再试 The case-record database (PostgreSQL) is unavailable; please retry shortly',
      '数据库暂不可用，请稍后再试',
      'The case-record database (PostgreSQL) is unavailable; please retry shortly',
    ],
  ])('%s', (text, zh, en) => {
    expect(splitBilingual(text)).toEqual({ zh, en });
    expect(localized(text, 'zh-CN')).toBe(zh);
    expect(localized(text, 'en')).toBe(en);
  });

  it('takes each problem of an import row in the chosen language', () => {
    const row =
      '单位名称: 必填 the name is required; 单位类别: 须为党政机关之一 must be one of the categories; 上级单位代码: 未知的单位代码 U99 unknown unit code';
    expect(localized(row, 'zh-CN')).toBe('单位名称: 必填；单位类别: 须为党政机关之一；上级单位代码: 未知的单位代码 U99');
    expect(localized(row, 'en')).toBe('the name is required; must be one of the categories; unknown unit code');
  });
});
