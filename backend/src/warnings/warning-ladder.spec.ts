import { addMonths, daysBetween, highestLevel, warningLevel } from './warning-ladder';

describe('warning ladder', () => {
  const ladder = { yellow: 20, orange: 10 };
  const asOf = '2026-12-03';

  it('puts the boundary days where DEFINITIONS.md says (hand computation)', () => {
    // due in: 21 → none, 20 → yellow, 11 → yellow, 10 → orange, 0 (today) → orange, −1 → red
    expect(warningLevel('2026-12-24', asOf, ladder)).toBeNull();
    expect(warningLevel('2026-12-23', asOf, ladder)).toBe('yellow');
    expect(warningLevel('2026-12-14', asOf, ladder)).toBe('yellow');
    expect(warningLevel('2026-12-13', asOf, ladder)).toBe('orange');
    expect(warningLevel('2026-12-03', asOf, ladder)).toBe('orange');
    expect(warningLevel('2026-12-02', asOf, ladder)).toBe('red');
    expect(warningLevel(null, asOf, ladder)).toBeNull();
  });

  it('follows configured thresholds', () => {
    expect(warningLevel('2026-12-08', asOf, { yellow: 7, orange: 3 })).toBe('yellow');
    expect(warningLevel('2026-12-06', asOf, { yellow: 7, orange: 3 })).toBe('orange');
  });

  it('counts days across month and year ends', () => {
    expect(daysBetween('2026-12-31', '2027-01-01')).toBe(1);
    expect(daysBetween('2028-02-28', '2028-03-01')).toBe(2);
  });

  it('ranks levels', () => {
    expect(highestLevel(['yellow', null, 'orange'])).toBe('orange');
    expect(highestLevel([null])).toBeNull();
    expect(highestLevel(['red', 'yellow'])).toBe('red');
  });

  it('adds months, keeping the day or taking the month end', () => {
    expect(addMonths('2026-09-15', 3)).toBe('2026-12-15');
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
    expect(addMonths('2027-11-30', 3)).toBe('2028-02-29');
  });
});
