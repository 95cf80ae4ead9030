/**
 * The harness itself: a real server, the Debian Chromium, signing in through the form and opening a
 * demo proposal from "My workspaces".
 */
import type { Browser } from 'playwright-core';
import { type ConcordServer, findProposal, loginAs, newBrowser, newPage, openProposal, startServer } from './support';

const TITLE = 'Regional partnership on skills certification and mutual recognition';

describe('harness smoke test', () => {
  let server: ConcordServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), newBrowser()]);
  });

  it('signs in as a drafter through the form and opens a proposal', async () => {
    const page = await newPage(browser, server, { label: 'drafter1' });
    await loginAs(page, 'drafter1');
    const id = await openProposal(page, TITLE);

    expect(id).toBe((await findProposal(server, TITLE)).id);
  });
});
