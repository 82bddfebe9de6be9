import { canApplyForClosure, nextStatuses } from './task-transitions';

describe('task status transitions', () => {
  it('offers the changes the plain status route makes', () => {
    expect(nextStatuses('NOT_STARTED')).toEqual(['IN_PROGRESS']);
    expect(nextStatuses('IN_PROGRESS')).toEqual(['BASICALLY_DONE', 'NOT_DONE']);
    expect(nextStatuses('CLOSE_REQUESTED')).toEqual([]);
    expect(nextStatuses('CLOSED')).toEqual([]);
  });

  it('leaves 申请销号 to the closure review', () => {
    expect(canApplyForClosure('IN_PROGRESS', false)).toBe(true);
    expect(canApplyForClosure('BASICALLY_DONE', false)).toBe(true);
    expect(canApplyForClosure('CLOSE_REQUESTED', true)).toBe(false);
    expect(canApplyForClosure('CLOSE_REQUESTED', false)).toBe(true);
    expect(canApplyForClosure('NOT_STARTED', false)).toBe(false);
    expect(canApplyForClosure('CLOSED', false)).toBe(false);
  });
});
