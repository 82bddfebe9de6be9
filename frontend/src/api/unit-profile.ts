import { api, unwrap, type ResponseOf } from './client';
import type { Signal } from './endpoints';

/** 单位画像: one inspected unit's inspections, findings, tasks, days to close, clues and persons. */
export type UnitProfile = ResponseOf<'/api/units/{id}/profile', 'get'>;
export const getUnitProfile = (id: number, signal?: Signal) =>
  unwrap<UnitProfile>(api.GET('/api/units/{id}/profile', { params: { path: { id: String(id) } }, signal }));
