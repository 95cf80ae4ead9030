import { HttpErrorResponse, type HttpInterceptorFn, type HttpRequest } from '@angular/common/http';
import { inject } from '@angular/core';
import { Router } from '@angular/router';
import { catchError, from, switchMap, throwError } from 'rxjs';
import { LOGOUT_URL, REFRESH_URL, SECOND_FACTOR_URL, SIGN_IN_URL } from '../auth/auth-api';
import { AuthStore } from '../auth/auth.store';

const API_PREFIX = '/api/';
/** Their 401 means what they say (wrong password, no session): never answered with a refresh. */
const NO_REFRESH = new Set([SIGN_IN_URL, SECOND_FACTOR_URL, REFRESH_URL, LOGOUT_URL]);

/**
 * Adds the bearer token to Concord API calls (and only to them). On a 401 it refreshes the
 * short-lived access token once through the HttpOnly cookie and retries; when the session has
 * ended, the user is sent to sign in again (with the reason) and brought back where they were.
 */
export const authInterceptor: HttpInterceptorFn = (request, next) => {
  if (!isApiRequest(request)) {
    return next(request);
  }
  const auth = inject(AuthStore);
  const router = inject(Router);
  const withToken = (token: string | null) => (token ? request.clone({ setHeaders: { Authorization: `Bearer ${token}` } }) : request);

  // The refresh call authenticates with its cookie only.
  return next(withToken(request.url === REFRESH_URL ? null : auth.token())).pipe(
    catchError((error: unknown) => {
      if (!(error instanceof HttpErrorResponse) || error.status !== 401 || NO_REFRESH.has(request.url) || !auth.isAuthenticated()) {
        return throwError(() => error);
      }
      // refresh() forgets an ended session and records why; a network failure propagates as is.
      return from(auth.refresh()).pipe(
        switchMap((token) => {
          if (token) return next(withToken(token));
          redirectToSignIn(router);
          return throwError(() => error);
        }),
      );
    }),
  );
};

function isApiRequest(request: HttpRequest<unknown>): boolean {
  return request.url.startsWith(API_PREFIX);
}

function redirectToSignIn(router: Router): void {
  const returnUrl = router.url;
  if (returnUrl.startsWith('/login')) {
    return;
  }
  void router.navigate(['/login'], { queryParams: { returnUrl } });
}
