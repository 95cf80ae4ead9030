import type { Role } from '@concord/contracts';
import { specificationFor } from '../../testing/decider-specification';
import type { Actor } from '../shared/actor';
import { proposalDecider } from './proposal.decider';
import type { ApprovalGiven, ApproveProposal, ProposalApproved, ProposalEvent } from './proposal.messages';
import type { ApprovalRule } from '../workspace/workspace.messages';

// Approval by several chairs (issue 14 §2): the troika approves the same revision and content hash.
const chairNamed = (userId: string, roles: Role[] = ['chair']): Actor => ({ userId, isAdmin: false, roles });
const [outgoing, current, incoming, otherChair] = ['chair-outgoing', 'chair-current', 'chair-incoming', 'chair-other'].map((id) => chairNamed(id));
const HASH = 'a'.repeat(64);
const HASH_9 = 'b'.repeat(64);
const TROIKA = [outgoing.userId, current.userId, incoming.userId];
const twoOfThree: ApprovalRule = { approvers: TROIKA, required: 2 };
const allThree: ApprovalRule = { approvers: TROIKA, required: 3 };

const inReview: ProposalEvent[] = [
  {
    type: 'ProposalCreated',
    data: { proposalId: 'p1', submissionId: 's1', iscmId: 'add', title: 'Skills passport', kind: 'policy', gcmObjectives: [5], summary: '' },
  },
  { type: 'ProposalSentForReview', data: { proposalId: 'p1', revision: 8, contentHash: HASH } },
];
const given_ = (approverId: string, rule: ApprovalRule, revision = 8, contentHash = HASH, comment: string | null = null): ApprovalGiven => ({
  type: 'ApprovalGiven',
  data: { proposalId: 'p1', revision, contentHash, approverId, comment, approvers: [...rule.approvers], required: rule.required },
});
const approved = (revision = 8, contentHash = HASH, comment: string | null = null): ProposalApproved => ({
  type: 'ProposalApproved',
  data: { proposalId: 'p1', revision, contentHash, comment },
});
const approve = (actor: Actor, approvalRule: ApprovalRule | null, data: Partial<ApproveProposal['data']> = {}): ApproveProposal => ({
  type: 'ApproveProposal',
  data: { proposalId: 'p1', actor, submissionStatus: 'review', currentRevision: 10, revision: 8, contentHash: HASH, approvalRule, ...data },
});

