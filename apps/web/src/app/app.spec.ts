import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import type { UserDto } from '@concord/contracts';
import { AuthStore, SESSION_STORAGE, SESSION_STORAGE_KEY, authInterceptor } from '@concord/web/core/data-access';
import { App } from './app';
import { appRoutes } from './app.routes';

const CHAIR: UserDto = {
  id: 'u-chair',
  email: 'chair@concord.demo',
  name: 'Chidi Chair',
  isAdmin: false,
  memberships: [{ iscmId: 'add', iscmName: 'Abu Dhabi Dialogue', roles: ['chair', 'auditor'] }],
};

function memoryStorage(initial: Record<string, string> = {}): Storage {
  const items = new Map(Object.entries(initial));
  return {
    get length() {
      return items.size;
    },
    clear: () => items.clear(),
    getItem: (key) => items.get(key) ?? null,
    key: (index) => [...items.keys()][index] ?? null,
    removeItem: (key) => void items.delete(key),
    setItem: (key, value) => void items.set(key, value),
  };
}

describe('App shell', () => {
  function setUp(storage: Storage): void {
    TestBed.configureTestingModule({
      imports: [App],
      providers: [
        provideRouter(appRoutes),
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
        { provide: SESSION_STORAGE, useValue: storage },
      ],
    });
  }

  it('shows the product name, the signed-in user, their roles and Sign out', async () => {
    setUp(memoryStorage({ [SESSION_STORAGE_KEY]: JSON.stringify({ accessToken: 't', expiresAt: Date.now() + 60_000, user: CHAIR }) }));
    const fixture = TestBed.createComponent(App);
    await fixture.whenStable();
    const shell: HTMLElement = fixture.nativeElement;

    expect(shell.querySelector('.cc-top-bar__brand')?.textContent).toContain('Concord');
    expect(shell.querySelector('.cc-top-bar__name')?.textContent).toBe('Chidi Chair');
    expect([...shell.querySelectorAll('mat-chip')].map((chip) => chip.textContent?.trim())).toEqual(['Chair', 'Auditor']);
    expect(shell.querySelector('.cc-top-bar__sign-out')?.textContent?.trim()).toBe('Sign out');
    expect(shell.querySelector('main#main')).not.toBeNull();
  });

  it('signs out: ends the session on the server, clears it and goes to the sign-in page', async () => {
    const storage = memoryStorage({ [SESSION_STORAGE_KEY]: JSON.stringify({ accessToken: 't', expiresAt: Date.now() + 60_000, user: CHAIR }) });
    setUp(storage);
    const fixture = TestBed.createComponent(App);
    const navigate = jest.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
    await fixture.whenStable();

    (fixture.nativeElement as HTMLElement).querySelector<HTMLButtonElement>('.cc-top-bar__sign-out')?.click();
    const logout = TestBed.inject(HttpTestingController).expectOne('/api/auth/logout');
    expect(logout.request.headers.get('Authorization')).toBe('Bearer t');
    logout.flush(null, { status: 204, statusText: 'No Content' });
    await fixture.whenStable();
    await new Promise((resolve) => setTimeout(resolve));
    await fixture.whenStable();

    expect(TestBed.inject(AuthStore).isAuthenticated()).toBe(false);
    expect(storage.getItem(SESSION_STORAGE_KEY)).toBeNull();
    expect(navigate).toHaveBeenCalledWith(['/login']);
    expect((fixture.nativeElement as HTMLElement).querySelector('.cc-top-bar__sign-out')).toBeNull();
  });

  it('sends a signed-out visitor to sign in, remembering the page they asked for', async () => {
    setUp(memoryStorage());
    const harness = await RouterTestingHarness.create();
    await harness.navigateByUrl('/proposals/p-1');

    expect(TestBed.inject(Router).url).toBe('/login?returnUrl=%2Fproposals%2Fp-1');
    expect(harness.routeNativeElement?.querySelector('h1')?.textContent).toContain('Sign in to Concord');
    TestBed.inject(HttpTestingController).verify();
  });
});
