import type { Role, WorkspaceDto } from '@concord/contracts';
import type { Principal } from '../shared/actor';
import type { Command, Event } from '../shared/decider';

export type WorkspaceType = WorkspaceDto['type'];

export type RegisterWorkspace = Command<
  'RegisterWorkspace',
  { iscmId: string; abbreviation: string; name: string; type: WorkspaceType; actor: Principal }
>;
/** Grants `role` to `userId`, making them a member if they were not one. */
export type AddMember = Command<'AddMember', { iscmId: string; userId: string; role: Role; actor: Principal }>;
/** Replaces one role the member holds by another. */
export type ChangeMemberRole = Command<
  'ChangeMemberRole',
  { iscmId: string; userId: string; from: Role; to: Role; actor: Principal }
>;
/** Takes one role from the member or, without `role`, all of them. */
export type RemoveMember = Command<'RemoveMember', { iscmId: string; userId: string; role?: Role; actor: Principal }>;
export type WorkspaceCommand = RegisterWorkspace | AddMember | ChangeMemberRole | RemoveMember;

export type WorkspaceRegistered = Event<
  'WorkspaceRegistered',
  { iscmId: string; abbreviation: string; name: string; type: WorkspaceType }
>;
export type MemberAdded = Event<'MemberAdded', { iscmId: string; userId: string; role: Role }>;
export type MemberRoleChanged = Event<'MemberRoleChanged', { iscmId: string; userId: string; from: Role; to: Role }>;
/** `roles` are the roles taken away; the user stays a member while they hold any other. */
export type MemberRemoved = Event<'MemberRemoved', { iscmId: string; userId: string; roles: readonly Role[] }>;
export type WorkspaceEvent = WorkspaceRegistered | MemberAdded | MemberRoleChanged | MemberRemoved;
