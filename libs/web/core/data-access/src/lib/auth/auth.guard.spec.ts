import { TestBed } from '@angular/core/testing';
import { type ActivatedRouteSnapshot, Router, type RouterStateSnapshot, UrlTree, provideRouter } from '@angular/router';
import { provideHttpClient } from '@angular/common/http';
import { DRAFTER } from '../testing/fixtures';
import { MemoryStorage } from '../testing/memory-storage';
import { SESSION_STORAGE, SESSION_STORAGE_KEY } from './auth-session';
import { authGuard, guestGuard } from './auth.guard';
import { safeReturnUrl } from './return-url';

describe('route guards', () => {
  let storage: MemoryStorage;

  beforeEach(() => {
    storage = new MemoryStorage();
    TestBed.configureTestingModule({
      providers: [provideRouter([]), provideHttpClient(), { provide: SESSION_STORAGE, useValue: storage }],
    });
  });

  const state = { url: '/proposals/p-1' } as RouterStateSnapshot;
  const route = {} as ActivatedRouteSnapshot;

  function signIn(): void {
    storage.setItem(SESSION_STORAGE_KEY, JSON.stringify({ accessToken: 't', expiresAt: Date.now() + 60_000, user: DRAFTER }));
  }

  it('authGuard sends a signed-out user to sign in, keeping the address', () => {
    const result = TestBed.runInInjectionContext(() => authGuard(route, state));

    expect(result).toBeInstanceOf(UrlTree);
    expect(TestBed.inject(Router).serializeUrl(result as UrlTree)).toBe('/login?returnUrl=%2Fproposals%2Fp-1');
  });

  it('authGuard lets a signed-in user through', () => {
    signIn();

    expect(TestBed.runInInjectionContext(() => authGuard(route, state))).toBe(true);
  });

  it('guestGuard sends a signed-in user home', () => {
    signIn();
    const result = TestBed.runInInjectionContext(() => guestGuard(route, state));

    expect(TestBed.inject(Router).serializeUrl(result as UrlTree)).toBe('/');
  });
});

describe('safeReturnUrl', () => {
  it.each([
    ['/proposals/p-1', '/proposals/p-1'],
    [null, '/'],
    ['https://evil.example', '/'],
    ['//evil.example', '/'],
    ['/login?returnUrl=%2F', '/'],
  ])('%s → %s', (input, expected) => {
    expect(safeReturnUrl(input)).toBe(expected);
  });
});
