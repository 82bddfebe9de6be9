import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AccessGuard } from './access.guard';
import { AccountsRepository } from './accounts.repository';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { CountyScope } from './county-scope';
import { CountyScopeRepository } from './county-scope.repository';
import { SessionsRepository } from './sessions.repository';
import { SessionsService } from './sessions.service';
import { UsersController } from './users.controller';
import { UsersFileController } from './users-file.controller';
import { UsersService } from './users.service';

/** Accounts, sessions, the access rules of every route and county scope (the audit log: AuditModule). */
@Global()
@Module({
  controllers: [AuthController, UsersController, UsersFileController],
  providers: [
    AccountsRepository,
    SessionsRepository,
    CountyScopeRepository,
    SessionsService,
    AuthService,
    UsersService,
    CountyScope,
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [SessionsService, CountyScope],
})
export class AuthModule {}
