/**
 * The server's messages are "中文 English" (STYLE.md): a clerk reads the part of the language
 * they chose, without the field name the API puts before a field's problem
 * ("newDueDate: 新整改时限须晚于… must be later than…" reads 新整改时限须晚于…).
 */
const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;
/** `field: ` or `field.0: ` at the start: the API's name of the field. */
const FIELD_PREFIX = /^[A-Za-z][\w.]*: /;

/** The Chinese and the English part (both the whole text when it is in one language only). */
export function splitBilingual(text: string): { zh: string; en: string } {
  const plain = text.replace(FIELD_PREFIX, '').trim();
  const candidates: number[] = [];
  for (const match of plain.matchAll(/\s+(?=[A-Za-z])/g)) {
    if (CJK.test(plain.slice(0, match.index))) candidates.push(match.index);
  }
  // the English part starts with a lower-case word (must, task, a) or a capitalized word followed
  // by more English (The case-record…), not with a name or code inside the Chinese (只接受 PDF、图片;
  // 未知的单位代码 U99 unknown…)
  const starts = (i: number) => {
    const [first = '', second = ''] = plain.slice(i).trim().split(/\s+/);
    return /^[a-z]/.test(first) || (/^[A-Z][A-Za-z'-]*$/.test(first) && second !== '' && !CJK.test(second));
  };
  const at = candidates.find(starts) ?? candidates[0];
  if (at === undefined) return { zh: plain, en: plain };
  return { zh: plain.slice(0, at).trim(), en: plain.slice(at).trim() };
}

/**
 * The part of a server message for the locale ('zh-CN' or 'en'). A message listing several
 * problems ("单位名称: 必填 … ; 单位类别: 须为… …", an import row's) is split at each Chinese
 * problem and each is taken in the chosen language.
 */
export function localized(text: string, locale: string): string {
  const zh = locale.startsWith('zh');
  return text
    .split(/;\s+(?=[\u3400-\u9fff])/)
    .map((problem) => splitBilingual(problem)[zh ? 'zh' : 'en'])
    .join(zh ? '；' : '; ');
}
