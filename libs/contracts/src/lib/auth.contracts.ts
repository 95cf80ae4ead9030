import type { Role } from './roles';

export interface LoginRequest {
  email: string;
  password: string;
}

export interface UserDto {
  id: string;
  email: string;
  name: string;
  /** Workspace memberships: the roles this user holds in each ISCM workspace. */
  memberships: MembershipDto[];
  /** Platform administrator (may register users and workspaces). */
  isAdmin: boolean;
}

export interface MembershipDto {
  iscmId: string;
  iscmName: string;
  roles: Role[];
}

export interface LoginResponse {
  accessToken: string;
  /** Seconds until the token expires. */
  expiresIn: number;
  user: UserDto;
}

export interface RegisterUserRequest {
  email: string;
  name: string;
  password: string;
}
