import { bigintArrayLiteral, buildFullCopy, buildKeysCopy, TABLES, tableSpec } from './tables';

describe('extract specs', () => {
  it('name every warehouse column once, version and is_deleted last', () => {
    for (const spec of TABLES) {
      const names = spec.columns.map((c) => c.name);
      expect(new Set(names).size).toBe(names.length);
      expect(names.slice(-2)).toEqual(['version', 'is_deleted']);
      expect(names[0]).toBe('id');
    }
  });

  it('a full read is one COPY of the whole join, without a watermark condition', () => {
    const sql = buildFullCopy(tableSpec('fact_tasks'));
    expect(sql.startsWith('COPY (SELECT')).toBe(true);
    expect(sql).toContain('FROM rectification_tasks t');
    expect(sql.endsWith('LEFT JOIN issue_categories c ON c.id = f.category_id) TO STDOUT')).toBe(true);
    expect(sql).not.toContain('WHERE');
  });

  it('an incremental batch reads the given keys in key order', () => {
    const sql = buildKeysCopy(tableSpec('fact_tasks'), [3n, 5n, 8n]);
    expect(sql).toContain("WHERE t.id = ANY('{3,5,8}'::bigint[])\nORDER BY t.id) TO STDOUT");
  });

  it('splices only integers', () => {
    expect(bigintArrayLiteral([1n, 22n])).toBe("'{1,22}'::bigint[]");
    expect(() => bigintArrayLiteral(['1} OR 1=1' as unknown as bigint])).toThrow();
  });
});
