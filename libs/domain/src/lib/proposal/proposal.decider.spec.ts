import type { Role } from '@concord/contracts';
import { specificationFor } from '../../testing/decider-specification';
import { EMPTY_DOCUMENT_HASH } from '../content-hash';
import type { Actor } from '../shared/actor';
import { stateFrom } from '../shared/decider';
import { proposalDecider } from './proposal.decider';
import type { ProposalCommand, ProposalCreated, ProposalEvent } from './proposal.messages';

const as = (roles: Role[], isAdmin = false): Actor => ({ userId: `user-${roles.join('-') || 'none'}`, isAdmin, roles });
const drafter = as(['drafter']);
const chair = as(['chair']);
const auditor = as(['auditor']);
const platformAdmin = as(['admin'], true);
const HASH = 'a'.repeat(64);

const created: ProposalCreated = {
  type: 'ProposalCreated',
  data: {
    proposalId: 'p1',
    submissionId: 's1',
    iscmId: 'add',
    title: 'Skills passport',
    kind: 'policy',
    gcmObjectives: [5, 18],
    summary: 'Mutual recognition of skills.',
  },
};
const sentForReview = { type: 'ProposalSentForReview', data: { proposalId: 'p1', revision: 8, contentHash: HASH } } as const;
const approved = {
  type: 'ProposalApproved',
  data: { proposalId: 'p1', revision: 8, contentHash: HASH, comment: null },
} as const;
const changesRequested = { type: 'ChangesRequested', data: { proposalId: 'p1', revision: 8, comment: 'Cite ILO.' } } as const;
const withdrawn = { type: 'ProposalWithdrawn', data: { proposalId: 'p1' } } as const;

const draft: ProposalEvent[] = [created];
const inReview: ProposalEvent[] = [created, sentForReview];
const approvedProposal: ProposalEvent[] = [...inReview, approved];
const withdrawnProposal: ProposalEvent[] = [created, withdrawn];

type DataOf<T extends ProposalCommand['type']> = Extract<ProposalCommand, { type: T }>['data'];
const command = <T extends ProposalCommand['type']>(type: T, data: Omit<DataOf<T>, 'proposalId' | 'submissionStatus' | 'currentRevision' | 'actor'> & Partial<DataOf<T>>) =>
  ({
    type,
    data: { proposalId: 'p1', actor: drafter, submissionStatus: 'drafting', currentRevision: 10, ...data },
  }) as unknown as Extract<ProposalCommand, { type: T }>;

