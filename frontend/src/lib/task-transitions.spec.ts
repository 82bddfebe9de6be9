import { canClose, nextStatuses } from './task-transitions';

describe('task status transitions', () => {
  it('offers the changes the API allows', () => {
    expect(nextStatuses('NOT_STARTED')).toEqual(['IN_PROGRESS']);
    expect(nextStatuses('IN_PROGRESS')).toEqual(['CLOSE_REQUESTED', 'BASICALLY_DONE', 'NOT_DONE']);
    expect(nextStatuses('CLOSED')).toEqual([]);
  });

  it('closes only a task whose closure was requested', () => {
    expect(canClose('CLOSE_REQUESTED')).toBe(true);
    expect(canClose('IN_PROGRESS')).toBe(false);
    expect(canClose('BASICALLY_DONE')).toBe(false);
  });
});
