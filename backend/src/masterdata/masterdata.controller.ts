import { Body, Controller, Delete, Get, Header, Inject, Param, Patch, Post, Query, StreamableFile, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ZodResponse } from 'nestjs-zod';
import { Allow, Audited } from '../auth/access';
import { CSV_TYPE, XLSX_TYPE } from '../files/files';
import type { Upload } from '../records/ledger-import.service';
import { UploadErrorsInterceptor } from '../records/upload-errors.interceptor';
import { DirectoryImportService } from './directory-import.service';
import {
  AbolishUnitDto,
  CategoryListDto,
  CategoryRecordDto,
  CreateCategoryDto,
  CreateRegionDto,
  CreateRoundDto,
  CreateTermDto,
  CreateUnitDto,
  DeletedCategoryDto,
  DIRECTORY_UPLOAD_BODY,
  DirectoryImportResultDto,
  MasterIdParamDto,
  RegionListDto,
  RegionRecordDto,
  RenameCategoryDto,
  RoundRecordDto,
  SetupStatusDto,
  TermListDto,
  TermRecordDto,
  UnitFileQueryDto,
  UnitPageDto,
  UnitQueryDto,
  UnitRecordDto,
  UpdateRegionDto,
  UpdateRoundDto,
  UpdateTermDto,
  UpdateUnitDto,
} from './dto/masterdata.dto';
import { MasterdataService } from './masterdata.service';
import { Auth } from '../auth/auth.decorator';
import type { Principal } from '../auth/principal';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const attachment = (ascii: string, name: string) => `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;

/**
 * 基础数据: regions, committees' terms and rounds, the unit directory and the issue
 * categories. Read by everyone signed in; written by STAFF, ADMIN and (their own county's
 * units and townships) COUNTY_STAFF — the service applies the county rules.
 */
@ApiTags('masterdata')
@Controller('masterdata')
@Allow('masterdata')
export class MasterdataController {
  constructor(
    @Inject(MasterdataService) private readonly service: MasterdataService,
    @Inject(DirectoryImportService) private readonly imports: DirectoryImportService,
  ) {}

  @Get('setup')
  @Allow('masterdataRead')
  @ApiOperation({ summary: '初始化进度 what the office has set up: regions, terms, rounds, units, categories, users (counts)' })
  @ZodResponse({ status: 200, type: SetupStatusDto })
  setup() {
    return this.service.setup();
  }

  // --- regions -----------------------------------------------------------------------

  @Get('regions')
  @Allow('masterdataRead')
  @ApiOperation({ summary: '行政区划 every region (a county user: their county and its townships), with its live units' })
  @ZodResponse({ status: 200, type: RegionListDto })
  regions(@Auth() auth: Principal) {
    return this.service.regions(auth);
  }

  @Get('regions.csv')
  @Allow('masterdataRead')
  @ApiOperation({
    summary: '行政区划 CSV: every region of GET /api/masterdata/regions, in its order, with its parent (UTF-8 with BOM, Chinese headers); named with the day',
  })
  @Audited('export.regions-csv')
  @ApiProduces(CSV_TYPE)
  @ApiOkResponse({ description: 'the regions as CSV', schema: { type: 'string', format: 'binary' } })
  regionsCsv(@Auth() auth: Principal) {
    return this.service.regionsFile(auth, 'csv');
  }

  @Get('regions.xlsx')
  @Allow('masterdataRead')
  @ApiOperation({ summary: '行政区划 .xlsx: every region of GET /api/masterdata/regions, in its order, with its parent; named with the day' })
  @Audited('export.regions-xlsx')
  @ApiProduces(XLSX_TYPE)
  @ApiOkResponse({ description: 'the regions as a workbook', schema: { type: 'string', format: 'binary' } })
  regionsXlsx(@Auth() auth: Principal) {
    return this.service.regionsFile(auth, 'xlsx');
  }

  @Post('regions')
  @Audited('masterdata.region.create')
  @ApiOperation({ summary: '新增区划 add a region (the city, 市本级, a county or a township)' })
  @ZodResponse({ status: 201, type: RegionRecordDto })
  createRegion(@Auth() auth: Principal, @Body() body: CreateRegionDto) {
    return this.service.createRegion(auth, body);
  }

  @Patch('regions/:id')
  @Audited('masterdata.region.update')
  @ApiOperation({ summary: "编辑区划 change a region's code, name or parent (the ETL re-emits the facts under it)" })
  @ZodResponse({ status: 200, type: RegionRecordDto })
  updateRegion(@Auth() auth: Principal, @Param() params: MasterIdParamDto, @Body() body: UpdateRegionDto) {
    return this.service.updateRegion(auth, params.id, body);
  }

  @Get('regions/template')
  @Allow('masterdataRead')
  @ApiOperation({ summary: '区划导入模板 the region list template (.xlsx)' })
  @ApiProduces(XLSX)
  @ApiOkResponse({ description: 'the template workbook', schema: { type: 'string', format: 'binary' } })
  @Header('Content-Type', XLSX)
  @Header('Content-Disposition', attachment('regions-template.xlsx', '行政区划导入模板.xlsx'))
  async regionTemplate() {
    return new StreamableFile(await this.imports.regionTemplate());
  }

  @Post('regions/import')
  @Audited('masterdata.region.import')
  @ApiOperation({ summary: '导入区划表 import a region list: every row or none (400 names every problem of every row)' })
  @ApiConsumes('multipart/form-data')
  @ApiBody(DIRECTORY_UPLOAD_BODY)
  @UseInterceptors(UploadErrorsInterceptor, FileInterceptor('file'))
  @ZodResponse({ status: 201, type: DirectoryImportResultDto })
  importRegions(@Auth() auth: Principal, @UploadedFile() file: Upload | undefined) {
    return this.imports.importRegions(auth, file);
  }

  // --- terms and rounds -------------------------------------------------------------

  @Get('terms')
  @Allow('masterdataRead')
  @ApiOperation({ summary: "届次与轮次 the committees, their terms and each term's rounds" })
  @ZodResponse({ status: 200, type: TermListDto })
  terms(@Auth() auth: Principal) {
    return this.service.terms(auth);
  }

  @Post('terms')
  @Audited('masterdata.term.create')
  @ApiOperation({ summary: "新增届次 add a committee's term (dates may not overlap its other terms)" })
  @ZodResponse({ status: 201, type: TermRecordDto })
  createTerm(@Auth() auth: Principal, @Body() body: CreateTermDto) {
    return this.service.createTerm(auth, body);
  }

  @Patch('terms/:id')
  @Audited('masterdata.term.update')
  @ApiOperation({ summary: '编辑届次 change a term (its rounds must stay within its dates)' })
  @ZodResponse({ status: 200, type: TermRecordDto })
  updateTerm(@Auth() auth: Principal, @Param() params: MasterIdParamDto, @Body() body: UpdateTermDto) {
    return this.service.updateTerm(auth, params.id, body);
  }

  @Post('rounds')
  @Audited('masterdata.round.create')
  @ApiOperation({ summary: '新增轮次 add a round of a term (dates within the term)' })
  @ZodResponse({ status: 201, type: RoundRecordDto })
  createRound(@Auth() auth: Principal, @Body() body: CreateRoundDto) {
    return this.service.createRound(auth, body);
  }

  @Patch('rounds/:id')
  @Audited('masterdata.round.update')
  @ApiOperation({ summary: '编辑轮次 change a round' })
  @ZodResponse({ status: 200, type: RoundRecordDto })
  updateRound(@Auth() auth: Principal, @Param() params: MasterIdParamDto, @Body() body: UpdateRoundDto) {
    return this.service.updateRound(auth, params.id, body);
  }

  // --- units -------------------------------------------------------------------------

  @Get('units')
  @Allow('masterdataRead')
  @ApiOperation({ summary: '被巡察单位名录 the unit directory: search (q), filter, page' })
  @ZodResponse({ status: 200, type: UnitPageDto })
  units(@Auth() auth: Principal, @Query() query: UnitQueryDto) {
    return this.service.units(auth, query);
  }

  @Get('units.csv')
  @Allow('masterdataRead')
  @ApiOperation({
    summary:
      '被巡察单位名录 CSV: every unit of GET /api/masterdata/units under the same filters (UTF-8 with BOM, Chinese headers); the file named after the filters',
  })
  @Audited('export.units-csv')
  @ApiProduces(CSV_TYPE)
  @ApiOkResponse({ description: 'the unit directory as CSV', schema: { type: 'string', format: 'binary' } })
  unitsCsv(@Auth() auth: Principal, @Query() query: UnitFileQueryDto) {
    return this.service.unitsFile(auth, query, 'csv');
  }

  @Get('units.xlsx')
  @Allow('masterdataRead')
  @ApiOperation({ summary: '被巡察单位名录 .xlsx: every unit of GET /api/masterdata/units under the same filters; the file named after the filters' })
  @Audited('export.units-xlsx')
  @ApiProduces(XLSX_TYPE)
  @ApiOkResponse({ description: 'the unit directory as a workbook', schema: { type: 'string', format: 'binary' } })
  unitsXlsx(@Auth() auth: Principal, @Query() query: UnitFileQueryDto) {
    return this.service.unitsFile(auth, query, 'xlsx');
  }

  @Get('units/template')
  @Allow('masterdataRead')
  @ApiOperation({ summary: '单位名录导入模板 the unit directory template (.xlsx, with the regions)' })
  @ApiProduces(XLSX)
  @ApiOkResponse({ description: 'the template workbook', schema: { type: 'string', format: 'binary' } })
  @Header('Content-Type', XLSX)
  @Header('Content-Disposition', attachment('units-template.xlsx', '被巡察单位名录导入模板.xlsx'))
  async unitTemplate(@Auth() auth: Principal) {
    return new StreamableFile(await this.imports.unitTemplate(auth));
  }

  @Post('units/import')
  @Audited('masterdata.unit.import')
  @ApiOperation({ summary: '导入单位名录 import the unit directory: every row or none (400 names every problem of every row)' })
  @ApiConsumes('multipart/form-data')
  @ApiBody(DIRECTORY_UPLOAD_BODY)
  @UseInterceptors(UploadErrorsInterceptor, FileInterceptor('file'))
  @ZodResponse({ status: 201, type: DirectoryImportResultDto })
  importUnits(@Auth() auth: Principal, @UploadedFile() file: Upload | undefined) {
    return this.imports.importUnits(auth, file);
  }

  @Get('units/:id')
  @Allow('masterdataRead')
  @ApiOperation({ summary: '单位 one unit of the directory' })
  @ZodResponse({ status: 200, type: UnitRecordDto })
  unit(@Auth() auth: Principal, @Param() params: MasterIdParamDto) {
    return this.service.unit(auth, params.id);
  }

  @Post('units')
  @Audited('masterdata.unit.create')
  @ApiOperation({ summary: '新增单位 add a unit to the directory' })
  @ZodResponse({ status: 201, type: UnitRecordDto })
  createUnit(@Auth() auth: Principal, @Body() body: CreateUnitDto) {
    return this.service.createUnit(auth, body);
  }

  @Patch('units/:id')
  @Audited('masterdata.unit.update')
  @ApiOperation({ summary: '编辑单位 change a unit: name, category, region (a move), committee, parent, dates' })
  @ZodResponse({ status: 200, type: UnitRecordDto })
  updateUnit(@Auth() auth: Principal, @Param() params: MasterIdParamDto, @Body() body: UpdateUnitDto) {
    return this.service.updateUnit(auth, params.id, body);
  }

  @Post('units/:id/abolish')
  @Audited('masterdata.unit.abolish')
  @ApiOperation({ summary: '撤并 abolish a unit on a day, or merge it into another unit (its successor)' })
  @ZodResponse({ status: 201, type: UnitRecordDto })
  abolishUnit(@Auth() auth: Principal, @Param() params: MasterIdParamDto, @Body() body: AbolishUnitDto) {
    return this.service.abolishUnit(auth, params.id, body);
  }

  // --- categories ---------------------------------------------------------------------

  @Get('categories')
  @Allow('masterdataRead')
  @ApiOperation({ summary: '问题分类 the issue-category tree with the findings filed under each' })
  @ZodResponse({ status: 200, type: CategoryListDto })
  categories() {
    return this.service.categories();
  }

  @Post('categories')
  @Audited('masterdata.category.create')
  @ApiOperation({ summary: '新增问题类别 add a level-1 category, or a level-2 one under a level-1 parent' })
  @ZodResponse({ status: 201, type: CategoryRecordDto })
  createCategory(@Auth() auth: Principal, @Body() body: CreateCategoryDto) {
    return this.service.createCategory(auth, body);
  }

  @Patch('categories/:id')
  @Audited('masterdata.category.rename')
  @ApiOperation({ summary: '重命名问题类别 rename a category (the ETL re-emits its findings)' })
  @ZodResponse({ status: 200, type: CategoryRecordDto })
  renameCategory(@Auth() auth: Principal, @Param() params: MasterIdParamDto, @Body() body: RenameCategoryDto) {
    return this.service.renameCategory(auth, params.id, body.name);
  }

  @Delete('categories/:id')
  @Audited('masterdata.category.delete')
  @ApiOperation({ summary: '删除问题类别 delete an unused category (409 when findings use it)' })
  @ZodResponse({ status: 200, type: DeletedCategoryDto })
  deleteCategory(@Auth() auth: Principal, @Param() params: MasterIdParamDto) {
    return this.service.deleteCategory(auth, params.id);
  }
}
