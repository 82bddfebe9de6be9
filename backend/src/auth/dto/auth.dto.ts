import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { queryId } from '../../common/filters';
import { ROLES } from '../principal';

const username = z
  .string({ error: (issue) => (issue.input === undefined ? '用户名必填 is required' : '用户名须为文本 must be a string') })
  .trim()
  .min(1, '用户名不能为空 must not be blank')
  .max(64, '用户名至多 64 个字符 must be at most 64 characters');

const password = (label: string) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? `${label}必填 is required` : `${label}须为文本 must be a string`) })
    .min(1, `${label}不能为空 must not be blank`)
    .max(128, `${label}至多 128 个字符 must be at most 128 characters`);

export const LoginSchema = z.strictObject({ username, password: password('密码') });
export class LoginDto extends createZodDto(LoginSchema) {}

export const ChangePasswordSchema = z.strictObject({ currentPassword: password('当前密码'), newPassword: password('新密码') });
export class ChangePasswordDto extends createZodDto(ChangePasswordSchema) {}

/** What the signed-in user and the accounts list both show of an account. */
const accountSchema = z.object({
  id: z.number().int(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  roleLabel: z.string(),
  /** COUNTY_STAFF: the region they are limited to. */
  region: z.object({ id: z.number().int(), code: z.string(), name: z.string() }).nullable(),
});
export type AccountView = z.infer<typeof accountSchema>;

export const MeSchema = accountSchema.extend({
  /**
   * What this user may do, one flag per access rule of the routes (backend/src/auth/access.ts):
   * the dashboard shows its pages and buttons by these, and keeps no role table of its own.
   */
  can: z.object({
    read: z.boolean(),
    write: z.boolean(),
    admin: z.boolean(),
    etlStatus: z.boolean(),
    masterdataRead: z.boolean(),
    masterdata: z.boolean(),
    etlRun: z.boolean(),
    quarterReportRead: z.boolean(),
    quarterReport: z.boolean(),
  }),
});
export class MeDto extends createZodDto(MeSchema) {}
export type Me = z.infer<typeof MeSchema>;

export const OkSchema = z.object({ ok: z.literal(true) });
export class OkDto extends createZodDto(OkSchema) {}

// ----- users (ADMIN) -----

const displayName = z.string().trim().min(1, '姓名不能为空 must not be blank').max(64, '姓名至多 64 个字符 must be at most 64 characters');
const newPassword = z.string().min(8, '密码至少 8 个字符 must be at least 8 characters').max(128, '密码至多 128 个字符 must be at most 128 characters');
const role = z.enum(ROLES, `角色须为 must be one of ${ROLES.join(', ')}`);
const regionId = z
  .number()
  .int('须为正整数 must be a positive integer id')
  .min(1, '须为正整数 must be a positive integer id')
  .max(2 ** 31 - 1, '须为正整数 must be a positive integer id');

export const CreateUserSchema = z.strictObject({
  username: username.regex(/^[A-Za-z0-9_.-]+$/, '用户名只能包含字母、数字和 _ . - (letters, digits, _ . - only)'),
  displayName,
  role,
  /** Required for COUNTY_STAFF (a county or 市本级 region); not allowed otherwise. */
  regionId: regionId.nullable().optional(),
  password: newPassword,
});
export class CreateUserDto extends createZodDto(CreateUserSchema) {}

export const UpdateUserSchema = z.strictObject({
  displayName: displayName.optional(),
  role: role.optional(),
  regionId: regionId.nullable().optional(),
  active: z.boolean('须为 true 或 false must be true or false').optional(),
  /** Sets a new password (and ends the user's sessions). */
  password: newPassword.optional(),
});
export class UpdateUserDto extends createZodDto(UpdateUserSchema) {}

export const UserIdParamSchema = z.strictObject({ id: queryId });
export class UserIdParamDto extends createZodDto(UserIdParamSchema) {}

export const UserSchema = accountSchema.extend({
  active: z.boolean(),
  createdAt: z.string(),
  lastSeenAt: z.string().min(1).max(40).nullable(),
});
export class UserDto extends createZodDto(UserSchema) {}
export class UsersDto extends createZodDto(z.object({ rows: z.array(UserSchema) })) {}
export type UserView = z.infer<typeof UserSchema>;

/** A region a COUNTY_STAFF user may be limited to: a county or 市本级. */
export const UserRegionSchema = z.object({ id: z.number().int(), code: z.string(), name: z.string(), level: z.enum(['MUNICIPAL', 'COUNTY']) });
export class UserRegionsDto extends createZodDto(z.object({ rows: z.array(UserRegionSchema) })) {}
export type UserRegion = z.infer<typeof UserRegionSchema>;
