import { homeOf, mayVisit, safeRedirect } from './access';

describe('page access by role', () => {
  it('gives the figures to LEADER, STAFF and COUNTY_STAFF, the admin pages to ADMIN only', () => {
    expect(['LEADER', 'STAFF', 'COUNTY_STAFF', 'ADMIN'].map((role) => mayVisit(role as never, 'read'))).toEqual([true, true, true, false]);
    expect(['LEADER', 'STAFF', 'COUNTY_STAFF', 'ADMIN'].map((role) => mayVisit(role as never, 'admin'))).toEqual([false, false, false, true]);
    expect(['LEADER', 'STAFF', 'COUNTY_STAFF', 'ADMIN'].map((role) => mayVisit(role as never, 'etlStatus'))).toEqual([true, true, true, true]);
  });

  it('lets a signed-out visitor open only public pages; a page without a rule needs a session', () => {
    expect(mayVisit(undefined, 'public')).toBe(true);
    expect(mayVisit(undefined, 'signedIn')).toBe(false);
    expect(mayVisit(undefined, undefined)).toBe(false);
    expect(mayVisit(undefined, 'read')).toBe(false);
    expect(mayVisit('LEADER', undefined)).toBe(true);
  });

  it('lands ADMIN on 用户管理 and everyone else on 总览', () => {
    expect(homeOf('ADMIN')).toBe('admin-users');
    expect(homeOf('LEADER')).toBe('overview');
    expect(homeOf('COUNTY_STAFF')).toBe('overview');
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
