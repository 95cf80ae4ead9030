import type { Role } from '@concord/contracts';
import type { Principal } from '../shared/actor';
import { isRole } from '../shared/actor';
import type { Decider } from '../shared/decider';
import { unknownCommand } from '../shared/decider';
import { conflict, forbidden, invalid, notFound } from '../shared/domain-error';
import { boundedText, requiredString } from '../shared/validation';
import type {
  AddMember,
  ChangeMemberRole,
  MemberAdded,
  MemberRemoved,
  MemberRoleChanged,
  RegisterWorkspace,
  RemoveMember,
  WorkspaceCommand,
  WorkspaceEvent,
  WorkspaceRegistered,
  WorkspaceType,
} from './workspace.messages';

type Members = Readonly<Record<string, readonly Role[]>>;

export type WorkspaceState =
  | { readonly status: 'unregistered' }
  | { readonly status: 'registered'; readonly iscmId: string; readonly members: Members };

type RegisteredWorkspace = Extract<WorkspaceState, { status: 'registered' }>;

export const initialWorkspaceState = (): WorkspaceState => ({ status: 'unregistered' });

function withRoles(members: Members, userId: string, roles: readonly Role[]): Members {
  const others = Object.fromEntries(Object.entries(members).filter(([memberId]) => memberId !== userId));
  return roles.length === 0 ? others : { ...others, [userId]: roles };
}

export const rolesOf = (state: WorkspaceState, userId: string): readonly Role[] =>
  state.status === 'registered' && Object.hasOwn(state.members, userId) ? state.members[userId] : [];

export function evolveWorkspace(state: WorkspaceState, event: WorkspaceEvent): WorkspaceState {
  if (event.type === 'WorkspaceRegistered') {
    return { status: 'registered', iscmId: event.data.iscmId, members: {} };
  }
  if (state.status === 'unregistered') {
    return state;
  }
  const { userId } = event.data;
  const held = rolesOf(state, userId);
  switch (event.type) {
    case 'MemberAdded':
      return { ...state, members: withRoles(state.members, userId, [...held, event.data.role]) };
    case 'MemberRoleChanged':
      return {
        ...state,
        members: withRoles(state.members, userId, [...held.filter((role) => role !== event.data.from), event.data.to]),
      };
    case 'MemberRemoved':
      return {
        ...state,
        members: withRoles(state.members, userId, held.filter((role) => !event.data.roles.includes(role))),
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
    throw invalid(`${JSON.stringify(role)} is not a role; roles are drafter, chair, auditor and admin.`);
  }
  return role;
}

function addMember({ data }: AddMember, state: WorkspaceState): MemberAdded[] {
  const workspace = requireMemberManager(state, data.iscmId, data.actor);
  const role = knownRole(data.role);
  if (rolesOf(workspace, data.userId).includes(role)) {
    throw conflict(`User ${data.userId} is already ${role} of this workspace.`);
  }
  return [{ type: 'MemberAdded', data: { iscmId: workspace.iscmId, userId: requiredString(data.userId, 'userId'), role } }];
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
  return [{ type: 'MemberRoleChanged', data: { iscmId: workspace.iscmId, userId: data.userId, from, to } }];
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
    default:
      return unknownCommand(command);
  }
}

export const workspaceDecider: Decider<WorkspaceState, WorkspaceCommand, WorkspaceEvent> = {
  initialState: initialWorkspaceState,
  evolve: evolveWorkspace,
  decide: decideWorkspace,
};
