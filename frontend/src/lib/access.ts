import type { Role } from '../api/types';

export type { Role };

/**
 * Who may open which page, where each role lands, and where a sign-in may send the user
 * back to. The same role lists as the API's access rules (backend/src/auth/access.ts): the
 * dashboard only hides what the API would refuse anyway.
 */

/**
 * A page's audience: public (the sign-in page), signedIn (anyone signed in), read (the
 * figures and lists), admin (users and the audit log), etlStatus (the sync history),
 * write (case-record writes and imports), masterdata (基础数据, read by every role).
 */
export type PageAccess = 'public' | 'signedIn' | 'read' | 'admin' | 'etlStatus' | 'write' | 'masterdata';

const PAGE_ROLES: Record<Exclude<PageAccess, 'public' | 'signedIn'>, readonly Role[]> = {
  read: ['LEADER', 'STAFF', 'COUNTY_STAFF'],
  admin: ['ADMIN'],
  etlStatus: ['LEADER', 'STAFF', 'COUNTY_STAFF', 'ADMIN'],
  write: ['STAFF', 'COUNTY_STAFF'],
  // 基础数据: read by everyone signed in (the API's masterdataRead)
  masterdata: ['LEADER', 'STAFF', 'COUNTY_STAFF', 'ADMIN'],
};

/** Who may change master data (the API's masterdata access; a county user only their county's units and townships). */
export function mayEditMasterdata(role: Role | undefined): boolean {
  return role === 'STAFF' || role === 'COUNTY_STAFF' || role === 'ADMIN';
}

/** Whether a user of `role` (undefined: signed out) may open a page of `access`. */
export function mayVisit(role: Role | undefined, access: PageAccess | undefined): boolean {
  const needed = access ?? 'signedIn';
  if (needed === 'public') return true;
  if (role === undefined) return false;
  return needed === 'signedIn' || PAGE_ROLES[needed].includes(role);
}

/** The route name a role lands on after sign-in, and when it opens a page it may not use. */
export function homeOf(role: Role): 'admin-users' | 'overview' {
  return role === 'ADMIN' ? 'admin-users' : 'overview';
}

/** Somewhere only a sign-in page belongs; never a place to go back to. */
export const LOGIN_PATH = '/login';

const ORIGIN = 'http://same-origin.invalid';

/**
 * The `?redirect=` of the sign-in page as a path of this site, or undefined when it is
 * anything else: another origin (`//evil.example`, `https://…`, `/\evil.example`), a
 * scheme (`javascript:`), control characters, or the sign-in page itself.
 */
export function safeRedirect(value: unknown): string | undefined {
  const raw: unknown = Array.isArray(value) ? (value as unknown[])[0] : value;
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 2000) return undefined;
  // a path of this site only: one leading slash, no backslash (browsers read it as a slash)
  if (!raw.startsWith('/') || raw.startsWith('//') || raw.includes('\\')) return undefined;
   
  if (/[\u0000-\u001f\u007f]/.test(raw)) return undefined;
  let url: URL;
  try {
    url = new URL(raw, ORIGIN);
  } catch {
    return undefined;
  }
  if (url.origin !== ORIGIN) return undefined;
  if (url.pathname === LOGIN_PATH || url.pathname.startsWith(`${LOGIN_PATH}/`)) return undefined;
  return `${url.pathname}${url.search}${url.hash}`;
}
