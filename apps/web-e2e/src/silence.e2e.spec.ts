/**
 * The silence procedure in the browser: the chair starts one on the current revision (a deadline
 * a week ahead, chosen in local time), the banner shows it running with its deadline in UTC, the
 * drafter's editor is told the text is frozen, a delegate breaks silence with a reason, and the
 * banner shows it broken with the objection of their member state. Every screen passes axe.
 */
import type { Browser } from 'playwright-core';
import {
  type ConcordServer,
  createProposal,
  eventually,
  expectAccessible,
  newBrowser,
  openProposalAs,
  screenshot,
  startServer,
  typeAtEnd,
} from './support';

const TITLE = 'Silence: portability of social security entitlements';

describe('silence procedure in the browser', () => {
  let server: ConcordServer;
  let browser: Browser;
  let proposalId: string;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), newBrowser()]);
    proposalId = (await createProposal(server, await server.login('drafter1'), { title: TITLE })).id;
  });

  it('runs a silence procedure and shows it broken by a delegate objection', async () => {
    const drafter = await openProposalAs(browser, server, 'drafter1', TITLE);
    await typeAtEnd(drafter, 'Entitlements follow the worker across borders.');
    const chairToken = await server.login('chair');
    await eventually(async () => (await server.proposal(chairToken, proposalId)).currentRevision > 0, { what: 'the text recorded' });

    const chair = await openProposalAs(browser, server, 'chair', TITLE);
    await chair.getByRole('button', { name: 'Start silence procedure' }).click();
    const dialog = chair.getByRole('dialog');
    await dialog.getByTestId('silence-deadline').waitFor();
    await expectAccessible(chair, 'the start silence dialog');
    await dialog.getByRole('button', { name: 'Start silence procedure' }).click();
    const banner = chair.getByTestId('silence-banner');
    await banner.waitFor({ timeout: 10_000 }).catch(async (error) => {
      const server_ = JSON.stringify((await server.proposal(chairToken, proposalId)).silence);
      const alerts = await chair.getByRole('alert').allInnerTexts();
      throw new Error(`no silence banner; server: ${server_}; alerts: ${alerts.join(' | ')}; actions: ${await chair.locator('.cc-action-list').innerText().catch(() => '-')} (${String(error)})`);
    });
    await expect(banner.innerText()).resolves.toContain('Silence procedure running');
    await expect(banner.innerText()).resolves.toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
    const running = await server.proposal(chairToken, proposalId);
    expect(running.silence).toMatchObject({ status: 'running', revision: running.currentRevision });
    // The page as a person meets it once the dialog has closed: while it closes, the dialog
    // service still hides the page behind it (aria-hidden), which axe rightly flags.
    await dialog.waitFor({ state: 'detached' });
    await expectAccessible(chair, 'the proposal page with a running silence');

    // The drafter's editor is told why the text no longer changes.
    await typeAtEnd(drafter, ' Typed while frozen.');
    await drafter.getByText(/A silence procedure runs on revision \d+ until .*; the text is frozen\./).first().waitFor({ timeout: 15_000 });

    const delegate = await openProposalAs(browser, server, 'delegate1', TITLE);
    await delegate.getByTestId('silence-banner').waitFor();
    await screenshot(delegate, 'silence-banner');
    await delegate.getByRole('button', { name: 'Break silence (object)' }).click();
    const objection = delegate.getByRole('dialog');
    await objection.getByTestId('silence-reason').waitFor();
    await expectAccessible(delegate, 'the break silence dialog');
    // A reason is required: submitting empty says so and records nothing.
    await objection.getByRole('button', { name: 'Break silence' }).click();
    await objection.getByText('Give the reason of the objection.').waitFor();
    await objection.getByTestId('silence-reason').fill('The text must name the bilateral agreements it relies on.');
    await objection.getByRole('button', { name: 'Break silence' }).click();
    const broken = delegate.getByTestId('silence-banner');
    await eventually(async () => (await broken.getAttribute('data-status')) === 'broken', { what: 'the banner shows silence broken' });
    await expect(broken.innerText()).resolves.toContain('Silence broken');
    await expect(broken.getByTestId('silence-objection').innerText()).resolves.toContain('The text must name the bilateral agreements it relies on.');
    await expectAccessible(delegate, 'the proposal page with silence broken');
    expect((await server.proposal(chairToken, proposalId)).silence).toMatchObject({ status: 'broken', objections: [{ memberState: 'IN' }] });
  });
});
