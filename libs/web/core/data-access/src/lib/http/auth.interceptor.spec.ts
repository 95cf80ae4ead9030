import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { SESSION_STORAGE, SESSION_STORAGE_KEY } from '../auth/auth-session';
import { AuthStore } from '../auth/auth.store';
import { DRAFTER } from '../testing/fixtures';
import { MemoryStorage } from '../testing/memory-storage';
import { authInterceptor } from './auth.interceptor';

describe('authInterceptor', () => {
  let storage: MemoryStorage;
  let http: HttpClient;
  let httpTesting: HttpTestingController;
  let router: Router;

  function signedInAs(token: string): void {
    storage.setItem(
      SESSION_STORAGE_KEY,
      JSON.stringify({ accessToken: token, expiresAt: Date.now() + 60_000, user: DRAFTER }),
    );
  }

  beforeEach(() => {
    storage = new MemoryStorage();
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
        { provide: SESSION_STORAGE, useValue: storage },
      ],
    });
  });

  function inject(): void {
    http = TestBed.inject(HttpClient);
    httpTesting = TestBed.inject(HttpTestingController);
    router = TestBed.inject(Router);
  }

  afterEach(() => httpTesting.verify());

  it('adds the bearer token to API requests', async () => {
    signedInAs('jwt-abc');
    inject();

    const response = firstValueFrom(http.get('/api/workspaces'));
    const request = httpTesting.expectOne('/api/workspaces');
    expect(request.request.headers.get('Authorization')).toBe('Bearer jwt-abc');
    request.flush([]);
    await response;
  });

  it('sends no Authorization header when signed out', async () => {
    inject();

    const response = firstValueFrom(http.get('/api/workspaces'));
    const request = httpTesting.expectOne('/api/workspaces');
    expect(request.request.headers.has('Authorization')).toBe(false);
    request.flush([]);
    await response;
  });

  it('never sends the token outside the API', async () => {
    signedInAs('jwt-abc');
    inject();

    const response = firstValueFrom(http.get('/reference/gcm-objectives.json'));
    const request = httpTesting.expectOne('/reference/gcm-objectives.json');
    expect(request.request.headers.has('Authorization')).toBe(false);
    request.flush({});
    await response;
  });

  it('on 401 refreshes the access token through the cookie and retries the request once', async () => {
    signedInAs('expired-token');
    inject();

    const response = firstValueFrom(http.get<string[]>('/api/workspaces'));
    httpTesting
      .expectOne('/api/workspaces')
      .flush({ statusCode: 401, error: 'Unauthorized', message: 'The access token is invalid or has expired' }, { status: 401, statusText: 'Unauthorized' });
    await Promise.resolve();
    const refresh = httpTesting.expectOne('/api/auth/refresh');
    expect(refresh.request.method).toBe('POST');
    expect(refresh.request.headers.has('Authorization')).toBe(false);
    refresh.flush({ accessToken: 'fresh-token', expiresIn: 600, user: DRAFTER });
    await new Promise((resolve) => setTimeout(resolve));
    const retried = httpTesting.expectOne('/api/workspaces');
    expect(retried.request.headers.get('Authorization')).toBe('Bearer fresh-token');
    retried.flush(['w-1']);

    expect(await response).toEqual(['w-1']);
    expect(TestBed.inject(AuthStore).token()).toBe('fresh-token');
  });

  it('when the session has ended, signs out, keeps the reason and redirects to sign-in with the current address', async () => {
    signedInAs('expired-token');
    inject();
    jest.spyOn(router, 'url', 'get').mockReturnValue('/submissions/s-1');
    const navigate = jest.spyOn(router, 'navigate').mockResolvedValue(true);

    const response = firstValueFrom(http.get('/api/submissions/s-1'));
    httpTesting
      .expectOne('/api/submissions/s-1')
      .flush({ statusCode: 401, error: 'Unauthorized', message: 'Token expired' }, { status: 401, statusText: 'Unauthorized' });
    await Promise.resolve();
    httpTesting
      .expectOne('/api/auth/refresh')
      .flush({ statusCode: 401, error: 'Unauthorized', message: 'You signed out on every device. Sign in again.' }, { status: 401, statusText: 'Unauthorized' });

    await expect(response).rejects.toMatchObject({ status: 401 });
    const auth = TestBed.inject(AuthStore);
    expect(auth.isAuthenticated()).toBe(false);
    expect(auth.endedMessage()).toBe('You signed out on every device. Sign in again.');
    expect(storage.getItem(SESSION_STORAGE_KEY)).toBeNull();
    expect(navigate).toHaveBeenCalledWith(['/login'], { queryParams: { returnUrl: '/submissions/s-1' } });
  });

  it('leaves a 401 from the sign-in call to the sign-in page', async () => {
    inject();
    const navigate = jest.spyOn(router, 'navigate');

    const response = firstValueFrom(http.post('/api/auth/login', {}));
    httpTesting
      .expectOne('/api/auth/login')
      .flush({ statusCode: 401, error: 'Unauthorized', message: 'Invalid email or password' }, { status: 401, statusText: 'Unauthorized' });

    await expect(response).rejects.toMatchObject({ status: 401 });
    expect(navigate).not.toHaveBeenCalled();
  });

  it('answers a wrong second-factor code (401 from /api/auth/mfa) with no refresh, even in a signed-in tab', async () => {
    signedInAs('jwt-abc');
    inject();
    const navigate = jest.spyOn(router, 'navigate');

    const response = firstValueFrom(http.post('/api/auth/mfa', { mfaToken: 't', code: '000000' }));
    httpTesting
      .expectOne('/api/auth/mfa')
      .flush({ statusCode: 401, error: 'Unauthorized', message: 'The code is not correct or has already been used.' }, { status: 401, statusText: 'Unauthorized' });

    await expect(response).rejects.toMatchObject({ status: 401 });
    // No POST /api/auth/refresh was made (verify() in afterEach), and nobody was sent anywhere.
    expect(navigate).not.toHaveBeenCalled();
    expect(TestBed.inject(AuthStore).isAuthenticated()).toBe(true);
  });

  it('keeps the session on other errors', async () => {
    signedInAs('jwt-abc');
    inject();

    const response = firstValueFrom(http.get('/api/proposals/p-1'));
    httpTesting
      .expectOne('/api/proposals/p-1')
      .flush({ statusCode: 403, error: 'Forbidden', message: 'Not a member' }, { status: 403, statusText: 'Forbidden' });

    await expect(response).rejects.toMatchObject({ status: 403 });
    expect(TestBed.inject(AuthStore).isAuthenticated()).toBe(true);
  });
});
