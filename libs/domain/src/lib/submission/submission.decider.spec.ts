import type { Role } from '@concord/contracts';
import { specificationFor } from '../../testing/decider-specification';
import type { Actor } from '../shared/actor';
import { stateFrom } from '../shared/decider';
import { submissionDecider } from './submission.decider';
import type { ProposalApprovalState, SubmissionEvent, SubmissionOpened } from './submission.messages';

const as = (roles: Role[], isAdmin = false): Actor => ({ userId: `user-${roles.join('-') || 'none'}`, isAdmin, roles });
const drafter = as(['drafter']);
const chair = as(['chair']);
const auditor = as(['auditor']);

const opened: SubmissionOpened = {
  type: 'SubmissionOpened',
  data: {
    submissionId: 's1',
    iscmId: 'add',
    consultation: 'Thematic session 3',
    title: 'ADD contribution to the GCM',
    dueDate: '2017-06-19',
  },
};
const sent = { type: 'SubmissionSentForApproval', data: { submissionId: 's1' } } as const;
const approved = {
  type: 'SubmissionApproved',
  data: { submissionId: 's1', proposalRevisions: [{ proposalId: 'p1', revision: 12 }] },
} as const;
const locked = { type: 'SubmissionLocked', data: { submissionId: 's1' } } as const;

