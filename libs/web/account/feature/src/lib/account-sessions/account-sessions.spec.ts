import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import type { SessionDto } from '@concord/contracts';
import { AccountSessions } from './account-sessions';

const THIS_BROWSER: SessionDto = {
  id: '11111111-1111-4111-8111-111111111111',
  startedAt: '2026-12-06T09:00:00.000Z',
  lastSeenAt: '2026-12-06T10:00:00.000Z',
  expiresAt: '2026-12-06T21:00:00.000Z',
  userAgent: 'Firefox on the office laptop',
  current: true,
};
const PHONE: SessionDto = { ...THIS_BROWSER, id: '22222222-2222-4222-8222-222222222222', userAgent: 'Phone browser', current: false };
const UNNAMED: SessionDto = { ...THIS_BROWSER, id: '33333333-3333-4333-8333-333333333333', userAgent: ' ', current: false };

describe('AccountSessions', () => {
  let fixture: ComponentFixture<AccountSessions>;
  let http: HttpTestingController;
  let element: HTMLElement;

  async function settle(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve));
    await fixture.whenStable();
  }

  async function render(sessions: SessionDto[]): Promise<void> {
    TestBed.configureTestingModule({ imports: [AccountSessions], providers: [provideHttpClient(), provideHttpClientTesting()] });
    fixture = TestBed.createComponent(AccountSessions);
    http = TestBed.inject(HttpTestingController);
    element = fixture.nativeElement;
    http.expectOne('/api/auth/sessions').flush(sessions);
    await settle();
  }

  afterEach(() => http.verify());

  const rows = () => Array.from(element.querySelectorAll<HTMLElement>('[data-session]'));
  const buttons = () => Array.from(element.querySelectorAll<HTMLButtonElement>('button'));

  it('lists every session, marks this browser and offers to sign out only the others', async () => {
    await render([THIS_BROWSER, PHONE, UNNAMED]);
    expect(rows().map((row) => row.getAttribute('data-session'))).toEqual([THIS_BROWSER.id, PHONE.id, UNNAMED.id]);
    expect(rows()[0].textContent).toContain('This browser');
    expect(rows()[0].querySelector('button')).toBeNull();
    expect(rows()[2].textContent).toContain('An unnamed device');
    expect(buttons().map((button) => button.getAttribute('aria-label'))).toEqual([
      expect.stringMatching(/^Sign out this device: Phone browser, signed in \d{4}-\d{2}-\d{2} \d{2}:\d{2}$/),
      expect.stringMatching(/^Sign out this device: An unnamed device, signed in /),
    ]);
    expect(buttons().every((button) => button.textContent?.trim() === 'Sign out this device')).toBe(true);
  });

  it('ends the chosen session, reloads the list and says so', async () => {
    await render([THIS_BROWSER, PHONE]);
    buttons()[0].click();
    const request = http.expectOne(`/api/auth/sessions/${PHONE.id}`);
    expect(request.request.method).toBe('DELETE');
    request.flush(null, { status: 204, statusText: 'No Content' });
    await settle();
    http.expectOne('/api/auth/sessions').flush([THIS_BROWSER]);
    await settle();
    expect(rows()).toHaveLength(1);
    const message = element.querySelector('[data-testid="sessions-message"]');
    expect(message?.getAttribute('role')).toBe('status');
    expect(message?.textContent).toContain('That device is signed out');
  });

  it('shows the server’s reason when the session cannot be ended, and the list as it now is', async () => {
    await render([THIS_BROWSER, PHONE]);
    buttons()[0].click();
    http.expectOne(`/api/auth/sessions/${PHONE.id}`).flush({ statusCode: 404, message: `You have no session ${PHONE.id}` }, { status: 404, statusText: 'Not Found' });
    await settle();
    http.expectOne('/api/auth/sessions').flush([THIS_BROWSER]);
    await settle();
    const message = element.querySelector('[data-testid="sessions-message"]');
    expect(message?.getAttribute('role')).toBe('alert');
    expect(message?.textContent).toContain(`You have no session ${PHONE.id}`);
    expect(rows()).toHaveLength(1);
  });
});
