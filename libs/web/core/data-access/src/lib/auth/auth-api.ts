import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { CollabTicketResponse, LoginRequest, RefreshResponse, SignInResponse, UserDto } from '@concord/contracts';
import type { Observable } from 'rxjs';

export const SIGN_IN_URL = '/api/auth/login';
export const REFRESH_URL = '/api/auth/refresh';
export const LOGOUT_URL = '/api/auth/logout';
/** The second sign-in step (a TOTP or recovery code): its 401 is a wrong code, not an ended session. */
export const SECOND_FACTOR_URL = '/api/auth/mfa';

@Injectable({ providedIn: 'root' })
export class AuthApi {
  private readonly http = inject(HttpClient);

  login(credentials: LoginRequest): Observable<SignInResponse> {
    return this.http.post<SignInResponse>(SIGN_IN_URL, credentials);
  }

  me(): Observable<UserDto> {
    return this.http.get<UserDto>('/api/auth/me');
  }

  /** Uses (and rotates) the HttpOnly refresh cookie, sent by the browser to /api/auth only. */
  refresh(): Observable<RefreshResponse> {
    return this.http.post<RefreshResponse>(REFRESH_URL, {});
  }

  logout(): Observable<void> {
    return this.http.post<void>(LOGOUT_URL, {});
  }

  logoutEverywhere(): Observable<{ ended: number }> {
    return this.http.post<{ ended: number }>('/api/auth/logout-all', {});
  }

  /** A single-use ticket for the co-editing socket of this proposal. */
  collabTicket(proposalId: string): Observable<CollabTicketResponse> {
    return this.http.post<CollabTicketResponse>('/api/collab/tickets', { proposalId });
  }
}