describe('Submission', () => {
  const { given } = specificationFor(submissionDecider);

  describe('OpenSubmission', () => {
    const open = (overrides: Record<string, unknown> = {}) =>
      ({ type: 'OpenSubmission', data: { ...opened.data, title: ' ADD contribution to the GCM ', actor: drafter, ...overrides } }) as const;

    it('lets a drafter open a submission', () => given([]).when(open()).then([opened]));
    it('refuses anyone but a drafter', () => given([]).when(open({ actor: chair })).thenThrows('forbidden', /drafter/));
    it('rejects a submission that exists', () => given([opened]).when(open()).thenThrows('conflict'));
    it('rejects an empty title', () => given([]).when(open({ title: ' ' })).thenThrows('invalid', /Title/));
    it('rejects an empty consultation', () => given([]).when(open({ consultation: '' })).thenThrows('invalid', /Consultation/));
    it('rejects a due date that is not a calendar date', () =>
      given([]).when(open({ dueDate: '2017-02-30' })).thenThrows('invalid', /yyyy-mm-dd/));
    it('rejects a missing workspace id', () => given([]).when(open({ iscmId: '' })).thenThrows('invalid'));
    it('records the consultation it names, which the reference data knows', () =>
      given([])
        .when(open({ consultationId: 'gcm-ts3-2017', sectionIdsOfConsultation: ['q1', 'q2'] }))
        .then([{ ...opened, data: { ...opened.data, consultationId: 'gcm-ts3-2017' } }]));
    it('records a known consultation that has no questions', () =>
      given([])
        .when(open({ consultationId: 'gcm-ts1-2017', sectionIdsOfConsultation: [] }))
        .then([{ ...opened, data: { ...opened.data, consultationId: 'gcm-ts1-2017' } }]));
    it('rejects a consultation the reference data does not know', () =>
      given([]).when(open({ consultationId: 'gcm-ts9-2017' })).thenThrows('invalid', /no GCM consultation "gcm-ts9-2017"/));
    it('rejects an empty consultation id', () =>
      given([]).when(open({ consultationId: ' ', sectionIdsOfConsultation: [] })).thenThrows('invalid', /consultationId/));
  });

  describe('PlaceProposal', () => {
    const QUESTIONS = ['q1', 'q2', 'q3'];
    const withConsultation: SubmissionOpened = { ...opened, data: { ...opened.data, consultationId: 'gcm-ts3-2017' } };
    const place = (overrides: Record<string, unknown> = {}) =>
      ({
        type: 'PlaceProposal',
        data: {
          submissionId: 's1',
          proposalId: 'p1',
          sectionId: 'q2',
          index: 0,
          proposalInSubmission: true,
          sectionIdsOfConsultation: QUESTIONS,
          actor: drafter,
          ...overrides,
        },
      }) as const;
    const placed = (sectionId: string | null, index = 0) =>
      ({ type: 'ProposalPlaced', data: { submissionId: 's1', proposalId: 'p1', sectionId, index } }) as const;

    it('lets a drafter put a proposal under a question', () => given([withConsultation]).when(place()).then([placed('q2')]));
    it('puts it at the index given', () => given([withConsultation]).when(place({ index: 3 })).then([placed('q2', 3)]));
    it('puts it under "Other contributions" for a null section', () =>
      given([withConsultation]).when(place({ sectionId: null })).then([placed(null)]));
    it('moves it again later', () => given([withConsultation, placed('q2')]).when(place({ sectionId: 'q1' })).then([placed('q1')]));
    it('places in review and once approved, as long as it is not locked', () =>
      given([withConsultation, sent, approved]).when(place()).then([placed('q2')]));
    it('refuses anyone but a drafter', () =>
      given([withConsultation]).when(place({ actor: chair })).thenThrows('forbidden', /drafter/));
    it('refuses a delegate', () =>
      given([withConsultation]).when(place({ actor: as(['delegate']) })).thenThrows('forbidden'));
    it('rejects a locked submission', () =>
      given([withConsultation, sent, approved, locked]).when(place()).thenThrows('invalid_state', /locked/));
    it('rejects a missing submission', () => given([]).when(place()).thenThrows('not_found'));
    it('rejects a section that is not one of the questions', () =>
      given([withConsultation]).when(place({ sectionId: 'q9' })).thenThrows('invalid', /one of the consultation's questions \(q1, q2, q3\)/));
    it('allows only "Other contributions" when the consultation has no questions', () =>
      given([opened]).when(place({ sectionId: 'q1', sectionIdsOfConsultation: [] })).thenThrows('invalid', /no guiding questions/));
    it('places under "Other contributions" without a consultation', () =>
      given([opened]).when(place({ sectionId: null, sectionIdsOfConsultation: [] })).then([placed(null)]));
    it('rejects a proposal of another submission', () =>
      given([withConsultation]).when(place({ proposalInSubmission: false })).thenThrows('invalid', /not a proposal of this submission/));
    it.each([-1, 1.5, '2', null, 10_000])('rejects the index %p', (index) =>
      given([withConsultation]).when(place({ index })).thenThrows('invalid', /index must be a whole number/));
    it('checks the role before the input', () =>
      given([withConsultation]).when(place({ actor: auditor, sectionId: 'q9' })).thenThrows('forbidden'));
    it('leaves the status as it is', () =>
      expect(stateFrom(submissionDecider, [withConsultation, placed('q1')])).toMatchObject({ status: 'drafting', consultationId: 'gcm-ts3-2017' }));
  });

  describe('AddSectionIntroduction', () => {
    const withConsultation: SubmissionOpened = { ...opened, data: { ...opened.data, consultationId: 'gcm-ts3-2017' } };
    const add = (overrides: Record<string, unknown> = {}) =>
      ({
        type: 'AddSectionIntroduction',
        data: { submissionId: 's1', sectionId: 'q2', proposalId: 'i1', sectionIdsOfConsultation: ['q1', 'q2', 'q3'], actor: drafter, ...overrides },
      }) as const;
    const added = (sectionId = 'q2', proposalId = 'i1') =>
      ({ type: 'SectionIntroductionAdded', data: { submissionId: 's1', sectionId, proposalId } }) as const;

    it('lets a drafter give a question its introduction', () => given([withConsultation]).when(add()).then([added()]));
    it('gives each section its own', () => given([withConsultation, added()]).when(add({ sectionId: 'q1', proposalId: 'i2' })).then([added('q1', 'i2')]));
    it('refuses a second introduction of a section, naming the first', () =>
      given([withConsultation, added()]).when(add({ proposalId: 'i2' })).thenThrows('conflict', /q2 has an introduction already \(proposal i1\)/));
    it('refuses "Other contributions"', () =>
      given([withConsultation]).when(add({ sectionId: null })).thenThrows('invalid', /"Other contributions" takes none/));
    it('refuses a section that is not a question', () =>
      given([withConsultation]).when(add({ sectionId: 'q9' })).thenThrows('invalid', /one of q1, q2, q3/));
    it('refuses when the consultation has no questions', () =>
      given([opened]).when(add({ sectionIdsOfConsultation: [] })).thenThrows('invalid', /no guiding questions/));
    it('refuses anyone but a drafter', () => given([withConsultation]).when(add({ actor: chair })).thenThrows('forbidden', /drafter/));
    it('rejects a locked submission', () =>
      given([withConsultation, sent, approved, locked]).when(add()).thenThrows('invalid_state', /locked/));
    it('rejects a missing submission', () => given([]).when(add()).thenThrows('not_found'));
    it('keeps the introduction out of placements', () =>
      given([withConsultation, added()])
        .when({
          type: 'PlaceProposal',
          data: { submissionId: 's1', proposalId: 'i1', sectionId: 'q1', index: 0, proposalInSubmission: true, sectionIdsOfConsultation: ['q1', 'q2'], actor: drafter },
        })
        .thenThrows('invalid', /introduction of section q2/));
    it('leaves the status as it is', () =>
      expect(stateFrom(submissionDecider, [withConsultation, added()])).toMatchObject({ status: 'drafting', introductions: { q2: 'i1' } }));
  });

  describe('SendSubmissionForApproval', () => {
    const send = (actor: Actor = drafter) => ({ type: 'SendSubmissionForApproval', data: { submissionId: 's1', actor } }) as const;

    it('sends a drafting submission for approval', () => given([opened]).when(send()).then([sent]));
    it('refuses anyone but a drafter', () => given([opened]).when(send(auditor)).thenThrows('forbidden'));
    it('rejects a submission already in review', () =>
      given([opened, sent]).when(send()).thenThrows('invalid_state', /in drafting/));
    it('rejects a missing submission', () => given([]).when(send()).thenThrows('not_found'));
    it('rejects a locked submission', () =>
      given([opened, sent, approved, locked]).when(send()).thenThrows('invalid_state', /locked/));
  });

  describe('ApproveSubmission', () => {
    const skills: ProposalApprovalState = { proposalId: 'p1', title: 'Skills passport', status: 'approved', revision: 12, approvalCurrent: true };
    const approve = (proposals: unknown = [skills], actor: Actor = chair) =>
      ({ type: 'ApproveSubmission', data: { submissionId: 's1', proposals: proposals as [], actor } }) as const;

    it('lets a chair approve a submission in review', () => given([opened, sent]).when(approve()).then([approved]));
    it('refuses anyone but a chair', () => given([opened, sent]).when(approve(undefined, drafter)).thenThrows('forbidden', /chair/));
    it('refuses a platform administrator who is not chair', () =>
      given([opened, sent]).when(approve(undefined, as([], true))).thenThrows('forbidden'));
    it('rejects a submission still in drafting', () => given([opened]).when(approve()).thenThrows('invalid_state'));
    it('rejects a missing submission', () => given([]).when(approve()).thenThrows('not_found'));
    it('rejects a proposal listed twice', () =>
      given([opened, sent])
        .when(approve([{ ...skills, revision: 1 }, { ...skills, revision: 2 }]))
        .thenThrows('invalid', /each proposal once/));
    it('rejects a negative revision', () =>
      given([opened, sent]).when(approve([{ ...skills, revision: -1 }])).thenThrows('invalid'));
    it('rejects proposals that are not a list', () =>
      given([opened, sent]).when(approve({ p1: 1 })).thenThrows('invalid'));

    describe('only when every proposal has a current approval', () => {
      const fund: ProposalApprovalState = { proposalId: 'p2', title: 'Return fund', status: 'in_review', revision: 3, approvalCurrent: false };
      const corridor: ProposalApprovalState = { proposalId: 'p3', title: 'Fair recruitment corridor', status: 'approved', revision: 9, approvalCurrent: false };
      const dropped: ProposalApprovalState = { proposalId: 'p4', title: 'Dropped idea', status: 'withdrawn', revision: 2, approvalCurrent: false };

      it('names the proposals not approved', () =>
        given([opened, sent]).when(approve([skills, fund])).thenThrows('invalid_state', /not approved: “Return fund”\.$/));
      it('names the proposals whose text changed after their approval', () =>
        given([opened, sent])
          .when(approve([corridor, skills]))
          .thenThrows('invalid_state', /the text has changed since: “Fair recruitment corridor”\.$/));
      it('names both kinds at once', () =>
        given([opened, sent])
          .when(approve([fund, corridor, { ...fund, proposalId: 'p5', title: 'Draft law', status: 'draft' }]))
          .thenThrows('invalid_state', /not approved: “Return fund”, “Draft law”; approved, but the text has changed since: “Fair recruitment corridor”/));
      it('counts a proposal that has changes requested as not approved', () =>
        given([opened, sent]).when(approve([{ ...fund, status: 'changes_requested' }])).thenThrows('invalid_state', /Return fund/));
      it('leaves withdrawn proposals out, of the check and of the approval', () =>
        given([opened, sent]).when(approve([dropped, skills])).then([approved]));
      it('checks the role before the proposals', () =>
        given([opened, sent]).when(approve([fund], drafter)).thenThrows('forbidden'));
    });
  });

  describe('LockSubmission', () => {
    const lock = (actor: Actor = chair) => ({ type: 'LockSubmission', data: { submissionId: 's1', actor } }) as const;
    const approvedSubmission: SubmissionEvent[] = [opened, sent, approved];

    it('lets a chair lock an approved submission', () => given(approvedSubmission).when(lock()).then([locked]));
    it('lets a workspace admin lock it', () => given(approvedSubmission).when(lock(as(['admin']))).then([locked]));
    it('lets a platform admin lock it', () => given(approvedSubmission).when(lock(as([], true))).then([locked]));
    it('refuses a drafter', () => given(approvedSubmission).when(lock(drafter)).thenThrows('forbidden', /chair or an admin/));
    it('rejects a submission not yet approved', () => given([opened, sent]).when(lock()).thenThrows('invalid_state'));
    it('rejects a submission already locked', () =>
      given([...approvedSubmission, locked]).when(lock()).thenThrows('invalid_state', /locked/));
    it('rejects a missing submission', () => given([]).when(lock()).thenThrows('not_found'));
  });

  it('reaches submitted through drafting, review and approved', () => {
    const lifecycle: SubmissionEvent[] = [opened, sent, approved, locked];
    const statuses = lifecycle.map((_, index) => stateFrom(submissionDecider, lifecycle.slice(0, index + 1)).status);
    expect(statuses).toEqual(['drafting', 'review', 'approved', 'submitted']);
  });
});
