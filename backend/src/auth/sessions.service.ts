import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { AuditTx } from '../audit/audit-context';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../infra/tokens';
import type { Principal } from './principal';
import { SessionsRepository } from './sessions.repository';

/** The session cookie's name. */
export const SESSION_COOKIE = 'xuncha_session';

/** A session lives at most this long, however active (the idle limit is SESSION_TTL_HOURS). */
const ABSOLUTE_LIMIT_MS = 7 * 24 * 3_600_000;
/** How often a session's last use is written back (not on every request). */
const TOUCH_EVERY_MS = 60_000;
/**
 * How long a session read from PostgreSQL is reused for the next requests with its cookie.
 * Sign-out, a password change and a deactivation in this process take effect at once; done
 * by another instance of the app, within this time.
 */
const REUSE_MS = 5_000;
const MAX_REUSED = 10_000;

const tokenId = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Sessions in PostgreSQL: the cookie carries 32 random bytes; the table keeps only their
 * SHA-256, so a copy of the table signs nobody in. A session ends after SESSION_TTL_HOURS
 * without use, after seven days in any case, at logout, at a password change, and when its
 * user is deactivated.
 */
@Injectable()
export class SessionsService implements OnModuleInit, OnModuleDestroy {
  private sweeper?: NodeJS.Timeout;
  private readonly recent = new Map<string, { principal: Principal; until: number }>();

  constructor(
    @Inject(SessionsRepository) private readonly repository: SessionsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    // ended sessions are removed hourly; an unused one stops working at its limit regardless
    this.sweeper = setInterval(() => {
      this.sweep().catch((error: Error) => new Logger('Sessions').warn(`sweep failed: ${error.message}`));
    }, 3_600_000);
    this.sweeper.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
  }

  get ttlMs(): number {
    return this.config.sessionTtlHours * 3_600_000;
  }

  /** A new session for the user; returns the cookie's token. */
  async create(userId: number, ip: string | undefined, userAgent: string | undefined): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await this.repository.create({
      id: tokenId(token),
      userId,
      ip: ip?.slice(0, 64),
      userAgent: userAgent?.slice(0, 256),
      expiresAt: new Date(Date.now() + this.ttlMs),
    });
    return token;
  }

  /** The principal of a cookie's token, or undefined when it is unknown, expired or its user inactive. */
  async principal(token: string): Promise<Principal | undefined> {
    if (!/^[\w-]{43}$/.test(token)) return undefined;
    const id = tokenId(token);
    const reused = this.recent.get(id);
    if (reused && reused.until > Date.now()) return reused.principal;
    const principal = await this.read(id);
    if (principal) {
      if (this.recent.size >= MAX_REUSED) this.recent.clear();
      this.recent.set(id, { principal, until: Date.now() + REUSE_MS });
    } else {
      this.recent.delete(id);
    }
    return principal;
  }

  private async read(id: string): Promise<Principal | undefined> {
    const session = await this.repository.withUser(id);
    if (!session) return undefined;
    const now = Date.now();
    const user = session.user;
    if (
      session.expiresAt.getTime() <= now ||
      session.createdAt.getTime() + ABSOLUTE_LIMIT_MS <= now ||
      !user.active ||
      user.deletedAt ||
      (user.role === 'COUNTY_STAFF' && user.regionId === null)
    ) {
      await this.repository.delete(id);
      return undefined;
    }
    if (now - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
      await this.repository.touch(id, new Date(now), new Date(now + this.ttlMs));
    }
    return {
      userId: user.id,
      username: user.username,
      displayName: user.displayName,
      role: user.role,
      countyId: user.regionId,
      sessionId: id,
    };
  }

  async end(sessionId: string): Promise<void> {
    this.recent.delete(sessionId);
    await this.repository.delete(sessionId);
  }

  /** Ends every session of a user but, optionally, one; with `tx`, inside that transaction. */
  async endAllOf(userId: number, except?: string, tx?: Pick<AuditTx, 'session'>): Promise<void> {
    for (const [id, entry] of this.recent) if (entry.principal.userId === userId && id !== except) this.recent.delete(id);
    await this.repository.deleteAllOf(userId, except, tx);
  }

  /** Removes sessions past their idle or absolute limit (called now and then). */
  async sweep(): Promise<number> {
    const now = new Date();
    return this.repository.deleteEnded(now, new Date(now.getTime() - ABSOLUTE_LIMIT_MS));
  }
}
