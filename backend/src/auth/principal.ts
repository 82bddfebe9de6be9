import type { Request } from 'express';

export const ROLES = ['LEADER', 'STAFF', 'COUNTY_STAFF', 'ADMIN'] as const;
export type Role = (typeof ROLES)[number];

/** Who is signed in on this request. */
export interface Principal {
  userId: number;
  username: string;
  displayName: string;
  role: Role;
  /** COUNTY_STAFF: the county (or 市本级) region the user is limited to, with everything under it. */
  countyId: number | null;
  sessionId: string;
}

/** A request as the auth middleware leaves it. */
export interface SignedRequest extends Request {
  principal?: Principal;
}

/**
 * Work that no user asked for: the ETL and what it triggers, the start-up jobs, the
 * command-line tools, and a workbook built once for everyone its own restriction admits.
 * The system has no county limit.
 */
export const SYSTEM = Object.freeze({ system: true as const });

/** Whom a service works for: the signed-in user of a request, or the system. */
export type Caller = Principal | typeof SYSTEM;

/** The county a caller is limited to: a COUNTY_STAFF user's region, or null for everyone else and the system. */
export function countyLimit(auth: Caller): number | null {
  return 'role' in auth && auth.role === 'COUNTY_STAFF' ? auth.countyId : null;
}

export const ROLE_LABELS: Record<Role, string> = {
  LEADER: '领导',
  STAFF: '巡察办工作人员',
  COUNTY_STAFF: '县区巡察办工作人员',
  ADMIN: '系统管理员',
};
