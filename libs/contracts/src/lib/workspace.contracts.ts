import type { Role } from './roles';
import type { ApprovalRuleDto } from './approval.contracts';

export interface WorkspaceDto {
  id: string;
  /** Abbreviation from the ISCM reference data, e.g. "ADD". */
  abbreviation: string;
  name: string;
  type: 'RCP' | 'IRF' | 'global';
  /** Review policy: a chair may approve only a revision with no open suggestions and no unresolved comments. */
  approvalNeedsClosedReview: boolean;
  /** Separation of duties: a chair may not approve a revision whose text they alone wrote. */
  chairCannotApproveOwnText: boolean;
  /** Who approves its proposals (ApprovalRuleChanged); null: any one chair (always sent by the server). */
  approvalRule?: ApprovalRuleDto | null;
  members: WorkspaceMemberDto[];
  /** The member states of the ISCM (reference data): whom its delegates may represent. */
  memberStates: MemberStateDto[];
}

/** `PUT /api/workspaces/<id>/separation-of-duties` (workspace or platform administrators). */
export interface SeparationOfDutiesRequest {
  chairCannotApproveOwnText: boolean;
}

/** `PUT /api/workspaces/<id>/review-policy` (workspace or platform administrators). */
export interface ReviewPolicyRequest {
  approvalNeedsClosedReview: boolean;
}

/** A member state of an ISCM: ISO 3166-1 alpha-2 code and English short name. */
export interface MemberStateDto {
  code: string;
  name: string;
}

export interface WorkspaceMemberDto {
  userId: string;
  /** The name shown to other members: a delegate's carries their member state, "Priya Sharma (India)". */
  name: string;
  email: string;
  roles: Role[];
  /** The member state a delegate represents; null for a member who is not a delegate. */
  memberState: MemberStateDto | null;
  /** The account is disabled (it cannot sign in); it keeps its roles until they are removed. */
  disabled: boolean;
}

export interface RegisterWorkspaceRequest {
  abbreviation: string;
  name: string;
  type: 'RCP' | 'IRF' | 'global';
}

export interface AddMemberRequest {
  userId: string;
  role: Role;
  /** Required for a delegate, refused for every other role: ISO 3166-1 alpha-2 code of a member state of the ISCM. */
  memberState?: string;
}

/** `PUT /api/workspaces/<id>/members/<userId>/role`: replaces the role `from` by `to` (a MemberRoleChanged event). */
export interface ChangeMemberRoleRequest {
  from: Role;
  to: Role;
  /** Required when `to` is delegate. */
  memberState?: string;
}

/** `POST /api/workspaces/<id>/invitations`: invites an email address with a role. */
export interface InviteRequest {
  email: string;
  role: Role;
  /** Required for a delegate, refused for every other role. */
  memberState?: string;
}

/** The one-time link, shown once to the administrator who issued it (only its hash is recorded). */
export interface InvitationLinkDto {
  invitationId: string;
  token: string;
  /** `/invitations/<token>`, to prefix with the site's origin. */
  invitationPath: string;
  expiresAt: string;
  /** Whether the link was mailed to the invitee (only when the server sends email: SMTP_URL). */
  emailed: boolean;
}

/** An invitation as administrators see it (`GET /api/workspaces/<id>/invitations`). */
export interface InvitationDto {
  invitationId: string;
  email: string;
  role: Role;
  memberState: MemberStateDto | null;
  expiresAt: string;
  invitedBy: string;
  status: 'pending' | 'accepted' | 'revoked' | 'expired';
}

/** What the person holding the link sees before accepting (`GET /api/invitations/<token>`, no sign-in). */
export interface InvitationPreviewDto {
  workspaceName: string;
  email: string;
  role: Role;
  memberState: MemberStateDto | null;
  expiresAt: string;
}

/** `POST /api/invitations/<token>/accept`: creates the account and makes it a member. */
export interface AcceptInvitationRequest {
  name: string;
  password: string;
}
