import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { AppError } from '../common/http-exception.filter';
import { AuditService } from '../audit/audit.service';
import { ACCESS_ROLES } from './access';
import { AccountsRepository } from './accounts.repository';
import type { AccountView, Me } from './dto/auth.dto';
import { LoginLimiter } from './login-limiter';
import { decoyHash, hashPassword, passwordProblem, verifyPassword } from './passwords';
import { ROLE_LABELS, type Principal, type Role } from './principal';
import { SessionsService } from './sessions.service';

export interface Client {
  ip?: string;
  userAgent?: string;
}

const BAD_CREDENTIALS = '用户名或密码错误 wrong username or password';

/** Sign-in, sign-out and password changes; every attempt lands in the audit log. */
@Injectable()
export class AuthService {
  readonly limiter = new LoginLimiter();

  constructor(
    @Inject(AccountsRepository) private readonly accounts: AccountsRepository,
    @Inject(SessionsService) private readonly sessions: SessionsService,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  /** Checks the password and opens a session: returns its cookie token and the user. */
  async login(username: string, password: string, client: Client): Promise<{ token: string; me: Me }> {
    const address = client.ip ?? 'unknown';
    // counted before the (slow) password check, so parallel attempts cannot pass the limit
    const wait = this.limiter.begin(username, address);
    if (wait > 0) {
      await this.audit.record({ action: 'auth.login', username, ip: client.ip, success: false, detail: { refused: 'rate limited', retryAfterSeconds: wait } });
      throw new AppError(
        HttpStatus.TOO_MANY_REQUESTS,
        `登录失败次数过多，请 ${Math.ceil(wait / 60)} 分钟后再试 too many failed sign-ins; try again in ${wait} s`,
        [{ field: 'retryAfter', message: String(wait) }],
      );
    }
    const user = await this.accounts.byUsername(username);
    // a county user without a county could see nothing: refused like an inactive one
    const usable = user !== null && user.active && user.deletedAt === null && !(user.role === 'COUNTY_STAFF' && user.regionId === null);
    const valid = await verifyPassword(usable ? user.passwordHash : await decoyHash(), password);
    if (!usable || !valid) {
      await this.audit.record({
        action: 'auth.login',
        username,
        principal: user ? { userId: user.id, username: user.username } : undefined,
        ip: client.ip,
        success: false,
        detail: { reason: !user ? 'unknown user' : !usable ? 'inactive user' : 'wrong password' },
      });
      throw new AppError(HttpStatus.UNAUTHORIZED, BAD_CREDENTIALS);
    }
    this.limiter.succeeded(username, address);
    const token = await this.sessions.create(user.id, client.ip, client.userAgent);
    await this.audit.record({ action: 'auth.login', principal: { userId: user.id, username: user.username }, ip: client.ip, success: true });
    return { token, me: meView(user.id, user.username, user.displayName, user.role, user.region) };
  }

  async logout(principal: Principal, client: Client): Promise<void> {
    await this.sessions.end(principal.sessionId);
    await this.audit.record({ action: 'auth.logout', principal, ip: client.ip, success: true });
  }

  async me(principal: Principal): Promise<Me> {
    const region = principal.countyId === null ? null : await this.accounts.region(principal.countyId);
    return meView(principal.userId, principal.username, principal.displayName, principal.role, region);
  }

  /** Changes the signed-in user's password; their other sessions end. */
  async changePassword(principal: Principal, currentPassword: string, newPassword: string, client: Client): Promise<void> {
    const user = await this.accounts.byId(principal.userId);
    const fail = async (status: number, field: string, message: string) => {
      await this.audit.record({ action: 'auth.password', principal, ip: client.ip, success: false, detail: { reason: message } });
      throw new AppError(status, `${field}: ${message}`, [{ field, message }]);
    };
    if (!(await verifyPassword(user.passwordHash, currentPassword)))
      await fail(HttpStatus.BAD_REQUEST, 'currentPassword', '当前密码不正确 the current password is wrong');
    if (newPassword === currentPassword) await fail(HttpStatus.BAD_REQUEST, 'newPassword', '新密码不能与当前密码相同 must differ from the current password');
    const problem = passwordProblem(newPassword, user.username);
    if (problem) await fail(HttpStatus.BAD_REQUEST, 'newPassword', problem);
    const passwordHash = await hashPassword(newPassword);
    // the new password, the other sessions' end and the audit entry commit together
    await this.accounts.setPassword(user.id, passwordHash, async (tx) => {
      await this.sessions.endAllOf(user.id, principal.sessionId, tx);
      await this.audit.insert(tx, { action: 'auth.password', principal, ip: client.ip, success: true });
    });
  }
}

type Region = { id: number; code: string; name: string };

/** An account as the API shows it; a region only for COUNTY_STAFF, the one role limited to one. */
export function accountView(user: { id: number; username: string; displayName: string; role: Role }, region: Region | null): AccountView {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    roleLabel: ROLE_LABELS[user.role],
    region: user.role === 'COUNTY_STAFF' && region ? { id: region.id, code: region.code, name: region.name } : null,
  };
}

export function meView(id: number, username: string, displayName: string, role: Role, region: Region | null): Me {
  return {
    ...accountView({ id, username, displayName, role }, region),
    can: permissionsOf(role),
  };
}

/** Every access rule of the routes, and whether `role` passes it. */
export function permissionsOf(role: Role): Me['can'] {
  const can = {} as Me['can'];
  for (const access of Object.keys(ACCESS_ROLES) as (keyof typeof ACCESS_ROLES)[]) can[access] = ACCESS_ROLES[access].includes(role);
  return can;
}
