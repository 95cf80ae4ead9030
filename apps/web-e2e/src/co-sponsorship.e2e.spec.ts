/**
 * Co-sponsorship in the browser (issue 14 §4): a delegate co-sponsors a proposal for their member
 * state with the keyboard only, another member sees the co-sponsoring states on the proposal page
 * and in the submission's amendment list, the delegate withdraws it, and a refusal shows the
 * server's reason. Every screen passes axe.
 */
import type { Browser, Page } from 'playwright-core';
import { allowConsoleErrors, type ConcordServer, eventually, expectAccessible, newBrowser, openProposalAs, screenshot, startServer } from './support';

/** The demo proposal with open suggestions (the amendment list has rows for it). */
const TITLE = 'Employer-pays principle for recruitment costs in the Asia–Gulf corridor';

/** Presses Tab until the element matching `selector` has the focus (at most `limit` times). */
async function tabTo(page: Page, selector: string, limit = 120): Promise<void> {
  for (let i = 0; i < limit; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`${selector} was not reached with the Tab key in ${limit} presses`);
}

describe('co-sponsorship in the browser', () => {
  let server: ConcordServer;
  let browser: Browser;
  let proposalId: string;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), newBrowser()]);
    const token = await server.login('drafter1');
    proposalId = (await server.proposals(token)).find((p) => p.title === TITLE)?.id ?? '';
    expect(proposalId).not.toBe('');
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('lets a delegate co-sponsor with the keyboard, shows it to others and in the amendment list, and withdraw it', async () => {
    const delegate = await openProposalAs(browser, server, 'delegate1', TITLE);
    const panel = delegate.getByTestId('co-sponsors');
    await panel.getByTestId('co-sponsors-none').waitFor();
    await expectAccessible(delegate, 'the proposal page offering co-sponsorship');

    await delegate.locator('body').click({ position: { x: 1, y: 1 } });
    await tabTo(delegate, '[data-testid="co-sponsor"]');
    await expect(delegate.evaluate(() => document.activeElement?.textContent?.trim())).resolves.toBe('Co-sponsor for India');
    await delegate.keyboard.press('Enter');
    await panel.getByTestId('co-sponsoring-state').filter({ hasText: 'India' }).waitFor();
    await expect(panel.getByTestId('co-sponsor-announcement').innerText()).resolves.toBe('India now co-sponsors this proposal.');
    // The keyboard stays on the same button, which now withdraws.
    await expect(delegate.evaluate(() => document.activeElement?.getAttribute('data-testid'))).resolves.toBe('withdraw-co-sponsorship');
    const chairToken = await server.login('chair');
    expect((await server.proposal(chairToken, proposalId)).coSponsors).toEqual([expect.objectContaining({ memberState: 'IN', memberStateName: 'India' })]);
    await expectAccessible(delegate, 'the proposal page co-sponsored');
    await panel.scrollIntoViewIfNeeded();
    await screenshot(delegate, 'proposal-co-sponsors');

    // Another member sees the list, without the button.
    const chair = await openProposalAs(browser, server, 'chair', TITLE);
    const seen = chair.getByTestId('co-sponsors');
    await seen.getByTestId('co-sponsoring-state').first().waitFor();
    await expect(seen.getByTestId('co-sponsor-list').innerText()).resolves.toContain('India');
    expect(await seen.getByRole('button').count()).toBe(0);
    await chair.goto(`/submissions/${(await server.proposal(chairToken, proposalId)).submissionId}`);
    const amendments = chair.getByTestId('submission-amendments');
    await amendments.getByTestId('amendment-co-sponsors').first().waitFor();
    await expect(amendments.getByTestId('amendment-co-sponsors').first().innerText()).resolves.toBe('Co-sponsored by India');
    await expectAccessible(chair, 'the amendment list naming co-sponsors');

    // Withdraw with the keyboard: the list empties, the button offers co-sponsoring again.
    await delegate.keyboard.press('Enter');
    await panel.getByTestId('co-sponsors-none').waitFor();
    await expect(panel.getByTestId('co-sponsor-announcement').innerText()).resolves.toBe('India no longer co-sponsors this proposal.');
    await expect(delegate.evaluate(() => document.activeElement?.getAttribute('data-testid'))).resolves.toBe('co-sponsor');
    expect((await server.proposal(chairToken, proposalId)).coSponsors).toEqual([]);
  });

  it("shows the server's reason when a co-sponsorship is refused", async () => {
    const delegate = await openProposalAs(browser, server, 'delegate1', TITLE);
    // The refused request is logged by the browser as a failed resource (409), as expected here.
    allowConsoleErrors(delegate, /status of 409/);
    const panel = delegate.getByTestId('co-sponsors');
    await panel.getByTestId('co-sponsor').waitFor();
    // Meanwhile India co-sponsors it from elsewhere: the page still offers to, and the server refuses.
    const token = await server.login('delegate1');
    const response = await server.api(token).post(`/api/proposals/${proposalId}/co-sponsors`, {});
    expect(response.status).toBe(200);
    await panel.getByTestId('co-sponsor').click();
    const failure = panel.getByTestId('co-sponsor-failure');
    await failure.waitFor();
    await expect(failure.innerText()).resolves.toContain('IN already co-sponsors this proposal.');
    // The page reads the proposal again: India is listed, and the button now withdraws.
    await eventually(async () => (await panel.getByTestId('co-sponsor-list').count()) > 0, { what: 'the page re-reads the proposal' });
    await panel.getByTestId('withdraw-co-sponsorship').waitFor();
    await expectAccessible(delegate, 'the refusal beside the co-sponsor button');
  });
});
