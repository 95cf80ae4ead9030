import type { ProposalStatus, Role, SubmissionStatus } from '@concord/contracts';
import type { Actor } from '../shared/actor';
import { DomainError } from '../shared/domain-error';
import type { AccessAction } from './access-policy';
import { accessOf, canWriteContent, decideAccess, requireAccess } from './access-policy';

/*
 * The expectations below are written out by hand, cell by cell, from the rules decided in issue #8
 * (docs/ARCHITECTURE.md, "Access policy"); nothing here is computed by the policy itself.
 */

const ROLES: readonly Role[] = ['drafter', 'chair', 'auditor', 'admin', 'delegate'];
/** Every set of roles: none, each one alone, and every combination of several. */
const ROLE_SETS: readonly (readonly Role[])[] = Array.from({ length: 1 << ROLES.length }, (_, mask) =>
  ROLES.filter((_, bit) => mask & (1 << bit)),
);
const PROPOSAL_STATUSES = ['draft', 'in_review', 'approved', 'changes_requested', 'withdrawn', null] as const;
const SUBMISSION_STATUSES = ['drafting', 'review', 'approved', 'submitted', null] as const;

/**
 * One cell: `+` allowed; otherwise the refusal, checked against REASONS.
 * N no such proposal · W proposal withdrawn · U proposal's submission unknown · L submission locked ·
 * R already in review · V only a proposal in review · S no such submission ·
 * D only a submission in drafting · E only a submission in review · A only an approved submission.
 */
type Cell = '+' | 'N' | 'W' | 'U' | 'L' | 'R' | 'V' | 'S' | 'D' | 'E' | 'A';
const REASONS: Record<Exclude<Cell, '+'>, RegExp> = {
  N: /^There is no such proposal\.$/,
  W: /^This proposal has been withdrawn\.$/,
  U: /submission is unknown/,
  L: /^The submission has been submitted and is locked\.$/,
  R: /^This proposal is already in review\.$/,
  V: /^Only a proposal in review can be (approved|sent back for changes); this one is (a draft|approved|waiting for changes)\.$/,
  S: /^There is no such submission\.$/,
  D: /^Only a submission in drafting can be sent for approval; this one is (in review|approved)\.$/,
  E: /^Only a submission in review can be approved; this one is (in drafting|approved)\.$/,
  A: /^Only an approved submission can be locked; this one is (in drafting|in review)\.$/,
};

/** Columns, in this order, for every row below: submission drafting, review, approved, submitted, none. */
type Row = readonly [Cell, Cell, Cell, Cell, Cell];
/** Rows for proposal actions: proposal draft, in_review, approved, changes_requested, withdrawn, none. */
type ProposalGrid = readonly [Row, Row, Row, Row, Row, Row];

const OPEN_PROPOSAL_WRITE: ProposalGrid = [
  ['+', '+', '+', 'L', 'U'], // draft
  ['+', '+', '+', 'L', 'U'], // in_review
  ['+', '+', '+', 'L', 'U'], // approved: drafters may still edit; the approval becomes stale
  ['+', '+', '+', 'L', 'U'], // changes_requested
  ['W', 'W', 'W', 'W', 'W'], // withdrawn
  ['N', 'N', 'N', 'N', 'N'], // none
];
const REVIEW_DECISION: ProposalGrid = [
  ['V', 'V', 'V', 'L', 'U'],
  ['+', '+', '+', 'L', 'U'],
  ['V', 'V', 'V', 'L', 'U'],
  ['V', 'V', 'V', 'L', 'U'],
  ['W', 'W', 'W', 'W', 'W'],
  ['N', 'N', 'N', 'N', 'N'],
];

interface Expectation {
  /** The roles of which any one is enough; with none of them the refusal names them. */
  roles: readonly Role[];
  roleRefusal: RegExp;
  /** Proposal actions: a grid over both statuses. Submission actions: one row, whatever the proposal. */
  states: ProposalGrid | Row;
}

