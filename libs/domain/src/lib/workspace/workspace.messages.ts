import type { Role, WorkspaceDto } from '@concord/contracts';
import type { Principal } from '../shared/actor';
import type { Command, Event } from '../shared/decider';
import type { SealedSecret } from '../user/user.messages';

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
/**
 * Separation of duties, configurable: when on, a chair may not approve a revision whose text they
 * alone wrote (the drafting API passes the authors of the text to the proposal's approval).
 */
export type ChangeSeparationOfDuties = Command<
  'ChangeSeparationOfDuties',
  { iscmId: string; chairCannotApproveOwnText: boolean; actor: Principal }
>;
/**
 * The workspace's approval rule (issue 14 §2, e.g. the chairs' troika): `approvers` are user ids of
 * chairs of the workspace, `required` how many of them must approve the same revision and content
 * hash (all: `required = approvers.length`). No approvers: any one chair approves (the default).
 */
export interface ApprovalRule {
  readonly approvers: readonly string[];
  readonly required: number;
}
export type ChangeApprovalRule = Command<'ChangeApprovalRule', { iscmId: string; approvers: readonly string[]; required?: number; actor: Principal }>;
/**
 * An administrator invites an email address to join with a role (a delegate: with a member state).
 * Only the SHA-256 of the one-time token is recorded; `expiresAt` is given (the domain has no clock).
 */
export type IssueInvitation = Command<
  'IssueInvitation',
  {
    iscmId: string;
    invitationId: string;
    email: string;
    role: Role;
    tokenHash: string;
    expiresAt: string;
    actor: Principal;
  } & MemberStateChoice
>;
/** Whoever holds the link accepts it, once the account `userId` is registered for the invited email. */
export type AcceptInvitation = Command<'AcceptInvitation', { iscmId: string; tokenHash: string; userId: string; now: string }>;
export type RevokeInvitation = Command<'RevokeInvitation', { iscmId: string; invitationId: string; actor: Principal }>;
/**
 * An administrator registers a webhook: `url` gets a signed delivery for each of `events` (public
 * names, `WEBHOOK_EVENT_NAMES`). The signing secret is generated and sealed by the server: the log
 * holds it only sealed (AES-256-GCM), never in clear.
 */
export type RegisterWebhook = Command<
  'RegisterWebhook',
  { iscmId: string; webhookId: string; url: string; events: readonly string[]; secret: SealedSecret; actor: Principal }
>;
export type RemoveWebhook = Command<'RemoveWebhook', { iscmId: string; webhookId: string; actor: Principal }>;
export type WorkspaceCommand =
  | RegisterWorkspace
  | AddMember
  | ChangeMemberRole
  | RemoveMember
  | ChangeReviewPolicy
  | ChangeSeparationOfDuties
  | ChangeApprovalRule
  | IssueInvitation
  | AcceptInvitation
  | RevokeInvitation
  | RegisterWebhook
  | RemoveWebhook;

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
export type SeparationOfDutiesChanged = Event<'SeparationOfDutiesChanged', { iscmId: string; chairCannotApproveOwnText: boolean }>;
/** The approval rule from now on; `approvers: []` (with `required: 0`) is back to "any one chair". */
export type ApprovalRuleChanged = Event<'ApprovalRuleChanged', { iscmId: string; approvers: string[]; required: number }>;
/** `memberState` is present exactly when `role` is `delegate`; `tokenHash` is the SHA-256 (hex) of the link's token. */
export type InvitationIssued = Event<
  'InvitationIssued',
  {
    invitationId: string;
    iscmId: string;
    email: string;
    role: Role;
    memberState?: string;
    tokenHash: string;
    expiresAt: string;
    invitedBy: string;
  }
>;
/** Recorded together with the invitee's `MemberAdded`, in one append. */
export type InvitationAccepted = Event<'InvitationAccepted', { invitationId: string; iscmId: string; userId: string; email: string }>;
export type InvitationRevoked = Event<'InvitationRevoked', { invitationId: string; iscmId: string }>;
/** `secret` is sealed (the audit never shows a field named `secret`); `events` are public webhook event names. */
export type WebhookRegistered = Event<
  'WebhookRegistered',
  { iscmId: string; webhookId: string; url: string; events: readonly string[]; secret: SealedSecret; registeredBy: string }
>;
export type WebhookRemoved = Event<'WebhookRemoved', { iscmId: string; webhookId: string }>;
export type WorkspaceEvent =
  | WorkspaceRegistered
  | MemberAdded
  | MemberRoleChanged
  | MemberRemoved
  | ReviewPolicyChanged
  | SeparationOfDutiesChanged
  | ApprovalRuleChanged
  | InvitationIssued
  | InvitationAccepted
  | InvitationRevoked
  | WebhookRegistered
  | WebhookRemoved;
