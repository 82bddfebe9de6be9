/**
 * Number formatting for the dashboard: zh-CN grouping, rates as percentages with one
 * decimal, always next to their numerator and denominator. Pure; runs in node too.
 */
const integer = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('zh-CN', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

export const DASH = '—';

export interface RatioLike {
  numerator: number;
  denominator: number;
  rate: number | null;
}

/** 1818 → "1,818" */
export function formatCount(value: number | null | undefined): string {
  return value == null || Number.isNaN(value) ? DASH : integer.format(value);
}

/** 0.6542 → "65.4%"; null → "—" */
export function formatPercent(rate: number | null | undefined): string {
  return rate == null || Number.isNaN(rate) ? DASH : `${oneDecimal.format(rate * 100)}%`;
}

/** A rate in percent points for an axis (0.6542 → 65.4), null stays null. */
export function percentPoints(rate: number | null | undefined): number | null {
  return rate == null ? null : Math.round(rate * 1000) / 10;
}

/** "1,818 / 2,779" */
export function formatFraction(ratio: RatioLike): string {
  return `${formatCount(ratio.numerator)} / ${formatCount(ratio.denominator)}`;
}

/** "65.4%  1,818 / 2,779" */
export function formatRatio(ratio: RatioLike): string {
  return `${formatPercent(ratio.rate)}  ${formatFraction(ratio)}`;
}

/** numerator ÷ denominator, null when the denominator is 0 (never rounded). */
export function rateOf(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

/** A ratio built from two counts. */
export function ratio(numerator: number, denominator: number): RatioLike {
  return { numerator, denominator, rate: rateOf(numerator, denominator) };
}

/**
 * A name broken into lines of at most `max` characters at its spaces, for a narrow axis band
 * (English names); a word longer than `max` keeps a line of its own, a name without spaces stays whole.
 */
export function wrapWords(name: string, max = 12): string {
  const lines: string[] = [];
  for (const word of name.split(' ')) {
    const last = lines.length - 1;
    if (last >= 0 && [...lines[last]].length + 1 + [...word].length <= max) lines[last] += ` ${word}`;
    else lines.push(word);
  }
  return lines.join('\n');
}

/** Long Chinese category names shortened for an axis label; the tooltip keeps the full name. */
export function shorten(name: string, max = 8): string {
  const chars = [...name];
  return chars.length <= max ? name : `${chars.slice(0, max - 1).join('')}…`;
}
