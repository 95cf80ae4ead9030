import type { Role } from '@concord/contracts';
import type { Principal } from '../shared/actor';
import { isRole, ROLES_IN_WORDS } from '../shared/actor';
import type { Decider } from '../shared/decider';
import { unknownCommand } from '../shared/decider';
import { conflict, forbidden, invalid, notFound } from '../shared/domain-error';
import { boundedText, requiredString } from '../shared/validation';
import type {
  AddMember,
  ChangeMemberRole,
  ChangeReviewPolicy,
  MemberStateChoice,
  MemberAdded,
  MemberRemoved,
  MemberRoleChanged,
  RegisterWorkspace,
  RemoveMember,
  ReviewPolicyChanged,
  WorkspaceCommand,
  WorkspaceEvent,
  WorkspaceRegistered,
  WorkspaceType,
} from './workspace.messages';

type Members = Readonly<Record<string, readonly Role[]>>;
/** The member state (ISO 3166-1 alpha-2) each delegate represents, by user id. */
type MemberStates = Readonly<Record<string, string>>;

export type WorkspaceState =
  | { readonly status: 'unregistered' }
  | {
      readonly status: 'registered';
      readonly iscmId: string;
      readonly members: Members;
      readonly memberStates: MemberStates;
      /** Approval refused while suggestions or comment threads are open (ReviewPolicyChanged). */
      readonly approvalNeedsClosedReview: boolean;
    };

type RegisteredWorkspace = Extract<WorkspaceState, { status: 'registered' }>;

export const initialWorkspaceState = (): WorkspaceState => ({ status: 'unregistered' });

function withRoles(members: Members, userId: string, roles: readonly Role[]): Members {
  const others = Object.fromEntries(Object.entries(members).filter(([memberId]) => memberId !== userId));
  return roles.length === 0 ? others : { ...others, [userId]: roles };
}

export const rolesOf = (state: WorkspaceState, userId: string): readonly Role[] =>
  state.status === 'registered' && Object.hasOwn(state.members, userId) ? state.members[userId] : [];

/** The member state a delegate represents; undefined for anyone who is not a delegate. */
export const memberStateOf = (state: WorkspaceState, userId: string): string | undefined =>
  state.status === 'registered' && Object.hasOwn(state.memberStates, userId) ? state.memberStates[userId] : undefined;

function withMemberState(memberStates: MemberStates, userId: string, memberState: string | undefined): MemberStates {
  const others = Object.fromEntries(Object.entries(memberStates).filter(([memberId]) => memberId !== userId));
  return memberState === undefined ? others : { ...others, [userId]: memberState };
}

export function evolveWorkspace(state: WorkspaceState, event: WorkspaceEvent): WorkspaceState {
  if (event.type === 'WorkspaceRegistered') {
    return { status: 'registered', iscmId: event.data.iscmId, members: {}, memberStates: {}, approvalNeedsClosedReview: false };
  }
  if (state.status === 'unregistered') {
    return state;
  }
  if (event.type === 'ReviewPolicyChanged') return { ...state, approvalNeedsClosedReview: event.data.approvalNeedsClosedReview };
  const { userId } = event.data;
  const held = rolesOf(state, userId);
  switch (event.type) {
    case 'MemberAdded':
      return {
        ...state,
        members: withRoles(state.members, userId, [...held, event.data.role]),
        memberStates: event.data.role === 'delegate' ? withMemberState(state.memberStates, userId, event.data.memberState) : state.memberStates,
      };
    case 'MemberRoleChanged': {
      const { from, to, memberState } = event.data;
      const memberStates =
        to === 'delegate'
          ? withMemberState(state.memberStates, userId, memberState)
          : from === 'delegate'
            ? withMemberState(state.memberStates, userId, undefined)
            : state.memberStates;
      return { ...state, members: withRoles(state.members, userId, [...held.filter((role) => role !== from), to]), memberStates };
    }
    case 'MemberRemoved':
      return {
        ...state,
        members: withRoles(state.members, userId, held.filter((role) => !event.data.roles.includes(role))),
        memberStates: event.data.roles.includes('delegate') ? withMemberState(state.memberStates, userId, undefined) : state.memberStates,
      };
  }
}

const WORKSPACE_TYPES: readonly WorkspaceType[] = ['RCP', 'IRF', 'global'];

function registerWorkspace({ data }: RegisterWorkspace, state: WorkspaceState): WorkspaceRegistered[] {
  if (!data.actor.isAdmin) {
    throw forbidden('Only a platform administrator may register an ISCM workspace.');
  }
  if (state.status === 'registered') {
    throw conflict(`Workspace ${data.iscmId} is already registered.`);
  }
  if (!WORKSPACE_TYPES.includes(data.type)) {
    throw invalid(`Workspace type must be one of ${WORKSPACE_TYPES.join(', ')}, got ${JSON.stringify(data.type)}.`);
  }
  return [
    {
      type: 'WorkspaceRegistered',
      data: {
        iscmId: requiredString(data.iscmId, 'iscmId'),
        abbreviation: boundedText(data.abbreviation, 'Abbreviation', 20),
        name: boundedText(data.name, 'Name', 200),
        type: data.type,
      },
    },
  ];
}

