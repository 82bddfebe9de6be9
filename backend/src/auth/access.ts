import { SetMetadata } from '@nestjs/common';
import type { Role } from './principal';

/**
 * Who may call a route:
 * - public: anyone, without a session (health, login);
 * - signedIn: any signed-in user (their own session and password);
 * - read: the figures, lists, details and exports (LEADER, STAFF, COUNTY_STAFF);
 * - write: case-record writes, imports and ETL runs (STAFF, COUNTY_STAFF);
 * - admin: users and the audit log (ADMIN);
 * - etlStatus: the ETL run history (everyone signed in, the administrator included);
 * - masterdataRead / masterdata: the office's master data (regions, terms, rounds, units,
 *   categories) — read by everyone signed in, written by STAFF, COUNTY_STAFF (their county's
 *   units and townships only, enforced by the service) and ADMIN, who sets the office up;
 * - etlRun: an ETL run on request (STAFF, COUNTY_STAFF, ADMIN); the service lets only the
 *   administrator ask for a full run (it replaces the whole warehouse);
 * - quarterReportRead / quarterReport: a quarter's 已报送 state and its corrections (read by
 *   everyone signed in), marked by STAFF, COUNTY_STAFF (their county's workbook only, enforced
 *   by the service) and ADMIN;
 * Routes without a declaration get `read` for GET and `write` for everything else.
 */
export type Access =
  'public' | 'signedIn' | 'read' | 'write' | 'admin' | 'etlStatus' | 'masterdataRead' | 'masterdata' | 'etlRun' | 'quarterReportRead' | 'quarterReport';

export const ACCESS_ROLES: Record<Exclude<Access, 'public' | 'signedIn'>, readonly Role[]> = {
  read: ['LEADER', 'STAFF', 'COUNTY_STAFF'],
  write: ['STAFF', 'COUNTY_STAFF'],
  admin: ['ADMIN'],
  // the sync status page: the office's staff and leaders, and the administrator who runs the system
  etlStatus: ['LEADER', 'STAFF', 'COUNTY_STAFF', 'ADMIN'],
  // master data: unlike the case records, the administrator may set it up (issue 14)
  masterdataRead: ['LEADER', 'STAFF', 'COUNTY_STAFF', 'ADMIN'],
  masterdata: ['STAFF', 'COUNTY_STAFF', 'ADMIN'],
  etlRun: ['STAFF', 'COUNTY_STAFF', 'ADMIN'],
  // 已报送 (issue 16 item 5): the office's staff or the administrator marks a quarter reported
  quarterReportRead: ['LEADER', 'STAFF', 'COUNTY_STAFF', 'ADMIN'],
  quarterReport: ['STAFF', 'COUNTY_STAFF', 'ADMIN'],
};

export const ACCESS_KEY = 'xuncha:access';

/** Declares who may call a route (see Access). */
export const Allow = (access: Access) => SetMetadata(ACCESS_KEY, access);

/** The audit decorator, beside Allow on every route that declares it (defined by the audit log's recording). */
export { AUDIT_KEY, Audited } from '../audit/audited';
