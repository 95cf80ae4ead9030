import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { CollabTicketResponse, LoginRequest, LoginResponse, RefreshResponse, UserDto } from '@concord/contracts';
import type { Observable } from 'rxjs';

export const SIGN_IN_URL = '/api/auth/login';
export const REFRESH_URL = '/api/auth/refresh';
export const LOGOUT_URL = '/api/auth/logout';

@Injectable({ providedIn: 'root' })
export class AuthApi {
  private readonly http = inject(HttpClient);

  login(credentials: LoginRequest): Observable<LoginResponse> {
    return this.http.post<LoginResponse>('/api/auth/login', credentials);
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
