import type { Actor } from '../shared/actor';
import { specificationFor } from '../../testing/decider-specification';
import { proposalDecider } from './proposal.decider';
import type { ProposalCommand, ProposalEvent } from './proposal.messages';

const as = (roles: Actor['roles'], userId = `user-${roles.join('-')}`): Actor => ({ userId, isAdmin: false, roles });
const delegateFr = as(['delegate'], 'delegate-fr');
const delegateIn = as(['delegate'], 'delegate-in');

const created: ProposalEvent = {
  type: 'ProposalCreated',
  data: { proposalId: 'p1', submissionId: 's1', iscmId: 'add', title: 'Skills', kind: 'policy', gcmObjectives: [5], summary: '' },
};
const introduction: ProposalEvent = {
  type: 'ProposalCreated',
  data: { proposalId: 'p1', submissionId: 's1', iscmId: 'add', title: 'Introduction to section 1', kind: 'introduction', gcmObjectives: [], summary: '' },
};
const coSponsoredFr: ProposalEvent = { type: 'ProposalCoSponsored', data: { proposalId: 'p1', memberState: 'FR', by: 'delegate-fr', revision: 7 } };
const withdrawnFr: ProposalEvent = { type: 'ProposalCoSponsorshipWithdrawn', data: { proposalId: 'p1', memberState: 'FR', by: 'delegate-fr' } };

const coSponsor = (data: Record<string, unknown> = {}) =>
  ({
    type: 'CoSponsorProposal',
    data: { proposalId: 'p1', actor: delegateFr, submissionStatus: 'drafting', currentRevision: 7, memberState: 'FR', ...data },
  }) as unknown as ProposalCommand;
const withdraw = (data: Record<string, unknown> = {}) =>
  ({
    type: 'WithdrawCoSponsorship',
    data: { proposalId: 'p1', actor: delegateFr, submissionStatus: 'drafting', memberState: 'FR', actorMemberState: 'FR', ...data },
  }) as unknown as ProposalCommand;

describe('Co-sponsorship', () => {
  const { given } = specificationFor(proposalDecider);

  describe('CoSponsorProposal', () => {
    it('lets a delegate co-sponsor for their member state at the current revision', () =>
      given([created]).when(coSponsor()).then([coSponsoredFr]));
    it('lets a second member state co-sponsor too', () =>
      given([created, coSponsoredFr])
        .when(coSponsor({ actor: delegateIn, memberState: 'IN' }))
        .then([{ type: 'ProposalCoSponsored', data: { proposalId: 'p1', memberState: 'IN', by: 'delegate-in', revision: 7 } }]));
    it('refuses a member state that co-sponsors already (409)', () =>
      given([created, coSponsoredFr]).when(coSponsor({ actor: as(['delegate'], 'delegate-fr-2') })).thenThrows('conflict', /FR already co-sponsors/));
    it('lets a member state co-sponsor again after withdrawing', () =>
      given([created, coSponsoredFr, withdrawnFr]).when(coSponsor()).then([coSponsoredFr]));
    it('refuses drafters, chairs, auditors and admins with the reason', () => {
      for (const roles of [['drafter'], ['chair'], ['auditor'], ['admin']] as Actor['roles'][]) {
        given([created]).when(coSponsor({ actor: as(roles) })).thenThrows('forbidden', /delegate.*co-sponsor/);
      }
    });
    it('refuses a withdrawn proposal and a locked submission (409)', () => {
      given([created, { type: 'ProposalWithdrawn', data: { proposalId: 'p1' } }]).when(coSponsor()).thenThrows('invalid_state', /withdrawn/);
      given([created]).when(coSponsor({ submissionStatus: 'submitted' })).thenThrows('invalid_state', /locked/);
    });
    it('allows an approved proposal in a submission in review', () =>
      given([created, { type: 'ProposalApproved', data: { proposalId: 'p1', revision: 7, contentHash: 'a'.repeat(64), comment: null } }])
        .when(coSponsor({ submissionStatus: 'review' }))
        .then([coSponsoredFr]));
    it('refuses a delegate who represents no member state', () =>
      given([created]).when(coSponsor({ memberState: null })).thenThrows('invalid_state', /represent none/));
    it("refuses a section's introduction", () => given([introduction]).when(coSponsor()).thenThrows('invalid', /introduction/));
    it('refuses a proposal that does not exist', () => given([]).when(coSponsor()).thenThrows('not_found'));
  });

  describe('WithdrawCoSponsorship', () => {
    it("lets a delegate of the member state withdraw its co-sponsorship", () =>
      given([created, coSponsoredFr]).when(withdraw()).then([withdrawnFr]));
    it('reads the member state code in any case', () =>
      given([created, coSponsoredFr]).when(withdraw({ memberState: 'fr' })).then([withdrawnFr]));
    it("refuses a delegate of another member state (403)", () =>
      given([created, coSponsoredFr]).when(withdraw({ actor: delegateIn, actorMemberState: 'IN' })).thenThrows('forbidden', /Only a delegate of FR.*you represent IN/));
    it('refuses other roles (403)', () =>
      given([created, coSponsoredFr]).when(withdraw({ actor: as(['chair']), actorMemberState: null })).thenThrows('forbidden', /delegate/));
    it('answers 404 when the member state does not co-sponsor', () => {
      given([created]).when(withdraw()).thenThrows('not_found', /FR does not co-sponsor/);
      given([created, coSponsoredFr, withdrawnFr]).when(withdraw()).thenThrows('not_found');
    });
    it('refuses a code that is not a member state code (400)', () =>
      given([created, coSponsoredFr]).when(withdraw({ memberState: 'France' })).thenThrows('invalid', /ISO 3166-1/));
    it('refuses on a withdrawn proposal (409)', () =>
      given([created, coSponsoredFr, { type: 'ProposalWithdrawn', data: { proposalId: 'p1' } }]).when(withdraw()).thenThrows('invalid_state', /withdrawn/));
  });
});
