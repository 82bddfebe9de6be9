import { permissionsOf } from './auth.service';

// The permissions /api/me answers, from which the dashboard shows its pages (it keeps no role table).
describe('permissionsOf', () => {
  const ROLES = ['LEADER', 'STAFF', 'COUNTY_STAFF', 'ADMIN'] as const;
  const by = (rule: keyof ReturnType<typeof permissionsOf>) => ROLES.map((role) => permissionsOf(role)[rule]);

  it('gives the figures to LEADER, STAFF and COUNTY_STAFF, the admin pages to ADMIN only, the sync history to everyone', () => {
    expect(by('read')).toEqual([true, true, true, false]);
    expect(by('admin')).toEqual([false, false, false, true]);
    expect(by('etlStatus')).toEqual([true, true, true, true]);
  });

  it('lets STAFF and COUNTY_STAFF write case records, and ADMIN too change master data and start runs', () => {
    expect(by('write')).toEqual([false, true, true, false]);
    expect(by('masterdataRead')).toEqual([true, true, true, true]);
    expect(by('masterdata')).toEqual([false, true, true, true]);
    expect(by('etlRun')).toEqual([false, true, true, true]);
  });
});
