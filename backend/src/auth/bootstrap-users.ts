import { createPrismaClient } from '@xuncha/prisma';
import { DEFAULT_DEMO_PASSWORD } from '../config/app-config';
import { hashPassword } from './passwords';
import type { Role } from './principal';

export interface DemoAccount {
  username: string;
  displayName: string;
  role: Role;
  regionId: number | null;
}

/** The demo accounts: leader, staff, admin, and county-<code> for every county and for 市本级. */
export async function demoAccounts(databaseUrl: string): Promise<DemoAccount[]> {
  const prisma = createPrismaClient(databaseUrl);
  try {
    // a county office's account for each county, and one for 市本级 (the city's own units)
    const counties = await prisma.region.findMany({ where: { level: { in: ['COUNTY', 'MUNICIPAL'] }, deletedAt: null }, orderBy: { code: 'asc' } });
    return [
      { username: 'leader', displayName: '领导（演示）', role: 'LEADER', regionId: null },
      { username: 'staff', displayName: '巡察办（演示）', role: 'STAFF', regionId: null },
      { username: 'admin', displayName: '系统管理员', role: 'ADMIN', regionId: null },
      ...counties.map((c) => ({ username: `county-${c.code}`, displayName: `${c.name}巡察办（演示）`, role: 'COUNTY_STAFF' as const, regionId: c.id })),
    ];
  } finally {
    await prisma.$disconnect();
  }
}

/**
 * Creates the accounts that do not exist yet (an existing account, its password included,
 * is left as it is). Returns the usernames created.
 */
export async function ensureAccounts(databaseUrl: string, accounts: DemoAccount[], password: string): Promise<string[]> {
  const prisma = createPrismaClient(databaseUrl);
  try {
    const existing = new Set(
      (await prisma.user.findMany({ where: { username: { in: accounts.map((a) => a.username) } }, select: { username: true } })).map((u) => u.username),
    );
    const missing = accounts.filter((a) => !existing.has(a.username));
    if (missing.length === 0) return [];
    const passwordHash = await hashPassword(password);
    await prisma.user.createMany({ data: missing.map((a) => ({ ...a, passwordHash })), skipDuplicates: true });
    return missing.map((a) => a.username);
  } finally {
    await prisma.$disconnect();
  }
}

/** Server mode: whether any ADMIN account exists (the first start creates one). */
export async function hasAdmin(databaseUrl: string): Promise<boolean> {
  const prisma = createPrismaClient(databaseUrl);
  try {
    return (await prisma.user.count({ where: { role: 'ADMIN', deletedAt: null } })) > 0;
  } finally {
    await prisma.$disconnect();
  }
}

export class AccountsSetupError extends Error {}

/**
 * The accounts a start needs. Embedded demo mode: the demo accounts (leader, staff, admin,
 * county-<code>) with DEMO_PASSWORD, its default announced with a warning. Server mode:
 * on the first start only, `admin` with ADMIN_PASSWORD (required then).
 */
export async function ensureStartAccounts(
  databaseUrl: string,
  options: { embedded: boolean; demoPassword?: string; adminPassword?: string },
  log: (line: string) => void,
): Promise<void> {
  if (options.embedded) {
    const password = options.demoPassword ?? DEFAULT_DEMO_PASSWORD;
    const accounts = await demoAccounts(databaseUrl);
    const created = await ensureAccounts(databaseUrl, accounts, password);
    const counties = accounts.filter((a) => a.role === 'COUNTY_STAFF').map((a) => a.username);
    log(
      `账号 Accounts: leader（领导）, staff（巡察办）, admin（管理员）, ${counties.length} 个县区账号 county accounts (${counties.slice(0, 2).join(', ')}${counties.length > 2 ? ', …' : ''})${created.length > 0 ? `; ${created.length} created now` : ''}`,
    );
    if (options.demoPassword === undefined) {
      log(`⚠ 演示密码 Demo password: "${DEFAULT_DEMO_PASSWORD}" (the default; set DEMO_PASSWORD before a first start that anyone else can reach)`);
    } else if (created.length > 0) {
      log('演示密码 Demo password: from DEMO_PASSWORD');
    }
    return;
  }
  if (await hasAdmin(databaseUrl)) return;
  if (!options.adminPassword) {
    throw new AccountsSetupError(
      'ADMIN_PASSWORD must be set for the first start against a PostgreSQL server (DATABASE_URL): it becomes the password of the admin account',
    );
  }
  await ensureAccounts(databaseUrl, [{ username: 'admin', displayName: '系统管理员', role: 'ADMIN', regionId: null }], options.adminPassword);
  log('账号 Accounts: created admin (password from ADMIN_PASSWORD); sign in and create the other accounts under 用户管理');
}