function requireMemberManager(state: WorkspaceState, iscmId: string, actor: Principal): RegisteredWorkspace {
  if (state.status === 'unregistered') {
    throw notFound(`There is no workspace ${iscmId}.`);
  }
  if (!actor.isAdmin && !rolesOf(state, actor.userId).includes('admin')) {
    throw forbidden('Only an administrator of this workspace may manage its members.');
  }
  return state;
}

function knownRole(role: unknown): Role {
  if (!isRole(role)) {
    throw invalid(`${JSON.stringify(role)} is not a role; roles are ${ROLES_IN_WORDS}.`);
  }
  return role;
}

/**
 * The member state a new `role` holder comes with: required for a delegate, who speaks for one member
 * state of the ISCM; refused for every other role, which speaks for no State.
 */
function memberStateFor(role: Role, { memberState, memberStatesOfIscm = [] }: MemberStateChoice): { memberState?: string } {
  if (role !== 'delegate') {
    if (memberState !== undefined) {
      throw invalid(`Only a delegate represents a member state; a ${role} is given none.`);
    }
    return {};
  }
  if (memberStatesOfIscm.length === 0) {
    throw invalid('The reference data lists no member states of this ISCM, so it cannot have delegates yet.');
  }
  if (memberState === undefined || memberState === '') {
    throw invalid(
      'A delegate represents a member state: give memberState, the ISO 3166-1 alpha-2 code of a member state of this ISCM.',
    );
  }
  if (!memberStatesOfIscm.includes(memberState)) {
    throw invalid(
      `${JSON.stringify(memberState)} is not a member state of this ISCM; its member states are ${memberStatesOfIscm.join(', ')}.`,
    );
  }
  return { memberState };
}

function addMember({ data }: AddMember, state: WorkspaceState): MemberAdded[] {
  const workspace = requireMemberManager(state, data.iscmId, data.actor);
  const role = knownRole(data.role);
  if (rolesOf(workspace, data.userId).includes(role)) {
    throw conflict(`User ${data.userId} is already ${role} of this workspace.`);
  }
  const userId = requiredString(data.userId, 'userId');
  return [{ type: 'MemberAdded', data: { iscmId: workspace.iscmId, userId, role, ...memberStateFor(role, data) } }];
}

function changeMemberRole({ data }: ChangeMemberRole, state: WorkspaceState): MemberRoleChanged[] {
  const workspace = requireMemberManager(state, data.iscmId, data.actor);
  const [from, to] = [knownRole(data.from), knownRole(data.to)];
  const held = rolesOf(workspace, data.userId);
  if (!held.includes(from)) {
    throw notFound(`User ${data.userId} is not ${from} of this workspace.`);
  }
  if (held.includes(to)) {
    throw conflict(`User ${data.userId} is already ${to} of this workspace.`);
  }
  return [{ type: 'MemberRoleChanged', data: { iscmId: workspace.iscmId, userId: data.userId, from, to, ...memberStateFor(to, data) } }];
}

function removeMember({ data }: RemoveMember, state: WorkspaceState): MemberRemoved[] {
  const workspace = requireMemberManager(state, data.iscmId, data.actor);
  const held = rolesOf(workspace, data.userId);
  const role = data.role === undefined ? undefined : knownRole(data.role);
  if (held.length === 0) {
    throw notFound(`User ${data.userId} is not a member of this workspace.`);
  }
  if (role !== undefined && !held.includes(role)) {
    throw notFound(`User ${data.userId} is not ${role} of this workspace.`);
  }
  const roles = role === undefined ? [...held] : [role];
  return [{ type: 'MemberRemoved', data: { iscmId: workspace.iscmId, userId: data.userId, roles } }];
}

function changeReviewPolicy({ data }: ChangeReviewPolicy, state: WorkspaceState): ReviewPolicyChanged[] {
  if (state.status === 'unregistered') throw notFound(`There is no workspace ${data.iscmId}.`);
  if (!data.actor.isAdmin && !rolesOf(state, data.actor.userId).includes('admin')) {
    throw forbidden('Only an administrator of this workspace may change its review policy.');
  }
  if (typeof data.approvalNeedsClosedReview !== 'boolean') throw invalid('approvalNeedsClosedReview must be true or false.');
  if (data.approvalNeedsClosedReview === state.approvalNeedsClosedReview) {
    throw conflict(
      data.approvalNeedsClosedReview
        ? 'This workspace already approves only texts whose review is finished.'
        : 'This workspace already lets chairs approve while suggestions or comments are open.',
    );
  }
  return [{ type: 'ReviewPolicyChanged', data: { iscmId: state.iscmId, approvalNeedsClosedReview: data.approvalNeedsClosedReview } }];
}

export function decideWorkspace(command: WorkspaceCommand, state: WorkspaceState): WorkspaceEvent[] {
  switch (command.type) {
    case 'RegisterWorkspace':
      return registerWorkspace(command, state);
    case 'AddMember':
      return addMember(command, state);
    case 'ChangeMemberRole':
      return changeMemberRole(command, state);
    case 'RemoveMember':
      return removeMember(command, state);
    case 'ChangeReviewPolicy':
      return changeReviewPolicy(command, state);
    default:
      return unknownCommand(command);
  }
}

export const workspaceDecider: Decider<WorkspaceState, WorkspaceCommand, WorkspaceEvent> = {
  initialState: initialWorkspaceState,
  evolve: evolveWorkspace,
  decide: decideWorkspace,
};
