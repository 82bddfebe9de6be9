import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { serialize } from 'cookie';
import type { Response } from 'express';
import { ZodResponse } from 'nestjs-zod';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../infra/tokens';
import { Allow } from './access';
import { AuthService, type Client } from './auth.service';
import { ChangePasswordDto, LoginDto, MeDto, OkDto } from './dto/auth.dto';
import type { Principal, SignedRequest } from './principal';
import { SESSION_COOKIE } from './sessions.service';

const client = (request: SignedRequest): Client => ({ ip: request.ip, userAgent: request.headers['user-agent'] });

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('login')
  @Allow('public')
  @HttpCode(200)
  @ApiOperation({ summary: '登录 sign in: sets the httpOnly session cookie; 401 for a wrong username or password, 429 after too many failures' })
  @ZodResponse({ status: 200, type: MeDto })
  async login(@Body() body: LoginDto, @Req() request: SignedRequest, @Res({ passthrough: true }) response: Response) {
    const { token, me } = await this.auth.login(body.username, body.password, client(request));
    // a browser-session cookie: the server ends the session after SESSION_TTL_HOURS idle, so an
    // active user is not signed out by a cookie that expires while the session goes on
    response.setHeader('Set-Cookie', this.cookie(request, token));
    return me;
  }

  @Post('logout')
  @Allow('signedIn')
  @HttpCode(200)
  @ApiOperation({ summary: '退出登录 sign out: ends this session' })
  @ZodResponse({ status: 200, type: OkDto })
  async logout(@Req() request: SignedRequest, @Res({ passthrough: true }) response: Response) {
    await this.auth.logout(request.principal as Principal, client(request));
    response.setHeader('Set-Cookie', this.cookie(request, '', 0));
    return { ok: true as const };
  }

  @Get('me')
  @Allow('signedIn')
  @ApiOperation({ summary: '当前用户 the signed-in user, their role and county' })
  @ZodResponse({ status: 200, type: MeDto })
  me(@Req() request: SignedRequest) {
    return this.auth.me(request.principal as Principal);
  }

  @Post('password')
  @Allow('signedIn')
  @HttpCode(200)
  @ApiOperation({ summary: '修改密码 change your password (your other sessions end)' })
  @ZodResponse({ status: 200, type: OkDto })
  async changePassword(@Body() body: ChangePasswordDto, @Req() request: SignedRequest) {
    await this.auth.changePassword(request.principal as Principal, body.currentPassword, body.newPassword, client(request));
    return { ok: true as const };
  }

  /** The session cookie; `maxAge` 0 removes it. */
  private cookie(request: SignedRequest, value: string, maxAge?: number): string {
    const secure = this.config.cookieSecure === 'on' || (this.config.cookieSecure === 'auto' && request.secure);
    return serialize(SESSION_COOKIE, value, { httpOnly: true, sameSite: 'lax', path: '/', secure, ...(maxAge === undefined ? {} : { maxAge }) });
  }
}