const EXPECTED: Record<AccessAction, Expectation> = {
  'start-silence': {
    roles: ['chair'],
    roleRefusal: /^Only a chair of this workspace may start a silence procedure\.$/,
    states: OPEN_PROPOSAL_WRITE,
  },
  'void-silence': {
    roles: ['chair'],
    roleRefusal: /^Only a chair of this workspace may withdraw a silence procedure\.$/,
    states: OPEN_PROPOSAL_WRITE,
  },
  'object-to-silence': {
    roles: ['delegate'],
    roleRefusal: /^Only a delegate of this workspace may break silence with an objection\.$/,
    states: OPEN_PROPOSAL_WRITE,
  },
  'co-sponsor': {
    roles: ['delegate'],
    roleRefusal: /^Only a delegate of this workspace may co-sponsor a proposal for their member state\.$/,
    states: OPEN_PROPOSAL_WRITE,
  },
  'withdraw-co-sponsorship': {
    roles: ['delegate'],
    roleRefusal: /^Only a delegate of this workspace may withdraw their member state's co-sponsorship\.$/,
    states: OPEN_PROPOSAL_WRITE,
  },
  read: {
    roles: ['drafter', 'chair', 'auditor', 'admin', 'delegate'],
    roleRefusal: /^Only members of this workspace may see this proposal\.$/,
    states: [
      ['+', '+', '+', '+', '+'],
      ['+', '+', '+', '+', '+'],
      ['+', '+', '+', '+', '+'],
      ['+', '+', '+', '+', '+'],
      ['+', '+', '+', '+', '+'], // a withdrawn proposal, and a locked submission, can still be read
      ['N', 'N', 'N', 'N', 'N'],
    ],
  },
  'edit-content': {
    roles: ['drafter'],
    roleRefusal: /^Only a drafter of this workspace may edit the text of a proposal\.$/,
    states: OPEN_PROPOSAL_WRITE,
  },
  'change-details': {
    roles: ['drafter'],
    roleRefusal: /^Only a drafter of this workspace may change a proposal's details\.$/,
    states: OPEN_PROPOSAL_WRITE,
  },
  'send-for-review': {
    roles: ['drafter'],
    roleRefusal: /^Only a drafter of this workspace may send a proposal for review\.$/,
    states: [
      ['+', '+', '+', 'L', 'U'],
      ['R', 'R', 'R', 'L', 'U'],
      ['+', '+', '+', 'L', 'U'], // an approved proposal may be sent again (after its text changed)
      ['+', '+', '+', 'L', 'U'],
      ['W', 'W', 'W', 'W', 'W'],
      ['N', 'N', 'N', 'N', 'N'],
    ],
  },
  approve: {
    roles: ['chair'],
    roleRefusal: /^Only a chair of this workspace may approve a proposal\.$/,
    states: REVIEW_DECISION,
  },
  'request-changes': {
    roles: ['chair'],
    roleRefusal: /^Only a chair of this workspace may request changes to a proposal\.$/,
    states: REVIEW_DECISION,
  },
  withdraw: {
    roles: ['drafter'],
    roleRefusal: /^Only a drafter of this workspace may withdraw a proposal\.$/,
    states: OPEN_PROPOSAL_WRITE, // an approved proposal may be withdrawn too
  },
  restore: {
    roles: ['drafter'],
    roleRefusal: /^Only a drafter of this workspace may restore a revision\.$/,
    states: OPEN_PROPOSAL_WRITE,
  },
  'name-version': {
    roles: ['drafter', 'chair'],
    roleRefusal: /^Only a drafter or a chair of this workspace may name a version\.$/,
    states: OPEN_PROPOSAL_WRITE,
  },
  comment: {
    roles: ['drafter', 'chair', 'delegate'],
    roleRefusal: /^Only a drafter, a chair or a delegate of this workspace may comment on a proposal\.$/,
    states: OPEN_PROPOSAL_WRITE, // comments stop with the text: withdrawn proposal, locked submission
  },
  suggest: {
    roles: ['delegate'],
    roleRefusal: /^Only a delegate of this workspace may suggest changes to the text\.$/,
    states: OPEN_PROPOSAL_WRITE,
  },
  'create-proposal': {
    roles: ['drafter'],
    roleRefusal: /^Only a drafter of this workspace may create a proposal\.$/,
    states: ['+', '+', '+', 'L', 'S'],
  },
  'place-proposal': {
    roles: ['drafter'],
    roleRefusal: /^Only a drafter of this workspace may arrange the sections of a submission\.$/,
    states: ['+', '+', '+', 'L', 'S'],
  },
  'open-submission': {
    roles: ['drafter'],
    roleRefusal: /^Only a drafter of this workspace may open a submission\.$/,
    states: ['+', '+', '+', '+', '+'], // whether it already exists is the decider's conflict
  },
  'send-submission-for-approval': {
    roles: ['drafter'],
    roleRefusal: /^Only a drafter of this workspace may send a submission for approval\.$/,
    states: ['+', 'D', 'D', 'L', 'S'],
  },
  'approve-submission': {
    roles: ['chair'],
    roleRefusal: /^Only a chair of this workspace may approve a submission\.$/,
    states: ['E', '+', 'E', 'L', 'S'],
  },
  'lock-submission': {
    roles: ['chair', 'admin'],
    roleRefusal: /^Only a chair or an admin of this workspace may lock a submission\.$/,
    states: ['A', 'A', '+', 'L', 'S'],
  },
  // Whether the submission is approved already, or a procedure runs, is the decider's refusal.
  'start-submission-silence': {
    roles: ['chair'],
    roleRefusal: /^Only a chair of this workspace may circulate a submission under silence\.$/,
    states: ['+', '+', '+', 'L', 'S'],
  },
  'void-submission-silence': {
    roles: ['chair'],
    roleRefusal: /^Only a chair of this workspace may withdraw a silence procedure\.$/,
    states: ['+', '+', '+', 'L', 'S'],
  },
  'object-to-submission-silence': {
    roles: ['delegate'],
    roleRefusal: /^Only a delegate of this workspace may break silence with an objection\.$/,
    states: ['+', '+', '+', 'L', 'S'],
  },
};

