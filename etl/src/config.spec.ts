import { UserError } from '@xuncha/shared';
import { etlConfigFromEnv } from './config';

const PRIMARY = 'postgresql://xuncha:secret@db:5432/xuncha';

function failure(env: NodeJS.ProcessEnv): UserError {
  try {
    etlConfigFromEnv(env);
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('expected a UserError');
}

describe('etlConfigFromEnv: DATABASE_READ_URL', () => {
  it('unset or empty: the extract reads DATABASE_URL', () => {
    expect(etlConfigFromEnv({})).toEqual({});
    expect(etlConfigFromEnv({ DATABASE_URL: PRIMARY })).toEqual({});
    expect(etlConfigFromEnv({ DATABASE_URL: PRIMARY, DATABASE_READ_URL: '' })).toEqual({});
    expect(etlConfigFromEnv({ DATABASE_URL: PRIMARY, DATABASE_READ_URL: '   ' })).toEqual({});
  });

  it('a postgresql:// or postgres:// URL beside DATABASE_URL is the extract source', () => {
    const replica = 'postgresql://reader:pw@replica:5432/xuncha?sslmode=disable';
    expect(etlConfigFromEnv({ DATABASE_URL: PRIMARY, DATABASE_READ_URL: replica })).toEqual({ readDatabaseUrl: replica });
    expect(etlConfigFromEnv({ DATABASE_URL: PRIMARY, DATABASE_READ_URL: ` ${replica} ` })).toEqual({ readDatabaseUrl: replica });
    expect(etlConfigFromEnv({ DATABASE_URL: PRIMARY, DATABASE_READ_URL: 'postgres://r@replica/xuncha' })).toEqual({
      readDatabaseUrl: 'postgres://r@replica/xuncha',
    });
  });

  it('refuses a replica without DATABASE_URL (the embedded engine has none), naming both variables', () => {
    const error = failure({ DATABASE_READ_URL: 'postgresql://r@replica/xuncha' });
    expect(error.message).toMatch(/^DATABASE_READ_URL needs DATABASE_URL/);
  });

  it('refuses what is not a PostgreSQL URL, naming the variable and hiding the password', () => {
    const invalid = failure({ DATABASE_URL: PRIMARY, DATABASE_READ_URL: 'replica:5432' });
    expect(invalid.message).toMatch(/^DATABASE_READ_URL must start with postgresql:\/\/ \(got replica:\/\/\)/);
    const unparseable = failure({ DATABASE_URL: PRIMARY, DATABASE_READ_URL: 'not a url with s3cret' });
    expect(unparseable.message).toMatch(/^DATABASE_READ_URL is not a valid URL/);
    expect(unparseable.message).not.toContain('s3cret');
    const mysql = failure({ DATABASE_URL: PRIMARY, DATABASE_READ_URL: 'mysql://u:s3cret@replica/xuncha' });
    expect(mysql.message).toBe('DATABASE_READ_URL must start with postgresql:// (got mysql://)');
  });
});
