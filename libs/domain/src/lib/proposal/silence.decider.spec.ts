import type { Actor } from '../shared/actor';
import { specificationFor } from '../../testing/decider-specification';
import { proposalDecider } from './proposal.decider';
import type { ProposalCommand, ProposalEvent } from './proposal.messages';

const as = (roles: Actor['roles'], userId = `user-${roles.join('-')}`): Actor => ({ userId, isAdmin: false, roles });
const chair = as(['chair'], 'chair-1');
const drafter = as(['drafter']);
const delegate = as(['delegate'], 'delegate-fr');
const HASH = 'b'.repeat(64);
const NOW = '2027-03-01T12:00:00.000Z';
const DEADLINE = '2027-03-08T17:00:00.000Z';
const after = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

const created: ProposalEvent = {
  type: 'ProposalCreated',
  data: { proposalId: 'p1', submissionId: 's1', iscmId: 'add', title: 'Skills', kind: 'policy', gcmObjectives: [5], summary: '' },
};
const started: ProposalEvent = {
  type: 'SilenceStarted',
  data: { proposalId: 'p1', silenceId: 'si1', revision: 10, contentHash: HASH, deadline: DEADLINE, startedBy: 'chair-1' },
};
const broken: ProposalEvent = {
  type: 'SilenceBroken',
  data: { proposalId: 'p1', silenceId: 'si1', objectionBy: 'delegate-fr', memberState: 'FR', reason: 'Paragraph 3 needs work.' },
};
const adopted: ProposalEvent = {
  type: 'SilenceAdopted',
  data: { proposalId: 'p1', silenceId: 'si1', revision: 10, contentHash: HASH, deadline: DEADLINE },
};
const voided: ProposalEvent = { type: 'SilenceVoided', data: { proposalId: 'p1', silenceId: 'si1', by: 'chair-1', reason: null } };

const start = (data: Record<string, unknown> = {}) =>
  ({
    type: 'StartSilence',
    data: { proposalId: 'p1', actor: chair, submissionStatus: 'drafting', currentRevision: 10, silenceId: 'si1', revision: 10, contentHash: HASH, deadline: DEADLINE, now: NOW, ...data },
  }) as unknown as ProposalCommand;
const object = (data: Record<string, unknown> = {}) =>
  ({
    type: 'ObjectToSilence',
    data: { proposalId: 'p1', actor: delegate, submissionStatus: 'drafting', reason: 'Paragraph 3 needs work.', memberState: 'FR', now: NOW, ...data },
  }) as unknown as ProposalCommand;
const voidIt = (data: Record<string, unknown> = {}) =>
  ({ type: 'VoidSilence', data: { proposalId: 'p1', actor: chair, submissionStatus: 'drafting', now: NOW, ...data } }) as unknown as ProposalCommand;
const adopt = (now: string, silenceId = 'si1') => ({ type: 'AdoptSilence', data: { proposalId: 'p1', silenceId, now } }) as ProposalCommand;