const ACTIONS = Object.keys(EXPECTED) as AccessAction[];

function expectedCell(expectation: Expectation, p: number, s: number): Cell {
  const { states } = expectation;
  return typeof states[0] === 'string' ? (states as Row)[s] : (states as ProposalGrid)[p][s];
}

describe('decideAccess', () => {
  it('covers every action', () => {
    expect(ACTIONS).toHaveLength(25);
  });

  describe.each(ACTIONS)('%s', (action) => {
    const expectation = EXPECTED[action];

    it.each(ROLE_SETS.map((roles) => [roles.join('+') || 'no role', roles] as const))(
      'as %s, in every proposal and submission state',
      (_, roles) => {
        const mismatches: string[] = [];
        const holdsRole = roles.some((role) => expectation.roles.includes(role));
        PROPOSAL_STATUSES.forEach((proposalStatus, p) => {
          SUBMISSION_STATUSES.forEach((submissionStatus, s) => {
            const decision = decideAccess({ roles, action, proposalStatus, submissionStatus });
            const cell = holdsRole ? expectedCell(expectation, p, s) : 'role';
            const where = `proposal ${proposalStatus ?? 'none'}, submission ${submissionStatus ?? 'none'}`;
            if (cell === '+') {
              if (!decision.allowed) mismatches.push(`${where}: expected allowed, got "${decision.reason}"`);
              return;
            }
            const reason = cell === 'role' ? expectation.roleRefusal : REASONS[cell];
            if (decision.allowed) {
              mismatches.push(`${where}: expected refused (${cell}), got allowed`);
            } else if (!reason.test(decision.reason)) {
              mismatches.push(`${where}: expected a reason matching ${reason}, got "${decision.reason}"`);
            }
          });
        });
        expect(mismatches).toEqual([]);
      },
    );
  });

  it('treats undefined statuses like null', () => {
    expect(decideAccess({ roles: ['drafter'], action: 'edit-content' })).toEqual({
      allowed: false,
      reason: 'There is no such proposal.',
    });
    expect(decideAccess({ roles: ['drafter'], action: 'open-submission' })).toEqual({ allowed: true });
  });
});

