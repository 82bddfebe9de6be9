/**
 * A small lexer for ClickHouse SQL text: enough to split a migration file into statements
 * and to find keywords in DDL without being fooled by string literals, quoted identifiers
 * or comments. It does not parse SQL.
 */

export type TokenKind = 'space' | 'comment' | 'string' | 'quoted' | 'word' | 'punct';

export interface Token {
  kind: TokenKind;
  text: string;
  /** Offset of the first character in the input. */
  start: number;
  /** Offset just past the last character. */
  end: number;
}

export class SqlTextError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SqlTextError';
  }
}

const WORD = /[A-Za-z0-9_$\u0080-\uffff]/;

function lineOf(sql: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (sql.charCodeAt(i) === 10) line++;
  return line;
}

/** End of a literal quoted with `quote` that starts at `start`; backslash escapes and doubled quotes. */
function endOfQuoted(sql: string, start: number, quote: string, what: string): number {
  let i = start + 1;
  while (i < sql.length) {
    const c = sql[i];
    if (c === '\\') {
      i += 2;
    } else if (c === quote) {
      if (sql[i + 1] === quote) i += 2;
      else return i + 1;
    } else {
      i++;
    }
  }
  throw new SqlTextError(`unterminated ${what} starting on line ${lineOf(sql, start)}`);
}

/** Splits SQL text into tokens; the concatenation of all token texts is the input. */
export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const push = (kind: TokenKind, end: number) => {
    tokens.push({ kind, text: sql.slice(i, end), start: i, end });
    i = end;
  };
  while (i < sql.length) {
    const c = sql[i];
    const next = sql[i + 1];
    if (/\s/.test(c)) {
      let end = i + 1;
      while (end < sql.length && /\s/.test(sql[end])) end++;
      push('space', end);
    } else if (c === '-' && next === '-') {
      const newline = sql.indexOf('\n', i);
      push('comment', newline === -1 ? sql.length : newline);
    } else if (c === '/' && next === '*') {
      // ClickHouse allows nested block comments.
      let depth = 0;
      let end = i;
      do {
        if (sql.startsWith('/*', end)) {
          depth++;
          end += 2;
        } else if (sql.startsWith('*/', end)) {
          depth--;
          end += 2;
        } else {
          end++;
        }
      } while (depth > 0 && end < sql.length);
      if (depth > 0) throw new SqlTextError(`unterminated comment starting on line ${lineOf(sql, i)}`);
      push('comment', end);
    } else if (c === "'") {
      push('string', endOfQuoted(sql, i, "'", 'string literal'));
    } else if (c === '"' || c === '`') {
      push('quoted', endOfQuoted(sql, i, c, 'quoted identifier'));
    } else if (c === '$' && /^\$[A-Za-z0-9_]*\$/.test(sql.slice(i, i + 64))) {
      // Heredoc literal: $tag$ ... $tag$
      const tag = /^\$[A-Za-z0-9_]*\$/.exec(sql.slice(i, i + 64))![0];
      const close = sql.indexOf(tag, i + tag.length);
      if (close === -1) throw new SqlTextError(`unterminated heredoc ${tag} starting on line ${lineOf(sql, i)}`);
      push('string', close + tag.length);
    } else if (WORD.test(c)) {
      let end = i + 1;
      while (end < sql.length && WORD.test(sql[end])) end++;
      push('word', end);
    } else {
      push('punct', i + 1);
    }
  }
  return tokens;
}

/**
 * Splits a script into statements at each `;` outside string literals, quoted
 * identifiers and comments. Statements are trimmed and lose their `;`; pieces holding
 * only whitespace and comments are dropped.
 */
export function splitStatements(sql: string): string[] {
  const statements: string[] = [];
  let from = 0;
  let meaningful = false;
  const flush = (to: number) => {
    if (meaningful) statements.push(sql.slice(from, to).trim());
    meaningful = false;
  };
  for (const token of tokenize(sql)) {
    if (token.kind === 'punct' && token.text === ';') {
      flush(token.start);
      from = token.end;
    } else if (token.kind !== 'space' && token.kind !== 'comment') {
      meaningful = true;
    }
  }
  flush(sql.length);
  return statements;
}
