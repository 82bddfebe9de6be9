import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { METRIC_DEFINITIONS, definitionsTable, withDefinitionsTable } from '@xuncha/shared';

describe('metric definitions', () => {
  it("DEFINITIONS.md's summary table is the one generated from definitions.ts (npm run definitions)", () => {
    const markdown = readFileSync(join(__dirname, 'DEFINITIONS.md'), 'utf8');
    expect(markdown).toContain(definitionsTable());
    expect(withDefinitionsTable(markdown)).toBe(markdown);
  });

  it('gives every figure one sentence in Chinese and one in English, without full-width punctuation in English', () => {
    for (const [key, d] of Object.entries(METRIC_DEFINITIONS)) {
      expect({ key, zh: /。$/.test(d.zh), en: /\.$/.test(d.en) }).toEqual({ key, zh: true, en: true });
      expect({ key, en: /[\u3000-\u303f\uff01-\uff5e]/.test(d.en + d.name.en) }).toEqual({ key, en: false });
      // one sentence: no full stop before the last
      expect({ key, zh: d.zh.slice(0, -1).includes('。'), en: /\.\s/.test(d.en) }).toEqual({ key, zh: false, en: false });
    }
  });
});
