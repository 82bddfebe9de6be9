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
  ])('%s', (text, zh, en) => {
    expect(splitBilingual(text)).toEqual({ zh, en });
    expect(localized(text, 'zh-CN')).toBe(zh);
    expect(localized(text, 'en')).toBe(en);
  });
});
