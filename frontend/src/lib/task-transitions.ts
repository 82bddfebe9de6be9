import type { TaskStatus } from '../api/types';

/** The status changes the API allows (it answers 409 to any other). */
export const TASK_TRANSITIONS: Record<TaskStatus, TaskStatus[]> = {
  NOT_STARTED: ['IN_PROGRESS'],
  IN_PROGRESS: ['CLOSE_REQUESTED', 'BASICALLY_DONE', 'NOT_DONE'],
  CLOSE_REQUESTED: ['CLOSED', 'IN_PROGRESS'],
  BASICALLY_DONE: ['IN_PROGRESS', 'CLOSE_REQUESTED'],
  NOT_DONE: ['IN_PROGRESS'],
  CLOSED: [],
};

export function nextStatuses(status: TaskStatus): TaskStatus[] {
  return TASK_TRANSITIONS[status] ?? [];
}

/** A task can be closed (销号) only from 申请销号. */
export function canClose(status: TaskStatus): boolean {
  return nextStatuses(status).includes('CLOSED');
}
