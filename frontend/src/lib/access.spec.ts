import { homeOf, mayVisit, safeRedirect, type Permissions } from './access';

// What /api/me answers for each role (the API's rules, checked in backend/src/auth/permissions.spec.ts).
const none: Permissions = {
  read: false,
  write: false,
  admin: false,
  etlStatus: false,
  masterdataRead: false,
  masterdata: false,
  etlRun: false,
  quarterReportRead: false,
  quarterReport: false,
};
const LEADER: Permissions = { ...none, read: true, etlStatus: true, masterdataRead: true, quarterReportRead: true };
const COUNTY_STAFF: Permissions = { ...LEADER, write: true, masterdata: true, etlRun: true, quarterReport: true };
const ADMIN: Permissions = {
  ...none,
  admin: true,
  etlStatus: true,
  masterdataRead: true,
  masterdata: true,
  etlRun: true,
  quarterReportRead: true,
  quarterReport: true,
};

describe('page access by the API’s permissions', () => {
  it('gives the figures to whoever may read them, the admin pages to the administrator only', () => {
    expect([LEADER, COUNTY_STAFF, ADMIN].map((can) => mayVisit(can, 'read'))).toEqual([true, true, false]);
    expect([LEADER, COUNTY_STAFF, ADMIN].map((can) => mayVisit(can, 'admin'))).toEqual([false, false, true]);
    expect([LEADER, COUNTY_STAFF, ADMIN].map((can) => mayVisit(can, 'etlStatus'))).toEqual([true, true, true]);
    expect([LEADER, COUNTY_STAFF, ADMIN].map((can) => mayVisit(can, 'write'))).toEqual([false, true, false]);
    expect([LEADER, COUNTY_STAFF, ADMIN].map((can) => mayVisit(can, 'masterdata'))).toEqual([true, true, true]);
  });

  it('lets a signed-out visitor open only public pages; a page without a rule needs a session', () => {
    expect(mayVisit(undefined, 'public')).toBe(true);
    expect(mayVisit(undefined, 'signedIn')).toBe(false);
    expect(mayVisit(undefined, undefined)).toBe(false);
    expect(mayVisit(undefined, 'read')).toBe(false);
    expect(mayVisit(LEADER, undefined)).toBe(true);
    expect(mayVisit(none, 'signedIn')).toBe(true);
  });

  it('lands the administrator on 用户管理 and everyone who reads the figures on 总览', () => {
    expect(homeOf(ADMIN)).toBe('admin-users');
    expect(homeOf(LEADER)).toBe('overview');
    expect(homeOf(COUNTY_STAFF)).toBe('overview');
  });
});

describe('the sign-in page’s redirect', () => {
  it('keeps a path of this site with its query and hash', () => {
    expect(safeRedirect('/overdue?mode=SPECIAL&page=2')).toBe('/overdue?mode=SPECIAL&page=2');
    expect(safeRedirect('/admin/audit#top')).toBe('/admin/audit#top');
    expect(safeRedirect('/')).toBe('/');
    expect(safeRedirect(['/coverage', '/etl'])).toBe('/coverage');
  });

  it('normalises dot segments without leaving the site', () => {
    expect(safeRedirect('/a/../etl')).toBe('/etl');
    expect(safeRedirect('/../../etl')).toBe('/etl');
  });

  it('refuses other origins, schemes and tricks browsers read as another host', () => {
    for (const bad of [
      'https://evil.example/',
      '//evil.example',
      '///evil.example',
      '/\\evil.example',
      '\\\\evil.example',
      '/\t/evil.example',
      '/\n/evil.example',
      'javascript:alert(1)',
      ' /overview',
      'overview',
      'http:/evil.example',
    ]) {
      expect([bad, safeRedirect(bad)]).toEqual([bad, undefined]);
    }
  });

  it('refuses empty, oversized and non-string values, and the sign-in page itself', () => {
    expect(safeRedirect(undefined)).toBeUndefined();
    expect(safeRedirect(null)).toBeUndefined();
    expect(safeRedirect('')).toBeUndefined();
    expect(safeRedirect(42)).toBeUndefined();
    expect(safeRedirect(`/${'a'.repeat(2000)}`)).toBeUndefined();
    expect(safeRedirect('/login')).toBeUndefined();
    expect(safeRedirect('/login?redirect=/etl')).toBeUndefined();
  });
});
