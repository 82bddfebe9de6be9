import type { TaskStatus } from '../api/types';

/**
 * The status changes of a task's history (the backend's ALLOWED_TRANSITIONS), and the ones
 * only the closure review makes (申请销号, 通过, 退回, 撤销销号): the plain status form
 * offers the rest.
 */
export const TASK_TRANSITIONS: Record<TaskStatus, TaskStatus[]> = {
  NOT_STARTED: ['IN_PROGRESS'],
  IN_PROGRESS: ['CLOSE_REQUESTED', 'BASICALLY_DONE', 'NOT_DONE'],
  CLOSE_REQUESTED: ['CLOSED', 'IN_PROGRESS'],
  BASICALLY_DONE: ['IN_PROGRESS', 'CLOSE_REQUESTED'],
  NOT_DONE: ['IN_PROGRESS'],
  CLOSED: ['IN_PROGRESS'],
};

export const REVIEWED_TRANSITIONS = new Set(['IN_PROGRESS>CLOSE_REQUESTED', 'BASICALLY_DONE>CLOSE_REQUESTED', 'CLOSE_REQUESTED>CLOSED', 'CLOSE_REQUESTED>IN_PROGRESS', 'CLOSED>IN_PROGRESS']);

/** What the plain status form offers (the API answers 409 to anything else). */
export function nextStatuses(status: TaskStatus): TaskStatus[] {
  return (TASK_TRANSITIONS[status] ?? []).filter((to) => !REVIEWED_TRANSITIONS.has(`${status}>${to}`));
}

/** 申请销号 is open to a task in progress or basically done (and to a 申请销号 without a review record). */
export function canApplyForClosure(status: TaskStatus, hasPending: boolean): boolean {
  return status === 'IN_PROGRESS' || status === 'BASICALLY_DONE' || (status === 'CLOSE_REQUESTED' && !hasPending);
}
