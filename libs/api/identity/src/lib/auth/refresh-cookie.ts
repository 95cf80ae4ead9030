import type { Request, Response } from 'express';
import type { ConcordConfig, IssuedSession } from '@concord/api/platform';

/** The refresh token's cookie: HttpOnly (no script reads it), SameSite=Strict, only sent to /api/auth. */
export const REFRESH_COOKIE = 'concord_refresh';
export const REFRESH_COOKIE_PATH = '/api/auth';
/**
 * A readable companion with no secret in it ("a refresh cookie may be there"), so the web app
 * tries a silent sign-in only when there is something to try it with.
 */
export const SESSION_HINT_COOKIE = 'concord_session';

/**
 * `Secure` unless COOKIE_SECURE=off: browsers accept a Secure cookie over plain http only from
 * localhost / 127.0.0.1 (potentially trustworthy origins), which is what `npm start` and the tests use.
 */
export function setRefreshCookie(response: Response, config: ConcordConfig, issued: IssuedSession): void {
  response.cookie(REFRESH_COOKIE, issued.refreshToken, {
    httpOnly: true,
    secure: config.cookieSecure,
    sameSite: 'strict',
    path: REFRESH_COOKIE_PATH,
    maxAge: issued.refreshMaxAge * 1000,
  });
  response.cookie(SESSION_HINT_COOKIE, '1', { httpOnly: false, secure: config.cookieSecure, sameSite: 'strict', path: '/', maxAge: issued.refreshMaxAge * 1000 });
}

export function clearRefreshCookie(response: Response, config: ConcordConfig): void {
  response.clearCookie(REFRESH_COOKIE, { httpOnly: true, secure: config.cookieSecure, sameSite: 'strict', path: REFRESH_COOKIE_PATH });
  response.clearCookie(SESSION_HINT_COOKIE, { httpOnly: false, secure: config.cookieSecure, sameSite: 'strict', path: '/' });
}

/** The refresh cookie of the request (no cookie-parser needed for one value). */
export function readRefreshCookie(request: Request): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index < 0) continue;
    if (part.slice(0, index).trim() !== REFRESH_COOKIE) continue;
    const value = part.slice(index + 1).trim();
    try {
      return decodeURIComponent(value);
    } catch {
      return undefined;
    }
  }
  return undefined;
}