describe('Proposal approval under an approval rule', () => {
  const { given } = specificationFor(proposalDecider);

  it('without a rule (or with no approvers) any one chair approves at once, as before', () => {
    given(inReview).when(approve(otherChair, null)).then([approved()]);
    given(inReview).when(approve(otherChair, { approvers: [], required: 0 })).then([approved()]);
  });

  describe('2 of 3', () => {
    it('records the first approval and does not approve yet', () =>
      given(inReview).when(approve(outgoing, twoOfThree)).then([given_(outgoing.userId, twoOfThree)]));
    it('approves with the second approval of the same revision and hash', () =>
      given([...inReview, given_(outgoing.userId, twoOfThree)])
        .when(approve(incoming, twoOfThree, { comment: 'Agreed by the troika' }))
        .then([given_(incoming.userId, twoOfThree, 8, HASH, 'Agreed by the troika'), approved(8, HASH, 'Agreed by the troika')]));
    it('does not count an approval of another revision', () =>
      given([...inReview, given_(outgoing.userId, twoOfThree)])
        .when(approve(incoming, twoOfThree, { revision: 9, contentHash: HASH_9 }))
        .then([given_(incoming.userId, twoOfThree, 9, HASH_9)]));
    it('does not count an approval of the same revision number with another content hash', () =>
      given([...inReview, given_(outgoing.userId, twoOfThree)])
        .when(approve(incoming, twoOfThree, { contentHash: HASH_9 }))
        .then([given_(incoming.userId, twoOfThree, 8, HASH_9)]));
    it('completes the round of either revision when it reaches the rule', () =>
      given([...inReview, given_(outgoing.userId, twoOfThree), given_(incoming.userId, twoOfThree, 9, HASH_9)])
        .when(approve(current, twoOfThree, { revision: 9, contentHash: HASH_9 }))
        .then([given_(current.userId, twoOfThree, 9, HASH_9), approved(9, HASH_9)]));
    it('refuses an approver approving the same revision twice (409)', () =>
      given([...inReview, given_(outgoing.userId, twoOfThree)])
        .when(approve(outgoing, twoOfThree))
        .thenThrows('conflict', /already approved revision 8; 1 of the 2/));
    it('refuses a chair who is not one of the approvers (403), saying they may request changes', () =>
      given(inReview).when(approve(otherChair, twoOfThree)).thenThrows('forbidden', /2 of 3 named approvers.*not one of them.*request changes/));
    it('refuses an approver who is no longer chair, by the access policy', () =>
      given(inReview).when(approve(chairNamed(outgoing.userId, ['drafter']), twoOfThree)).thenThrows('forbidden', /chair/));
    it('refuses any approval once the proposal is approved (the third approver too)', () =>
      given([...inReview, given_(outgoing.userId, twoOfThree), given_(incoming.userId, twoOfThree), approved()])
        .when(approve(current, twoOfThree))
        .thenThrows('invalid_state'));
  });

  describe('all of 3', () => {
    const round = [given_(outgoing.userId, allThree), given_(current.userId, allThree)];
    it('needs every approver', () => given([...inReview, given_(outgoing.userId, allThree)]).when(approve(current, allThree)).then([given_(current.userId, allThree)]));
    it('approves with the last one', () =>
      given([...inReview, ...round]).when(approve(incoming, allThree)).then([given_(incoming.userId, allThree), approved()]));
  });

  describe('sent back and sent again', () => {
    const changesRequested: ProposalEvent = { type: 'ChangesRequested', data: { proposalId: 'p1', revision: 8, comment: 'Cite ILO.' } };
    const sentAgain: ProposalEvent = { type: 'ProposalSentForReview', data: { proposalId: 'p1', revision: 8, contentHash: HASH } };
    it('a request for changes discards the approvals given: the next round starts from none', () =>
      given([...inReview, given_(outgoing.userId, twoOfThree), changesRequested, sentAgain])
        .when(approve(incoming, twoOfThree))
        .then([given_(incoming.userId, twoOfThree)]));
    it('after a request for changes the same approver may approve again', () =>
      given([...inReview, given_(outgoing.userId, twoOfThree), changesRequested, sentAgain])
        .when(approve(outgoing, twoOfThree))
        .then([given_(outgoing.userId, twoOfThree)]));
    it('any approver may request changes while approvals are pending', () =>
      given([...inReview, given_(outgoing.userId, twoOfThree)])
        .when({ type: 'RequestChanges', data: { proposalId: 'p1', actor: incoming, submissionStatus: 'review', currentRevision: 10, revision: 8, comment: 'Cite ILO.' } })
        .then([changesRequested]));
  });

  describe('the rule changes while approvals are pending', () => {
    it('counts with the rule current at the approval: raised to all 3, two approvals do not complete', () =>
      given([...inReview, given_(outgoing.userId, twoOfThree)])
        .when(approve(incoming, allThree))
        .then([given_(incoming.userId, allThree)]));
    it('lowered to 1 of 3, the next approval completes', () => {
      const oneOfThree = { approvers: TROIKA, required: 1 };
      given([...inReview, given_(outgoing.userId, allThree)]).when(approve(incoming, oneOfThree)).then([given_(incoming.userId, oneOfThree), approved()]);
    });
    it('an approval by someone no longer among the approvers does not count', () => {
      const newTroika = { approvers: [current.userId, incoming.userId, otherChair.userId], required: 2 };
      given([...inReview, given_(outgoing.userId, twoOfThree)]).when(approve(incoming, newTroika)).then([given_(incoming.userId, newTroika)]);
    });
    it('back to any one chair: the next chair approves at once', () =>
      given([...inReview, given_(outgoing.userId, twoOfThree)]).when(approve(otherChair, null)).then([approved()]));
  });

  it('a silence adoption approves and ends the pending round', () =>
    given([
      ...inReview,
      given_(outgoing.userId, twoOfThree),
      { type: 'SilenceStarted', data: { proposalId: 'p1', silenceId: 's', revision: 8, contentHash: HASH, deadline: '2027-01-01T00:00:00.000Z', startedBy: 'c' } },
      { type: 'SilenceAdopted', data: { proposalId: 'p1', silenceId: 's', revision: 8, contentHash: HASH, deadline: '2027-01-01T00:00:00.000Z' } },
    ])
      .when(approve(incoming, twoOfThree))
      .thenThrows('invalid_state'));
});
