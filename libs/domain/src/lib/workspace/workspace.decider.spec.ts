import type { Role } from '@concord/contracts';
import { specificationFor } from '../../testing/decider-specification';
import type { Principal } from '../shared/actor';
import { memberStateOf, rolesOf, workspaceDecider } from './workspace.decider';
import type { MemberAdded, WorkspaceEvent, WorkspaceRegistered } from './workspace.messages';

const platformAdmin: Principal = { userId: 'root', isAdmin: true };
const workspaceAdmin: Principal = { userId: 'ws-admin', isAdmin: false };
const drafter: Principal = { userId: 'drafter-1', isAdmin: false };

const registered: WorkspaceRegistered = {
  type: 'WorkspaceRegistered',
  data: { iscmId: 'add', abbreviation: 'ADD', name: 'Abu Dhabi Dialogue', type: 'IRF' },
};
const added = (userId: string, role: Role): MemberAdded => ({ type: 'MemberAdded', data: { iscmId: 'add', userId, role } });
const workspace: WorkspaceEvent[] = [registered, added('ws-admin', 'admin'), added('drafter-1', 'drafter')];
/** What the handler passes from the reference data: the ISCM's member states. */
const ADD_MEMBER_STATES = ['AE', 'IN', 'PH'];
const delegateAdded = (userId: string, memberState: string): MemberAdded => ({
  type: 'MemberAdded',
  data: { iscmId: 'add', userId, role: 'delegate', memberState },
});

