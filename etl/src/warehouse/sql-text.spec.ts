import { splitStatements, tokenize, SqlTextError } from './sql-text';

describe('splitStatements', () => {
  it('splits at semicolons that end statements and drops the empty tail', () => {
    const script = 'CREATE TABLE a (x UInt8) ENGINE = Memory;\nCREATE TABLE b (y UInt8) ENGINE = Memory;\n';
    expect(splitStatements(script)).toEqual(['CREATE TABLE a (x UInt8) ENGINE = Memory', 'CREATE TABLE b (y UInt8) ENGINE = Memory']);
  });

  it('keeps a last statement without a semicolon', () => {
    expect(splitStatements('SELECT 1;\nSELECT 2')).toEqual(['SELECT 1', 'SELECT 2']);
  });

  it('does not split at semicolons inside string literals, with both escape styles', () => {
    const script = ["INSERT INTO t VALUES ('a;b', 'it''s; fine', 'back\\'slash; too');", "SELECT ';' AS semi;"].join('\n');
    expect(splitStatements(script)).toEqual(["INSERT INTO t VALUES ('a;b', 'it''s; fine', 'back\\'slash; too')", "SELECT ';' AS semi"]);
  });

  it('does not split inside quoted identifiers, comments or heredocs', () => {
    const script = [
      'SELECT 1 AS "a;b", 2 AS `c;d`; -- a comment; with a semicolon',
      '/* block; comment /* nested; */ still; */ SELECT $$x;y$$ AS h;',
      '-- only a comment;',
    ].join('\n');
    expect(splitStatements(script)).toEqual([
      'SELECT 1 AS "a;b", 2 AS `c;d`',
      '-- a comment; with a semicolon\n/* block; comment /* nested; */ still; */ SELECT $$x;y$$ AS h',
    ]);
  });

  it('handles Chinese text and a quote inside a comment', () => {
    expect(splitStatements("-- don't split here\nSELECT '巡察;整改' AS s;")).toEqual(["-- don't split here\nSELECT '巡察;整改' AS s"]);
  });

  it('returns nothing for whitespace and comments only', () => {
    expect(splitStatements('  \n-- nothing\n/* here */ ;;\n')).toEqual([]);
  });

  it('throws on an unterminated literal, naming its line', () => {
    expect(() => splitStatements("SELECT 1;\nSELECT 'open;\n")).toThrow(new SqlTextError('unterminated string literal starting on line 2'));
    expect(() => splitStatements('SELECT 1 /* open')).toThrow(SqlTextError);
  });
});

describe('tokenize', () => {
  it('covers the input exactly', () => {
    const sql = "CREATE TABLE `t` (s String DEFAULT 'a''b') -- c\nENGINE = MergeTree ORDER BY s";
    expect(
      tokenize(sql)
        .map((t) => t.text)
        .join(''),
    ).toBe(sql);
    expect(
      tokenize(sql)
        .filter((t) => t.kind === 'string')
        .map((t) => t.text),
    ).toEqual(["'a''b'"]);
  });
});
