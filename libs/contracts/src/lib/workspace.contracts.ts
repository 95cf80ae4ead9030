import type { Role } from './roles';

export interface WorkspaceDto {
  id: string;
  /** Abbreviation from the ISCM reference data, e.g. "ADD". */
  abbreviation: string;
  name: string;
  type: 'RCP' | 'IRF' | 'global';
  members: WorkspaceMemberDto[];
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
