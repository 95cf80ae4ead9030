/**
 * A drafter loses the network, keeps typing (the editor says offline, with the unsynced changes),
 * and comes back: the text reaches the other drafter.
 */
import type { Browser, Page } from 'playwright-core';
import {
  type ConcordServer,
  createProposal,
  editorText,
  eventually,
  loginAs,
  newBrowser,
  newPage,
  openProposal,
  sleep,
  startServer,
  typeAtEnd,
  waitForEditor,
} from './support';

const TITLE = 'Offline: consular support for workers in distress';

describe('editing offline', () => {
  let server: ConcordServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), newBrowser()]);
    await createProposal(server, await server.login('drafter1'), { title: TITLE });
  });

  async function openAs(email: string): Promise<Page> {
    const page = await newPage(browser, server, { label: email });
    await loginAs(page, email);
    await openProposal(page, TITLE);
    await waitForEditor(page);
    return page;
  }

  it('keeps offline edits and sends them when the connection is back', async () => {
    const [amina, rohan] = await Promise.all([openAs('drafter1'), openAs('drafter2')]);
    await typeAtEnd(amina, 'Online first. ');
    await eventually(async () => (await editorText(rohan)).includes('Online first.'), { what: 'the online edit arrives' });

    await amina.context().setOffline(true);
    await amina.locator('[data-testid="connection-state"][data-state="offline"]').waitFor();
    await typeAtEnd(amina, 'Written while offline.');
    await expect(amina.getByTestId('unsynced-changes').innerText()).resolves.toMatch(/\d+ unsynced changes/);
    await sleep(1_000);
    expect(await editorText(rohan)).not.toContain('Written while offline.');

    await amina.context().setOffline(false);
    await waitForEditor(amina);
    await expect(amina.getByTestId('unsynced-changes').count()).resolves.toBe(0);
    await eventually(async () => (await editorText(rohan)).includes('Written while offline.'), {
      timeoutMs: 15_000,
      what: 'the offline edit reaches drafter2',
    });
  });
});
