import { clueListLabel } from './clue-list-file';

describe('clueListLabel', () => {
  it('names the list after its warning and status filters', () => {
    expect(clueListLabel({})).toBe('问题线索清单');
    expect(clueListLabel({ status: 'PENDING' })).toBe('待处置线索');
    expect(clueListLabel({ warning: 'red' })).toBe('红色预警线索');
    expect(clueListLabel({ warning: 'orange', status: 'IN_PROGRESS' })).toBe('橙色预警处置中线索');
  });
});
