import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import type { LoginRequest, Role, UserDto } from '@concord/contracts';
import { firstValueFrom } from 'rxjs';
import { toApiError } from '../http/api-error';
import { AuthApi } from './auth-api';
import { type AuthSession, SESSION_STORAGE, SESSION_STORAGE_KEY, readSession, writeSession } from './auth-session';

/**
 * The signed-in user and their bearer token. The session is persisted in localStorage so a reload
 * keeps the user signed in, and kept in step across browser tabs.
 */
@Injectable({ providedIn: 'root' })
export class AuthStore {
  private readonly api = inject(AuthApi);
  private readonly storage = inject(SESSION_STORAGE);
  private readonly session = signal<AuthSession | null>(readSession(this.storage));

  readonly user = computed(() => this.session()?.user ?? null);
  readonly token = computed(() => this.session()?.accessToken ?? null);
  readonly isAuthenticated = computed(() => this.session() !== null);

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

  /** Signs in; rejects with an `ApiError` carrying the server's reason. */
  async login(credentials: LoginRequest): Promise<UserDto> {
    try {
      const response = await firstValueFrom(this.api.login(credentials));
      this.replaceSession({
        accessToken: response.accessToken,
        expiresAt: Date.now() + response.expiresIn * 1000,
        user: response.user,
      });
      return response.user;
    } catch (error) {
      throw toApiError(error);
    }
  }

  logout(): void {
    this.replaceSession(null);
  }

  /** True when a session exists and its token has not expired; an expired session is dropped. */
  hasValidSession(now = Date.now()): boolean {
    const session = this.session();
    if (session && session.expiresAt <= now) {
      this.logout();
      return false;
    }
    return session !== null;
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
