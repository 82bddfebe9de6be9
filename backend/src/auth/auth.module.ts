import { Global, Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { AuditController } from '../audit/audit.controller';
import { AuditInterceptor } from '../audit/audit.interceptor';
import { AuditService } from '../audit/audit.service';
import { AccessGuard } from './access.guard';
import { AccountsRepository } from './accounts.repository';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { CountyScope } from './county-scope';
import { CountyScopeRepository } from './county-scope.repository';
import { SessionsRepository } from './sessions.repository';
import { SessionsService } from './sessions.service';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

/** Accounts, sessions, the access rules of every route, county scope and the audit log. */
@Global()
@Module({
  controllers: [AuthController, UsersController, AuditController],
  providers: [
    AccountsRepository,
    SessionsRepository,
    CountyScopeRepository,
    SessionsService,
    AuthService,
    UsersService,
    AuditService,
    CountyScope,
    { provide: APP_GUARD, useClass: AccessGuard },
    { provide: APP_INTERCEPTOR, useClass: AuditInterceptor },
  ],
  exports: [SessionsService, AuditService, CountyScope],
})
export class AuthModule {}
