import type { ProposalApprovalsDto } from '@concord/contracts';
import { approvalProgressView } from './approval-progress';

const rule = {
  approvers: [
    { userId: 'a', name: 'Ambassador A' },
    { userId: 'b', name: 'Ambassador B' },
    { userId: 'c', name: 'Ambassador C' },
  ],
  required: 2,
};
const given = (userId: string) => ({ userId, name: `Ambassador ${userId.toUpperCase()}`, at: '2026-12-07T03:00:00Z', comment: null });
const HASH = 'a'.repeat(64);

describe('approvalProgressView', () => {
  it('shows nothing without a rule (any one chair approves)', () => {
    expect(approvalProgressView(undefined, 'in_review', null)).toBeNull();
    expect(approvalProgressView({ rule: null, pending: [], completed: null }, 'in_review', null)).toBeNull();
  });

  it('counts the newest round, each approver approved or pending', () => {
    const approvals: ProposalApprovalsDto = { rule, pending: [{ revision: 7, contentHash: HASH, given: [given('a')] }], completed: null };
    expect(approvalProgressView(approvals, 'in_review', null)).toMatchObject({
      rule: '2 of 3',
      count: 1,
      required: 2,
      revision: 7,
      complete: false,
      approvers: [
        { userId: 'a', approved: true },
        { userId: 'b', approved: false },
        { userId: 'c', approved: false },
      ],
      otherRounds: [],
    });
  });

  it('names older rounds of other revisions apart', () => {
    const approvals: ProposalApprovalsDto = {
      rule,
      pending: [
        { revision: 8, contentHash: HASH, given: [given('b')] },
        { revision: 7, contentHash: HASH, given: [given('a')] },
      ],
      completed: null,
    };
    const view = approvalProgressView(approvals, 'in_review', null);
    expect(view?.revision).toBe(8);
    expect(view?.otherRounds).toEqual([{ revision: 7, names: 'Ambassador A' }]);
  });

  it('shows the completed round once approved, and "all 3" for an all-of rule', () => {
    const approvals: ProposalApprovalsDto = {
      rule: { ...rule, required: 3 },
      pending: [],
      completed: { revision: 7, contentHash: HASH, given: [given('a'), given('b'), given('c')] },
    };
    expect(approvalProgressView(approvals, 'approved', 7)).toMatchObject({ rule: 'all 3', count: 3, complete: true, revision: 7 });
    // An approval that is not the current one (e.g. adopted by silence later) is not shown as this round.
    expect(approvalProgressView(approvals, 'approved', 9)).toMatchObject({ complete: false, revision: null, count: 0 });
  });
});
