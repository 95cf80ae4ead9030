import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type {
  AcceptInvitationRequest,
  AdminUserDto,
  ChangeMemberRoleRequest,
  InvitationDto,
  InvitationLinkDto,
  InvitationPreviewDto,
  InviteRequest,
  Role,
  WorkspaceDto,
  ChangePasswordRequest,
  LoginResponse,
  MfaSetupDto,
  MfaStatusDto,
  PasswordResetLinkDto,
  RecoveryCodesDto,
  SessionDto,
} from '@concord/contracts';
import { firstValueFrom } from 'rxjs';

/** The account, second-factor and user-administration endpoints (`/api/account`, `/api/admin/users`). */
@Injectable({ providedIn: 'root' })
export class AccountApi {
  private readonly http = inject(HttpClient);

  changePassword(request: ChangePasswordRequest): Promise<void> {
    return firstValueFrom(this.http.post<void>('/api/account/password', request));
  }

  mfaStatus(): Promise<MfaStatusDto> {
    return firstValueFrom(this.http.get<MfaStatusDto>('/api/account/mfa'));
  }

  startMfaSetup(): Promise<MfaSetupDto> {
    return firstValueFrom(this.http.post<MfaSetupDto>('/api/account/mfa/setup', {}));
  }

  confirmMfa(enrolmentToken: string, code: string): Promise<RecoveryCodesDto> {
    return firstValueFrom(this.http.post<RecoveryCodesDto>('/api/account/mfa/confirm', { enrolmentToken, code }));
  }

  disableMfa(password: string, code: string): Promise<void> {
    return firstValueFrom(this.http.post<void>('/api/account/mfa/disable', { password, code }));
  }

  completeSignIn(mfaToken: string, code: string): Promise<LoginResponse> {
    return firstValueFrom(this.http.post<LoginResponse>('/api/auth/mfa', { mfaToken, code }));
  }

  resetPassword(token: string, newPassword: string): Promise<void> {
    return firstValueFrom(this.http.post<void>('/api/auth/reset', { token, newPassword }));
  }

  /** My open sessions, newest first (`current` marks the one this browser uses). */
  sessions(): Promise<SessionDto[]> {
    return firstValueFrom(this.http.get<SessionDto[]>('/api/auth/sessions'));
  }

  /** Ends one of my sessions: that device is signed out at once (its sockets close too). */
  endSession(sessionId: string): Promise<void> {
    return firstValueFrom(this.http.delete<void>(`/api/auth/sessions/${encodeURIComponent(sessionId)}`));
  }

  users(): Promise<AdminUserDto[]> {
    return firstValueFrom(this.http.get<AdminUserDto[]>('/api/admin/users'));
  }

  disableUser(userId: string): Promise<void> {
    return firstValueFrom(this.http.post<void>(`/api/users/${encodeURIComponent(userId)}/disable`, {}));
  }

  reenableUser(userId: string): Promise<void> {
    return firstValueFrom(this.http.post<void>(`/api/admin/users/${encodeURIComponent(userId)}/reenable`, {}));
  }

  issueResetLink(userId: string): Promise<PasswordResetLinkDto> {
    return firstValueFrom(this.http.post<PasswordResetLinkDto>(`/api/admin/users/${encodeURIComponent(userId)}/password-reset`, {}));
  }

  turnOffUserMfa(userId: string): Promise<void> {
    return firstValueFrom(this.http.post<void>(`/api/admin/users/${encodeURIComponent(userId)}/mfa/disable`, {}));
  }

  // Workspace administration (members, roles, invitations): workspace and platform administrators.

  workspace(iscmId: string): Promise<WorkspaceDto> {
    return firstValueFrom(this.http.get<WorkspaceDto>(`/api/workspaces/${encodeURIComponent(iscmId)}`));
  }

  changeRole(iscmId: string, userId: string, request: ChangeMemberRoleRequest): Promise<void> {
    return firstValueFrom(
      this.http.put<void>(`/api/workspaces/${encodeURIComponent(iscmId)}/members/${encodeURIComponent(userId)}/role`, request),
    );
  }

  /** Takes one role from a member (a MemberRemoved event); they stay a member while they hold another. */
  removeRole(iscmId: string, userId: string, role: Role): Promise<void> {
    return firstValueFrom(
      this.http.delete<void>(`/api/workspaces/${encodeURIComponent(iscmId)}/members/${encodeURIComponent(userId)}`, { params: { role } }),
    );
  }

  invitations(iscmId: string): Promise<InvitationDto[]> {
    return firstValueFrom(this.http.get<InvitationDto[]>(`/api/workspaces/${encodeURIComponent(iscmId)}/invitations`));
  }

  invite(iscmId: string, request: InviteRequest): Promise<InvitationLinkDto> {
    return firstValueFrom(this.http.post<InvitationLinkDto>(`/api/workspaces/${encodeURIComponent(iscmId)}/invitations`, request));
  }

  revokeInvitation(iscmId: string, invitationId: string): Promise<void> {
    return firstValueFrom(
      this.http.delete<void>(`/api/workspaces/${encodeURIComponent(iscmId)}/invitations/${encodeURIComponent(invitationId)}`),
    );
  }

  /** The invitee's side (no sign-in): what the link invites to, then accepting it. */
  previewInvitation(token: string): Promise<InvitationPreviewDto> {
    return firstValueFrom(this.http.get<InvitationPreviewDto>(`/api/invitations/${encodeURIComponent(token)}`));
  }

  acceptInvitation(token: string, request: AcceptInvitationRequest): Promise<{ userId: string; email: string }> {
    return firstValueFrom(this.http.post<{ userId: string; email: string }>(`/api/invitations/${encodeURIComponent(token)}/accept`, request));
  }
}
