import { buildBatchCopy, TABLES, tableSpec } from './tables';

describe('extract specs', () => {
  it('name every warehouse column once, version and is_deleted last', () => {
    for (const spec of TABLES) {
      const names = spec.columns.map((c) => c.name);
      expect(new Set(names).size).toBe(names.length);
      expect(names.slice(-2)).toEqual(['version', 'is_deleted']);
      expect(names[0]).toBe('id');
    }
  });

  it('a full batch reads by keyset with no watermark condition', () => {
    const sql = buildBatchCopy({ spec: tableSpec('fact_tasks'), watermark: null, after: 41n, limit: 1000 });
    expect(sql.startsWith('COPY (SELECT')).toBe(true);
    expect(sql).toContain('WHERE t.id > 41 \nORDER BY t.id\nLIMIT 1000) TO STDOUT');
    expect(sql).not.toContain('change_xid');
  });

  it('an incremental batch reads the dependency set from the watermark', () => {
    const sql = buildBatchCopy({ spec: tableSpec('fact_tasks'), watermark: 123456789n, after: 0n, limit: 10 });
    expect(sql).toContain("change_xid >= '123456789'::xid8");
    expect(sql).toContain('AND t.id IN (SELECT id FROM cs_tasks)');
    expect(sql).toContain('UNION SELECT id FROM rectification_tasks WHERE finding_id IN (SELECT id FROM cs_findings)');
  });

  it('splices only integers', () => {
    expect(() => buildBatchCopy({ spec: TABLES[0], watermark: null, after: '1 OR 1=1' as unknown as bigint, limit: 1 })).toThrow();
  });
});
