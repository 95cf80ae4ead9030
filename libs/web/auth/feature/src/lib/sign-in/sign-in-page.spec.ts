import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import type { UserDto } from '@concord/contracts';
import { AuthStore, SESSION_STORAGE } from '@concord/web/core/data-access';
import { SignInPage } from './sign-in-page';

const DRAFTER: UserDto = {
  id: 'u-1',
  email: 'drafter1@concord.demo',
  name: 'Dana Drafter',
  isAdmin: false,
  memberships: [{ iscmId: 'iscm-add', iscmName: 'Abu Dhabi Dialogue', roles: ['drafter'] }],
};

describe('SignInPage', () => {
  let fixture: ComponentFixture<SignInPage>;
  let http: HttpTestingController;
  let element: HTMLElement;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [SignInPage],
      providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting(), { provide: SESSION_STORAGE, useValue: null }],
    });
    fixture = TestBed.createComponent(SignInPage);
    http = TestBed.inject(HttpTestingController);
    element = fixture.nativeElement;
    await fixture.whenStable();
  });

  afterEach(() => http.verify());

  function type(selector: string, value: string): void {
    const input = element.querySelector<HTMLInputElement>(selector);
    if (!input) throw new Error(`no ${selector}`);
    input.value = value;
    input.dispatchEvent(new Event('input'));
  }

  function submit(): void {
    element.querySelector('form')?.dispatchEvent(new Event('submit'));
  }

  async function settle(): Promise<void> {
    // Let the rejected login promise propagate, then render.
    await new Promise((resolve) => setTimeout(resolve));
    await fixture.whenStable();
  }

  it('labels its fields for screen readers', () => {
    const labels = [...element.querySelectorAll('mat-label')].map((label) => label.textContent?.trim());
    expect(labels).toEqual(['Email', 'Password']);
    expect(element.querySelector('h1')?.textContent).toContain('Sign in to Concord');
  });

  it('shows the server reason when the credentials are refused (401)', async () => {
    type('input[type="email"]', 'drafter1@concord.demo');
    type('input[formcontrolname="password"]', 'wrong password');
    submit();
    await fixture.whenStable();

    expect(element.querySelector('button[type="submit"]')?.textContent).toContain('Signing in…');
    http
      .expectOne('/api/auth/login')
      .flush({ statusCode: 401, error: 'Unauthorized', message: 'Invalid email or password' }, { status: 401, statusText: 'Unauthorized' });
    await settle();

    const alert = element.querySelector('[role="alert"]');
    expect(alert?.textContent).toContain('Invalid email or password');
    expect(element.querySelector('button[type="submit"]')?.textContent).toContain('Sign in');
    expect(TestBed.inject(AuthStore).isAuthenticated()).toBe(false);
  });

  it('does not call the server while the form is invalid', async () => {
    type('input[type="email"]', 'not-an-email');
    submit();
    await fixture.whenStable();

    http.expectNone('/api/auth/login');
    expect(element.querySelectorAll('mat-error').length).toBeGreaterThan(0);
  });

  it('signs in and goes to the requested page', async () => {
    const navigate = jest.spyOn(TestBed.inject(Router), 'navigateByUrl').mockResolvedValue(true);
    fixture.componentRef.setInput('returnUrl', '/proposals/p-1');
    type('input[type="email"]', DRAFTER.email);
    type('input[formcontrolname="password"]', 'concord-demo');
    submit();

    http.expectOne('/api/auth/login').flush({ accessToken: 'jwt', expiresIn: 3600, user: DRAFTER });
    await settle();

    expect(TestBed.inject(AuthStore).user()?.name).toBe('Dana Drafter');
    expect(navigate).toHaveBeenCalledWith('/proposals/p-1');
  });
});
