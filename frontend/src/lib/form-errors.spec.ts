import { fieldErrors, retryAfterSeconds, waitParts } from './form-errors';

describe('the API’s field problems on a form', () => {
  it('puts each field’s first message on that field and ignores other fields', () => {
    expect(
      fieldErrors(
        [
          { field: 'newPassword', message: '密码至少 8 个字符 must be at least 8 characters' },
          { field: 'newPassword', message: 'second' },
          { field: 'body', message: 'not a field of the form' },
          { field: 'regionId.0', message: '须为正整数' },
        ],
        ['currentPassword', 'newPassword', 'regionId'] as const,
      ),
    ).toEqual({ newPassword: '密码至少 8 个字符 must be at least 8 characters', regionId: '须为正整数' });
    expect(fieldErrors(undefined, ['username'])).toEqual({});
  });

  it('does not take a field for another that starts the same', () => {
    expect(fieldErrors([{ field: 'passwordHint', message: 'x' }], ['password'])).toEqual({});
  });
});

describe('the wait after too many sign-in failures', () => {
  it('reads retryAfter from a 429’s details', () => {
    expect(retryAfterSeconds([{ field: 'retryAfter', message: '297' }])).toBe(297);
    expect(retryAfterSeconds([{ field: 'retryAfter', message: '0.4' }])).toBe(1);
    expect(retryAfterSeconds([{ field: 'retryAfter', message: 'soon' }])).toBeUndefined();
    expect(retryAfterSeconds([{ field: 'username', message: '12' }])).toBeUndefined();
    expect(retryAfterSeconds(undefined)).toBeUndefined();
  });

  it('says minutes from a minute on, rounded up, seconds below', () => {
    expect(waitParts(297)).toEqual({ unit: 'minutes', n: 5 });
    expect(waitParts(60)).toEqual({ unit: 'minutes', n: 1 });
    expect(waitParts(61)).toEqual({ unit: 'minutes', n: 2 });
    expect(waitParts(59)).toEqual({ unit: 'seconds', n: 59 });
    expect(waitParts(0.2)).toEqual({ unit: 'seconds', n: 1 });
  });
});
