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
  // the English part starts with a lower-case word (must, task, a) or with words, not with a
  // name inside the Chinese (只接受 PDF、图片)
  const starts = (i: number) => {
    const rest = plain.slice(i).trim();
    return /^[a-z]/.test(rest) || !CJK.test(rest.split(/\s+/).slice(0, 2).join(' '));
  };
  const at = candidates.find(starts) ?? candidates[0];
  if (at === undefined) return { zh: plain, en: plain };
  return { zh: plain.slice(0, at).trim(), en: plain.slice(at).trim() };
}

/** The part of a server message for the locale ('zh-CN' or 'en'). */
export function localized(text: string, locale: string): string {
  const parts = splitBilingual(text);
  return locale.startsWith('zh') ? parts.zh : parts.en;
}