describe('Silence procedure', () => {
  const { given } = specificationFor(proposalDecider);

  describe('StartSilence', () => {
    it('lets a chair circulate the current revision until a deadline', () => given([created]).when(start()).then([started]));
    it('writes the deadline in UTC', () =>
      given([created]).when(start({ deadline: '2027-03-08T18:00:00+01:00' })).then([started]));
    it('refuses a drafter and a delegate', () => {
      given([created]).when(start({ actor: drafter })).thenThrows('forbidden', /chair/);
      given([created]).when(start({ actor: delegate })).thenThrows('forbidden', /chair/);
    });
    it('refuses a revision that is not the current one', () =>
      given([created]).when(start({ revision: 9 })).thenThrows('conflict', /current text/));
    it('refuses a revision that does not exist', () => given([created]).when(start({ revision: 11 })).thenThrows('invalid'));
    it('refuses a deadline that is not a date-time', () => {
      given([created]).when(start({ deadline: '2027-03-08' })).thenThrows('invalid', /ISO 8601/);
      given([created]).when(start({ deadline: 'tomorrow' })).thenThrows('invalid', /ISO 8601/);
    });
    it('refuses a deadline in the past or less than a minute ahead', () => {
      given([created]).when(start({ deadline: after(NOW, -1000) })).thenThrows('invalid', /at least 1 minute/);
      given([created]).when(start({ deadline: after(NOW, 59_000) })).thenThrows('invalid', /at least/);
    });
    it('takes a shorter lead when the handler allows it', () =>
      given([created]).when(start({ deadline: after(NOW, 3000), minLeadMs: 1000 })).then([{ ...started, data: { ...started.data, deadline: after(NOW, 3000) } } as ProposalEvent]));
    it('refuses a deadline more than 90 days ahead', () =>
      given([created]).when(start({ deadline: after(NOW, 91 * 24 * 3600 * 1000) })).thenThrows('invalid', /90 days/));
    it('refuses a second silence while one runs', () => given([created, started]).when(start()).thenThrows('conflict', /already runs/));
    it('starts again after a broken or withdrawn one', () => {
      given([created, started, broken]).when(start({ silenceId: 'si2' })).then([{ ...started, data: { ...started.data, silenceId: 'si2' } } as ProposalEvent]);
      given([created, started, voided]).when(start({ silenceId: 'si2' })).then([{ ...started, data: { ...started.data, silenceId: 'si2' } } as ProposalEvent]);
    });
    it('refuses a locked submission and a withdrawn proposal', () => {
      given([created]).when(start({ submissionStatus: 'submitted' })).thenThrows('invalid_state', /locked/);
      given([created, { type: 'ProposalWithdrawn', data: { proposalId: 'p1' } }]).when(start()).thenThrows('invalid_state', /withdrawn/);
    });
    it('refuses a proposal that does not exist', () => given([]).when(start()).thenThrows('not_found'));
  });

  describe('ObjectToSilence', () => {
    it('lets a delegate break silence before the deadline, for their member state', () =>
      given([created, started]).when(object()).then([broken]));
    it('refuses a chair and a drafter', () => {
      given([created, started]).when(object({ actor: chair })).thenThrows('forbidden', /delegate/);
      given([created, started]).when(object({ actor: drafter })).thenThrows('forbidden', /delegate/);
    });
    it('needs a reason of at most 2000 characters', () => {
      given([created, started]).when(object({ reason: '   ' })).thenThrows('invalid', /reason/);
      given([created, started]).when(object({ reason: 'x'.repeat(2001) })).thenThrows('invalid', /2000/);
    });
    it('refuses an objection at or after the deadline even before adoption is recorded', () => {
      given([created, started]).when(object({ now: DEADLINE })).thenThrows('invalid_state', /has passed/);
      given([created, started]).when(object({ now: after(DEADLINE, 1) })).thenThrows('invalid_state', /has passed/);
    });
    it('refuses when no silence runs', () => {
      given([created]).when(object()).thenThrows('invalid_state', /No silence/);
      given([created, started, broken]).when(object()).thenThrows('invalid_state', /broken/);
      given([created, started, adopted]).when(object()).thenThrows('invalid_state', /adopted/);
      given([created, started, voided]).when(object()).thenThrows('invalid_state', /withdrawn/);
    });
    it('refuses a delegate without a member state', () => given([created, started]).when(object({ memberState: null })).thenThrows('invalid_state', /member state/));
  });

  describe('VoidSilence', () => {
    it('lets a chair withdraw a running silence', () => given([created, started]).when(voidIt()).then([voided]));
    it('keeps the reason given', () =>
      given([created, started]).when(voidIt({ reason: ' New facts ' })).then([{ ...voided, data: { ...voided.data, reason: 'New facts' } } as ProposalEvent]));
    it('refuses a delegate', () => given([created, started]).when(voidIt({ actor: delegate })).thenThrows('forbidden', /chair/));
    it('refuses when nothing runs, and after the deadline', () => {
      given([created]).when(voidIt()).thenThrows('invalid_state', /No silence/);
      given([created, started, adopted]).when(voidIt()).thenThrows('invalid_state');
      given([created, started]).when(voidIt({ now: DEADLINE })).thenThrows('invalid_state', /has passed/);
    });
  });

  describe('while a silence runs', () => {
    const drafterCommand = (type: 'WithdrawProposal' | 'RestoreRevision') =>
      ({ type, data: { proposalId: 'p1', actor: drafter, submissionStatus: 'drafting', currentRevision: 10, fromRevision: 5, newRevision: 11 } }) as unknown as ProposalCommand;
    it('refuses to withdraw the proposal or restore a revision', () => {
      given([created, started]).when(drafterCommand('WithdrawProposal')).thenThrows('conflict', /silence procedure runs/);
      given([created, started]).when(drafterCommand('RestoreRevision')).thenThrows('conflict', /silence procedure runs/);
    });
    it('allows both once it is broken', () => {
      given([created, started, broken]).when(drafterCommand('WithdrawProposal')).then([{ type: 'ProposalWithdrawn', data: { proposalId: 'p1' } }]);
    });
  });

  describe('AdoptSilence', () => {
    it('adopts the circulated revision at the deadline', () => given([created, started]).when(adopt(DEADLINE)).then([adopted]));
    it('adopts later too (a node that was down)', () => given([created, started]).when(adopt(after(DEADLINE, 3_600_000))).then([adopted]));
    it('refuses before the deadline', () => given([created, started]).when(adopt(after(DEADLINE, -1))).thenThrows('conflict', /cannot be adopted before/));
    it('refuses adopting twice', () => given([created, started, adopted]).when(adopt(DEADLINE)).thenThrows('invalid_state', /adopted/));
    it('refuses a broken or withdrawn silence', () => {
      given([created, started, broken]).when(adopt(DEADLINE)).thenThrows('invalid_state', /broken/);
      given([created, started, voided]).when(adopt(DEADLINE)).thenThrows('invalid_state', /withdrawn/);
    });
    it('refuses another procedure than the running one', () => given([created, started]).when(adopt(DEADLINE, 'old')).thenThrows('conflict'));
    it('counts as an approval of the revision and its hash', () => {
      const state = [created, started, adopted].reduce(proposalDecider.evolve, proposalDecider.initialState());
      expect(state).toMatchObject({ status: 'approved', approval: { revision: 10, contentHash: HASH }, silence: { status: 'adopted' } });
    });
  });
});
