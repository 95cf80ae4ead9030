/**
 * The auditor inspects the event log, re-runs the hash-chain verification, replays a proposal's text
 * revision by revision and finds the checkpoint signing key; someone who audits nothing is offered
 * no way in.
 */
import type { Browser, Page } from 'playwright-core';
import { type ConcordServer, LAPTOP_VIEWPORT, expectAccessible, loginAs, newBrowser, newPage, screenshot, startServer } from './support';

const TITLE = 'Employer-pays principle for recruitment costs in the Asia–Gulf corridor';

describe('the audit pages', () => {
  let server: ConcordServer;
  let browser: Browser;

  beforeAll(async () => {
    // A checkpoint every second, so the checkpoints tab always has rows (with their buttons) to check.
    [server, browser] = await Promise.all([startServer({ env: { CHECKPOINT_INTERVAL_MS: '1000' } }), newBrowser()]);
  });

  async function openAuditAs(email: string): Promise<Page> {
    const page = await newPage(browser, server, { label: email, viewport: LAPTOP_VIEWPORT });
    await loginAs(page, email);
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Audit' }).click();
    await page.waitForURL((url) => url.pathname === '/audit');
    await page.getByRole('heading', { level: 1, name: 'Audit' }).waitFor();
    return page;
  }

  it('shows the auditor the event log, a verification that comes back OK, and a replay of a proposal', async () => {
    const page = await openAuditAs('auditor');

    // The event log: the demo workspace's events, with the people who caused them.
    const rows = page.locator('table tr.mat-mdc-row');
    await rows.first().waitFor();
    expect(await rows.count()).toBeGreaterThan(5);
    await page.getByRole('cell', { name: 'WorkspaceRegistered' }).first().waitFor();
    await page.getByRole('cell', { name: 'Amina Rahman' }).first().waitFor();
    await expectAccessible(page, 'the audit event log');

    // An event's details show both hashes of the chain.
    await rows.first().getByRole('button').click();
    const details = page.getByRole('dialog');
    await details.getByText('prevHash', { exact: true }).waitFor();
    expect(await details.getByTestId('hash').innerText()).toMatch(/^[0-9a-f]{64}$/);
    await expectAccessible(page, 'the event details dialog');
    await page.keyboard.press('Escape');
    await details.waitFor({ state: 'detached' });

    // Verification, re-run on demand.
    const verification = page.locator('cc-chain-verification-status');
    const rerun = verification.getByRole('button', { name: 'Re-run verification' });
    await rerun.waitFor();
    await rerun.click();
    await verification.getByRole('button', { name: 'Re-run verification' }).waitFor();
    await verification.getByText('OK', { exact: true }).waitFor();
    expect(await verification.getByRole('status').innerText()).toMatch(/OK[\s\S]*\d+ streams \/ \d+ events checked/);
    await screenshot(page, 'audit-event-log');
    await expectAccessible(page, 'the audit page with the verification result');

    // Replay: choose a proposal, then move the slider from its newest revision to the empty document.
    await page.getByRole('tab', { name: 'Proposal replay' }).click();
    await page.getByRole('combobox', { name: 'Proposal' }).click();
    await page.getByRole('option', { name: new RegExp(`^${TITLE}`) }).click();
    const text = page.getByTestId('replay-text');
    const hash = page.getByTestId('content-hash');
    await text.getByText(/\S/).first().waitFor();
    const newestText = await text.innerText();
    const newestHash = await hash.innerText();
    expect(newestText.length).toBeGreaterThan(20);

    const slider = page.getByRole('slider', { name: 'Revision' });
    await slider.focus();
    await page.keyboard.press('Home');
    await page.getByText('Revision 0 of', { exact: false }).waitFor();
    await text.getByText('(empty)').waitFor();
    expect(await hash.innerText()).not.toBe(newestHash);

    await page.keyboard.press('End');
    await text.getByText(newestText.split('\n')[0]).first().waitFor();
    expect(await hash.innerText()).toBe(newestHash);
    await screenshot(page, 'audit-replay');
    await expectAccessible(page, 'the proposal replay');

    // The signed checkpoints come with the public key that verifies them.
    await page.getByRole('tab', { name: 'Signed checkpoints' }).click();
    await page.getByTestId('checkpoint-public-key').getByText('BEGIN PUBLIC KEY').waitFor();
    // Each row's button names its checkpoint, starting with the words it shows (WCAG 2.5.3).
    await page.getByRole('button', { name: /^Download checkpoint signed at position \d+$/ }).first().waitFor();
    await expectAccessible(page, 'the signed checkpoints');
  });

  it('offers a drafter no audit link, and turns them away from /audit', async () => {
    const page = await newPage(browser, server, { label: 'drafter1' });
    await loginAs(page, 'drafter1');
    await page.getByRole('heading', { level: 1, name: 'My workspaces' }).waitFor();
    await expectAccessible(page, 'the dashboard of a drafter');
    expect(await page.getByRole('link', { name: 'Audit' }).count()).toBe(0);

    await page.goto('/audit');
    await page.waitForURL((url) => url.pathname === '/');
    await page.getByRole('heading', { level: 1, name: 'My workspaces' }).waitFor();
  });
});
