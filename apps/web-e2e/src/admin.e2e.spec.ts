/**
 * Administration screens in Chromium against the real server (issue 14, point 1): the demo admin
 * opens the workspace's Members and invitations page from the dashboard, invites a delegate by a
 * one-time link (read from the page, as they would copy it), the invitee opens it in another browser
 * context, sets name and password and signs in; the admin then sees the new member, changes their
 * role with the select and its button (nothing changes on the select alone) and revokes a second
 * invitation. Each screen is checked with axe and screenshotted; the invitation form is filled with
 * the keyboard.
 */
import type { Browser } from 'playwright-core';
import { allowConsoleErrors, type ConcordServer, expectAccessible, LAPTOP_VIEWPORT, loginAs, newBrowser, newPage, screenshot, startServer } from './support';

const ISCM = 'abu-dhabi-dialogue';
const PASSWORD = 'harbour-lantern-invited-7';

describe('administration screens', () => {
  let server: ConcordServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), newBrowser()]);
  });

  it('an admin invites a delegate, who accepts in another browser and signs in; the admin changes their role and revokes another invitation', async () => {
    const email = `focal.point.${Date.now()}@mofa.example`;
    const admin = await newPage(browser, server, { label: 'admin', viewport: LAPTOP_VIEWPORT });
    await loginAs(admin, 'admin');
    await admin.getByTestId(`manage-members-${ISCM}`).click();
    await admin.waitForURL((url) => url.pathname === `/admin/workspaces/${ISCM}`);
    await admin.getByTestId('members-table').waitFor();
    await expectAccessible(admin, 'the members page');
    await screenshot(admin, 'admin-members', { fullPage: true });

    // The invitation, with the keyboard: email, Tab to the role, choose delegate, then the member state.
    await admin.getByTestId('invite-email').focus();
    await admin.keyboard.type(email);
    await admin.keyboard.press('Tab');
    await admin.getByTestId('invite-role').selectOption('delegate');
    await admin.getByTestId('invite-member-state').selectOption('IN');
    await admin.getByTestId('invite-submit').focus();
    await admin.keyboard.press('Enter');
    const urlField = admin.getByTestId('invitation-link-url');
    await urlField.waitFor();
    const url = await urlField.inputValue();
    expect(url).toMatch(new RegExp(`/invitations/${ISCM}_[A-Za-z0-9_-]{43}$`));
    await admin.getByTestId(`invitation-${email}`).waitFor();
    await admin.getByTestId('copy-invitation-link').click();
    await admin.getByTestId('members-notice').filter({ hasText: /copied|did not allow copying/ }).waitFor();
    await expectAccessible(admin, 'the members page with an invitation link');
    await screenshot(admin, 'admin-invite', { fullPage: true });

    // The invitee, in a browser context of their own (no sign-in).
    const invitee = await newPage(browser, server, { label: 'invitee', viewport: LAPTOP_VIEWPORT });
    await invitee.goto(new URL(url).pathname);
    await invitee.getByTestId('invitation-summary').filter({ hasText: 'delegate' }).filter({ hasText: 'India' }).waitFor();
    await invitee.getByTestId('invitation-name').fill('Meera Iyer');
    await invitee.getByTestId('invitation-password').fill(PASSWORD);
    await invitee.getByTestId('invitation-confirm').fill(PASSWORD);
    await expectAccessible(invitee, 'the invitation page');
    await screenshot(invitee, 'invitation-accept');
    await invitee.getByTestId('invitation-accept').click();
    await invitee.getByTestId('invitation-done').waitFor();
    await expectAccessible(invitee, 'the invitation page, accepted');
    await loginAs(invitee, email, { password: PASSWORD });
    const token = await server.login(email, PASSWORD);
    expect((await server.me(token)).memberships).toEqual([expect.objectContaining({ iscmId: ISCM, roles: ['delegate'] })]);

    // The link is used up: opening it again says so.
    const again = await newPage(browser, server, { label: 'invitee again', viewport: LAPTOP_VIEWPORT });
    // The server's 410 is the answer this page shows (the browser logs it as a failed load).
    allowConsoleErrors(again, /status of 410/);
    await again.goto(new URL(url).pathname);
    await again.getByTestId('invitation-unusable').filter({ hasText: 'already been used' }).waitFor();

    // The admin sees the new member; the select alone changes nothing, the button does.
    await admin.reload();
    const row = admin.getByTestId(`member-${email}-delegate`);
    await row.waitFor();
    await admin.getByTestId(`role-select-${email}-delegate`).selectOption('drafter');
    await admin.waitForTimeout(500);
    await row.waitFor();
    await admin.getByTestId(`change-role-${email}-delegate`).click();
    await admin.getByTestId('members-notice').filter({ hasText: 'is now drafter instead of delegate' }).waitFor();
    await admin.getByTestId(`member-${email}-drafter`).waitFor();
    expect((await server.me(token)).memberships).toEqual([expect.objectContaining({ iscmId: ISCM, roles: ['drafter'] })]);

    // A second invitation, revoked: it leaves the pending list.
    const other = `revoked.${Date.now()}@example.org`;
    await admin.getByTestId('invite-email').fill(other);
    await admin.getByTestId('invite-role').selectOption('auditor');
    await admin.getByTestId('invite-submit').click();
    await admin.getByTestId(`invitation-${other}`).waitFor();
    await admin.getByTestId(`revoke-${other}`).click();
    await admin.getByTestId('members-notice').filter({ hasText: 'is withdrawn' }).waitFor();
    await admin.getByTestId(`invitation-${other}`).waitFor({ state: 'detached' });
    await expectAccessible(admin, 'the members page after the changes');
  });
});
