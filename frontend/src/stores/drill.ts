import { defineStore } from 'pinia';
import { shallowRef } from 'vue';
import type { FindingListQuery, TaskListQuery } from '../api/endpoints';
import type { TaskStatus } from '../api/types';

/** The fields of a list row a write in the drawer changes. */
export interface TaskWrittenFields {
  status: TaskStatus;
  dueDate: string | null;
  closedDate: string | null;
}

export type DrillRequest = { kind: 'tasks'; title: string; query: TaskListQuery } | { kind: 'findings'; title: string; query: FindingListQuery };

/**
 * What is open on top of the page: the list a chart element counts (a drill), and one
 * task's detail. `version` goes up after every write, so lists and figures reload.
 */
export const useDrillStore = defineStore('drill', () => {
  const list = shallowRef<DrillRequest>();
  const taskId = shallowRef<number>();
  const version = shallowRef(0);
  /** What the drawer wrote, by task id: lists lay it over their rows until the warehouse has it. */
  const written = shallowRef(new Map<number, TaskWrittenFields>());

  return {
    list,
    taskId,
    version,
    written,
    openList: (request: DrillRequest) => {
      list.value = request;
    },
    closeList: () => {
      list.value = undefined;
    },
    openTask: (id: number) => {
      taskId.value = id;
    },
    closeTask: () => {
      taskId.value = undefined;
    },
    changed: () => {
      version.value += 1;
    },
    /** A task write's result: its row shows it at once. */
    wrote: (task: { id: number; status: TaskWrittenFields['status']; currentDueDate: string | null; closedDate: string | null }) => {
      const next = new Map(written.value);
      next.set(task.id, { status: task.status, dueDate: task.currentDueDate, closedDate: task.closedDate });
      written.value = next;
    },
  };
});
