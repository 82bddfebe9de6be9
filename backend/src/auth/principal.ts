import { AsyncLocalStorage } from 'node:async_hooks';
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

const store = new AsyncLocalStorage<Principal | undefined>();

/** Runs the rest of the request with its principal reachable from any service. */
export function withPrincipal<T>(principal: Principal | undefined, fn: () => T): T {
  return store.run(principal, fn);
}

/** The signed-in user of the current request (undefined outside requests or without a session). */
export function currentPrincipal(): Principal | undefined {
  return store.getStore();
}

/**
 * The county the current request is limited to: a COUNTY_STAFF user's region, or null for
 * everyone else (and outside requests: the ETL, the command-line tools).
 */
export function currentCountyLimit(): number | null {
  const principal = store.getStore();
  return principal?.role === 'COUNTY_STAFF' ? principal.countyId : null;
}

export const ROLE_LABELS: Record<Role, string> = {
  LEADER: '领导',
  STAFF: '巡察办工作人员',
  COUNTY_STAFF: '县区巡察办工作人员',
  ADMIN: '系统管理员',
};
