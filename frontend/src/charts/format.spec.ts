import { formatCount, formatFraction, formatPercent, formatRatio, percentPoints, rateOf, shorten, wrapWords } from './format';

describe('number formatting (zh-CN)', () => {
  it('groups thousands and shows rates with one decimal next to their fraction', () => {
    expect(formatCount(1818)).toBe('1,818');
    expect(formatCount(0)).toBe('0');
    expect(formatPercent(1818 / 2779)).toBe('65.4%');
    expect(formatPercent(1)).toBe('100.0%');
    expect(formatPercent(0)).toBe('0.0%');
    expect(formatFraction({ numerator: 1818, denominator: 2779, rate: 1818 / 2779 })).toBe('1,818 / 2,779');
    expect(formatRatio({ numerator: 1818, denominator: 2779, rate: 1818 / 2779 })).toBe('65.4%  1,818 / 2,779');
  });

  it('shows a dash for a rate without denominator, never 0% or NaN', () => {
    expect(formatPercent(null)).toBe('—');
    expect(formatRatio({ numerator: 0, denominator: 0, rate: null })).toBe('—  0 / 0');
    expect(rateOf(0, 0)).toBeNull();
    expect(percentPoints(null)).toBeNull();
    expect(percentPoints(2 / 3)).toBe(66.7);
  });

  it('wraps names at their spaces into lines of at most the given length', () => {
    expect(wrapWords('Township (subdistrict)')).toBe('Township\n(subdistrict)');
    expect(wrapWords('Party & government')).toBe('Party &\ngovernment');
    expect(wrapWords('Other')).toBe('Other');
    expect(wrapWords('乡镇（街道）')).toBe('乡镇（街道）');
  });

  it('shortens long names by characters, not bytes', () => {
    expect(shorten('贯彻落实党的路线方针政策和上级决策部署', 6)).toBe('贯彻落实党…');
    expect(shorten('东城区', 6)).toBe('东城区');
  });
});
