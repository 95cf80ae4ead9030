import type { Role } from './roles';

export interface WorkspaceDto {
  id: string;
  /** Abbreviation from the ISCM reference data, e.g. "ADD". */
  abbreviation: string;
  name: string;
  type: 'RCP' | 'IRF' | 'global';
  members: WorkspaceMemberDto[];
}

export interface WorkspaceMemberDto {
  userId: string;
  name: string;
  email: string;
  roles: Role[];
}

export interface RegisterWorkspaceRequest {
  abbreviation: string;
  name: string;
  type: 'RCP' | 'IRF' | 'global';
}

export interface AddMemberRequest {
  userId: string;
  role: Role;
}
