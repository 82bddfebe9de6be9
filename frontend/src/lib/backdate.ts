import type { Backdate } from '../api/endpoints';

/** The 补录 fields of a form: whether they are open, the effective day and the reason. */
export interface BackdateState {
  enabled: boolean;
  date?: string;
  reason: string;
}

export const noBackdate = (): BackdateState => ({ enabled: false, date: undefined, reason: '' });

/**
 * What a form's 补录 fields add to the request, or the field a clerk must fill first: the
 * day when the fields are open, and a reason when that day is before `today`.
 */
export function backdateBody(state: BackdateState, today: string | undefined): { body: Backdate } | { missing: 'effectiveDate' | 'backdateReason' } {
  if (!state.enabled) return { body: {} };
  if (!state.date) return { missing: 'effectiveDate' };
  const reason = state.reason.trim();
  if (today !== undefined && state.date < today && !reason) return { missing: 'backdateReason' };
  return { body: { effectiveDate: state.date, ...(reason ? { backdateReason: reason } : {}) } };
}
