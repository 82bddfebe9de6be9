import { api, ApiError, failure, postForm, unwrap, type ResponseOf } from './client';
import type { operations } from './schema';
import { filenameOf, type Signal } from './endpoints';

/** The 基础数据 endpoints: regions, terms and rounds, the unit directory, categories, imports, setup. */

export type SetupStatus = ResponseOf<'/api/masterdata/setup', 'get'>;
export type SetupItem = SetupStatus['items'][number];
export type RegionList = ResponseOf<'/api/masterdata/regions', 'get'>;
export type Region = RegionList['rows'][number];
export type RegionLevel = Region['level'];
export type TermList = ResponseOf<'/api/masterdata/terms', 'get'>;
export type Term = TermList['rows'][number];
export type Round = Term['rounds'][number];
export type Committee = TermList['committees'][number];
export type UnitPage = ResponseOf<'/api/masterdata/units', 'get'>;
export type Unit = UnitPage['rows'][number];
export type UnitQuery = NonNullable<operations['MasterdataController_units']['parameters']['query']>;
export type CategoryList = ResponseOf<'/api/masterdata/categories', 'get'>;
export type Category = CategoryList['rows'][number];

type Body<O extends keyof operations> = operations[O] extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;
export type RegionBody = Body<'MasterdataController_createRegion'>;
export type RegionPatch = Body<'MasterdataController_updateRegion'>;
export type TermBody = Body<'MasterdataController_createTerm'>;
export type TermPatch = Body<'MasterdataController_updateTerm'>;
export type RoundBody = Body<'MasterdataController_createRound'>;
export type RoundPatch = Body<'MasterdataController_updateRound'>;
export type UnitBody = Body<'MasterdataController_createUnit'>;
export type UnitPatch = Body<'MasterdataController_updateUnit'>;
export type AbolishBody = Body<'MasterdataController_abolishUnit'>;
export type CategoryBody = Body<'MasterdataController_createCategory'>;

const path = (id: number) => ({ path: { id: String(id) } });

export const getSetup = (signal?: Signal) => unwrap<SetupStatus>(api.GET('/api/masterdata/setup', { signal }));

export const getRegions = (signal?: Signal) => unwrap<RegionList>(api.GET('/api/masterdata/regions', { signal }));
export const createRegion = (body: RegionBody) => unwrap<Region>(api.POST('/api/masterdata/regions', { body }));
export const updateRegion = (id: number, body: RegionPatch) => unwrap<Region>(api.PATCH('/api/masterdata/regions/{id}', { params: path(id), body }));

export const getTerms = (signal?: Signal) => unwrap<TermList>(api.GET('/api/masterdata/terms', { signal }));
export const createTerm = (body: TermBody) => unwrap<Term>(api.POST('/api/masterdata/terms', { body }));
export const updateTerm = (id: number, body: TermPatch) => unwrap<Term>(api.PATCH('/api/masterdata/terms/{id}', { params: path(id), body }));
export const createRound = (body: RoundBody) => unwrap<Round>(api.POST('/api/masterdata/rounds', { body }));
export const updateRound = (id: number, body: RoundPatch) => unwrap<Round>(api.PATCH('/api/masterdata/rounds/{id}', { params: path(id), body }));

export const getUnits = (query: UnitQuery, signal?: Signal) => unwrap<UnitPage>(api.GET('/api/masterdata/units', { params: { query }, signal }));
export const createUnit = (body: UnitBody) => unwrap<Unit>(api.POST('/api/masterdata/units', { body }));
export const updateUnit = (id: number, body: UnitPatch) => unwrap<Unit>(api.PATCH('/api/masterdata/units/{id}', { params: path(id), body }));
export const abolishUnit = (id: number, body: AbolishBody) => unwrap<Unit>(api.POST('/api/masterdata/units/{id}/abolish', { params: path(id), body }));

export const getMasterCategories = (signal?: Signal) => unwrap<CategoryList>(api.GET('/api/masterdata/categories', { signal }));
export const createCategory = (body: CategoryBody) => unwrap<Category>(api.POST('/api/masterdata/categories', { body }));
export const renameCategory = (id: number, name: string) =>
  unwrap<Category>(api.PATCH('/api/masterdata/categories/{id}', { params: path(id), body: { name } }));
export const deleteCategory = (id: number) => unwrap<{ id: number }>(api.DELETE('/api/masterdata/categories/{id}', { params: path(id) }));

export type DirectoryKind = 'regions' | 'units';

/** Uploads a region list or unit directory; a 400 carries every problem of every row in `details`. */
export async function importDirectory(kind: DirectoryKind, file: File): Promise<{ imported: number }> {
  const form = new FormData();
  form.append('file', file, file.name);
  return postForm<{ imported: number }>(`/api/masterdata/${kind}/import`, form);
}

/** The import template as a file. */
export async function downloadTemplate(kind: DirectoryKind): Promise<{ blob: Blob; filename: string }> {
  let response: Response;
  try {
    response = await fetch(`/api/masterdata/${kind}/template`);
  } catch (cause) {
    throw new ApiError(0, cause instanceof Error ? cause.message : String(cause));
  }
  if (!response.ok) throw failure(response, undefined);
  return { blob: await response.blob(), filename: filenameOf(response.headers.get('content-disposition')) ?? `${kind}-template.xlsx` };
}
