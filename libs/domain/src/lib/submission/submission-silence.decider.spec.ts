import type { Role } from '@concord/contracts';
import { specificationFor } from '../../testing/decider-specification';
import type { Actor } from '../shared/actor';
import { submissionDecider } from './submission.decider';
import type { SubmissionOpened, SubmissionSilenceStarted } from './submission.messages';

const as = (roles: Role[]): Actor => ({ userId: `user-${roles.join('-')}`, isAdmin: false, roles });
const drafter = as(['drafter']);
const chair = as(['chair']);
const delegate = as(['delegate']);

const HASH_A = 'a'.repeat(64);
const HASH_B = 'b'.repeat(64);
const NOW = '2027-03-01T10:00:00.000Z';
const DEADLINE = '2027-03-08T17:00:00.000Z';
const texts = [
  { proposalId: 'p1', revision: 12, contentHash: HASH_A },
  { proposalId: 'p2', revision: 3, contentHash: HASH_B },
];

const opened: SubmissionOpened = {
  type: 'SubmissionOpened',
  data: { submissionId: 's1', iscmId: 'add', consultation: 'Thematic session 3', title: 'ADD contribution', dueDate: '2027-06-19' },
};
const sent = { type: 'SubmissionSentForApproval', data: { submissionId: 's1' } } as const;
const started: SubmissionSilenceStarted = {
  type: 'SubmissionSilenceStarted',
  data: { submissionId: 's1', silenceId: 'sil1', texts, deadline: DEADLINE, startedBy: chair.userId },
};
const broken = {
  type: 'SubmissionSilenceBroken',
  data: { submissionId: 's1', silenceId: 'sil1', proposalIds: ['p1', 'p2'], objectionBy: delegate.userId, memberState: 'PH', reason: 'Paragraph 3 needs another reading.' },
} as const;
const voided = { type: 'SubmissionSilenceVoided', data: { submissionId: 's1', silenceId: 'sil1', proposalIds: ['p1', 'p2'], by: chair.userId, reason: null } } as const;
const adopted = {
  type: 'SubmissionSilenceAdopted',
  data: { submissionId: 's1', silenceId: 'sil1', texts, proposalIds: ['p1', 'p2'], deadline: DEADLINE },
} as const;

