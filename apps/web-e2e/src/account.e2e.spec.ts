/**
 * Account screens in Chromium against the real server: change password, enrol a second factor
 * (codes computed here from the manual key with otplib), sign in with a code and with a recovery
 * code, an administrator disabling drafter2 (whose open editor is closed and sent to sign in), and a
 * one-time reset link. Each new screen is checked with axe and screenshotted; the password change,
 * the second step and the administrator's actions are done with the keyboard only.
 */
import { authenticator } from 'otplib';
import type { Browser, Page } from 'playwright-core';
import {
  allowConsoleErrors,
  type ConcordServer,
  expectAccessible,
  findProposal,
  LAPTOP_VIEWPORT,
  loginAs,
  newBrowser,
  newPage,
  qualify,
  registerUser,
  screenshot,
  startServer,
  waitForEditor,
} from './support';

const PASSWORD = 'river-lantern-harbour-42';
let userCounter = 0;

/** A TOTP code for a time step this test has not used yet (the server refuses a step twice). */
function freshCode(secret: string, used: Set<number>): string {
  for (const offset of [0, 1, -1]) {
    const at = Date.now() + offset * 30_000;
    const step = Math.floor(at / 30_000);
    if (!used.has(step)) {
      used.add(step);
      return authenticator.clone({ epoch: at }).generate(secret);
    }
  }
  throw new Error('every step of the window is used');
}

/** A 6-digit code valid for none of the steps the server accepts now. */
function wrongCodeFor(secret: string): string {
  const valid = [-1, 0, 1].map((offset) => authenticator.clone({ epoch: Date.now() + offset * 30_000 }).generate(secret));
  return ['000000', '111111', '222222', '333333'].find((code) => !valid.includes(code)) as string;
}

