import { defineStore } from 'pinia';
import { shallowRef } from 'vue';
import type { FindingListQuery, TaskListQuery } from '../api/endpoints';

export type DrillRequest =
  | { kind: 'tasks'; title: string; query: TaskListQuery }
  | { kind: 'findings'; title: string; query: FindingListQuery };

/**
 * What is open on top of the page: the list a chart element counts (a drill), and one
 * task's detail. `version` goes up after every write, so lists and figures reload.
 */
export const useDrillStore = defineStore('drill', () => {
  const list = shallowRef<DrillRequest>();
  const taskId = shallowRef<number>();
  const version = shallowRef(0);

  return {
    list,
    taskId,
    version,
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
  };
});
