import { HttpStatus, Inject, Injectable, StreamableFile } from '@nestjs/common';
import { shanghaiToday } from '@xuncha/shared';
import { AppError } from '../common/http-exception.filter';
import { namedFileName } from '../files/list-file';
import { csvListFile, xlsxListFile } from '../files/list-file';
import { AccountsRepository, type AccountRow } from './accounts.repository';
import type { CreateUserDto, UpdateUserDto, UserRegion, UserView } from './dto/auth.dto';
import { hashPassword, passwordProblem } from './passwords';
import { accountView } from './auth.service';
import type { Principal, Role } from './principal';
import { SessionsService } from './sessions.service';
import { USER_FILE_COLUMNS, USER_LIST_LABEL } from './user-list-file';

const bad = (field: string, message: string) => new AppError(HttpStatus.BAD_REQUEST, `${field}: ${message}`, [{ field, message }]);

/** Accounts, managed by ADMIN. Users are never deleted (the audit log names them): they are deactivated. */
@Injectable()
export class UsersService {
  constructor(
    @Inject(AccountsRepository) private readonly accounts: AccountsRepository,
    @Inject(SessionsService) private readonly sessions: SessionsService,
  ) {}

  async list(): Promise<{ rows: UserView[] }> {
    const users = await this.accounts.list();
    return { rows: users.map(userView) };
  }

  /** Every account as .xlsx or CSV (`用户列表_2026-12-03.xlsx`): the rows of GET /api/users, in its order. */
  async file(format: 'csv' | 'xlsx'): Promise<StreamableFile> {
    const today = shanghaiToday();
    const { rows } = await this.list();
    const name = namedFileName([USER_LIST_LABEL, today], format);
    const ascii = `users-${today}.${format}`;
    if (format === 'csv') return csvListFile(USER_FILE_COLUMNS, [rows], ascii, name);
    return xlsxListFile(USER_FILE_COLUMNS, [rows], rows, { title: USER_LIST_LABEL, reportingUnit: await this.accounts.cityName(), asOf: today, ascii, name });
  }

  /** The regions checkRegion accepts for a COUNTY_STAFF user: 市本级 and the counties, by code. */
  async regions(): Promise<{ rows: UserRegion[] }> {
    const regions = await this.accounts.countyRegions();
    return { rows: regions.map((r) => ({ id: r.id, code: r.code, name: r.name, level: r.level as UserRegion['level'] })) };
  }

  async create(input: CreateUserDto): Promise<UserView> {
    const regionId = await this.checkRegion(input.role, input.regionId ?? null);
    const problem = passwordProblem(input.password, input.username);
    if (problem) throw bad('password', problem);
    // usernames are one whatever their case (`Staff` is `staff`): the unique index on
    // lower(username) decides between two creations at once, this check names the field first
    const taken = () =>
      new AppError(HttpStatus.CONFLICT, `username: 用户名已存在（不区分大小写） "${input.username}" is taken (letter case aside)`, [
        { field: 'username', message: 'is taken' },
      ]);
    if (await this.accounts.usernameTaken(input.username)) throw taken();
    const passwordHash = await hashPassword(input.password);
    try {
      const user = await this.accounts.create({ username: input.username, displayName: input.displayName, role: input.role, regionId, passwordHash });
      return userView(user);
    } catch (error) {
      if ((error as { code?: unknown }).code === 'P2002') throw taken();
      throw error;
    }
  }

  async update(id: number, input: UpdateUserDto, by: Principal): Promise<UserView> {
    const user = await this.accounts.existing(id);
    if (!user) throw new AppError(HttpStatus.NOT_FOUND, `用户不存在 user ${id} does not exist`);
    const role = input.role ?? user.role;
    const regionId = await this.checkRegion(role, input.regionId !== undefined ? input.regionId : role === 'COUNTY_STAFF' ? user.regionId : null);
    if (id === by.userId && (role !== 'ADMIN' || input.active === false)) {
      throw new AppError(HttpStatus.CONFLICT, '不能停用自己或取消自己的管理员角色 you cannot deactivate yourself or drop your own ADMIN role');
    }
    if (input.password !== undefined) {
      const problem = passwordProblem(input.password, user.username);
      if (problem) throw bad('password', problem);
    }
    const passwordHash = input.password === undefined ? undefined : await hashPassword(input.password);
    // the change, the sessions it ends and its audit entry commit together
    const updated = await this.accounts.update(id, { displayName: input.displayName, role, regionId, active: input.active, passwordHash }, async (tx) => {
      // a new password, a deactivation or another role or county: the user signs in again
      if (input.password !== undefined || input.active === false || role !== user.role || regionId !== user.regionId)
        await this.sessions.endAllOf(id, undefined, tx);
    });
    return userView(updated);
  }

  /** COUNTY_STAFF needs a county (or 市本级) region; the other roles see the whole city and have none. */
  private async checkRegion(role: Role, regionId: number | null): Promise<number | null> {
    if (role !== 'COUNTY_STAFF') {
      if (regionId !== null) throw bad('regionId', `只有县区用户 (COUNTY_STAFF) 限定辖区 only COUNTY_STAFF users have a region (got ${role})`);
      return null;
    }
    if (regionId === null) throw bad('regionId', '县区用户须指定所属县区 a COUNTY_STAFF user needs a county region');
    const region = await this.accounts.region(regionId);
    if (!region || region.deletedAt) throw bad('regionId', `区划不存在 region ${regionId} does not exist`);
    if (region.level !== 'COUNTY' && region.level !== 'MUNICIPAL')
      throw bad('regionId', `须为县(市、区)或市本级 must be a county or 市本级 region (${region.name} is ${region.level})`);
    return region.id;
  }
}

function userView(user: AccountRow): UserView {
  return {
    ...accountView({ ...user, role: user.role }, user.region),
    active: user.active,
    createdAt: user.createdAt.toISOString(),
    lastSeenAt: user.sessions[0]?.lastSeenAt.toISOString() ?? null,
  };
}
