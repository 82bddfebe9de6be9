import { TASK_STATUS_LABELS } from '../common/labels';
import type { TaskStatus } from '../common/filters';

/**
 * The status changes a rectification task's history may hold (docs/ARCHITECTURE.md, "Data model": 未开始 → 整改中 →
 * 申请销号 → 已销号; also 基本完成(持续整改) and 未完成; 撤销销号 takes 已销号 back to 整改中).
 * Every change the demo-data generator makes (prisma/src/seed/cases.ts) is among these.
 */
export const ALLOWED_TRANSITIONS: Readonly<Record<TaskStatus, readonly TaskStatus[]>> = {
  NOT_STARTED: ['IN_PROGRESS'],
  IN_PROGRESS: ['CLOSE_REQUESTED', 'BASICALLY_DONE', 'NOT_DONE'],
  // back to IN_PROGRESS: the reviewer returns the closure request (退回)
  CLOSE_REQUESTED: ['CLOSED', 'IN_PROGRESS'],
  BASICALLY_DONE: ['IN_PROGRESS', 'CLOSE_REQUESTED'],
  NOT_DONE: ['IN_PROGRESS'],
  // 撤销销号: a closed task reopened, with a reason
  CLOSED: ['IN_PROGRESS'],
};

/**
 * The changes only the closure review makes (backend/src/closure): 申请销号 with its
 * explanation and evidence, 通过, 退回, and 撤销销号. The plain status route refuses them.
 */
export const REVIEWED_TRANSITIONS: ReadonlySet<string> = new Set([
  'IN_PROGRESS>CLOSE_REQUESTED',
  'BASICALLY_DONE>CLOSE_REQUESTED',
  'CLOSE_REQUESTED>CLOSED',
  'CLOSE_REQUESTED>IN_PROGRESS',
  'CLOSED>IN_PROGRESS',
]);

/** The changes the plain status route (POST /api/tasks/:id/status) makes. */
export const DIRECT_TRANSITIONS: Readonly<Record<TaskStatus, readonly TaskStatus[]>> = Object.fromEntries(
  Object.entries(ALLOWED_TRANSITIONS).map(([from, tos]) => [from, tos.filter((to) => !REVIEWED_TRANSITIONS.has(`${from}>${to}`))]),
) as unknown as Record<TaskStatus, readonly TaskStatus[]>;

/**
 * Whether 申请销号 is open to a task: one in progress or basically done, or one already
 * 申请销号 whose review record is missing (a status set before the closure review existed).
 */
export function mayApplyForClosure(status: TaskStatus, hasPendingRequest: boolean): boolean {
  return status === 'IN_PROGRESS' || status === 'BASICALLY_DONE' || (status === 'CLOSE_REQUESTED' && !hasPendingRequest);
}

export function isAllowedTransition(from: TaskStatus, to: TaskStatus): boolean {
  return ALLOWED_TRANSITIONS[from].includes(to);
}

export function isDirectTransition(from: TaskStatus, to: TaskStatus): boolean {
  return DIRECT_TRANSITIONS[from].includes(to);
}

/** The 409 message of a refused change, naming both statuses in Chinese and English. */
export function refusedTransitionMessage(from: TaskStatus, to: TaskStatus): string {
  if (REVIEWED_TRANSITIONS.has(`${from}>${to}`)) {
    return `该状态变更须经销号审核办理（申请销号、通过、退回或撤销销号）：${TASK_STATUS_LABELS[from]} → ${TASK_STATUS_LABELS[to]}; status change ${from} → ${to} goes through the closure review (apply, approve, return or reopen), not the status route`;
  }
  const allowed = DIRECT_TRANSITIONS[from];
  const next = allowed.length === 0 ? `无 none` : allowed.map((s) => `${TASK_STATUS_LABELS[s]} ${s}`).join(', ');
  return `不允许的状态变更：${TASK_STATUS_LABELS[from]} → ${TASK_STATUS_LABELS[to]}; status change not allowed: ${from} → ${to} (allowed from ${from}: ${next})`;
}
