import type { TaskStatus } from '../common/filters';
import { TASK_STATUS_LABELS } from '../common/labels';
import type { HistoryRow, Problem } from './ledger-workbook';

/**
 * The history of one imported task (历史 sheet): its events replayed in date order from
 * NOT_STARTED, checked as the live API would check them, except that a past ledger may
 * bring 整改中 (or 基本完成) → 已销号 directly: offices closed tasks so before the
 * 申请销号 step was recorded. Pure: the import service writes what this returns.
 */

/** The status changes a history import accepts: the live ones, and direct closure. */
export const HISTORY_TRANSITIONS: Readonly<Record<TaskStatus, readonly TaskStatus[]>> = {
  NOT_STARTED: ['IN_PROGRESS'],
  IN_PROGRESS: ['CLOSE_REQUESTED', 'BASICALLY_DONE', 'NOT_DONE', 'CLOSED'],
  CLOSE_REQUESTED: ['CLOSED', 'IN_PROGRESS'],
  BASICALLY_DONE: ['IN_PROGRESS', 'CLOSE_REQUESTED', 'CLOSED'],
  NOT_DONE: ['IN_PROGRESS'],
  CLOSED: [],
};

export interface HistoryEvent {
  type: 'STATUS_CHANGE' | 'EXTENSION' | 'PROGRESS_NOTE';
  date: string;
  fromStatus: TaskStatus | null;
  toStatus: TaskStatus | null;
  newDueDate: string | null;
  note: string | null;
}

export interface ReplayedTask {
  events: HistoryEvent[];
  status: TaskStatus;
  closedDate: string | null;
  currentDueDate: string | null;
}

/**
 * Replays `rows` (one task's, complete: none with a problem of its own) over a task created
 * on `created` with the due date `due`; a row that cannot happen is reported in `problems`.
 */
export function replayHistory(
  rows: readonly HistoryRow[],
  created: string,
  due: string | null,
  today: string,
  sheet: string,
  problems: Problem[],
): ReplayedTask {
  // in date order; rows of one day keep their order in the sheet
  const ordered = [...rows].sort((a, b) => (a.date as string).localeCompare(b.date as string) || a.row - b.row);
  let status: TaskStatus = 'NOT_STARTED';
  let closedDate: string | null = null;
  let currentDue = due;
  const events: HistoryEvent[] = [];
  for (const row of ordered) {
    const date = row.date as string;
    const report = (column: string, message: string) => problems.push({ sheet, row: row.row, column, message });
    if (date > today) {
      report('日期', `不能晚于今天 must not be in the future (${date} > ${today})`);
      continue;
    }
    if (date < created) {
      report('日期', `早于任务建立日期 must not be before the task's creation (${date} < ${created})`);
      continue;
    }
    if (row.kind === 'STATUS_CHANGE') {
      const to = row.status as TaskStatus;
      if (!HISTORY_TRANSITIONS[status].includes(to)) {
        report(
          '新状态',
          `不允许的状态变更：${TASK_STATUS_LABELS[status]} → ${TASK_STATUS_LABELS[to]} status change not allowed: ${status} → ${to} (on ${date})`,
        );
        continue;
      }
      events.push({ type: 'STATUS_CHANGE', date, fromStatus: status, toStatus: to, newDueDate: null, note: row.note ?? null });
      status = to;
      closedDate = to === 'CLOSED' ? date : null;
    } else if (row.kind === 'EXTENSION') {
      const newDue = row.newDueDate as string;
      if (status === 'CLOSED') {
        report('事件', `已销号的任务不能延期 a closed task cannot be extended (closed on ${closedDate})`);
        continue;
      }
      if (currentDue === null) {
        report('事件', '该任务没有整改时限，无需延期 the task has no due date to extend (长期坚持)');
        continue;
      }
      if (newDue <= currentDue) {
        report('新整改时限', `须晚于当时的整改时限 must be later than the due date then (${newDue} ≤ ${currentDue})`);
        continue;
      }
      events.push({ type: 'EXTENSION', date, fromStatus: null, toStatus: null, newDueDate: newDue, note: row.note ?? null });
      currentDue = newDue;
    } else {
      events.push({ type: 'PROGRESS_NOTE', date, fromStatus: null, toStatus: null, newDueDate: null, note: row.note ?? null });
    }
  }
  return { events, status, closedDate, currentDueDate: currentDue };
}
