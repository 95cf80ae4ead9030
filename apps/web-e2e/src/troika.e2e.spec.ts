/**
 * Approval by several chairs in Chromium against the real server (issue 14 §2, "the troika approves
 * in turn"): the demo admin sets the workspace's approval rule on its administration page — the three
 * chairs, all of them must approve — after a refusal whose reason the page shows; a drafter sends a
 * text for review; then each chair, in a browser context of their own, approves the same revision in
 * turn. After each approval the page says how many of the approvals are given and whose; the
 * proposal is approved only with the last. Both screens are checked with axe and screenshotted.
 */
import type { WorkspaceDto } from '@concord/contracts';
import type { Browser, Page } from 'playwright-core';
import {
  allowConsoleErrors,
  type ConcordServer,
  createProposal,
  eventually,
  expectAccessible,
  LAPTOP_VIEWPORT,
  loginAs,
  newBrowser,
  newPage,
  openProposalAs,
  ok,
  screenshot,
  startServer,
  typeAtEnd,
} from './support';

const ISCM = 'abu-dhabi-dialogue';
const TITLE = 'Troika: regional skills passport for domestic workers';
/** In the order the workspace lists its members (by name), which the rule and the page keep. */
const TROIKA = [
  { email: 'chair', name: 'Fatima Al Mansoori' },
  { email: 'chair3', name: 'Kenji Watanabe' },
  { email: 'chair2', name: 'Maria Santos' },
] as const;

describe('approval by the chairs’ troika in the browser', () => {
  let server: ConcordServer;
  let browser: Browser;
  let proposalId: string;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), newBrowser()]);
    proposalId = (await createProposal(server, await server.login('drafter1'), { title: TITLE })).id;
  });

  it('an admin sets the troika rule; the three chairs approve in turn, each in their own browser', async () => {
    // The administration page: the "Approval rule" section.
    const admin = await newPage(browser, server, { label: 'admin', viewport: LAPTOP_VIEWPORT });
    // The refusal below is the server's 400, which the browser logs as a failed load.
    allowConsoleErrors(admin, /status of 400/);
    await loginAs(admin, 'admin');
    await admin.goto(`/admin/workspaces/${ISCM}`);
    const section = admin.getByTestId('approval-rule');
    await section.waitFor();
    await expect(section.getByTestId('approval-rule-current').innerText()).resolves.toBe('Any one chair approves a proposal.');
    for (const chair of TROIKA) await section.getByRole('checkbox', { name: chair.name }).check();
    // More approvals than approvers: the server refuses, and the page gives its reason.
    const required = section.getByLabel('Approvals needed');
    await required.fill('4');
    await section.getByTestId('approval-rule-save').click();
    await section.getByTestId('approval-rule-failure').filter({ hasText: 'required must be a whole number from 1 to 3' }).waitFor();
    // With the keyboard: the number, then Tab to Save and Enter.
    await required.focus();
    await admin.keyboard.press('Control+A');
    await admin.keyboard.type('3');
    await admin.keyboard.press('Tab');
    await admin.keyboard.press('Enter');
    await section.getByTestId('approval-rule-notice').filter({ hasText: 'All 3 approvers must approve the same revision' }).waitFor();
    await expect(section.getByTestId('approval-rule-current').innerText()).resolves.toBe(
      'All 3 approvers must approve the same revision: Fatima Al Mansoori, Kenji Watanabe, Maria Santos.',
    );
    await expect(section.getByTestId('approval-rule-failure').count()).resolves.toBe(0);
    await expectAccessible(admin, 'the members page with the approval rule');
    await section.scrollIntoViewIfNeeded();
    await screenshot(admin, 'admin-approval-rule');
    const adminToken = await server.login('admin');
    expect(ok(await server.api(adminToken).get<WorkspaceDto>(`/api/workspaces/${ISCM}`)).approvalRule).toMatchObject({ required: 3 });

    // A drafter writes and sends the text for review.
    const drafter = await openProposalAs(browser, server, 'drafter1', TITLE);
    await typeAtEnd(drafter, 'Member States recognise each other’s skills certificates for domestic workers.');
    const drafterToken = await server.login('drafter1');
    const revision = await eventually(async () => {
      const { currentRevision } = await server.proposal(drafterToken, proposalId);
      return currentRevision > 0 ? currentRevision : false;
    }, { what: 'the text recorded' });
    await drafter.close();
    ok(await server.api(drafterToken).post(`/api/proposals/${proposalId}/review`, { revision }), 'send for review');

    // The troika approves in turn, each chair in a browser context of their own.
    for (const [index, chair] of TROIKA.entries()) {
      const page: Page = await openProposalAs(browser, server, chair.email, TITLE);
      const progress = page.getByTestId('approval-progress');
      await progress.getByTestId('approval-progress-summary').filter({ hasText: index === 0 ? 'none given yet' : `${index} of 3 approvals for revision ${revision}.` }).waitFor();
      await page.getByTestId('approve-revision').click();
      const dialog = page.getByRole('dialog');
      await expect(dialog.getByTestId('approve-revision').innerText()).resolves.toBe(String(revision));
      await dialog.getByRole('button', { name: `Approve revision ${revision}` }).click();
      if (index < TROIKA.length - 1) {
        await dialog.getByTestId('approval-recorded').filter({ hasText: `${index + 1} of the 3 approvals needed` }).waitFor();
      } else {
        await dialog.getByTestId('approval-hash').waitFor();
      }
      await dialog.getByRole('button', { name: 'Close' }).click();
      await dialog.waitFor({ state: 'detached' });

      // The page shows the approvals given so far, with names; this chair may not approve again.
      const summary = index < TROIKA.length - 1 ? `${index + 1} of 3 approvals for revision ${revision}.` : `Approved: 3 of 3 approvals for revision ${revision}.`;
      await progress.getByTestId('approval-progress-summary').filter({ hasText: summary }).waitFor();
      const lines = await progress.locator('li').allInnerTexts();
      expect(lines).toEqual(TROIKA.map((c, i) => `${c.name}: ${i <= index ? '✓ approved' : 'pending'}`));
      await expect(page.getByTestId('approve-revision').count()).resolves.toBe(0);
      const status = await server.proposal(await server.login(chair.email), proposalId);
      expect(status.status).toBe(index < TROIKA.length - 1 ? 'in_review' : 'approved');
      if (index === 1) {
        await expectAccessible(page, 'the proposal page with 2 of 3 approvals');
        await progress.scrollIntoViewIfNeeded();
        await screenshot(page, 'proposal-troika-approvals');
      }
      if (index === TROIKA.length - 1) {
        await page.locator('cc-status-chip', { hasText: 'Approved' }).waitFor();
        await expectAccessible(page, 'the proposal page, approved by the troika');
        expect(status).toMatchObject({ approvedRevision: revision, approvalStale: false });
      }
      await page.close();
    }
  });
});
