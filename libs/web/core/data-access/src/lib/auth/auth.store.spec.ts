import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { ApiError } from '../http/api-error';
import { CHAIR, DRAFTER, loginResponse } from '../testing/fixtures';
import { MemoryStorage } from '../testing/memory-storage';
import { SESSION_STORAGE, SESSION_STORAGE_KEY } from './auth-session';
import { AuthStore } from './auth.store';

describe('AuthStore', () => {
  let storage: MemoryStorage;

  function setUp(): { store: AuthStore; http: HttpTestingController } {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), { provide: SESSION_STORAGE, useValue: storage }],
    });
    return { store: TestBed.inject(AuthStore), http: TestBed.inject(HttpTestingController) };
  }

  beforeEach(() => {
    storage = new MemoryStorage();
  });

  it('starts signed out when nothing is stored', () => {
    const { store } = setUp();

    expect(store.isAuthenticated()).toBe(false);
    expect(store.user()).toBeNull();
    expect(store.token()).toBeNull();
  });

  it('login stores the token and user, in memory and in storage', async () => {
    const { store, http } = setUp();

    const login = store.login({ email: CHAIR.email, password: 'concord-demo' });
    const request = http.expectOne('/api/auth/login');
    expect(request.request.method).toBe('POST');
    expect(request.request.body).toEqual({ email: CHAIR.email, password: 'concord-demo' });
    request.flush(loginResponse(CHAIR, 'jwt-abc'));
    await login;

    expect(store.isAuthenticated()).toBe(true);
    expect(store.token()).toBe('jwt-abc');
    expect(store.user()?.name).toBe('Chidi Chair');
    expect(JSON.parse(storage.getItem(SESSION_STORAGE_KEY) ?? '{}').accessToken).toBe('jwt-abc');
  });

  it('exposes the roles held in each workspace', async () => {
    const { store, http } = setUp();

    const login = store.login({ email: CHAIR.email, password: 'concord-demo' });
    http.expectOne('/api/auth/login').flush(loginResponse(CHAIR));
    await login;

    expect(store.rolesIn('iscm-add')).toEqual(['chair']);
    expect(store.rolesIn('iscm-bp')).toEqual(['drafter', 'auditor']);
    expect(store.rolesIn('iscm-unknown')).toEqual([]);
    expect(store.hasRole('iscm-add', 'chair')).toBe(true);
    expect(store.hasRole('iscm-bp', 'chair')).toBe(false);
    expect(store.allRoles()).toEqual(['chair', 'drafter', 'auditor']);
  });

  it('logout ends the session on the server, then clears it from memory and storage', async () => {
    const { store, http } = setUp();
    const login = store.login({ email: DRAFTER.email, password: 'concord-demo' });
    http.expectOne('/api/auth/login').flush(loginResponse(DRAFTER));
    await login;

    const logout = store.logout();
    const request = http.expectOne('/api/auth/logout');
    expect(request.request.method).toBe('POST');
    request.flush(null, { status: 204, statusText: 'No Content' });
    await logout;

    expect(store.isAuthenticated()).toBe(false);
    expect(store.token()).toBeNull();
    expect(store.rolesIn('iscm-add')).toEqual([]);
    expect(storage.getItem(SESSION_STORAGE_KEY)).toBeNull();
  });

  it('restores a stored session on start', () => {
    storage.setItem(
      SESSION_STORAGE_KEY,
      JSON.stringify({ accessToken: 'kept', expiresAt: Date.now() + 60_000, user: DRAFTER }),
    );
    const { store } = setUp();

    expect(store.token()).toBe('kept');
    expect(store.hasValidSession()).toBe(true);
  });

  it('signs in silently at start with the refresh cookie', async () => {
    document.cookie = 'concord_session=1';
    const { store, http } = setUp();

    const restored = store.restore();
    http.expectOne('/api/auth/refresh').flush(loginResponse(DRAFTER, 'from-cookie'));

    expect(await restored).toBe(true);
    expect(store.token()).toBe('from-cookie');
    expect(store.endedMessage()).toBeNull();
  });

  it('asks nothing at start when no session cookie is there', async () => {
    document.cookie = 'concord_session=; expires=Thu, 01 Jan 1970 00:00:00 GMT';
    const { store, http } = setUp();

    expect(await store.restore()).toBe(false);
    http.expectNone('/api/auth/refresh');
  });

  it('starts signed out, quietly, when the refresh cookie opens no session', async () => {
    document.cookie = 'concord_session=1';
    const { store, http } = setUp();

    const restored = store.restore();
    http
      .expectOne('/api/auth/refresh')
      .flush({ statusCode: 401, error: 'Unauthorized', message: 'No valid refresh token: sign in again' }, { status: 401, statusText: 'Unauthorized' });

    expect(await restored).toBe(false);
    expect(store.isAuthenticated()).toBe(false);
    expect(store.endedMessage()).toBeNull();
  });

  it('retries a refresh that raced another tab (409) once', async () => {
    const { store, http } = setUp();

    const refreshed = store.refresh();
    http.expectOne('/api/auth/refresh').flush({ statusCode: 409, error: 'Conflict', message: 'retry' }, { status: 409, statusText: 'Conflict' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    http.expectOne('/api/auth/refresh').flush(loginResponse(DRAFTER, 'second'));

    expect(await refreshed).toBe('second');
  });

  it('signs out everywhere and says so', async () => {
    const { store, http } = setUp();
    const login = store.login({ email: DRAFTER.email, password: 'concord-demo' });
    http.expectOne('/api/auth/login').flush(loginResponse(DRAFTER));
    await login;

    const everywhere = store.logoutEverywhere();
    http.expectOne('/api/auth/logout-all').flush({ ended: 2 });
    await everywhere;

    expect(store.isAuthenticated()).toBe(false);
    expect(store.endedMessage()).toMatch(/every device/);
  });

  it('ignores a corrupt stored session', () => {
    storage.setItem(SESSION_STORAGE_KEY, '{not json');
    const { store } = setUp();

    expect(store.isAuthenticated()).toBe(false);
  });

  it('rejects a failed login with the server reason and stays signed out', async () => {
    const { store, http } = setUp();

    const login = store.login({ email: DRAFTER.email, password: 'wrong' });
    http
      .expectOne('/api/auth/login')
      .flush(
        { statusCode: 401, error: 'Unauthorized', message: 'Invalid email or password' },
        { status: 401, statusText: 'Unauthorized' },
      );

    await expect(login).rejects.toEqual(expect.any(ApiError));
    await expect(login).rejects.toMatchObject({ status: 401, message: 'Invalid email or password' });
    expect(store.isAuthenticated()).toBe(false);
  });

  it('refreshUser replaces the memberships with the server view', async () => {
    storage.setItem(
      SESSION_STORAGE_KEY,
      JSON.stringify({ accessToken: 'kept', expiresAt: Date.now() + 60_000, user: DRAFTER }),
    );
    const { store, http } = setUp();

    const refresh = store.refreshUser();
    http.expectOne('/api/auth/me').flush({ ...DRAFTER, memberships: [{ iscmId: 'x', iscmName: 'X', roles: ['chair'] }] });
    await refresh;

    expect(store.rolesIn('x')).toEqual(['chair']);
    expect(store.token()).toBe('kept');
  });
});
