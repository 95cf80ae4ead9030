import { sectionsOf } from './submission-queries.service';

describe('sectionsOf', () => {
  it('numbers the questions of the consultation, then "Other contributions"', () => {
    const sections = sectionsOf('gcm-ts3-2017', [
      { proposal_id: 'p2', section_id: 'q3' },
      { proposal_id: 'p1', section_id: 'q3' },
      { proposal_id: 'p3', section_id: '' },
    ]);
    expect(sections.map((s) => [s.id, s.number])).toEqual([
      ['q1', 1], ['q2', 2], ['q3', 3], ['q4', 4], ['q5', 5], ['q6', 6], ['q7', 7], [null, 8],
    ]);
    expect(sections[2].proposalIds).toEqual(['p2', 'p1']);
    expect(sections[7]).toEqual({ id: null, number: 8, question: 'Other contributions', proposalIds: ['p3'], introductionId: null });
  });

  it('has only "Other contributions" without a consultation, or for one without questions', () => {
    expect(sectionsOf(null, [{ proposal_id: 'p1', section_id: '' }])).toEqual([
      { id: null, number: 1, question: 'Other contributions', proposalIds: ['p1'], introductionId: null },
    ]);
    expect(sectionsOf('gcm-ts1-2017', [])).toEqual([{ id: null, number: 1, question: 'Other contributions', proposalIds: [], introductionId: null }]);
  });

  it('gives each question its introduction, which is not among its proposals', () => {
    const sections = sectionsOf('gcm-ts3-2017', [{ proposal_id: 'p1', section_id: 'q2' }], new Map([['q2', 'i2']]));
    expect(sections[1]).toMatchObject({ id: 'q2', proposalIds: ['p1'], introductionId: 'i2' });
    expect(sections.filter((s) => s.id !== 'q2').every((s) => s.introductionId === null)).toBe(true);
  });

  it('shows a proposal placed under a question the consultation does not have under "Other contributions", last', () => {
    const sections = sectionsOf('gcm-ts3-2017', [
      { proposal_id: 'p9', section_id: 'q99' },
      { proposal_id: 'p1', section_id: '' },
    ]);
    expect(sections[7].proposalIds).toEqual(['p1', 'p9']);
  });
});
