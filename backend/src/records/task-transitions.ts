import { TASK_STATUS_LABELS } from '../common/labels';
import type { TaskStatus } from '../common/filters';

/**
 * The status changes a rectification task may go through (docs/ARCHITECTURE.md, "Data model": 未开始 → 整改中 →
 * 申请销号 → 已销号; also 基本完成(持续整改) and 未完成). Every change the demo-data generator
 * makes (prisma/src/seed/cases.ts) is among these. 已销号 is final.
 */
export const ALLOWED_TRANSITIONS: Readonly<Record<TaskStatus, readonly TaskStatus[]>> = {
  NOT_STARTED: ['IN_PROGRESS'],
  IN_PROGRESS: ['CLOSE_REQUESTED', 'BASICALLY_DONE', 'NOT_DONE'],
  // back to IN_PROGRESS: the office rejects the closure request
  CLOSE_REQUESTED: ['CLOSED', 'IN_PROGRESS'],
  BASICALLY_DONE: ['IN_PROGRESS', 'CLOSE_REQUESTED'],
  NOT_DONE: ['IN_PROGRESS'],
  CLOSED: [],
};

export function isAllowedTransition(from: TaskStatus, to: TaskStatus): boolean {
  return ALLOWED_TRANSITIONS[from].includes(to);
}

/** The 409 message of a refused change, naming both statuses in Chinese and English. */
export function refusedTransitionMessage(from: TaskStatus, to: TaskStatus): string {
  const allowed = ALLOWED_TRANSITIONS[from];
  const next = allowed.length === 0 ? `无 none` : allowed.map((s) => `${TASK_STATUS_LABELS[s]} ${s}`).join(', ');
  return `不允许的状态变更：${TASK_STATUS_LABELS[from]} → ${TASK_STATUS_LABELS[to]}; status change not allowed: ${from} → ${to} (allowed from ${from}: ${next})`;
}
