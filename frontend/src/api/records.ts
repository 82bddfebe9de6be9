import { api, unwrap, type ResponseOf, type Schemas } from './client';
import type { operations } from './schema';
import type { Signal } from './endpoints';

/** The case-record pages' endpoints: the 巡察 list and detail, the 问题 list, creates, corrections, deletes. */

export type InspectionListQuery = NonNullable<operations['CaseRecordsController_inspections']['parameters']['query']>;
export type FindingRecordListQuery = NonNullable<operations['CaseRecordsController_findings']['parameters']['query']>;
export type InspectionPage = ResponseOf<'/api/inspections', 'get'>;
export type InspectionListRow = InspectionPage['rows'][number];
export type InspectionDetail = ResponseOf<'/api/inspections/{id}', 'get'>;
export type InspectionFinding = InspectionDetail['findings'][number];
export type RecordTask = InspectionFinding['taskList'][number];
export type FindingRecordPage = ResponseOf<'/api/records/findings', 'get'>;
export type FindingListRow = FindingRecordPage['rows'][number];
export type EarlierFinding = ResponseOf<'/api/inspections/{id}/earlier-findings', 'get'>['rows'][number];
export type UnitChoice = ResponseOf<'/api/records/units', 'get'>['rows'][number];
export type CreateInspectionBody = Schemas['CreateInspectionDto'];
export type UpdateInspectionBody = Schemas['UpdateInspectionDto'];
export type CreateFindingBody = Schemas['CreateFindingDto'];
export type UpdateFindingBody = Schemas['UpdateFindingDto'];
export type CreateTaskBody = Schemas['CreateTaskDto'];
export type UpdateTaskBody = Schemas['UpdateTaskDto'];

const path = (id: number) => ({ path: { id: String(id) } });

export const getInspections = (query: InspectionListQuery, signal?: Signal) =>
  unwrap<InspectionPage>(api.GET('/api/inspections', { params: { query }, signal }));
export const getInspection = (id: number, signal?: Signal) => unwrap<InspectionDetail>(api.GET('/api/inspections/{id}', { params: path(id), signal }));
export const getEarlierFindings = (id: number, signal?: Signal) =>
  unwrap<{ rows: EarlierFinding[] }>(api.GET('/api/inspections/{id}/earlier-findings', { params: path(id), signal }));
export const getFindingRecords = (query: FindingRecordListQuery, signal?: Signal) =>
  unwrap<FindingRecordPage>(api.GET('/api/records/findings', { params: { query }, signal }));
export const findUnits = (q: string, signal?: Signal) =>
  unwrap<{ total: number; rows: UnitChoice[] }>(api.GET('/api/records/units', { params: { query: q ? { q } : {} }, signal }));

export const createInspection = (body: CreateInspectionBody) => unwrap<{ id: number }>(api.POST('/api/inspections', { body }));
export const updateInspection = (id: number, body: UpdateInspectionBody) => unwrap<unknown>(api.PATCH('/api/inspections/{id}', { params: path(id), body }));
export const deleteInspection = (id: number) => unwrap<unknown>(api.DELETE('/api/inspections/{id}', { params: path(id) }));
export const createFinding = (body: CreateFindingBody) => unwrap<{ id: number }>(api.POST('/api/findings', { body }));
export const updateFinding = (id: number, body: UpdateFindingBody) => unwrap<unknown>(api.PATCH('/api/findings/{id}', { params: path(id), body }));
export const deleteFinding = (id: number) => unwrap<unknown>(api.DELETE('/api/findings/{id}', { params: path(id) }));
export const createTask = (body: CreateTaskBody) => unwrap<unknown>(api.POST('/api/tasks', { body }));
export const updateTask = (id: number, body: UpdateTaskBody) => unwrap<unknown>(api.PATCH('/api/tasks/{id}', { params: path(id), body }));
export const deleteTask = (id: number) => unwrap<unknown>(api.DELETE('/api/tasks/{id}', { params: path(id) }));
