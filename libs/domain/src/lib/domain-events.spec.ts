import { AGGREGATE_OF_EVENT, eventTypesOf, isDomainEventType } from './domain-events';

describe('domain events', () => {
  it('map each event type to its aggregate', () => {
    expect(AGGREGATE_OF_EVENT.ProposalApproved).toBe('proposal');
    expect(eventTypesOf('submission')).toEqual([
      'SubmissionOpened',
      'SubmissionSentForApproval',
      'SubmissionApproved',
      'SubmissionLocked',
      'SubmissionSilenceStarted',
      'SubmissionSilenceBroken',
      'SubmissionSilenceVoided',
      'SubmissionSilenceAdopted',
      'ProposalPlaced',
      'SectionIntroductionAdded',
    ]);
  });
  it('tell domain events from others', () => {
    expect(isDomainEventType('MemberAdded')).toBe(true);
    expect(isDomainEventType('ContentUpdated')).toBe(false);
    expect(isDomainEventType('toString')).toBe(false);
  });
});
