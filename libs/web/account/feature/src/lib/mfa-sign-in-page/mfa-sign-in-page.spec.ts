import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import type { LoginResponse, UserDto } from '@concord/contracts';
import { MfaChallenge } from '@concord/web/account/data-access';
import { AuthStore, SESSION_STORAGE } from '@concord/web/core/data-access';
import { MfaSignInPage } from './mfa-sign-in-page';

const CHAIR: UserDto = {
  id: 'u-2',
  email: 'chair@concord.demo',
  name: 'Chen Chair',
  isAdmin: false,
  memberships: [{ iscmId: 'iscm-add', iscmName: 'Abu Dhabi Dialogue', roles: ['chair'] }],
};

describe('MfaSignInPage', () => {
  let fixture: ComponentFixture<MfaSignInPage>;
  let http: HttpTestingController;
  let element: HTMLElement;

  async function render(pendingChallenge: string | null): Promise<void> {
    TestBed.configureTestingModule({
      imports: [MfaSignInPage],
      providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting(), { provide: SESSION_STORAGE, useValue: null }],
    });
    if (pendingChallenge) TestBed.inject(MfaChallenge).begin(pendingChallenge);
    fixture = TestBed.createComponent(MfaSignInPage);
    http = TestBed.inject(HttpTestingController);
    element = fixture.nativeElement;
    await fixture.whenStable();
  }

  afterEach(() => http.verify());

  function enterCode(code: string): void {
    const input = element.querySelector<HTMLInputElement>('input[formcontrolname="code"]');
    if (!input) throw new Error('no code field');
    input.value = code;
    input.dispatchEvent(new Event('input'));
    element.querySelector('form')?.dispatchEvent(new Event('submit'));
  }

  async function settle(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve));
    await fixture.whenStable();
  }

  it('sends the challenge with the code and starts the session the answer carries (token in memory)', async () => {
    await render('challenge-1');
    const navigate = jest.spyOn(TestBed.inject(Router), 'navigateByUrl').mockResolvedValue(true);

    enterCode(' 123 456 ');
    const request = http.expectOne('/api/auth/mfa');
    expect(request.request.body).toEqual({ mfaToken: 'challenge-1', code: '123 456' });
    const answer: LoginResponse = { accessToken: 'jwt-mfa', expiresIn: 600, sessionId: 's-1', user: CHAIR };
    request.flush(answer);
    await settle();

    const auth = TestBed.inject(AuthStore);
    expect(auth.isAuthenticated()).toBe(true);
    expect(auth.token()).toBe('jwt-mfa');
    expect(TestBed.inject(MfaChallenge).pending()).toBeNull();
    expect(navigate).toHaveBeenCalledWith('/');
  });

  it('shows the server reason for a wrong code and stays signed out', async () => {
    await render('challenge-1');

    enterCode('000000');
    http
      .expectOne('/api/auth/mfa')
      .flush({ statusCode: 401, error: 'Unauthorized', message: 'The code is not correct or has already been used.' }, { status: 401, statusText: 'Unauthorized' });
    await settle();

    expect(element.querySelector('[role="alert"]')?.textContent).toContain('The code is not correct or has already been used.');
    expect(TestBed.inject(AuthStore).isAuthenticated()).toBe(false);
    expect(TestBed.inject(MfaChallenge).pending()).toBe('challenge-1');
  });

  it('without a pending challenge (a reload) says the sign-in expired and offers to start again', async () => {
    await render(null);
    expect(element.querySelector('form')).toBeNull();
    expect(element.querySelector('[role="alert"]')?.textContent).toContain('This sign-in has expired.');
    expect(element.querySelector('a[href="/login"]')?.textContent).toContain('Sign in again');
  });
});