describe('Submission silence procedure', () => {
  const { given } = specificationFor(submissionDecider);
  const start = (overrides: Record<string, unknown> = {}) =>
    ({
      type: 'StartSubmissionSilence',
      data: { submissionId: 's1', silenceId: 'sil1', deadline: '2027-03-08T18:00:00+01:00', texts, proposalSilences: [], now: NOW, actor: chair, ...overrides },
    }) as const;
  const object = (overrides: Record<string, unknown> = {}) =>
    ({ type: 'ObjectToSubmissionSilence', data: { submissionId: 's1', reason: ' Paragraph 3 needs another reading. ', memberState: 'PH', now: NOW, actor: delegate, ...overrides } }) as const;
  const voidIt = (overrides: Record<string, unknown> = {}) =>
    ({ type: 'VoidSubmissionSilence', data: { submissionId: 's1', now: NOW, actor: chair, ...overrides } }) as const;
  const adopt = (overrides: Record<string, unknown> = {}) =>
    ({ type: 'AdoptSubmissionSilence', data: { submissionId: 's1', silenceId: 'sil1', now: '2027-03-08T17:00:00.000Z', ...overrides } }) as const;

  describe('StartSubmissionSilence', () => {
    it('lets a chair circulate every text of a submission in drafting, deadline in UTC', () => given([opened]).when(start()).then([started]));
    it('lets a chair circulate a submission in review', () => given([opened, sent]).when(start()).then([started]));
    it('refuses a drafter', () => given([opened]).when(start({ actor: drafter })).thenThrows('forbidden', /Only a chair of this workspace may circulate a submission under silence/));
    it('refuses a delegate', () => given([opened]).when(start({ actor: delegate })).thenThrows('forbidden'));
    it('refuses while one runs', () => given([opened, started]).when(start({ silenceId: 'sil2' })).thenThrows('conflict', /already circulated/));
    it('may start again once silence was broken', () =>
      given([opened, started, broken]).when(start({ silenceId: 'sil2' })).then([{ ...started, data: { ...started.data, silenceId: 'sil2' } }]));
    it('refuses while a proposal runs a silence of its own', () =>
      given([opened]).when(start({ proposalSilences: ['Skills partnership'] })).thenThrows('conflict', /“Skills partnership”/));
    it('refuses a submission without texts', () => given([opened]).when(start({ texts: [] })).thenThrows('invalid_state', /no proposal/));
    it('refuses a text listed twice', () => given([opened]).when(start({ texts: [texts[0], texts[0]] })).thenThrows('invalid', /each proposal once/));
    it('refuses a deadline too soon', () => given([opened]).when(start({ deadline: '2027-03-01T10:00:30Z' })).thenThrows('invalid', /at least 1 minute/));
    it('refuses a deadline beyond 90 days', () => given([opened]).when(start({ deadline: '2027-07-01T10:00:00Z' })).thenThrows('invalid', /90 days/));
    it('refuses a deadline without a time zone', () => given([opened]).when(start({ deadline: '2027-03-08T17:00' })).thenThrows('invalid', /ISO 8601/));
    it('refuses an approved submission', () =>
      given([opened, sent, { type: 'SubmissionApproved', data: { submissionId: 's1', proposalRevisions: [] } }]).when(start()).thenThrows('invalid_state', /approved already/));
    it('refuses a locked submission', () =>
      given([opened, sent, { type: 'SubmissionApproved', data: { submissionId: 's1', proposalRevisions: [] } }, { type: 'SubmissionLocked', data: { submissionId: 's1' } }])
        .when(start())
        .thenThrows('invalid_state', /locked/));
  });

  describe('while it runs', () => {
    it('refuses approving the submission', () =>
      given([opened, sent, started]).when({ type: 'ApproveSubmission', data: { submissionId: 's1', proposals: [], actor: chair } }).thenThrows('conflict', /circulated under silence/));
    it('refuses arranging its sections', () =>
      given([opened, started])
        .when({ type: 'PlaceProposal', data: { submissionId: 's1', proposalId: 'p1', sectionId: null, index: 0, proposalInSubmission: true, sectionIdsOfConsultation: [], actor: drafter } })
        .thenThrows('conflict', /circulated under silence/));
  });

  describe('ObjectToSubmissionSilence', () => {
    it('lets a focal point break silence with a reason; the texts are named to unfreeze them', () => given([opened, started]).when(object()).then([broken]));
    it('refuses a chair', () => given([opened, started]).when(object({ actor: chair })).thenThrows('forbidden', /delegate/));
    it('refuses a delegate of no member state', () => given([opened, started]).when(object({ memberState: null })).thenThrows('invalid_state', /focal point/));
    it('refuses an empty reason', () => given([opened, started]).when(object({ reason: ' ' })).thenThrows('invalid', /reason/));
    it('refuses once the deadline has passed', () => given([opened, started]).when(object({ now: DEADLINE })).thenThrows('invalid_state', /has passed/));
    it('refuses when none runs', () => given([opened]).when(object()).thenThrows('invalid_state', /No silence procedure/));
    it('refuses after it was broken', () => given([opened, started, broken]).when(object()).thenThrows('invalid_state', /latest one was broken/));
  });

  describe('VoidSubmissionSilence', () => {
    it('lets a chair withdraw it', () => given([opened, started]).when(voidIt()).then([voided]));
    it('refuses a drafter', () => given([opened, started]).when(voidIt({ actor: drafter })).thenThrows('forbidden'));
    it('refuses after the deadline', () => given([opened, started]).when(voidIt({ now: DEADLINE })).thenThrows('invalid_state', /has passed/));
  });

  describe('AdoptSubmissionSilence', () => {
    it('adopts the texts circulated at the deadline', () => given([opened, started]).when(adopt()).then([adopted]));
    it('refuses before the deadline', () => given([opened, started]).when(adopt({ now: '2027-03-08T16:59:59.999Z' })).thenThrows('conflict', /cannot be adopted before/));
    it('adopts only once', () => given([opened, started, adopted]).when(adopt()).thenThrows('invalid_state', /latest one was adopted/));
    it('refuses a procedure that is not the running one', () => given([opened, started]).when(adopt({ silenceId: 'other' })).thenThrows('conflict'));
    it('refuses after it was withdrawn', () => given([opened, started, voided]).when(adopt()).thenThrows('invalid_state', /withdrawn/));
    it('leaves the submission approved, ready to be locked', () =>
      given([opened, started, adopted]).when({ type: 'LockSubmission', data: { submissionId: 's1', actor: chair } }).then([{ type: 'SubmissionLocked', data: { submissionId: 's1' } }]));
  });
});