describe('Proposal', () => {
  const { given } = specificationFor(proposalDecider);

  describe('CreateProposal', () => {
    const create = (overrides: Partial<DataOf<'CreateProposal'>> | Record<string, unknown> = {}) =>
      command('CreateProposal', { ...created.data, title: '  Skills passport ', gcmObjectives: [18, 5], ...overrides });

    it('lets a drafter create a proposal, trimming the title and ordering the objectives', () =>
      given([]).when(create()).then([created]));
    it('refuses anyone but a drafter', () => given([]).when(create({ actor: chair })).thenThrows('forbidden', /drafter/));
    it('rejects a proposal that exists', () => given(draft).when(create()).thenThrows('conflict'));
    it('rejects a proposal in a locked submission', () =>
      given([]).when(create({ submissionStatus: 'submitted' })).thenThrows('invalid_state', /locked/));
    it('rejects a blank title', () => given([]).when(create({ title: '   ' })).thenThrows('invalid', /Title/));
    it('rejects a title over 200 characters', () => given([]).when(create({ title: 'x'.repeat(201) })).thenThrows('invalid'));
    it('accepts a title of exactly 200 characters', () =>
      given([]).when(create({ title: 'é'.repeat(200) })).then([{ ...created, data: { ...created.data, title: 'é'.repeat(200) } }]));
    it('rejects a kind that is not a slug', () => given([]).when(create({ kind: 'Policy paper' })).thenThrows('invalid', /Kind/));
    it('rejects an empty kind', () => given([]).when(create({ kind: '' })).thenThrows('invalid'));
    it('rejects no GCM objectives', () => given([]).when(create({ gcmObjectives: [] })).thenThrows('invalid', /at least one/));
    it('rejects an objective outside 1..23', () => given([]).when(create({ gcmObjectives: [0, 24] })).thenThrows('invalid'));
    it('rejects an objective that is not a whole number', () => given([]).when(create({ gcmObjectives: [2.5] })).thenThrows('invalid'));
    it('rejects an objective listed twice', () => given([]).when(create({ gcmObjectives: [3, 3] })).thenThrows('invalid', /none twice/));
    it('rejects a summary over 2000 characters', () =>
      given([]).when(create({ summary: 'x'.repeat(2001) })).thenThrows('invalid', /Summary/));
    it('rejects a missing submission id', () => given([]).when(create({ submissionId: '' })).thenThrows('invalid'));

    const file = { filename: 'Skills passport.docx', bytes: 12_345, sha256: 'a'.repeat(64) };
    it('records the file a proposal is imported from with its creation', () =>
      given([]).when(create({ importedFrom: file })).then([created, { type: 'ProposalImported', data: { proposalId: created.data.proposalId, ...file } }]));
    it('refuses an imported file name with a path or control characters', () => {
      given([]).when(create({ importedFrom: { ...file, filename: '../etc/passwd' } })).thenThrows('invalid', /file name/);
      given([]).when(create({ importedFrom: { ...file, filename: 'a\u0000b.docx' } })).thenThrows('invalid', /file name/);
      given([]).when(create({ importedFrom: { ...file, filename: 'x'.repeat(256) } })).thenThrows('invalid', /file name/);
    });
    it('refuses an imported file without a size or a sha256', () => {
      given([]).when(create({ importedFrom: { ...file, bytes: 0 } })).thenThrows('invalid', /size/);
      given([]).when(create({ importedFrom: { ...file, sha256: 'ABC' } })).thenThrows('invalid', /sha256/);
    });
    it('keeps the proposal as it is after ProposalImported', () =>
      given([created, { type: 'ProposalImported', data: { proposalId: created.data.proposalId, ...file } }]).when(create()).thenThrows('conflict'));
  });

  describe('CreateProposal of a section introduction', () => {
    const intro = { ...created.data, title: 'Introduction to section 2', kind: 'introduction', gcmObjectives: [], summary: '' };
    const create = (overrides: Record<string, unknown> = {}) => command('CreateProposal', { ...intro, introductionOf: 'q2', ...overrides });

    it('creates an introduction with no GCM objective', () =>
      given([]).when(create()).then([{ type: 'ProposalCreated', data: intro }]));
    it('keeps objectives an introduction names', () =>
      given([]).when(create({ gcmObjectives: [7, 3] })).then([{ type: 'ProposalCreated', data: { ...intro, gcmObjectives: [3, 7] } }]));
    it('rejects kind introduction without the section it introduces', () =>
      given([]).when(create({ introductionOf: undefined })).thenThrows('invalid', /sections\/<sectionId>\/introduction/));
    it('rejects a section for a proposal of another kind', () =>
      given([]).when(create({ kind: 'policy', gcmObjectives: [5] })).thenThrows('invalid', /Only a proposal of kind "introduction"/));
    it('still needs objectives for a practical approach', () =>
      given([]).when(command('CreateProposal', { ...created.data, gcmObjectives: [] })).thenThrows('invalid', /at least one GCM objective/));
    it('refuses anyone but a drafter', () => given([]).when(create({ actor: chair })).thenThrows('forbidden'));
  });

  describe('ChangeProposalDetails of an introduction', () => {
    const introCreated = { ...created, data: { ...created.data, kind: 'introduction', gcmObjectives: [] } } as ProposalCreated;
    const change = (data: Partial<DataOf<'ChangeProposalDetails'>>) => command('ChangeProposalDetails', data);

    it('changes its title', () =>
      given([introCreated]).when(change({ title: 'Introduction' })).then([{ type: 'ProposalDetailsChanged', data: { proposalId: 'p1', title: 'Introduction' } }]));
    it('keeps it an introduction', () =>
      given([introCreated]).when(change({ kind: 'policy' })).thenThrows('invalid', /stays an introduction/));
    it('makes no proposal an introduction', () => given(draft).when(change({ kind: 'introduction' })).thenThrows('invalid', /cannot become an introduction/));
  });

  describe('ChangeProposalDetails', () => {
    const change = (data: Partial<DataOf<'ChangeProposalDetails'>>) => command('ChangeProposalDetails', data);

    it('records only the details that change', () =>
      given(draft)
        .when(change({ title: 'Skills passport', kind: 'agreement', gcmObjectives: [18, 5, 6] }))
        .then([{ type: 'ProposalDetailsChanged', data: { proposalId: 'p1', kind: 'agreement', gcmObjectives: [5, 6, 18] } }]));
    it('may change an approved proposal', () =>
      given(approvedProposal)
        .when(change({ summary: '' }))
        .then([{ type: 'ProposalDetailsChanged', data: { proposalId: 'p1', summary: '' } }]));
    it('does nothing when nothing changes', () => given(draft).when(change({ gcmObjectives: [18, 5] })).thenNothingHappens());
    it('rejects a change of nothing', () => given(draft).when(change({})).thenThrows('invalid', /at least one/));
    it('refuses anyone but a drafter', () => given(draft).when(change({ title: 'New', actor: chair })).thenThrows('forbidden'));
    it('rejects invalid details', () => given(draft).when(change({ gcmObjectives: [99] })).thenThrows('invalid'));
    it('rejects a missing proposal', () => given([]).when(change({ title: 'New' })).thenThrows('not_found'));
    it('rejects a withdrawn proposal', () =>
      given(withdrawnProposal).when(change({ title: 'New' })).thenThrows('invalid_state', /withdrawn/));
    it('rejects a proposal in a locked submission', () =>
      given(draft).when(change({ title: 'New', submissionStatus: 'submitted' })).thenThrows('invalid_state', /locked/));
  });

  describe('SendForReview', () => {
    const send = (data: Partial<DataOf<'SendForReview'>> = {}) =>
      command('SendForReview', { revision: 8, contentHash: HASH, ...data });

    it('sends a draft for review', () => given(draft).when(send()).then([sentForReview]));
    it('sends a proposal with changes requested again', () =>
      given([...inReview, changesRequested]).when(send()).then([sentForReview]));
    it('sends an approved proposal again', () => given(approvedProposal).when(send()).then([sentForReview]));
    it('sends the empty document at revision 0', () =>
      given(draft)
        .when(send({ revision: 0, contentHash: EMPTY_DOCUMENT_HASH }))
        .then([{ type: 'ProposalSentForReview', data: { proposalId: 'p1', revision: 0, contentHash: EMPTY_DOCUMENT_HASH } }]));
    it('refuses anyone but a drafter', () => given(draft).when(send({ actor: chair })).thenThrows('forbidden'));
    it('rejects a proposal already in review', () => given(inReview).when(send()).thenThrows('invalid_state', /already in review/));
    it('rejects a revision beyond the newest', () => given(draft).when(send({ revision: 11 })).thenThrows('invalid', /newest revision is 10/));
    it('rejects a negative revision', () => given(draft).when(send({ revision: -1 })).thenThrows('invalid'));
    it('rejects a fractional revision', () => given(draft).when(send({ revision: 1.5 })).thenThrows('invalid'));
    it('rejects a content hash that is not sha256 hex', () => given(draft).when(send({ contentHash: 'abc' })).thenThrows('invalid', /sha256/));
    it('rejects a missing proposal', () => given([]).when(send()).thenThrows('not_found'));
    it('rejects a withdrawn proposal', () => given(withdrawnProposal).when(send()).thenThrows('invalid_state'));
    it('rejects a proposal in a locked submission', () => given(draft).when(send({ submissionStatus: 'submitted' })).thenThrows('invalid_state'));
  });

  describe('ApproveProposal', () => {
    const approve = (data: Partial<DataOf<'ApproveProposal'>> = {}) =>
      command('ApproveProposal', { revision: 8, contentHash: HASH, actor: chair, ...data });

    it('lets a chair approve a revision in review', () => given(inReview).when(approve()).then([approved]));
    it('keeps the chair’s comment, trimmed', () =>
      given(inReview)
        .when(approve({ comment: ' Approved at the 12th meeting ' }))
        .then([{ ...approved, data: { ...approved.data, comment: 'Approved at the 12th meeting' } }]));
    it('records a blank comment as none', () => given(inReview).when(approve({ comment: '  ' })).then([approved]));
    it('may approve a later revision than the one sent', () =>
      given(inReview).when(approve({ revision: 10 })).then([{ ...approved, data: { ...approved.data, revision: 10 } }]));
    it('refuses a drafter', () => given(inReview).when(approve({ actor: drafter })).thenThrows('forbidden', /chair/));
    it('refuses an auditor', () => given(inReview).when(approve({ actor: auditor })).thenThrows('forbidden'));
    it('refuses a platform administrator who is not chair', () =>
      given(inReview).when(approve({ actor: platformAdmin })).thenThrows('forbidden'));
    it('rejects a draft', () => given(draft).when(approve()).thenThrows('invalid_state', /in review/));
    it('rejects a proposal already approved', () => given(approvedProposal).when(approve()).thenThrows('invalid_state'));
    it('rejects a revision beyond the newest', () => given(inReview).when(approve({ revision: 11 })).thenThrows('invalid'));
    it('rejects a content hash that is not sha256 hex', () =>
      given(inReview).when(approve({ contentHash: HASH.toUpperCase() })).thenThrows('invalid'));
    it('rejects a comment over 2000 characters', () =>
      given(inReview).when(approve({ comment: 'x'.repeat(2001) })).thenThrows('invalid', /Comment/));
    it('rejects a missing proposal', () => given([]).when(approve()).thenThrows('not_found'));
    it('rejects a withdrawn proposal', () => given([...inReview, withdrawn]).when(approve()).thenThrows('invalid_state'));
    it('rejects a proposal in a locked submission', () =>
      given(inReview).when(approve({ submissionStatus: 'submitted' })).thenThrows('invalid_state', /locked/));
    it('refuses while review is open when the workspace requires it finished, counting what is open', () =>
      given(inReview)
        .when(approve({ openReview: { required: true, suggestions: 2, threads: 1 } }))
        .thenThrows('conflict', /review is finished: 2 suggestions and 1 comment thread are still open on revision 8/));
    it('approves with the review finished when the workspace requires it', () =>
      given(inReview).when(approve({ openReview: { required: true, suggestions: 0, threads: 0 } })).then([approved]));
    it('approves with open suggestions when the workspace does not require a finished review', () =>
      given(inReview).when(approve({ openReview: { required: false, suggestions: 3, threads: 2 } })).then([approved]));
  });

  describe('RequestChanges', () => {
    const requestChanges = (data: Partial<DataOf<'RequestChanges'>> = {}) =>
      command('RequestChanges', { revision: 8, comment: ' Cite ILO. ', actor: chair, ...data });

    it('lets a chair send a proposal in review back', () => given(inReview).when(requestChanges()).then([changesRequested]));
    it('refuses a drafter', () => given(inReview).when(requestChanges({ actor: drafter })).thenThrows('forbidden'));
    it('requires a comment', () => given(inReview).when(requestChanges({ comment: '  ' })).thenThrows('invalid', /Comment/));
    it('rejects a comment over 2000 characters', () =>
      given(inReview).when(requestChanges({ comment: 'x'.repeat(2001) })).thenThrows('invalid'));
    it('rejects a draft', () => given(draft).when(requestChanges()).thenThrows('invalid_state'));
    it('rejects a revision beyond the newest', () => given(inReview).when(requestChanges({ revision: 11 })).thenThrows('invalid'));
    it('rejects a missing proposal', () => given([]).when(requestChanges()).thenThrows('not_found'));
    it('rejects a withdrawn proposal', () => given([...inReview, withdrawn]).when(requestChanges()).thenThrows('invalid_state'));
    it('rejects a proposal in a locked submission', () =>
      given(inReview).when(requestChanges({ submissionStatus: 'submitted' })).thenThrows('invalid_state'));
  });

  describe('NameVersion', () => {
    const name = (data: Partial<DataOf<'NameVersion'>> = {}) => command('NameVersion', { revision: 8, label: ' Sent to chair ', ...data });
    const named = { type: 'VersionNamed', data: { proposalId: 'p1', revision: 8, label: 'Sent to chair' } } as const;

    it('lets a drafter name a version', () => given(draft).when(name()).then([named]));
    it('lets a chair name a version', () => given(approvedProposal).when(name({ actor: chair })).then([named]));
    it('does nothing when the revision already has that name', () => given([...draft, named]).when(name()).thenNothingHappens());
    it('refuses an auditor', () => given(draft).when(name({ actor: auditor })).thenThrows('forbidden', /drafter or a chair/));
    it('rejects an empty label', () => given(draft).when(name({ label: '' })).thenThrows('invalid', /Label/));
    it('rejects a label over 100 characters', () => given(draft).when(name({ label: 'x'.repeat(101) })).thenThrows('invalid'));
    it('rejects a revision beyond the newest', () => given(draft).when(name({ revision: 11 })).thenThrows('invalid'));
    it('rejects a missing proposal', () => given([]).when(name()).thenThrows('not_found'));
    it('rejects a withdrawn proposal', () => given(withdrawnProposal).when(name()).thenThrows('invalid_state'));
    it('rejects a proposal in a locked submission', () => given(draft).when(name({ submissionStatus: 'submitted' })).thenThrows('invalid_state'));
  });

  describe('RestoreRevision', () => {
    const restore = (data: Partial<DataOf<'RestoreRevision'>> = {}) =>
      command('RestoreRevision', { fromRevision: 4, newRevision: 11, ...data });

    it('restores an earlier revision as the next one', () =>
      given(approvedProposal)
        .when(restore())
        .then([{ type: 'ProposalRestored', data: { proposalId: 'p1', fromRevision: 4, newRevision: 11 } }]));
    it('refuses anyone but a drafter', () => given(draft).when(restore({ actor: chair })).thenThrows('forbidden'));
    it('rejects a revision beyond the newest', () =>
      given(draft).when(restore({ fromRevision: 12 })).thenThrows('invalid', /fromRevision 12 does not exist/));
    it('rejects restoring the current revision', () =>
      given(draft).when(restore({ fromRevision: 10 })).thenThrows('invalid', /nothing to restore/));
    it('rejects a new revision that is not the next one', () =>
      given(draft).when(restore({ newRevision: 12 })).thenThrows('conflict', /reload/));
    it('rejects a missing proposal', () => given([]).when(restore()).thenThrows('not_found'));
    it('rejects a withdrawn proposal', () => given(withdrawnProposal).when(restore()).thenThrows('invalid_state'));
    it('rejects a proposal in a locked submission', () => given(draft).when(restore({ submissionStatus: 'submitted' })).thenThrows('invalid_state'));
  });

  describe('WithdrawProposal', () => {
    const withdraw = (data: Partial<DataOf<'WithdrawProposal'>> = {}) => command('WithdrawProposal', data);

    it('withdraws a draft', () => given(draft).when(withdraw()).then([withdrawn]));
    it('withdraws an approved proposal', () => given(approvedProposal).when(withdraw()).then([withdrawn]));
    it('refuses anyone but a drafter', () => given(draft).when(withdraw({ actor: chair })).thenThrows('forbidden'));
    it('rejects a proposal already withdrawn', () => given(withdrawnProposal).when(withdraw()).thenThrows('invalid_state'));
    it('rejects a missing proposal', () => given([]).when(withdraw()).thenThrows('not_found'));
    it('rejects a proposal in a locked submission', () => given(draft).when(withdraw({ submissionStatus: 'submitted' })).thenThrows('invalid_state'));
  });

  describe('evolve', () => {
    it('follows draft → in review → changes requested → in review → approved → withdrawn', () => {
      const lifecycle: ProposalEvent[] = [created, sentForReview, changesRequested, sentForReview, approved, withdrawn];
      const statuses = lifecycle.map((_, index) => stateFrom(proposalDecider, lifecycle.slice(0, index + 1)).status);
      expect(statuses).toEqual(['draft', 'in_review', 'changes_requested', 'in_review', 'approved', 'withdrawn']);
    });
    it('remembers the revision and content hash of the latest approval, also once sent for review again', () => {
      const approval = { revision: 8, contentHash: HASH };
      expect(stateFrom(proposalDecider, approvedProposal)).toMatchObject({ approval });
      expect(stateFrom(proposalDecider, [...approvedProposal, sentForReview])).toMatchObject({ status: 'in_review', approval });
    });
    it('keeps an approved proposal approved through detail changes, named versions and restores', () => {
      const state = stateFrom(proposalDecider, [
        ...approvedProposal,
        { type: 'ProposalDetailsChanged', data: { proposalId: 'p1', title: 'Skills passport 2' } },
        { type: 'VersionNamed', data: { proposalId: 'p1', revision: 8, label: 'Approved' } },
        { type: 'ProposalRestored', data: { proposalId: 'p1', fromRevision: 2, newRevision: 11 } },
      ]);
      expect(state).toEqual({
        ...stateFrom(proposalDecider, approvedProposal),
        details: { title: 'Skills passport 2', kind: 'policy', gcmObjectives: [5, 18], summary: 'Mutual recognition of skills.' },
        namedVersions: [{ revision: 8, label: 'Approved' }],
      });
    });
  });
});
