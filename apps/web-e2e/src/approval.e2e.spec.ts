/**
 * The review cycle in the browser: a drafter sends the current revision for review, the chair
 * approves exactly the revision shown (the dialog shows its number and content hash, fetched
 * before approval), the drafter edits on, and the chair is told the approved text has changed.
 */
import type { RevisionDto } from '@concord/contracts';
import type { Browser, Page } from 'playwright-core';
import {
  type ConcordServer,
  createProposal,
  eventually,
  expectAccessible,
  newBrowser,
  ok,
  openProposalAs,
  screenshot,
  startServer,
  typeAtEnd,
} from './support';

const TITLE = 'Approval: bilateral labour agreement on fair recruitment';
const HEX64 = /^[0-9a-f]{64}$/;

describe('review and approval in the browser', () => {
  let server: ConcordServer;
  let browser: Browser;
  let proposalId: string;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), newBrowser()]);
    proposalId = (await createProposal(server, await server.login('drafter1'), { title: TITLE })).id;
  });

  const openAs = (email: string): Promise<Page> => openProposalAs(browser, server, email, TITLE);

  /** The revision the page's details show, once it has caught up with `atLeast`. */
  async function shownRevision(page: Page, atLeast: number): Promise<number> {
    return eventually(
      async () => {
        const revision = Number(await page.getByTestId('current-revision').innerText());
        return revision >= atLeast ? revision : false;
      },
      { what: `the page shows revision ${atLeast} or later` },
    );
  }

  it('sends for review, approves the shown revision and flags the approval stale after an edit', async () => {
    const drafter = await openAs('drafter1');
    await expectAccessible(drafter, 'the proposal page of a drafter, editor writable');
    await typeAtEnd(drafter, 'Both States commit to zero recruitment fees for workers.');
    const chairToken = await server.login('chair');
    const typed = (await server.proposal(chairToken, proposalId)).currentRevision;
    expect(typed).toBeGreaterThan(0);

    // The drafter's button names the current revision.
    const revision = await shownRevision(drafter, typed);
    await drafter.getByRole('button', { name: `Send revision ${revision} for review` }).click();
    await drafter.locator('cc-status-chip', { hasText: 'In review' }).waitFor();

    // The chair opens the approval dialog: revision and content hash, as the server computes them.
    const chair = await openAs('chair');
    await expectAccessible(chair, 'the proposal page of the chair, editor read-only');
    await chair.getByRole('button', { name: 'Approve this revision' }).click();
    const dialog = chair.getByRole('dialog');
    await expect(dialog.getByTestId('approve-revision').innerText()).resolves.toBe(String(revision));
    const shownHash = await dialog.getByTestId('approve-hash').innerText();
    expect(shownHash).toMatch(HEX64);
    const snapshot = ok(await server.api(chairToken).get<RevisionDto>(`/api/proposals/${proposalId}/revisions/${revision}`));
    expect(shownHash).toBe(snapshot.contentHash);
    await screenshot(chair, 'approval-dialog');
    await expectAccessible(chair, 'the approval dialog');

    await dialog.getByRole('button', { name: `Approve revision ${revision}` }).click();
    await expect(dialog.getByTestId('approval-hash').innerText()).resolves.toBe(shownHash);
    await dialog.getByRole('button', { name: 'Close' }).click();
    const approved = await server.proposal(chairToken, proposalId);
    expect(approved).toMatchObject({ status: 'approved', approvedRevision: revision, approvalStale: false });
    expect(approved.approval?.contentHash).toBe(shownHash);
    await expect(chair.getByTestId('stale-banner').count()).resolves.toBe(0);

    // The drafter edits on; within seconds the chair is told, with a link to what changed.
    await typeAtEnd(drafter, ' Employers bear visa and travel costs.');
    const banner = chair.getByTestId('stale-banner');
    await banner.waitFor({ timeout: 10_000 });
    await expectAccessible(chair, 'the proposal page with the stale-approval banner');
    await expect(banner.innerText()).resolves.toContain(`The approved text has changed since revision ${revision}.`);
    await banner.getByRole('link').click();
    await chair.waitForURL(new RegExp(`/proposals/${proposalId}/history\\?from=${revision}&to=\\d+`));
    await chair.getByTestId('diff').locator('ins', { hasText: 'Employers bear visa and travel costs.' }).waitFor();
  });
});
