import type { Role } from './roles';

export interface WorkspaceDto {
  id: string;
  /** Abbreviation from the ISCM reference data, e.g. "ADD". */
  abbreviation: string;
  name: string;
  type: 'RCP' | 'IRF' | 'global';
  /** Review policy: a chair may approve only a revision with no open suggestions and no unresolved comments. */
  approvalNeedsClosedReview: boolean;
  members: WorkspaceMemberDto[];
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
