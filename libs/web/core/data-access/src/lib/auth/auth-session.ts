import { InjectionToken } from '@angular/core';
import type { UserDto } from '@concord/contracts';

export interface AuthSession {
  accessToken: string;
  /** Epoch milliseconds after which the token is no longer accepted. */
  expiresAt: number;
  user: UserDto;
}

export const SESSION_STORAGE_KEY = 'concord.session';

/**
 * Where a session would be kept across reloads. In the browser: nowhere (null) — the access token
 * lives in memory only, and a reload signs in silently with the HttpOnly refresh cookie
 * (`AuthStore.restore`). A token so that tests can start with a session.
 */
export const SESSION_STORAGE = new InjectionToken<Storage | null>('SESSION_STORAGE', {
  providedIn: 'root',
  factory: forgetLegacySession,
});

/** Earlier versions kept the token in localStorage: remove it, keep nothing. */
function forgetLegacySession(): null {
  try {
    if (typeof localStorage !== 'undefined') localStorage.removeItem(SESSION_STORAGE_KEY);
  } catch {
    // Storage disabled by the browser's privacy settings: nothing to forget.
  }
  return null;
}

export function readSession(storage: Storage | null): AuthSession | null {
  const raw = storage?.getItem(SESSION_STORAGE_KEY);
  if (!raw) {
    return null;
  }
  try {
    const parsed: unknown = JSON.parse(raw);
    return isAuthSession(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

export function writeSession(storage: Storage | null, session: AuthSession | null): void {
  if (!storage) {
    return;
  }
  if (session) {
    storage.setItem(SESSION_STORAGE_KEY, JSON.stringify(session));
  } else {
    storage.removeItem(SESSION_STORAGE_KEY);
  }
}

function isAuthSession(value: unknown): value is AuthSession {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const candidate = value as Partial<AuthSession>;
  return (
    typeof candidate.accessToken === 'string' &&
    typeof candidate.expiresAt === 'number' &&
    typeof candidate.user === 'object' &&
    candidate.user !== null &&
    Array.isArray(candidate.user.memberships)
  );
}