describe('account screens', () => {
  let server: ConcordServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), newBrowser()]);
  });

  async function newUser(label: string): Promise<string> {
    const email = `${label}-${++userCounter}@example.org`;
    await registerUser(server, { email, name: `Nadia ${label}`, password: PASSWORD });
    return email;
  }

  async function signInForm(page: Page, email: string, password: string): Promise<void> {
    await page.goto('/login');
    await page.getByLabel('Email').fill(qualify(email));
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  }

  async function openAccount(page: Page): Promise<void> {
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Account' }).click();
    await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
  }

  async function signOut(page: Page): Promise<void> {
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/login');
  }

  it('changes the password with the keyboard only; another device is signed out; then only the new one signs in', async () => {
    const email = await newUser('password');
    const page = await newPage(browser, server, { label: 'password', viewport: LAPTOP_VIEWPORT });
    allowConsoleErrors(page, /status of 40[01]/);
    await loginAs(page, email, { password: PASSWORD });
    const otherDevice = await newPage(browser, server, { label: 'password, other device', viewport: LAPTOP_VIEWPORT });
    allowConsoleErrors(otherDevice, /status of 401/);
    await loginAs(otherDevice, email, { password: PASSWORD });
    await openAccount(page);
    await expectAccessible(page, 'the account page');

    // Keyboard only: the fields in order, Enter submits.
    await page.getByLabel('Current password').focus();
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Tab');
    await page.keyboard.type('qwerty123456');
    await page.keyboard.press('Tab');
    await page.keyboard.type('qwerty123456');
    await page.keyboard.press('Enter');
    await page.getByRole('alert').filter({ hasText: 'most common passwords' }).waitFor();
    await expectAccessible(page, 'the account page with a refused password');
    await screenshot(page, 'account-page');

    await page.getByLabel('New password', { exact: true }).focus();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('a-brand-new-passphrase');
    await page.keyboard.press('Tab');
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('a-brand-new-passphrase');
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: 'Your password is changed' }).waitFor();
    // The other device finds its session ended at its next request (here: a reload's silent sign-in).
    await otherDevice.reload();
    await otherDevice.waitForURL((url) => url.pathname.startsWith('/login'));
    // This one goes on.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
    await signOut(page);

    await signInForm(page, email, PASSWORD);
    await page.getByTestId('sign-in-failure').waitFor();
    await signInForm(page, email, 'a-brand-new-passphrase');
    await page.waitForURL((url) => url.pathname === '/');
  });

  it('lists where I am signed in and signs out another device from the account page (keyboard only)', async () => {
    const email = await newUser('sessions');
    const page = await newPage(browser, server, { label: 'sessions', viewport: LAPTOP_VIEWPORT });
    await loginAs(page, email, { password: PASSWORD });
    const otherDevice = await newPage(browser, server, { label: 'sessions, other device', viewport: LAPTOP_VIEWPORT });
    allowConsoleErrors(otherDevice, /status of 401/);
    await loginAs(otherDevice, email, { password: PASSWORD });
    await openAccount(page);

    const sessions = page.getByTestId('sessions').getByRole('listitem');
    await sessions.nth(1).waitFor();
    expect(await sessions.count()).toBe(2);
    expect(await sessions.filter({ hasText: 'This browser' }).count()).toBe(1);
    const signOutOther = page.getByRole('button', { name: /^Sign out this device: / });
    expect(await signOutOther.count()).toBe(1);
    await expectAccessible(page, 'the account page with two sessions');
    await page.getByTestId('sessions').scrollIntoViewIfNeeded();
    await screenshot(page, 'account-sessions');

    await signOutOther.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: 'That device is signed out' }).waitFor();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="sessions"] li').length === 1);
    expect(await sessions.filter({ hasText: 'This browser' }).count()).toBe(1);
    await expectAccessible(page, 'the account page after signing out another device');

    // The other device finds its session ended at its next request; this one goes on.
    await otherDevice.reload();
    await otherDevice.waitForURL((url) => url.pathname.startsWith('/login'));
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
  });

  it('enrols a second factor, then signs in with a code and with a recovery code (keyboard only for the code)', async () => {
    const email = await newUser('totp');
    const page = await newPage(browser, server, { label: 'totp', viewport: LAPTOP_VIEWPORT });
    allowConsoleErrors(page, /status of 40[01]/);
    await loginAs(page, email, { password: PASSWORD });
    await openAccount(page);
    await page.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
    await page.getByRole('img', { name: 'QR code to add Concord to your authenticator app' }).waitFor();
    const secret = (await page.getByTestId('mfa-secret').innerText()).trim();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await expectAccessible(page, 'the two-factor set-up with its QR code');
    await screenshot(page, 'account-mfa-setup');

    const used = new Set<number>();
    // The code field has the focus after "Set up": type and press Enter.
    await page.keyboard.type(freshCode(secret, used));
    await page.keyboard.press('Enter');
    const codes = page.getByTestId('recovery-codes').locator('li');
    await codes.first().waitFor();
    const recoveryCodes = await codes.allInnerTexts();
    expect(recoveryCodes).toHaveLength(10);
    await expectAccessible(page, 'the recovery codes');
    await screenshot(page, 'account-recovery-codes');
    await page.getByRole('button', { name: 'I have saved them' }).click();
    await page.getByTestId('mfa-status').filter({ hasText: 'Recovery codes left: 10' }).waitFor();
    await signOut(page);

    await signInForm(page, email, PASSWORD);
    await page.waitForURL((url) => url.pathname === '/login/code');
    await page.getByRole('heading', { level: 1, name: 'Two-factor sign-in' }).waitFor();
    await page.getByRole('textbox', { name: 'Code' }).fill(wrongCodeFor(secret));
    await page.getByRole('button', { name: 'Verify and sign in' }).click();
    await page.getByTestId('mfa-failure').filter({ hasText: 'not correct' }).waitFor();
    await expectAccessible(page, 'the second sign-in step with a refused code');
    await screenshot(page, 'sign-in-second-step');
    await page.getByRole('textbox', { name: 'Code' }).focus();
    await page.keyboard.type(freshCode(secret, used));
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname === '/');
    await signOut(page);

    await signInForm(page, email, PASSWORD);
    await page.waitForURL((url) => url.pathname === '/login/code');
    await page.getByRole('textbox', { name: 'Code' }).fill(recoveryCodes[0]);
    await page.getByRole('button', { name: 'Verify and sign in' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    await openAccount(page);
    await page.getByTestId('mfa-status').filter({ hasText: 'Recovery codes left: 9' }).waitFor();
  });

  it('lets an administrator disable drafter2 (whose open editor is closed), and hand out a reset link that works once', async () => {
    const resetEmail = await newUser('reset');
    const proposal = await findProposal(server, 'Employer-pays principle for recruitment costs in the Asia–Gulf corridor');
    const editing = await newPage(browser, server, { label: 'drafter2 editing', viewport: LAPTOP_VIEWPORT });
    // The ended session's socket close and refused calls are expected here.
    allowConsoleErrors(editing, /status of 401/, /WebSocket/);
    await loginAs(editing, 'drafter2', { returnUrl: `/proposals/${proposal.id}` });
    await waitForEditor(editing);

    const admin = await newPage(browser, server, { label: 'admin', viewport: LAPTOP_VIEWPORT });
    await loginAs(admin, 'admin');
    await admin.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Users' }).click();
    await admin.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
    await expectAccessible(admin, 'the Users page');
    const drafter2 = admin.getByTestId(`user-${qualify('drafter2')}`);
    // Keyboard only: focus the row's button, Enter.
    await drafter2.getByRole('button', { name: /^Disable / }).focus();
    await admin.keyboard.press('Enter');
    await drafter2.getByText('Disabled', { exact: true }).waitFor();

    // drafter2's socket is closed (session ended) and the refresh is refused: sent to sign in, told why.
    await editing.waitForURL((url) => url.pathname.startsWith('/login'), { timeout: 10_000 });
    await expect(editing.getByTestId('session-ended').innerText()).resolves.toMatch(/disabled/);

    const refused = await newPage(browser, server, { label: 'drafter2', viewport: LAPTOP_VIEWPORT });
    allowConsoleErrors(refused, /status of 401/);
    await signInForm(refused, 'drafter2', 'concord-demo');
    await refused.getByTestId('sign-in-failure').waitFor();
    expect(refused.url()).toContain('/login');

    await admin.getByTestId(`user-${resetEmail}`).getByRole('button', { name: /^Reset link for / }).click();
    const url = await admin.getByTestId('reset-link-url').inputValue();
    expect(url).toMatch(/\/reset\/[\w-]+-[\w-]{43}$/);
    await expectAccessible(admin, 'the Users page with a reset link');
    await screenshot(admin, 'admin-users');
    await drafter2.getByRole('button', { name: /^Re-enable / }).focus();
    await admin.keyboard.press('Enter');
    await drafter2.getByText('Active', { exact: true }).waitFor();

    const holder = await newPage(browser, server, { label: 'reset', viewport: LAPTOP_VIEWPORT });
    allowConsoleErrors(holder, /status of 410/);
    await holder.goto(url);
    await holder.getByRole('heading', { level: 1, name: 'Choose a new password' }).waitFor();
    await expectAccessible(holder, 'the reset-password page');
    await screenshot(holder, 'reset-password');
    await holder.getByLabel('New password', { exact: true }).fill('lighthouse-on-the-bay');
    await holder.getByLabel('New password again').fill('lighthouse-on-the-bay');
    await holder.getByRole('button', { name: 'Set password' }).click();
    await holder.getByTestId('reset-done').waitFor();

    await holder.goto(url);
    await holder.getByLabel('New password', { exact: true }).fill('another-lighthouse-pw');
    await holder.getByLabel('New password again').fill('another-lighthouse-pw');
    await holder.getByRole('button', { name: 'Set password' }).click();
    await holder.getByTestId('reset-failure').filter({ hasText: 'already used' }).waitFor();
    await loginAs(holder, resetEmail, { password: 'lighthouse-on-the-bay' });
  });
});
