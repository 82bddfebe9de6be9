import type { Me } from '../api/types';

/** What the signed-in user may do, as /api/me answers it: one flag per access rule of the API. */
export type Permissions = Me['can'];

/**
 * Who may open which page, where a user lands, and where a sign-in may send the user back
 * to. The rules are the API's (backend/src/auth/access.ts), read from /api/me: the dashboard
 * keeps no role table and only hides what the API would refuse anyway.
 */

/**
 * A page's audience: public (the sign-in page), signedIn (anyone signed in), read (the
 * figures and lists), admin (users and the audit log), etlStatus (the sync history),
 * write (case-record writes and imports), masterdata (基础数据, read by every role).
 */
export type PageAccess = 'public' | 'signedIn' | 'read' | 'admin' | 'etlStatus' | 'write' | 'masterdata' | 'quarterReport';

/** The API's access rule each page audience stands for. */
const RULE_OF: Record<Exclude<PageAccess, 'public' | 'signedIn'>, keyof Permissions> = {
  read: 'read',
  admin: 'admin',
  etlStatus: 'etlStatus',
  write: 'write',
  masterdata: 'masterdataRead',
  // 导出: the readers download workbooks; the administrator sees the 报送 state and may withdraw a report
  quarterReport: 'quarterReportRead',
};

/** Whether a user with these permissions (undefined: signed out) may open a page of `access`. */
export function mayVisit(can: Permissions | undefined, access: PageAccess | undefined): boolean {
  const needed = access ?? 'signedIn';
  if (needed === 'public') return true;
  if (can === undefined) return false;
  return needed === 'signedIn' || can[RULE_OF[needed]];
}

/** The route name a user lands on after sign-in, and when opening a page they may not use: the figures, or for the administrator 用户管理. */
export function homeOf(can: Permissions): 'admin-users' | 'overview' {
  return can.read ? 'overview' : 'admin-users';
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
