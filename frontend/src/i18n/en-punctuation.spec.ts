import en from './en';

/** Full-width punctuation belongs to the Chinese texts; the English ones use ASCII marks. */
const FULL_WIDTH = /[：；，。、（）！？【】《》「」\u3000]/;

function* texts(value: unknown, key: string): Generator<[string, string]> {
  if (typeof value === 'string') yield [key, value];
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) yield* texts(v, key ? `${key}.${k}` : k);
}

describe('the English texts', () => {
  it('hold no full-width punctuation', () => {
    const found = [...texts(en, '')].filter(([, text]) => FULL_WIDTH.test(text)).map(([key, text]) => `${key}: ${text}`);
    expect(found).toEqual([]);
  });

  it('are checked: the walk reaches nested texts and the pattern catches a full-width colon', () => {
    expect([...texts({ a: { b: 'x：y' } }, '')]).toEqual([['a.b', 'x：y']]);
    expect(FULL_WIDTH.test('Due：today')).toBe(true);
    expect([...texts(en, '')].length).toBeGreaterThan(500);
  });
});
