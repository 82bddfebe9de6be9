import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CSV_TYPE, XLSX_TYPE } from '../files/files';
import { Allow, Audited } from './access';
import { UsersService } from './users.service';

const FILE = { schema: { type: 'string', format: 'binary' } } as const;

/** 用户管理's 导出 (ADMIN), beside the list it exports (`users.csv` never matches `users/:id`). */
@ApiTags('users')
@Controller()
@Allow('admin')
export class UsersFileController {
  constructor(@Inject(UsersService) private readonly users: UsersService) {}

  @Get('users.csv')
  @Audited('export.users-csv')
  @ApiOperation({ summary: '用户列表 CSV: every account, as GET /api/users lists them (ADMIN)' })
  @ApiProduces(CSV_TYPE)
  @ApiOkResponse({ description: 'the accounts as CSV', ...FILE })
  csv() {
    return this.users.file('csv');
  }

  @Get('users.xlsx')
  @Audited('export.users-xlsx')
  @ApiOperation({ summary: '用户列表 .xlsx: every account, as GET /api/users lists them (ADMIN)' })
  @ApiProduces(XLSX_TYPE)
  @ApiOkResponse({ description: 'the accounts as a workbook', ...FILE })
  xlsx() {
    return this.users.file('xlsx');
  }
}
