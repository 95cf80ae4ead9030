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
  /** Seconds until the token expires (then POST /api/auth/refresh, with the HttpOnly refresh cookie). */
  expiresIn: number;
  user: UserDto;
  /** The server-side session this sign-in opened. */
  sessionId?: string;
}

/** `POST /api/auth/refresh` answers like a sign-in (and rotates the refresh cookie). */
export type RefreshResponse = LoginResponse;

/** One of my open sessions (`GET /api/auth/sessions`). */
export interface SessionDto {
  id: string;
  startedAt: string;
  lastSeenAt: string;
  /** Absolute end of the session. */
  expiresAt: string;
  userAgent: string;
  /** The session this request was made with. */
  current: boolean;
}

/** `POST /api/collab/tickets {proposalId?}`: a single-use ticket for `/collab/<id>?ticket=`. */
export interface CollabTicketRequest {
  proposalId?: string;
}

export interface CollabTicketResponse {
  ticket: string;
  /** Seconds the ticket stays valid (at most 60). */
  expiresIn: number;
}

export interface RegisterUserRequest {
  email: string;
  name: string;
  password: string;
}
