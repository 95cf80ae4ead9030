import { DOCUMENT } from '@angular/common';
import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import { isMfaChallenge, type LoginRequest, type LoginResponse, type MfaChallengeResponse, type Role, type UserDto } from '@concord/contracts';
import { firstValueFrom } from 'rxjs';
import { toApiError } from '../http/api-error';
import { AuthApi } from './auth-api';
import { type AuthSession, SESSION_STORAGE, SESSION_STORAGE_KEY, readSession, writeSession } from './auth-session';

/** Readable companion of the HttpOnly refresh cookie: "a session may be there to restore". */
export const SESSION_HINT_COOKIE = 'concord_session';

/**
 * The signed-in user and their short-lived bearer token, kept in memory only. The refresh token is
 * an HttpOnly cookie that no script can read: a reload (or a 401) asks `POST /api/auth/refresh`
 * for a new access token — silent sign-in — and the server rotates the cookie.
 */
@Injectable({ providedIn: 'root' })
export class AuthStore {
  private readonly api = inject(AuthApi);
  private readonly storage = inject(SESSION_STORAGE);
  private readonly document = inject(DOCUMENT);
  private readonly session = signal<AuthSession | null>(readSession(this.storage));

  readonly user = computed(() => this.session()?.user ?? null);
  readonly token = computed(() => this.session()?.accessToken ?? null);
  readonly isAuthenticated = computed(() => this.session() !== null);
  /** Why the last session ended without the user asking (shown on the sign-in page), else null. */
  readonly endedMessage = signal<string | null>(null);
  private refreshing: Promise<string | null> | null = null;

  /** The roles the user holds in each ISCM workspace, keyed by workspace (iscm) id. */
  readonly rolesByWorkspace = computed<ReadonlyMap<string, readonly Role[]>>(
    () => new Map((this.user()?.memberships ?? []).map((m) => [m.iscmId, m.roles])),
  );

  /** Every distinct role the user holds in any workspace, for the top bar. */
  readonly allRoles = computed<readonly Role[]>(() => {
    const roles = new Set((this.user()?.memberships ?? []).flatMap((m) => m.roles));
    if (this.user()?.isAdmin) {
      roles.add('admin');
    }
    return [...roles];
  });

  constructor() {
    this.followOtherTabs();
  }

  rolesIn(iscmId: string | null | undefined): readonly Role[] {
    return iscmId ? (this.rolesByWorkspace().get(iscmId) ?? []) : [];
  }

  hasRole(iscmId: string | null | undefined, role: Role): boolean {
    return this.rolesIn(iscmId).includes(role);
  }

  /**
   * Signs in; rejects with an `ApiError` carrying the server's reason. An account with a second
   * factor answers a challenge instead (no session yet): complete it with `POST /api/auth/mfa`, then
   * `adoptSignIn` the response.
   */
  async login(credentials: LoginRequest): Promise<UserDto | MfaChallengeResponse> {
    try {
      const response = await firstValueFrom(this.api.login(credentials));
      if (isMfaChallenge(response)) {
        return response;
      }
      this.accept(response);
      return response.user;
    } catch (error) {
      throw toApiError(error);
    }
  }

  /**
   * Silent sign-in at start: a new access token from the refresh cookie, if the session it belongs
   * to is still open. Never rejects.
   */
  async restore(): Promise<boolean> {
    if (this.session()) return true;
    // The server sets a readable `concord_session` hint next to the HttpOnly refresh cookie.
    if (!this.document.cookie.split(';').some((part) => part.trim().startsWith(`${SESSION_HINT_COOKIE}=`))) return false;
    try {
      return (await this.refresh({ quiet: true })) !== null;
    } catch {
      // Server unreachable: start signed out; IndexedDB keeps unsynced edits for after sign-in.
      return false;
    }
  }

  /**
   * A new access token through the refresh cookie (one request at a time; a race with another tab
   * answered 409 is retried once). Null when the session has ended: then the user must sign in,
   * and `endedMessage` says why (unless `quiet`).
   */
  refresh(options: { quiet?: boolean } = {}): Promise<string | null> {
    this.refreshing ??= this.refreshOnce(options.quiet ?? false).finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  /**
   * Starts the session the second sign-in step answered (`POST /api/auth/mfa`): like a password-only
   * sign-in, the token stays in memory and the refresh cookie came with the response.
   */
  adoptSignIn(response: LoginResponse): void {
    this.accept(response);
  }

  /** Ends this session on the server (its sockets close), then forgets it here. */
  async logout(): Promise<void> {
    if (this.session()) await firstValueFrom(this.api.logout()).catch(() => undefined);
    this.endedMessage.set(null);
    this.replaceSession(null);
  }

  /** Ends every session of this user, on every device. */
  async logoutEverywhere(): Promise<void> {
    await firstValueFrom(this.api.logoutEverywhere()).catch(() => undefined);
    this.endedMessage.set($localize`:@@auth.signedOutEverywhere:You signed out on every device.`);
    this.replaceSession(null);
  }

  /** The server ended the session (signed out elsewhere, expired, disabled…): forget it and say why. */
  sessionEnded(message: string | null): void {
    this.endedMessage.set(message ?? $localize`:@@auth.sessionEnded:Your session has ended. Sign in again.`);
    this.replaceSession(null);
  }

  /** A single-use ticket for the co-editing socket (asked before every connect). */
  async collabTicket(proposalId: string): Promise<string> {
    return (await firstValueFrom(this.api.collabTicket(proposalId))).ticket;
  }

  /** True when signed in (an expired access token is refreshed on use). */
  hasValidSession(): boolean {
    return this.session() !== null;
  }

  private accept(response: { accessToken: string; expiresIn: number; user: UserDto }): void {
    this.endedMessage.set(null);
    this.replaceSession({ accessToken: response.accessToken, expiresAt: Date.now() + response.expiresIn * 1000, user: response.user });
  }

  private async refreshOnce(quiet: boolean): Promise<string | null> {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      try {
        const response = await firstValueFrom(this.api.refresh());
        this.accept(response);
        return response.accessToken;
      } catch (error) {
        const failure = toApiError(error);
        if (failure.status === 409 && attempt === 0) {
          await new Promise((resolve) => setTimeout(resolve, 150));
          continue;
        }
        if (failure.status === 0) throw failure;
        const hadSession = this.session() !== null;
        this.replaceSession(null);
        if (!quiet || hadSession) this.endedMessage.set(failure.message || null);
        return null;
      }
    }
    return null;
  }

  /** Re-reads the user's memberships, which may have changed since sign-in. */
  async refreshUser(): Promise<void> {
    const session = this.session();
    if (!session) {
      return;
    }
    const user = await firstValueFrom(this.api.me());
    if (this.session()?.accessToken === session.accessToken) {
      this.replaceSession({ ...session, user });
    }
  }

  private replaceSession(session: AuthSession | null): void {
    this.session.set(session);
    writeSession(this.storage, session);
  }

  private followOtherTabs(): void {
    if (typeof window === 'undefined') {
      return;
    }
    const onStorage = (event: StorageEvent) => {
      if (event.key === SESSION_STORAGE_KEY || event.key === null) {
        this.session.set(readSession(this.storage));
      }
    };
    window.addEventListener('storage', onStorage);
    inject(DestroyRef).onDestroy(() => window.removeEventListener('storage', onStorage));
  }
}
