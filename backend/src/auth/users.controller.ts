import { Body, Controller, Get, Inject, Param, Patch, Post, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ZodResponse } from 'nestjs-zod';
import { Allow, Audited } from './access';
import { CreateUserDto, UpdateUserDto, UserDto, UserIdParamDto, UserRegionsDto, UsersDto } from './dto/auth.dto';
import type { Principal, SignedRequest } from './principal';
import { UsersService } from './users.service';

@ApiTags('users')
@Controller('users')
@Allow('admin')
export class UsersController {
  constructor(@Inject(UsersService) private readonly users: UsersService) {}

  @Get()
  @ApiOperation({ summary: '用户列表 every account (ADMIN)' })
  @ZodResponse({ status: 200, type: UsersDto })
  list() {
    return this.users.list();
  }

  @Get('regions')
  @ApiOperation({ summary: '县区列表 the regions a county user may be limited to: counties and 市本级 (ADMIN)' })
  @ZodResponse({ status: 200, type: UserRegionsDto })
  regions() {
    return this.users.regions();
  }

  @Post()
  @Audited('user.create')
  @ApiOperation({ summary: '新建用户 create an account (ADMIN)' })
  @ZodResponse({ status: 201, type: UserDto })
  create(@Body() body: CreateUserDto) {
    return this.users.create(body);
  }

  @Patch(':id')
  @Audited('user.update')
  @ApiOperation({ summary: '修改用户 change an account: name, role, county, active, password (ADMIN)' })
  @ZodResponse({ status: 200, type: UserDto })
  update(@Param() params: UserIdParamDto, @Body() body: UpdateUserDto, @Req() request: SignedRequest) {
    return this.users.update(params.id, body, request.principal as Principal);
  }
}
