/**
 * Sessions in the browser: the access token lives in memory only and a reload signs in silently
 * with the HttpOnly refresh cookie (which Chromium accepts as Secure over http://127.0.0.1); "Sign
 * out everywhere" in one browser ends the session of another, whose editor socket is closed and
 * who is sent to sign in with the reason.
 */
import type { Browser } from 'playwright-core';
import {
  type ConcordServer,
  allowConsoleErrors,
  expectAccessible,
  findProposal,
  loginAs,
  newBrowser,
  newPage,
  openProposal,
  screenshot,
  startServer,
  waitForEditor,
} from './support';

const TITLE = 'Employer-pays principle for recruitment costs in the Asia–Gulf corridor';

describe('sessions in the browser', () => {
  let server: ConcordServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), newBrowser()]);
  });

  it('keeps me signed in across a reload without any token in storage', async () => {
    const page = await newPage(browser, server, { label: 'drafter1' });
    await loginAs(page, 'drafter1');
    const cookie = (await page.context().cookies()).find((c) => c.name === 'concord_refresh');
    // Chromium keeps a Secure cookie set over plain http from 127.0.0.1 (a potentially trustworthy origin).
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict', path: '/api/auth' });
    expect(await page.evaluate(() => document.cookie)).not.toContain('concord_refresh');
    expect(await page.evaluate(() => JSON.stringify({ ...localStorage }))).not.toMatch(/eyJ/);

    await openProposal(page, TITLE);
    await waitForEditor(page);
    await page.reload();
    await waitForEditor(page);
    expect(new URL(page.url()).pathname).toMatch(/^\/proposals\//);
    await expect(page.getByText('Amina Rahman').first().isVisible()).resolves.toBe(true);
  });

  it('signs out everywhere from another browser: the first is closed out of the editor and sent to sign in, with the reason', async () => {
    const proposal = await findProposal(server, TITLE);
    const first = await newPage(browser, server, { label: 'drafter2 laptop' });
    // The ended session's socket close and refused calls are expected here.
    allowConsoleErrors(first, /status of 401/, /WebSocket/);
    await loginAs(first, 'drafter2', { returnUrl: `/proposals/${proposal.id}` });
    await waitForEditor(first);
    const second = await newPage(browser, server, { label: 'drafter2 tablet' });
    allowConsoleErrors(second, /status of 401/);
    await loginAs(second, 'drafter2');

    const signOutEverywhere = second.getByRole('button', { name: 'Sign out everywhere' });
    await signOutEverywhere.focus();
    await expect(second.evaluate(() => document.activeElement?.textContent?.trim())).resolves.toBe('Sign out everywhere');
    await second.keyboard.press('Enter');
    await second.waitForURL((url) => url.pathname.startsWith('/login'));
    await expect(second.getByTestId('session-ended').innerText()).resolves.toMatch(/signed out on every device/);
    await expectAccessible(second, 'the sign-in page after signing out everywhere');
    await screenshot(second, 'signed-out-everywhere');

    // The first browser's socket is closed (4401); it finds its session ended and goes to sign in, saying why.
    await first.waitForURL((url) => url.pathname.startsWith('/login'), { timeout: 5_000 });
    await expect(first.getByTestId('session-ended').innerText()).resolves.toMatch(/signed out on every device/);
    expect(new URL(first.url()).searchParams.get('returnUrl')).toBe(`/proposals/${proposal.id}`);
    // Signing in again brings it back to the proposal.
    await first.getByLabel('Email').fill('drafter2@concord.demo');
    await first.getByLabel('Password', { exact: true }).fill('concord-demo');
    await first.getByRole('button', { name: 'Sign in', exact: true }).click();
    await waitForEditor(first);
  });
});
