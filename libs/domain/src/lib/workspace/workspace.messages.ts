import type { Role, WorkspaceDto } from '@concord/contracts';
import type { Principal } from '../shared/actor';
import type { Command, Event } from '../shared/decider';

export type WorkspaceType = WorkspaceDto['type'];

export type RegisterWorkspace = Command<
  'RegisterWorkspace',
  { iscmId: string; abbreviation: string; name: string; type: WorkspaceType; actor: Principal }
>;
/**
 * A delegate's member state: `memberState` is the ISO 3166-1 alpha-2 code the caller gave, and
 * `memberStatesOfIscm` the codes of the ISCM's member states, which the handler looks up in the
 * reference data (the domain reads no reference files).
 */
export interface MemberStateChoice {
  memberState?: string;
  memberStatesOfIscm?: readonly string[];
}
/** Grants `role` to `userId`, making them a member if they were not one. A delegate needs a member state. */
export type AddMember = Command<
  'AddMember',
  { iscmId: string; userId: string; role: Role; actor: Principal } & MemberStateChoice
>;
/** Replaces one role the member holds by another; a change to delegate needs a member state. */
export type ChangeMemberRole = Command<
  'ChangeMemberRole',
  { iscmId: string; userId: string; from: Role; to: Role; actor: Principal } & MemberStateChoice
>;
/** Takes one role from the member or, without `role`, all of them. */
export type RemoveMember = Command<'RemoveMember', { iscmId: string; userId: string; role?: Role; actor: Principal }>;
/**
 * The workspace's review policy: whether a chair may approve a revision while suggestions in its
 * text or comment threads on it are still open (the approval dialog always shows them).
 */
export type ChangeReviewPolicy = Command<'ChangeReviewPolicy', { iscmId: string; approvalNeedsClosedReview: boolean; actor: Principal }>;
export type WorkspaceCommand = RegisterWorkspace | AddMember | ChangeMemberRole | RemoveMember | ChangeReviewPolicy;

export type WorkspaceRegistered = Event<
  'WorkspaceRegistered',
  { iscmId: string; abbreviation: string; name: string; type: WorkspaceType }
>;
/** `memberState` (ISO 3166-1 alpha-2) is present exactly when `role` is `delegate`. */
export type MemberAdded = Event<'MemberAdded', { iscmId: string; userId: string; role: Role; memberState?: string }>;
/** `memberState` is present exactly when `to` is `delegate`. */
export type MemberRoleChanged = Event<
  'MemberRoleChanged',
  { iscmId: string; userId: string; from: Role; to: Role; memberState?: string }
>;
/** `roles` are the roles taken away; the user stays a member while they hold any other. */
export type MemberRemoved = Event<'MemberRemoved', { iscmId: string; userId: string; roles: readonly Role[] }>;
export type ReviewPolicyChanged = Event<'ReviewPolicyChanged', { iscmId: string; approvalNeedsClosedReview: boolean }>;
export type WorkspaceEvent = WorkspaceRegistered | MemberAdded | MemberRoleChanged | MemberRemoved | ReviewPolicyChanged;