describe('canWriteContent and accessOf (the co-editing socket)', () => {
  const cases: [Role[], ProposalStatus, SubmissionStatus | null, 'read-write' | 'suggest-only' | 'read-only' | 'forbidden'][] = [
    [['drafter'], 'draft', 'drafting', 'read-write'],
    [['drafter'], 'approved', 'approved', 'read-write'],
    [['drafter'], 'in_review', 'submitted', 'read-only'],
    [['drafter'], 'withdrawn', 'drafting', 'read-only'],
    [['drafter'], 'draft', null, 'read-only'],
    [['chair'], 'draft', 'drafting', 'read-only'],
    [['auditor'], 'in_review', 'review', 'read-only'],
    [['admin'], 'draft', 'drafting', 'read-only'],
    [['delegate'], 'draft', 'drafting', 'suggest-only'],
    [['delegate'], 'in_review', 'submitted', 'read-only'],
    [['delegate'], 'withdrawn', 'drafting', 'read-only'],
    [['delegate', 'drafter'], 'draft', 'drafting', 'read-write'],
    [['delegate'], 'withdrawn', 'submitted', 'read-only'],
    [['delegate', 'drafter'], 'draft', 'drafting', 'read-write'],
    [['chair', 'drafter'], 'changes_requested', 'review', 'read-write'],
    [['auditor', 'admin'], 'withdrawn', 'submitted', 'read-only'],
    [[], 'draft', 'drafting', 'forbidden'],
    [[], 'withdrawn', 'submitted', 'forbidden'],
  ];

  it.each(cases)('%j, proposal %s, submission %s: %s', (roles, proposalStatus, submissionStatus, access) => {
    expect(accessOf(roles, proposalStatus, submissionStatus)).toBe(access);
    expect(canWriteContent(roles, proposalStatus, submissionStatus)).toBe(access === 'read-write');
  });
});

describe('requireAccess (for deciders)', () => {
  const actor = (roles: Role[], isAdmin = false): Actor => ({ userId: 'u', isAdmin, roles });
  const thrown = (run: () => void) => {
    try {
      run();
    } catch (error) {
      return error;
    }
    return undefined;
  };

  it('refuses a missing role as forbidden, whatever the state', () => {
    const error = thrown(() => requireAccess(actor(['auditor']), 'approve', 'draft', 'submitted'));
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'forbidden', message: 'Only a chair of this workspace may approve a proposal.' });
  });

  it('refuses a delegate every write, naming who may do it', () => {
    expect(thrown(() => requireAccess(actor(['delegate']), 'edit-content', 'draft', 'drafting'))).toMatchObject({
      code: 'forbidden',
      message: 'Only a drafter of this workspace may edit the text of a proposal.',
    });
  });

  it('refuses a state that does not allow the action as invalid_state', () => {
    const error = thrown(() => requireAccess(actor(['drafter']), 'edit-content', 'draft', 'submitted'));
    expect(error).toMatchObject({ code: 'invalid_state', message: 'The submission has been submitted and is locked.' });
  });

  it('counts a platform administrator as an admin of every workspace, and as nothing else', () => {
    expect(thrown(() => requireAccess(actor([], true), 'lock-submission', null, 'approved'))).toBeUndefined();
    expect(thrown(() => requireAccess(actor([], true), 'approve-submission', null, 'review'))).toMatchObject({ code: 'forbidden' });
  });

  it('lets an allowed action through', () => {
    expect(thrown(() => requireAccess(actor(['chair']), 'approve', 'in_review', 'review'))).toBeUndefined();
  });
});