describe('Workspace', () => {
  const { given } = specificationFor(workspaceDecider);

  describe('RegisterWorkspace', () => {
    const register = (overrides: Record<string, unknown> = {}) =>
      ({
        type: 'RegisterWorkspace',
        data: { iscmId: 'add', abbreviation: ' ADD ', name: 'Abu Dhabi Dialogue', type: 'IRF', actor: platformAdmin, ...overrides },
      }) as const;

    it('registers a workspace', () => given([]).when(register()).then([registered]));
    it('is for platform administrators only', () =>
      given([]).when(register({ actor: workspaceAdmin })).thenThrows('forbidden'));
    it('rejects a workspace already registered', () => given([registered]).when(register()).thenThrows('conflict'));
    it('rejects an unknown workspace type', () =>
      given([]).when(register({ type: 'club' })).thenThrows('invalid', /RCP, IRF, global/));
    it('rejects an empty abbreviation', () => given([]).when(register({ abbreviation: '' })).thenThrows('invalid'));
    it('rejects a name over 200 characters', () =>
      given([]).when(register({ name: 'x'.repeat(201) })).thenThrows('invalid', /Name/));
  });

  describe('ChangeReviewPolicy', () => {
    const policy = (approvalNeedsClosedReview: unknown, actor: Principal = workspaceAdmin) =>
      ({ type: 'ChangeReviewPolicy', data: { iscmId: 'add', approvalNeedsClosedReview: approvalNeedsClosedReview as boolean, actor } }) as const;
    const changed = (approvalNeedsClosedReview: boolean) => ({ type: 'ReviewPolicyChanged', data: { iscmId: 'add', approvalNeedsClosedReview } }) as const;

    it('lets a workspace admin require a finished review for approval', () => given(workspace).when(policy(true)).then([changed(true)]));
    it('lets a platform admin lift it again', () => given([...workspace, changed(true)]).when(policy(false, platformAdmin)).then([changed(false)]));
    it('refuses a drafter', () => given(workspace).when(policy(true, drafter)).thenThrows('forbidden', /administrator/));
    it('refuses a change that changes nothing', () => given(workspace).when(policy(false)).thenThrows('conflict', /already lets chairs approve/));
    it('refuses anything but true or false', () => given(workspace).when(policy('yes')).thenThrows('invalid', /true or false/));
    it('refuses an unknown workspace', () => given([]).when(policy(true)).thenThrows('not_found'));
  });

  describe('AddMember', () => {
    const addMember = (userId: string, role: unknown, actor: Principal = workspaceAdmin) =>
      ({ type: 'AddMember', data: { iscmId: 'add', userId, role: role as Role, actor } }) as const;

    it('lets a workspace admin add a member', () =>
      given(workspace).when(addMember('chair-1', 'chair')).then([added('chair-1', 'chair')]));
    it('lets a platform admin add a member', () =>
      given([registered]).when(addMember('chair-1', 'chair', platformAdmin)).then([added('chair-1', 'chair')]));
    it('gives an existing member a further role', () =>
      given(workspace).when(addMember('drafter-1', 'chair')).then([added('drafter-1', 'chair')]));
    it('refuses members who are not admins', () =>
      given(workspace).when(addMember('chair-1', 'chair', drafter)).thenThrows('forbidden', /administrator/));
    it('rejects a role already held', () =>
      given(workspace).when(addMember('drafter-1', 'drafter')).thenThrows('conflict', /already drafter/));
    it('rejects an unknown role, naming the roles', () =>
      given(workspace).when(addMember('x', 'owner')).thenThrows('invalid', /roles are drafter, chair, auditor, admin and delegate\./));
    it('rejects a missing user id', () => given(workspace).when(addMember('', 'chair')).thenThrows('invalid'));
    it('rejects a missing workspace', () => given([]).when(addMember('x', 'chair', platformAdmin)).thenThrows('not_found'));

    describe('a delegate', () => {
      const addDelegate = (userId: string, memberState: string | undefined, role: unknown = 'delegate', memberStatesOfIscm = ADD_MEMBER_STATES) =>
        ({
          type: 'AddMember',
          data: { iscmId: 'add', userId, role: role as Role, memberState, memberStatesOfIscm, actor: workspaceAdmin },
        }) as const;

      it('is added with the member state they represent', () =>
        given(workspace).when(addDelegate('delegate-1', 'IN')).then([delegateAdded('delegate-1', 'IN')]));
      it('must be given a member state', () =>
        given(workspace).when(addDelegate('delegate-1', undefined)).thenThrows('invalid', /delegate represents a member state: give memberState/));
      it('must represent a member state of this ISCM', () =>
        given(workspace).when(addDelegate('delegate-1', 'MX')).thenThrows('invalid', /"MX" is not a member state of this ISCM; its member states are AE, IN, PH\./));
      it('cannot be added to an ISCM whose member states the reference data does not list', () =>
        given(workspace).when(addDelegate('delegate-1', 'IN', 'delegate', [])).thenThrows('invalid', /lists no member states/));
      it('is the only role given a member state', () =>
        given(workspace).when(addDelegate('chair-1', 'IN', 'chair')).thenThrows('invalid', /Only a delegate represents a member state; a chair is given none\./));
      it('lets a delegate also hold another role, which carries no member state', () =>
        given([...workspace, delegateAdded('delegate-1', 'IN')])
          .when(addMember('delegate-1', 'auditor'))
          .then([added('delegate-1', 'auditor')]));
      it('rejects adding the same user as delegate twice', () =>
        given([...workspace, delegateAdded('delegate-1', 'IN')]).when(addDelegate('delegate-1', 'AE')).thenThrows('conflict', /already delegate/));
    });
  });

  describe('ChangeMemberRole', () => {
    const change = (userId: string, from: unknown, to: unknown, actor: Principal = workspaceAdmin) =>
      ({ type: 'ChangeMemberRole', data: { iscmId: 'add', userId, from: from as Role, to: to as Role, actor } }) as const;

    it('replaces one role by another', () =>
      given(workspace)
        .when(change('drafter-1', 'drafter', 'chair'))
        .then([{ type: 'MemberRoleChanged', data: { iscmId: 'add', userId: 'drafter-1', from: 'drafter', to: 'chair' } }]));
    it('refuses members who are not admins', () =>
      given(workspace).when(change('drafter-1', 'drafter', 'chair', drafter)).thenThrows('forbidden'));
    it('rejects a role the member does not hold', () =>
      given(workspace).when(change('drafter-1', 'auditor', 'chair')).thenThrows('not_found', /not auditor/));
    it('rejects a role the member already holds', () =>
      given([...workspace, added('drafter-1', 'chair')]).when(change('drafter-1', 'drafter', 'chair')).thenThrows('conflict'));
    it('rejects an unknown role', () => given(workspace).when(change('drafter-1', 'drafter', 'boss')).thenThrows('invalid'));
    it('rejects a missing workspace', () =>
      given([]).when(change('drafter-1', 'drafter', 'chair', platformAdmin)).thenThrows('not_found'));

    describe('to or from delegate', () => {
      const changeTo = (userId: string, from: Role, to: Role, memberState?: string) =>
        ({
          type: 'ChangeMemberRole',
          data: { iscmId: 'add', userId, from, to, memberState, memberStatesOfIscm: ADD_MEMBER_STATES, actor: workspaceAdmin },
        }) as const;

      it('makes a member a delegate of the member state given', () =>
        given(workspace)
          .when(changeTo('drafter-1', 'drafter', 'delegate', 'PH'))
          .then([
            { type: 'MemberRoleChanged', data: { iscmId: 'add', userId: 'drafter-1', from: 'drafter', to: 'delegate', memberState: 'PH' } },
          ]));
      it('refuses a change to delegate without a member state', () =>
        given(workspace).when(changeTo('drafter-1', 'drafter', 'delegate')).thenThrows('invalid', /give memberState/));
      it('refuses a change to delegate of a state outside the ISCM', () =>
        given(workspace).when(changeTo('drafter-1', 'drafter', 'delegate', 'FR')).thenThrows('invalid', /"FR" is not a member state/));
      it('refuses a member state for a change to another role', () =>
        given([...workspace, delegateAdded('delegate-1', 'IN')])
          .when(changeTo('delegate-1', 'delegate', 'chair', 'IN'))
          .thenThrows('invalid', /Only a delegate represents a member state/));
    });
  });

  describe('RemoveMember', () => {
    const remove = (userId: string, role?: unknown, actor: Principal = workspaceAdmin) =>
      ({ type: 'RemoveMember', data: { iscmId: 'add', userId, role: role as Role | undefined, actor } }) as const;
    const twoRoles = [...workspace, added('drafter-1', 'chair')];

    it('takes one role away', () =>
      given(twoRoles)
        .when(remove('drafter-1', 'chair'))
        .then([{ type: 'MemberRemoved', data: { iscmId: 'add', userId: 'drafter-1', roles: ['chair'] } }]));
    it('removes a member with all their roles', () =>
      given(twoRoles)
        .when(remove('drafter-1'))
        .then([{ type: 'MemberRemoved', data: { iscmId: 'add', userId: 'drafter-1', roles: ['drafter', 'chair'] } }]));
    it('refuses members who are not admins', () => given(workspace).when(remove('drafter-1', undefined, drafter)).thenThrows('forbidden'));
    it('rejects someone who is not a member', () => given(workspace).when(remove('stranger')).thenThrows('not_found', /not a member/));
    it('rejects a role the member does not hold', () =>
      given(workspace).when(remove('drafter-1', 'chair')).thenThrows('not_found', /not chair/));
    it('rejects an unknown role', () => given(workspace).when(remove('drafter-1', 'boss')).thenThrows('invalid'));
    it('rejects a missing workspace', () => given([]).when(remove('drafter-1', undefined, platformAdmin)).thenThrows('not_found'));
  });

  describe('evolve', () => {
    const fold = (events: WorkspaceEvent[]) => events.reduce(workspaceDecider.evolve, workspaceDecider.initialState());

    it('tracks each member’s set of roles', () => {
      const state = fold([
        ...workspace,
        added('drafter-1', 'chair'),
        { type: 'MemberRoleChanged', data: { iscmId: 'add', userId: 'drafter-1', from: 'chair', to: 'auditor' } },
        { type: 'MemberRemoved', data: { iscmId: 'add', userId: 'ws-admin', roles: ['admin'] } },
      ]);
      expect(rolesOf(state, 'drafter-1')).toEqual(['drafter', 'auditor']);
      expect(state).toMatchObject({ members: { 'drafter-1': ['drafter', 'auditor'] } });
      expect(rolesOf(state, 'ws-admin')).toEqual([]);
      expect(state).not.toHaveProperty('members.ws-admin');
      expect(rolesOf(state, 'constructor')).toEqual([]);
    });

    it('keeps the member state of each delegate while they are one', () => {
      const roleChanged = (userId: string, from: Role, to: Role, memberState?: string): WorkspaceEvent => ({
        type: 'MemberRoleChanged',
        data: { iscmId: 'add', userId, from, to, ...(memberState ? { memberState } : {}) },
      });
      const withDelegates = [...workspace, delegateAdded('delegate-1', 'IN'), delegateAdded('delegate-2', 'AE')];
      expect(memberStateOf(fold(withDelegates), 'delegate-1')).toBe('IN');
      expect(memberStateOf(fold(withDelegates), 'delegate-2')).toBe('AE');
      expect(memberStateOf(fold(withDelegates), 'drafter-1')).toBeUndefined();

      const afterward = fold([
        ...withDelegates,
        { type: 'MemberRemoved', data: { iscmId: 'add', userId: 'delegate-1', roles: ['delegate'] } },
        roleChanged('delegate-2', 'delegate', 'auditor'),
        roleChanged('drafter-1', 'drafter', 'delegate', 'PH'),
      ]);
      expect(memberStateOf(afterward, 'delegate-1')).toBeUndefined();
      expect(memberStateOf(afterward, 'delegate-2')).toBeUndefined();
      expect(rolesOf(afterward, 'delegate-2')).toEqual(['auditor']);
      expect(memberStateOf(afterward, 'drafter-1')).toBe('PH');
      expect(memberStateOf(afterward, 'constructor')).toBeUndefined();
    });
  });

  describe('separation of duties', () => {
    const change = (chairCannotApproveOwnText: unknown, actor: Principal = workspaceAdmin) =>
      ({ type: 'ChangeSeparationOfDuties', data: { iscmId: 'add', chairCannotApproveOwnText: chairCannotApproveOwnText as boolean, actor } }) as const;
    const changed = (chairCannotApproveOwnText: boolean) =>
      ({ type: 'SeparationOfDutiesChanged', data: { iscmId: 'add', chairCannotApproveOwnText } }) as const;

    it('lets a workspace admin refuse a chair’s approval of their own text', () => given(workspace).when(change(true)).then([changed(true)]));
    it('lets a platform admin turn it off again', () => given([...workspace, changed(true)]).when(change(false, platformAdmin)).then([changed(false)]));
    it('refuses a drafter', () => given(workspace).when(change(true, drafter)).thenThrows('forbidden', /administrator/));
    it('refuses a change that changes nothing', () => given(workspace).when(change(false)).thenThrows('conflict', /already lets/));
    it('refuses anything but true or false', () => given(workspace).when(change('on')).thenThrows('invalid'));
    it('refuses an admin making themselves chair, by adding the role', () =>
      given(workspace)
        .when({ type: 'AddMember', data: { iscmId: 'add', userId: 'ws-admin', role: 'chair', actor: workspaceAdmin } })
        .thenThrows('forbidden', /Separation of duties/));
    it('refuses a platform admin making themselves chair, by changing a role', () =>
      given([...workspace, added('root', 'drafter')])
        .when({ type: 'ChangeMemberRole', data: { iscmId: 'add', userId: 'root', from: 'drafter', to: 'chair', actor: platformAdmin } })
        .thenThrows('forbidden', /Separation of duties/));
    it('lets an admin make someone else chair', () =>
      given(workspace)
        .when({ type: 'ChangeMemberRole', data: { iscmId: 'add', userId: 'drafter-1', from: 'drafter', to: 'chair', actor: workspaceAdmin } })
        .then([{ type: 'MemberRoleChanged', data: { iscmId: 'add', userId: 'drafter-1', from: 'drafter', to: 'chair' } }]));
  });

  describe('invitations', () => {
    const issue = (overrides: Record<string, unknown> = {}) =>
      ({
        type: 'IssueInvitation',
        data: {
          iscmId: 'add',
          invitationId: 'inv-1',
          email: ' Focal.Point@Example.org ',
          role: 'delegate' as Role,
          memberState: 'IN',
          memberStatesOfIscm: ADD_MEMBER_STATES,
          tokenHash: 'hash-1',
          expiresAt: '2026-12-14T00:00:00.000Z',
          actor: workspaceAdmin,
          ...overrides,
        },
      }) as const;
    const issued = {
      type: 'InvitationIssued',
      data: {
        invitationId: 'inv-1',
        iscmId: 'add',
        email: 'focal.point@example.org',
        role: 'delegate',
        memberState: 'IN',
        tokenHash: 'hash-1',
        expiresAt: '2026-12-14T00:00:00.000Z',
        invitedBy: 'ws-admin',
      },
    } as const;
    const accept = (tokenHash = 'hash-1', now = '2026-12-08T00:00:00.000Z') =>
      ({ type: 'AcceptInvitation', data: { iscmId: 'add', tokenHash, userId: 'new-user', now } }) as const;
    const accepted = { type: 'InvitationAccepted', data: { invitationId: 'inv-1', iscmId: 'add', userId: 'new-user', email: 'focal.point@example.org' } } as const;
    const revoke = (actor: Principal = workspaceAdmin) => ({ type: 'RevokeInvitation', data: { iscmId: 'add', invitationId: 'inv-1', actor } }) as const;
    const revoked = { type: 'InvitationRevoked', data: { invitationId: 'inv-1', iscmId: 'add' } } as const;

    it('records the invitation with the hash of its token and a normalised email', () => given(workspace).when(issue()).then([issued]));
    it('is for administrators of the workspace', () => given(workspace).when(issue({ actor: drafter })).thenThrows('forbidden'));
    it('needs a member state of the ISCM for a delegate', () =>
      given(workspace).when(issue({ memberState: 'FR' })).thenThrows('invalid', /not a member state/));
    it('needs an email address', () => given(workspace).when(issue({ email: 'nobody' })).thenThrows('invalid', /email/));
    it('refuses an unknown role', () => given(workspace).when(issue({ role: 'king', memberState: undefined })).thenThrows('invalid'));
    it('adds the invitee as a member when accepted, in the same append', () =>
      given([...workspace, issued])
        .when(accept())
        .then([accepted, { type: 'MemberAdded', data: { iscmId: 'add', userId: 'new-user', role: 'delegate', memberState: 'IN' } }]));
    it('is used once', () =>
      given([...workspace, issued, accepted]).when(accept()).thenThrows('invalid_state', /already been used/));
    it('expires', () => given([...workspace, issued]).when(accept('hash-1', '2026-12-14T00:00:00.000Z')).thenThrows('invalid_state', /expired/));
    it('cannot be accepted once revoked', () => given([...workspace, issued, revoked]).when(accept()).thenThrows('invalid_state', /withdrawn/));
    it('refuses a token it never issued', () => given([...workspace, issued]).when(accept('other')).thenThrows('not_found'));
    it('is revoked by an administrator', () => given([...workspace, issued]).when(revoke()).then([revoked]));
    it('is not revoked by a drafter', () => given([...workspace, issued]).when(revoke(drafter)).thenThrows('forbidden'));
    it('is not revoked once accepted', () => given([...workspace, issued, accepted]).when(revoke()).thenThrows('conflict', /accepted/));
  });
});
